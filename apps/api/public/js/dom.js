// Building elements without innerHTML: every text from the API (city and model names, error messages)
// goes in as text, never as markup.

/** `el('td', { className: 'num', dataset: { label: 'Rows' } }, 'text', childNode…)`. */
export function el(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset, ...rest } = properties;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A table cell that carries its column's name, shown beside the value when a narrow screen stacks the row. */
export function cell(label, properties = {}, ...children) {
  return el('td', { ...properties, dataset: { ...properties.dataset, label } }, ...children);
}
