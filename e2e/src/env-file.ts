// Reads `KEY=value` files the way Docker Compose's env_file does for the simple lines .env files hold.

/** `KEY=value` pairs in file order; comments and blank lines skipped, surrounding quotes of a value removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`not a KEY=value line: ${rawLine}`);
    const key = line.slice(0, equals).trim();
    let value = line.slice(equals + 1).trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    entries[key] = value;
  }
  return entries;
}
