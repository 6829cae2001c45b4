/** `npm run token -- --agency jobcenter --officer j.meyer --role CASEWORKER`: prints a development token. */
import { parseArgs } from 'node:util';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';
import { ROLES, isRole, parseAgency, type Role } from '../common/domain.js';

const usage = `Usage: npm run token -- --agency <county|jobcenter|municipality:<AGS>|socialcare:<provider>> --officer <id> --role <${ROLES.join('|')}> [--role …] [--expires 8h]`;
let values;
try {
  ({ values } = parseArgs({
    options: {
      agency: { type: 'string' },
      officer: { type: 'string' },
      role: { type: 'string', multiple: true },
      expires: { type: 'string' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(64);
}
const fail = (message: string): never => {
  console.error(`${message}\n${usage}`);
  process.exit(64);
};
const config = loadConfigOrExit();
if (config.jwksUrl)
  fail('JWKS_URL is set: tokens come from the identity provider, and development tokens would be refused.');
if (!parseAgency(values.agency)) fail(`--agency ${JSON.stringify(values.agency ?? '')} is not a Verbund agency.`);
if (!values.officer || !/^[\w.@-]{1,100}$/.test(values.officer))
  fail('--officer needs a pseudonymous officer id (letters, digits, . _ @ -).');
const roles = values.role ?? ['CASEWORKER'];
if (!roles.every(isRole)) fail(`--role must be one of ${ROLES.join(', ')}.`);
if (values.expires && !/^\d+[smhd]$/.test(values.expires)) fail('--expires takes a duration like 30m, 8h or 2d.');
const key = await loadOrCreateDevKey(config.dataDir);
console.log(
  await issueDevToken(key.privateKey, {
    officer: values.officer!,
    agency: values.agency!,
    roles: roles as Role[],
    issuer: config.jwtIssuer,
    expiresIn: values.expires,
  }),
);
