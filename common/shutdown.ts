/**
 * Stops a server process once and exits 0: on SIGTERM or SIGINT, and with `whenLauncherLeaves` also when
 * the process that started it over IPC (`npm start`, the benchmark) goes away, so it never lingers as an
 * orphan. `stop` closes what the process opened (listener, Apollo server, database), in that order.
 */
export function stopOnSignals(stop: () => Promise<void>, options: { whenLauncherLeaves?: boolean } = {}): void {
  let stopping = false;
  const stopOnce = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stopOnce());
  process.on('SIGINT', () => void stopOnce());
  if (options.whenLauncherLeaves) process.on('disconnect', () => void stopOnce());
}
