// `pnpm bench` command line: which files, how many rounds, which worker counts, where the report goes.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { UsageError } from './usage-error.js';

export interface BenchOptions {
  /** Row counts of the generated files, measured in this order. */
  rows: number[];
  seed: number;
  /** Rounds of every method per file; the report gives the median (and the spread). */
  rounds: number;
  /** Worker processes of each product run, the first being the deployment's default. */
  workers: number[];
  /** Seconds of each autocannon run. */
  httpSeconds: number;
  httpConnections: number;
  /** Accept-Encoding of every loaded request (a browser's `gzip, deflate, br, zstd`), or none as by default. */
  httpAcceptEncoding: string | null;
  /** Run the naive fast-csv process (slow: about a minute per 10 M rows). */
  naive: boolean;
  /** One more product run with `node --cpu-prof` on the orchestrator and the first worker (largest file). */
  profile: boolean;
  /** Folder of latest.md / latest.json (and the profiles). */
  outDir: string;
  quick: boolean;
  /** Worker counts of the scale-out runs (every pipeline role held to `scalingCores`), on the largest file; empty: none. */
  scalingWorkers: number[];
  scalingCores: number;
  /** Run the cardinality files (100,000 villes, 1,000,000 models). */
  cardinality: boolean;
}

export const DEFAULT_ROWS = [1_000_000, 10_000_000];
export const QUICK_ROWS = 20_000;
/** docker-compose.yml's `deploy.replicas` of the worker service, then 1 and 2 to show scaling. */
export const DEFAULT_WORKERS = [3, 1, 2];
/** The scale-out issue's worker counts, each pipeline role held to a tenth of a core. */
export const DEFAULT_SCALING_WORKERS = [1, 2, 4, 8];
export const DEFAULT_SCALING_CORES = 0.1;
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
/** Quick runs check the harness: their report must not replace the committed figures. */
export const QUICK_RESULTS_DIR = fileURLToPath(new URL('../.cache/results-quick/', import.meta.url));

export const USAGE = `pnpm bench [-- options]
  --rows N[,N…]     row counts of the generated files (default ${DEFAULT_ROWS.join(',')})
  --quick           ${QUICK_ROWS.toLocaleString('en')} rows, 1 round, 2 s of HTTP load: checks the harness in seconds
  --rounds R        rounds of every method per file (default 3; 1 with --quick)
  --workers W[,W…]  worker processes of the product runs (default ${DEFAULT_WORKERS.join(',')})
  --http-seconds S  duration of each autocannon run (default 10; 2 with --quick)
  --http-accept-encoding E  Accept-Encoding header of the loaded requests (default none: identity answers)
  --no-naive        leave out the naive fast-csv process
  --profile         also profile the orchestrator and a worker (node --cpu-prof) on the largest file
  --scaling-workers W[,W…]  worker counts of the scale-out runs on the largest file, every pipeline role held
                    to --scaling-cores of a core by a cgroup CPU quota (default ${DEFAULT_SCALING_WORKERS.join(',')}; 1,2 with --quick)
  --scaling-cores C share of a core each pipeline role gets in the scale-out runs (default ${DEFAULT_SCALING_CORES}; 0.5 with --quick)
  --no-scaling      leave out the scale-out runs
  --no-cardinality  leave out the cardinality files (100,000 villes; 1,000,000 models); --quick leaves them out
  --seed S          generator seed (default 42)
  --out DIR         report folder (default bench/results; bench/.cache/results-quick with --quick)`;

function positiveIntegers(text: string, option: string, max: number): number[] {
  const values = text.split(',').map((part) => Number(part.trim().replaceAll('_', '')));
  if (values.length === 0 || values.some((value) => !Number.isSafeInteger(value) || value < 1 || value > max)) {
    throw new UsageError(`--${option} takes integers 1..${max} separated by commas, got '${text}'`);
  }
  return values;
}

// The command line as node:util reads it; a mistake in it is a usage error that shows the usage.
function parseBenchArgs(argv: string[]) {
  try {
    return parseArgs({
      // pnpm passes the `--` that separates its own options through.
      args: argv[0] === '--' ? argv.slice(1) : argv,
      strict: true,
      allowNegative: true,
      options: {
        rows: { type: 'string' },
        quick: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        workers: { type: 'string' },
        'http-seconds': { type: 'string' },
        'http-accept-encoding': { type: 'string' },
        naive: { type: 'boolean', default: true },
        profile: { type: 'boolean', default: false },
        'scaling-workers': { type: 'string' },
        'scaling-cores': { type: 'string' },
        scaling: { type: 'boolean', default: true },
        cardinality: { type: 'boolean' },
        seed: { type: 'string', default: '42' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseBenchArgs(argv);
  if (values.help) throw new UsageError(USAGE);
  const quick = values.quick;
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`--seed takes an integer 0..4294967295, got '${values.seed}'`);
  }
  const scalingCores = values['scaling-cores'] !== undefined ? Number(values['scaling-cores']) : quick ? 0.5 : DEFAULT_SCALING_CORES;
  if (!(scalingCores >= 0.01 && scalingCores <= 16)) throw new UsageError(`--scaling-cores takes a number 0.01..16, got '${values['scaling-cores']}'`);
  const scalingWorkers = !values.scaling
    ? []
    : values['scaling-workers'] !== undefined
      ? positiveIntegers(values['scaling-workers'], 'scaling-workers', 32)
      : quick
        ? [1, 2]
        : DEFAULT_SCALING_WORKERS;
  return {
    scalingWorkers,
    scalingCores,
    cardinality: values.cardinality ?? !quick,
    rows: values.rows !== undefined ? positiveIntegers(values.rows, 'rows', 100_000_000) : quick ? [QUICK_ROWS] : DEFAULT_ROWS,
    seed,
    rounds: values.rounds !== undefined ? positiveIntegers(values.rounds, 'rounds', 20)[0] : quick ? 1 : 3,
    workers: values.workers !== undefined ? positiveIntegers(values.workers, 'workers', 16) : DEFAULT_WORKERS,
    httpSeconds: values['http-seconds'] !== undefined ? positiveIntegers(values['http-seconds'], 'http-seconds', 600)[0] : quick ? 2 : 10,
    httpConnections: 100,
    httpAcceptEncoding: values['http-accept-encoding'] ?? null,
    naive: values.naive,
    profile: values.profile,
    outDir: values.out ?? (quick ? QUICK_RESULTS_DIR : RESULTS_DIR),
    quick,
  };
}
