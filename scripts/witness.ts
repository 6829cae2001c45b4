/**
 * `npm run witness -- --log <url> [--log <url> …] --pinned <keys.json> [--state <file>] [--key <pem>]
 * [--name <witness>] [--interval <seconds>] [--once]`: a witness of disclosure log checkpoints as a process of its own, for any
 * agency. It reads each log's public `/audit/keys` and `/audit/checkpoint?from=N`, checks the log's signature
 * and the consistency proof from the last checkpoint it cosigned, and cosigns with its own key; a checkpoint
 * that fails is kept in its state file as an alarm and printed. `<url>` is a data subgraph's address (its
 * `/graphql` URL or the address beside it). State: `--state`, default `DATA_DIR/witness-<name>.json`; key:
 * `--key`, else a development key under `DATA_DIR/log-keys/` (refused with NODE_ENV=production). Pointed at the
 * consent registry's officers' log (`<registry>/officer-log/`), it also hands each cosignature back to the
 * registry (`POST /officer-log/audit/cosignature`), which publishes it with the checkpoint.
 * With `--once` it witnesses once and exits 0, or 1 when any log raised an alarm or did not answer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedKey } from '../common/audit/log/log-keys.js';
import { parseLabelledKeys } from '../common/audit/proofs/key-set.js';
import { parseArgs } from 'node:util';
import { FileWitnessStore, witnessCheckpoint } from '../common/audit/witness/checkpoint-witness.js';
import { handBack, httpWitnessTransport, logReader } from '../common/audit/witness/officer-log-witness.js';
import { keyRingOrExit } from '../common/audit/log/log-keys.js';
import { loadConfigOrExit } from '../common/config.js';

const usage =
  'Usage: npm run witness -- --log <url> [--log <url> …] --pinned <keys.json> [--state <file>] [--key <pem file>] [--name <witness name>] [--interval <seconds>] [--once]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      log: { type: 'string', multiple: true },
      state: { type: 'string' },
      key: { type: 'string' },
      name: { type: 'string' },
      interval: { type: 'string' },
      once: { type: 'boolean' },
      pinned: { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const logs: URL[] = [];
for (const raw of values.log ?? []) {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    url.pathname = url.pathname.replace(/\/graphql\/?$/, '/').replace(/\/?$/, '/');
    logs.push(url);
  } catch {
    console.error(`--log ${JSON.stringify(raw)} is not an http(s) URL of a data subgraph\n${usage}`);
    process.exit(64);
  }
}
if (logs.length === 0) {
  console.error(`Name at least one log with --log\n${usage}`);
  process.exit(64);
}
const name = values.name ?? 'independent';
if (!/^[\w.-]{1,64}$/.test(name)) {
  console.error(`--name must be 1 to 64 letters, digits, dots, dashes or underscores\n${usage}`);
  process.exit(64);
}
const interval = values.interval === undefined ? 60 : Number(values.interval);
if (!Number.isInteger(interval) || interval < 1 || interval > 86_400) {
  console.error(`--interval must be whole seconds from 1 to 86400\n${usage}`);
  process.exit(64);
}
if (!values.pinned) {
  console.error(
    `Name the logs' keys to pin with --pinned <keys.json> (their GET /audit/keys answers, taken from the agencies themselves): a witness never trusts a log's keys on first sight\n${usage}`,
  );
  process.exit(64);
}
let pinned: Record<string, PublishedKey[]>;
try {
  pinned = parseLabelledKeys(JSON.parse(await readFile(values.pinned, 'utf8'))).logs;
} catch (error) {
  console.error(`--pinned ${values.pinned} cannot be used: ${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const config = loadConfigOrExit();
const keys = await keyRingOrExit(config, '--key', values.key && path.resolve(values.key), `witness-${name}`);
const store = new FileWitnessStore(path.resolve(values.state ?? path.join(config.dataDir, `witness-${name}.json`)));
console.log(`witness ${name} (key ${keys.keyId}) watching ${logs.map(String).join(', ')}`);

const transport = httpWitnessTransport(10_000);

async function round(): Promise<boolean> {
  let fine = true;
  for (const base of logs) {
    try {
      const outcome = await witnessCheckpoint({ store, keys, witness: name, read: logReader(transport, base), pinned });
      if (outcome.status === 'ALARM') {
        fine = false;
        console.log(`ALARM ${base.toString()}: ${outcome.message}`);
      } else if (outcome.status === 'COSIGNED') {
        console.log(
          `${outcome.checkpoint.logId}: cosigned checkpoint of ${outcome.checkpoint.size} records (root ${outcome.checkpoint.root})`,
        );
      } else {
        console.log(
          `${base.toString()}: unchanged${outcome.checkpoint ? ` at ${outcome.checkpoint.size} records` : ', no checkpoint yet'}`,
        );
      }
      if (outcome.status !== 'ALARM' && outcome.checkpoint && base.pathname.endsWith('/officer-log/'))
        console.log(`${outcome.checkpoint.logId}: ${await handBack(transport, base, name, outcome.checkpoint)}`);
    } catch (error) {
      fine = false;
      console.log(`${base.toString()}: not witnessed: ${(error as Error).message}`);
    }
  }
  return fine;
}

if (values.once) process.exit((await round()) ? 0 : 1);
await round();
const timer = setInterval(() => void round(), interval * 1000);
const stop = () => {
  clearInterval(timer);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
