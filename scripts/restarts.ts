/**
 * When `npm start` restarts a part that stopped unexpectedly, and when it gives up: pure, so that it is
 * tested without starting processes (`scripts/restarts.test.ts`).
 */

/** How a supervisor restarts one part. */
export interface RestartOptions {
  /** Starts allowed within `windowMs`, the first one included; one more stop gives up. @default 5 */
  maxStarts: number;
  /** The window in which starts are counted. @default 60000 */
  windowMs: number;
  /** The wait before the first restart; it doubles with every further start in the window. @default 1000 */
  baseDelayMs: number;
  /** The longest wait before a restart. @default 30000 */
  maxDelayMs: number;
}

export const DEFAULT_RESTARTS: RestartOptions = {
  maxStarts: 5,
  windowMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** What to do after a part stopped: restart it after `delayMs` as attempt `attempt` of `of`, or give up. */
export type RestartDecision =
  | { restart: true; delayMs: number; attempt: number; of: number }
  | { restart: false; starts: number; windowMs: number };

/** The starts of one part and the decision after each unexpected stop. */
export class RestartPolicy {
  private starts: number[] = [];

  constructor(private readonly options: RestartOptions = DEFAULT_RESTARTS) {}

  /** Records that the part was started at `now` (milliseconds). */
  started(now: number): void {
    this.starts.push(now);
  }

  /** Decides after an unexpected stop at `now`: restart with back-off, or give up after too many starts in the window. */
  stopped(now: number): RestartDecision {
    const recent = this.starts.filter((at) => now - at < this.options.windowMs);
    // The start that just ended counts even when it ran longer than the window.
    const count = Math.max(recent.length, 1);
    if (count >= this.options.maxStarts) return { restart: false, starts: count, windowMs: this.options.windowMs };
    return {
      restart: true,
      delayMs: Math.min(this.options.baseDelayMs * 2 ** (count - 1), this.options.maxDelayMs),
      attempt: count + 1,
      of: this.options.maxStarts,
    };
  }
}

/** "exit code 1" or "killed by SIGKILL", as Node reports a child's end. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exit code ${code}` : `killed by ${signal ?? 'an unknown signal'}`;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** The launcher's log line for a decision, naming the part. */
export function describeDecision(part: string, exit: string, decision: RestartDecision): string {
  return decision.restart
    ? `the ${part} stopped unexpectedly (${exit}); restarting in ${seconds(decision.delayMs)} (attempt ${decision.attempt} of ${decision.of})`
    : `the ${part} stopped unexpectedly (${exit}) after ${decision.starts} starts within ${seconds(decision.windowMs)}; giving up and stopping everything`;
}
