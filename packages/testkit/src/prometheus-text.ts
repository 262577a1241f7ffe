// A strict reader of the Prometheus text exposition format (0.0.4): every line must be empty, a HELP, a TYPE
// or a sample of a declared family, or the read throws naming the line. Tests look samples up by name and labels.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, MetricType>;
  help: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case; prom-client writes `Nan`.
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[Ii][Nn][Ff]|[Nn][Aa][Nn])';
const HELP_LINE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return Number.NaN;
  return Number(text);
}

function unescapeLabel(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** The family a sample belongs to: histograms and summaries expose `_bucket`, `_sum` and `_count` series. */
function familyOf(name: string, types: Map<string, MetricType>): string | undefined {
  if (types.has(name)) return name;
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!match) return undefined;
  const type = types.get(match[1]);
  if (type === 'histogram' || (type === 'summary' && match[2] !== 'bucket')) return match[1];
  return undefined;
}

export function parsePrometheusText(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line feed');
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    let m: RegExpExecArray | null;
    // The format allows empty lines (prom-client puts one between families); nothing else is skipped.
    if (line === '') return;
    if ((m = HELP_LINE.exec(line))) {
      if (help.has(m[1])) throw new Error(`second HELP for ${m[1]} at ${where}`);
      help.set(m[1], m[2]);
    } else if ((m = TYPE_LINE.exec(line))) {
      if (types.has(m[1])) throw new Error(`second TYPE for ${m[1]} at ${where}`);
      if (samples.some((s) => familyOf(s.name, new Map([[m![1], m![2] as MetricType]])) !== undefined)) {
        throw new Error(`TYPE after samples of ${m[1]} at ${where}`);
      }
      types.set(m[1], m[2] as MetricType);
    } else if ((m = SAMPLE_LINE.exec(line))) {
      const name = m[1];
      if (familyOf(name, types) === undefined) throw new Error(`sample of an undeclared family at ${where}`);
      const labels: Record<string, string> = {};
      for (const [, key, quoted] of (m[2] ?? '').matchAll(LABEL)) {
        if (key in labels) throw new Error(`label ${key} twice at ${where}`);
        labels[key] = unescapeLabel(quoted);
      }
      samples.push({ name, labels, value: parseValue(m[3]) });
    } else {
      throw new Error(`not a Prometheus text line at ${where}`);
    }
  });
  checkHistograms(types, samples);
  return { types, help, samples };
}

/** Buckets never decrease, and the +Inf bucket equals the count, for every series of every histogram. */
function checkHistograms(types: Map<string, MetricType>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
    const keyOf = (labels: Record<string, string>) =>
      JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort(([a], [b]) => (a < b ? -1 : 1)));
    for (const s of samples) {
      if (s.name === `${family}_bucket`) {
        if (s.labels.le === undefined) throw new Error(`${family}_bucket without le`);
        const entry = series.get(keyOf(s.labels)) ?? { buckets: [] };
        entry.buckets.push([parseValue(s.labels.le), s.value]);
        series.set(keyOf(s.labels), entry);
      } else if (s.name === `${family}_count`) {
        const entry = series.get(keyOf(s.labels)) ?? { buckets: [] };
        entry.count = s.value;
        series.set(keyOf(s.labels), entry);
      }
    }
    for (const [key, { buckets, count }] of series) {
      const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
      sorted.forEach(([, v], i) => {
        if (i > 0 && v < sorted[i - 1][1]) throw new Error(`${family}${key}: buckets decrease`);
      });
      const inf = sorted.at(-1);
      if (!inf || inf[0] !== Infinity || inf[1] !== count) throw new Error(`${family}${key}: +Inf bucket differs from the count`);
    }
  }
}

/** The value of the one sample with this name whose labels include `labels`; undefined when none. */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
