/**
 * How `npm start` watches a running part: every few seconds it asks `/health/live` and `/health/ready`; a part
 * that does not answer `/health/live` within the deadline several times in a row hangs (stopped with SIGSTOP,
 * a busy loop, a dead lock) and is killed, so that the restart policy starts it again. A part that answers but
 * is not ready (its database is down) is only reported: a restart would not bring the database back. Pure, so
 * that it is tested without starting processes (`scripts/liveness.test.ts`).
 */

/** How a supervisor probes one part. */
export interface LivenessOptions {
  /** The wait between the end of one probe and the next. @default 5000 */
  intervalMs: number;
  /** How long `/health/live` may take to answer. @default 2000 */
  timeoutMs: number;
  /** Probes in a row without an answer after which the part counts as hung and is killed. @default 3 */
  missesToKill: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = { intervalMs: 5_000, timeoutMs: 2_000, missesToKill: 3 };

/** What one probe found: whether `/health/live` answered in time, and what `/health/ready` answered if it did. */
export interface ProbeResult {
  live: boolean;
  /** `/health/ready`'s body; undefined when it gave no readable answer in time. */
  ready?: { status?: unknown; checks?: Record<string, unknown> };
}

/** What the supervisor does after a probe: the lines to log, and whether to kill the part. */
export interface ProbeVerdict {
  kill: boolean;
  lines: string[];
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const times = (n: number) => (n === 1 ? 'once' : `${n} times in a row`);

/** One part's probes and the verdict after each. A new instance per started process. */
export class LivenessWatch {
  private misses = 0;
  private notReady: string | undefined;

  constructor(
    private readonly part: string,
    private readonly options: LivenessOptions = DEFAULT_LIVENESS,
  ) {}

  /** How the launcher describes the end of a part it killed as hung (the restart line quotes it). */
  get killReason(): string {
    return `killed by the launcher: no answer to /health/live within ${seconds(this.options.timeoutMs)}, ${times(this.options.missesToKill)}`;
  }

  observe(result: ProbeResult): ProbeVerdict {
    const lines: string[] = [];
    if (!result.live) {
      this.misses += 1;
      if (this.misses >= this.options.missesToKill) {
        lines.push(
          `the ${this.part} did not answer /health/live within ${seconds(this.options.timeoutMs)}, ${times(this.misses)}; killing it`,
        );
        return { kill: true, lines };
      }
      lines.push(
        `the ${this.part} did not answer /health/live within ${seconds(this.options.timeoutMs)} (${this.misses} of ${this.options.missesToKill})`,
      );
      return { kill: false, lines };
    }
    if (this.misses > 0) lines.push(`the ${this.part} answers /health/live again`);
    this.misses = 0;
    const notReady = describeNotReady(result.ready);
    if (notReady !== this.notReady) {
      lines.push(notReady ? `the ${this.part} is not ready: ${notReady}` : `the ${this.part} is ready again`);
      this.notReady = notReady;
    }
    return { kill: false, lines };
  }
}

/** "database: unreachable (ECONNREFUSED); migrations: not checked (database failed)", or undefined when ready. */
function describeNotReady(ready: ProbeResult['ready']): string | undefined {
  if (!ready) return 'no answer from /health/ready';
  if (ready.status === 'ready') return undefined;
  const failed = Object.entries(ready.checks ?? {}).filter(([, result]) => result !== 'ok');
  return failed.length ? failed.map(([name, result]) => `${name}: ${String(result)}`).join('; ') : 'not ready';
}
