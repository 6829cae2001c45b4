/**
 * `npm run audit:verify [-- --url http://localhost:4000/graphql] [--token <JWT>]`: asks the running hub, as a
 * consent officer, to verify every data subgraph's disclosure log against the heads the consent registry
 * witnessed, and prints one line per subgraph. Exit code 0 when all are intact, 1 when any is not.
 */
import { parseArgs } from 'node:util';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';

const usage = 'Usage: npm run audit:verify -- [--url <gateway URL>] [--token <consent officer JWT>]';
let values;
try {
  ({ values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' } } }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const config = loadConfigOrExit();
const url = values.url ?? `http://localhost:${config.port}/graphql`;
let token = values.token;
if (!token) {
  if (config.jwksUrl) {
    console.error(`JWKS_URL is set: pass a consent officer's token from the identity provider with --token.\n${usage}`);
    process.exit(64);
  }
  const key = await loadOrCreateDevKey(config.dataDir);
  token = await issueDevToken(key.privateKey, { officer: 'audit.verify', agency: 'county', roles: ['CONSENT_OFFICER'], issuer: config.jwtIssuer });
}

interface Verification {
  subgraph: string;
  intact: boolean;
  summary: string;
  problems: { message: string }[];
}
let body: { data?: { disclosureLogVerification?: Verification[] }; errors?: { message: string }[] };
try {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CONSENT_MANAGEMENT' },
    body: JSON.stringify({ query: '{ disclosureLogVerification { subgraph intact summary problems { message } } }' }),
    signal: AbortSignal.timeout(15 * 60_000),
  });
  body = (await response.json()) as typeof body;
} catch (error) {
  console.error(`The hub at ${url} did not answer (${(error as Error).message}). Start it with \`npm start\` or pass --url.`);
  process.exit(69); // EX_UNAVAILABLE
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
