import type { Listening } from './http.js';
import { partLogger } from './log.js';

/** What a part does, in order, after its listener has drained: stop timers, Apollo, pools, tracing. */
export type StopStep = readonly [what: string, run: () => unknown];

/**
 * Stops a server process once, gracefully, and exits 0: on SIGTERM or SIGINT, and with `whenLauncherLeaves`
 * also when the process that started it over IPC (`npm start`, the benchmark) goes away, so it never lingers
 * as an orphan. First `listening` drains (`/health/ready` answers 503 at once, requests in flight finish
 * within `graceMs`, see `Listening.drain`); then each step runs in order (timers, the Apollo server, the
 * database pools, tracing). A step that fails is logged as a JSON line and the next still runs; the stop stays
 * a clean one (exit 0), for a collector or a database that is gone must not make an orchestrator think the
 * part crashed.
 */
export function stopOnSignals(
  part: string,
  listening: Pick<Listening, 'drain'>,
  graceMs: number,
  steps: StopStep[],
  options: { whenLauncherLeaves?: boolean } = {},
): void {
  const log = partLogger(part);
  let stopping = false;
  const stopOnce = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log.info(`stopping (${reason}): not ready, finishing the requests in flight within ${graceMs} ms`);
    try {
      const { unfinished } = await listening.drain(graceMs);
      if (unfinished)
        log.warn(`${unfinished} requests were still in flight after ${graceMs} ms; their connections were closed`);
    } catch (error) {
      log.error('draining the listener failed', { err: error });
    }
    for (const [what, run] of steps) {
      try {
        await run();
      } catch (error) {
        log.error(`stopping: ${what} failed`, { err: error });
      }
    }
    log.info(`stopped in ${Date.now() - started} ms`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stopOnce('SIGTERM'));
  process.on('SIGINT', () => void stopOnce('SIGINT'));
  if (options.whenLauncherLeaves) process.on('disconnect', () => void stopOnce('the launcher left'));
}
