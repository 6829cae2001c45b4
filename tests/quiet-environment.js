// jest's test environment for Verbund: Node's, plus a log buffer per test file. The log lines and console
// output a test causes (tests/support/quiet-log.ts sends them here) are shown only for a test or hook that
// fails, under its name; a passing test prints nothing, so `npm test` prints the failures and the summary.
import { TestEnvironment } from 'jest-environment-node';

export default class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    /** Lines written since the last test ended (hooks before a test count as its own). */
    this.lines = [];
    this.global.__verbundTestLog = this.lines;
  }

  handleTestEvent(event) {
    if (event.name === 'test_done') {
      if (event.test.errors.length) this.show(`the failed test "${fullName(event.test)}"`);
      this.lines.length = 0;
    } else if (event.name === 'hook_failure') {
      this.show(`the failed ${event.hook.type} hook${event.test ? ` of "${fullName(event.test)}"` : ''}`);
      this.lines.length = 0;
    }
  }

  show(what) {
    if (!this.lines.length) return;
    process.stderr.write(`\n── log of ${what} ──\n${this.lines.map((l) => l.replace(/\n$/, '')).join('\n')}\n\n`);
  }
}

function fullName(test) {
  const names = [];
  for (let entry = test; entry && entry.name !== 'ROOT_DESCRIBE_BLOCK'; entry = entry.parent) names.unshift(entry.name);
  return names.join(' › ');
}
