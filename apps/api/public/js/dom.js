// Building table rows without innerHTML: every text from the API (city and model names, error messages)
// goes in as text, never as markup.

/** `el('td', { className: 'num' }, 'text', childNode…)`. */
export function el(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}
