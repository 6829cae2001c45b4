/**
 * Set-up file (jest.config.js): what a test makes the code under test write, the JSON log and the console
 * alike, goes into the test file's log buffer (tests/quiet-environment.js), which jest shows only for a
 * test that fails. A test that asserts log lines captures them itself (`configureLogging` with a
 * destination of its own) and puts this back with `quietTestLog` when it is done.
 */
import { format } from 'node:util';
import { configureLogging } from '../../common/log.js';

const buffer = (globalThis as { __verbundTestLog?: string[] }).__verbundTestLog ?? [];

/** Sends the JSON log to the test file's buffer, at the level the parts log at by default. */
export function quietTestLog(): void {
  configureLogging({ level: 'info', destination: { write: (line: string) => void buffer.push(line) } });
}

quietTestLog();
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]) => void buffer.push(`console.${method}: ${format(...args)}`);
}

/**
 * The lines the code under test has written since the current test began (its hooks included): for a test whose
 * expected behaviour includes what the operator is told, e.g. the error line of a failed log append.
 */
export function capturedLog(): readonly string[] {
  return [...buffer];
}
