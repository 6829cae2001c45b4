import { parseArgs } from 'node:util';

/** The benchmark's flags: `npm run bench -- --duration 20 --persons 10000 --soak 300`. */
export interface BenchOptions {
  /** Seconds each measured scenario runs. @default 20 */
  duration: number;
  /** Seconds of unmeasured load before each measured run. @default 5 */
  warmup: number;
  /** Demo persons seeded into the hub (and precomputed for the baseline); at least 1000. @default 10000 */
  persons: number;
  /** Seconds of the memory soak run of the person view. @default 300 */
  soak: number;
  /** Concurrent connections of the load generator. @default 16 */
  connections: number;
  /** Offered load of the constant-rate scenario, requests per second. @default 100 */
  rate: number;
  /** Disclosure records generated for the timeline scenario's person. @default 10000 */
  timelineRecords: number;
  /** The hub's gateway port; its subgraphs take the next five, the baseline port + 10 to port + 15. @default 4300 */
  port: number;
  /** Seed of the demo district. @default 1 */
  seed: number;
  /** Scenario numbers to run (1–6). @default all */
  only: Set<number>;
  /** Where the table goes. @default bench/RESULTS.md */
  out: string;
  /** A directory for a V8 CPU profile of every hub and baseline process (`node --cpu-prof`), written as each stops. */
  cpuProf?: string;
}

/** Thrown for a bad flag; the message names it. */
export class OptionError extends Error {}

const USAGE =
  'Usage: npm run bench -- [--duration 20] [--warmup 5] [--persons 10000] [--soak 300] [--connections 16] [--rate 100] ' +
  '[--timeline-records 10000] [--port 4300] [--seed 1] [--only 1,2,3] [--out bench/RESULTS.md] [--cpu-prof DIR]';

const FLAGS = [
  'duration',
  'warmup',
  'persons',
  'soak',
  'connections',
  'rate',
  'timeline-records',
  'port',
  'seed',
  'only',
  'out',
  'cpu-prof',
] as const;

function integer(
  values: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}\n${USAGE}`);
  }
  return value;
}

/** Parses the command line; throws OptionError with the usage for anything it does not understand. */
export function parseBenchOptions(args: string[]): BenchOptions {
  const flags = Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' }])) as Record<
    (typeof FLAGS)[number],
    { type: 'string' }
  >;
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args, options: flags }).values;
  } catch (error) {
    throw new OptionError(`${(error as Error).message}\n${USAGE}`);
  }
  const only = values.only === undefined ? [1, 2, 3, 4, 5, 6] : values.only.split(',').map(Number);
  if (only.some((n) => !Number.isInteger(n) || n < 1 || n > 6))
    throw new OptionError(`--only takes scenario numbers 1 to 6, e.g. 1,3\n${USAGE}`);
  return {
    duration: integer(values, 'duration', 20, 1, 3600),
    warmup: integer(values, 'warmup', 5, 0, 600),
    persons: integer(values, 'persons', 10_000, 1000, 1_000_000),
    soak: integer(values, 'soak', 300, 1, 24 * 3600),
    connections: integer(values, 'connections', 16, 1, 1000),
    rate: integer(values, 'rate', 100, 1, 100_000),
    timelineRecords: integer(values, 'timeline-records', 10_000, 1, 1_000_000),
    port: integer(values, 'port', 4300, 1024, 65_000),
    seed: integer(values, 'seed', 1, 1, 2 ** 31),
    only: new Set(only),
    out: values.out ?? 'bench/RESULTS.md',
    ...(values['cpu-prof'] ? { cpuProf: values['cpu-prof'] } : {}),
  };
}
