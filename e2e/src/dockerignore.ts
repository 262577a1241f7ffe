// Which paths of the build context a .dockerignore keeps, with Docker's rules: patterns are anchored at
// the context root, `*` and `?` stay inside one path segment, `**` spans any number of them, a pattern that
// matches a directory excludes everything under it, `!` re-includes, and the last matching line wins.

interface IgnoreRule {
  negated: boolean;
  pattern: RegExp;
}

export class DockerIgnore {
  private readonly rules: IgnoreRule[];

  constructor(text: string) {
    this.rules = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const negated = line.startsWith('!');
        const body = (negated ? line.slice(1) : line).trim().replace(/^\/+|\/+$/g, '');
        return { negated, pattern: globToRegExp(body) };
      });
  }

  /** Whether the context keeps `path` (relative to the context root, `/`-separated). */
  keeps(path: string): boolean {
    const segments = path.replace(/^\.\//, '').split('/').filter(Boolean);
    let ignored = false;
    for (const rule of this.rules) {
      // A rule matches the path itself or any directory above it.
      for (let depth = 1; depth <= segments.length; depth += 1) {
        if (rule.pattern.test(segments.slice(0, depth).join('/'))) {
          ignored = !rule.negated;
          break;
        }
      }
    }
    return !ignored;
  }
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches anything.
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
