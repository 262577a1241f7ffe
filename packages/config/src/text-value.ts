// The one rule for reading a number or a boolean out of text, shared by the environment (loadConfig) and the
// API's query and path parameters: a text is a number only when the whole text is one written in plain decimal,
// the form a person types and reads back the same (`5`, `-3`, `0.25`). `+5`, `1e3`, `0x10`, `05`, `.5`, `5.`
// and `` are not numbers; `true` and `false` are the only booleans.
//
// TypeBox's Value.Convert is not used: it converts with JavaScript's `+text` and `Math.trunc`, so `''` becomes 0,
// `0x10` 16, `true` 1 and `1.5` the integer 1 — values nobody wrote, accepted in silence.

/** The kinds of value a schema may ask text to be. */
export type TextValueKind = 'integer' | 'number' | 'boolean';

const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;
const NUMBER_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** How each kind is written, in words, for messages and docs. */
export const TEXT_VALUE_FORMS: Readonly<Record<TextValueKind, string>> = {
  integer: 'written in plain decimal digits, e.g. 5000 (no +, exponent or leading zero)',
  number: 'written in plain decimal, e.g. 0.25 (no +, exponent or leading zero)',
  boolean: 'true or false',
};

function isTextValueKind(type: unknown): type is TextValueKind {
  return type === 'integer' || type === 'number' || type === 'boolean';
}

/**
 * The value `text` stands for under a schema of `type` (JSON Schema's `type` keyword), or `text` itself when it is
 * no such value (the schema's check then refuses it) or the schema does not ask for a number or a boolean.
 */
export function valueFromText(type: unknown, text: string): unknown {
  if (!isTextValueKind(type)) return text;
  switch (type) {
    case 'integer':
      return INTEGER_TEXT.test(text) ? Number(text) : text;
    case 'number':
      return NUMBER_TEXT.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
  }
}

/** How a value of a schema of `type` is written, or null when the schema takes text as it is. */
export function textValueForm(type: unknown): string | null {
  return isTextValueKind(type) ? TEXT_VALUE_FORMS[type] : null;
}
