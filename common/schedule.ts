import { partLogger } from './log.js';

/**
 * Runs `work` every `intervalMs` until the returned function is called: a tick that finds the last run still
 * going is skipped, so runs never overlap, and the timer does not keep the process alive. `work` reports its
 * own failures; a rejection it lets through is logged here, and the next tick runs as usual.
 */
export function runEvery(intervalMs: number, work: () => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch((error: unknown) => partLogger('schedule').error('a periodic run failed', { err: error }))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
