// JSON text in ASCII only: every character past U+007F written as a \uXXXX escape (RFC 8259 §7), as Python's
// json.dumps does by default. The parsed values are the same code points (Saint-Étienne stays NFC É), and a
// client decodes an ASCII body on its fast path: from the first accented city on, a UTF-8 body of the full
// ca-mensuel took a Node client five times longer to turn into a string (20 µs a response under load).
const NON_ASCII = /[\u0080-\uffff]/g;

function escape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON.stringify, with non-ASCII characters escaped (astral ones as their two surrogate escapes). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escape);
}
