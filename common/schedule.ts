import { setImmediate as nextTurn } from 'node:timers/promises';
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

/**
 * Items handled in one turn of the event loop by a long pass over a log (about 5 ms of records at 50 µs each).
 */
export const ITEMS_PER_TURN = 100;

/**
 * `items`, one by one, with a turn of the event loop after every `perTurn` of them. A checkpoint or a
 * verification runs in the subgraph's own process over thousands of records; without turns, a request that
 * arrived meanwhile waited for the whole page (a minute's 6,000 records held the loop for over 100 ms).
 */
export async function* takingTurns<T>(items: Iterable<T>, perTurn = ITEMS_PER_TURN): AsyncGenerator<T> {
  let handled = 0;
  for (const item of items) {
    if (handled > 0 && handled % perTurn === 0) await nextTurn();
    handled += 1;
    yield item;
  }
}
