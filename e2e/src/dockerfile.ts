// A Dockerfile as stages of instructions: enough structure to check statically what an image will hold.
import { readFileSync } from 'node:fs';
import { repoPath } from './repo-paths.js';

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY… */
  keyword: string;
  /** Everything after the keyword, continuation lines joined, global ARG defaults substituted. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface DockerStage {
  /** The image (after ARG substitution) or the earlier stage it starts from. */
  from: string;
  name: string | null;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: DockerStage[];
}

export const dockerfilePath = repoPath('Dockerfile');

export function loadDockerfile(): ParsedDockerfile {
  return parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  const substitute = (value: string) =>
    value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return name in globalArgs ? globalArgs[name] : whole;
    });

  for (const { text: instruction, line } of logicalLines(text)) {
    const match = /^(\w+)\s*(.*)$/s.exec(instruction);
    if (!match) throw new Error(`line ${line}: cannot read "${instruction}"`);
    const keyword = match[1].toUpperCase();
    const args = match[2].trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`line ${line}: cannot read FROM ${args}`);
      stages.push({ from: substitute(from[1]), name: from[2] ?? null, instructions: [] });
      continue;
    }
    if (stages.length === 0) {
      if (keyword !== 'ARG') throw new Error(`line ${line}: ${keyword} before the first FROM`);
      const [name, value = ''] = args.split('=', 2);
      globalArgs[name.trim()] = value.trim();
      continue;
    }
    stages[stages.length - 1].instructions.push({ keyword, args, line });
  }
  return { globalArgs, stages };
}

/** Instructions with their continuation lines joined; comments, parser directives and blank lines dropped. */
function logicalLines(text: string): Array<{ text: string; line: number }> {
  const result: Array<{ text: string; line: number }> = [];
  let current: string[] = [];
  let start = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && current.length === 0)) return;
    if (current.length === 0) start = index + 1;
    const continued = trimmed.endsWith('\\');
    current.push(continued ? trimmed.slice(0, -1).trim() : trimmed);
    if (!continued) {
      result.push({ text: current.filter(Boolean).join(' '), line: start });
      current = [];
    }
  });
  if (current.length > 0) result.push({ text: current.join(' '), line: start });
  return result;
}

/** The exec-form (`["node", "x.js"]`) or shell-form arguments of CMD / ENTRYPOINT. */
export function execArgs(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return args.split(/\s+/);
}

export interface CopyInstruction {
  from: string | null;
  sources: string[];
  destination: string;
}

/** COPY's flags, sources and destination (exec or plain form). */
export function readCopy(args: string): CopyInstruction {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  let from: string | null = null;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) paths.push(word);
  }
  const destination = paths.pop();
  if (destination === undefined || paths.length === 0) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { from, sources: paths, destination };
}
