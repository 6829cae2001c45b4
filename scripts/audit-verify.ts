/**
 * `npm run audit:verify [-- --url http://localhost:4000/graphql] [--token <JWT>] [--full]`: asks the running
 * hub, as a consent officer, to verify every data subgraph's disclosure log against the heads and checkpoints
 * the consent registry witnessed, and prints one line per subgraph saying what was re-read and what was taken
 * on the strength of a cosigned checkpoint (and when it was last re-read). By default the records since the
 * last verified checkpoint and a rotating slice of older ones are re-read (every record within
 * `VERIFY_FULL_CYCLE_DAYS`); `--full` re-reads every record of every log now. Exit code 0 when all are
 * intact, 1 when any is not.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../common/config.js';
import { GatewayUnreachable, askGateway, tokenFor, type GatewayAnswer } from './gateway-client.js';

const usage = 'Usage: npm run audit:verify -- [--url <gateway URL>] [--token <consent officer JWT>] [--full]';
let values;
try {
  ({ values } = parseArgs({
    options: { url: { type: 'string' }, token: { type: 'string' }, full: { type: 'boolean' } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const config = loadConfigOrExit();
const url = values.url ?? `http://localhost:${config.port}/graphql`;
const token = await tokenFor(config, values.token, { officer: 'audit.verify', role: 'CONSENT_OFFICER' });
if (!token) {
  console.error(`JWKS_URL is set: pass a consent officer's token from the identity provider with --token.\n${usage}`);
  process.exit(64);
}

interface Verification {
  subgraph: string;
  intact: boolean;
  summary: string;
  problems: { message: string }[];
}
let body: GatewayAnswer<{ disclosureLogVerification?: Verification[] }>['body'];
try {
  ({ body } = await askGateway<{ disclosureLogVerification?: Verification[] }>(url, {
    token,
    purpose: 'CONSENT_MANAGEMENT',
    query: `{ disclosureLogVerification(full: ${values.full ? 'true' : 'false'}) { subgraph intact summary problems { message } } }`,
    timeoutMs: 15 * 60_000,
  }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof GatewayUnreachable ? 69 : 1); // 69: EX_UNAVAILABLE
}
const results = body.data?.disclosureLogVerification;
if (!results) {
  console.error(`Verification failed: ${(body.errors ?? []).map((e) => e.message).join('; ')}`);
  process.exit(1);
}
for (const result of results) {
  console.log(result.summary);
  if (!result.intact) for (const problem of result.problems) console.log(`  - ${problem.message}`);
}
process.exit(results.every((r) => r.intact) ? 0 : 1);
