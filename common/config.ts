import path from 'node:path';
import { SUBGRAPHS, type SubgraphName } from './domain.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { DEFAULT_DISTRICT_TIME_ZONE, isTimeZone } from './district-time.js';
import { loadAgencyList, type AgencyList } from './policy/agencies.js';
import { loadNoticeList, type NoticeList } from './policy/notices.js';
import { isUuid } from './validation.js';

/**
 * Verbund's configuration, parsed once at start from the environment. Nothing else reads `process.env`.
 * A bad value stops the process with a message that names the variable.
 */
export interface Config {
  /** `NODE_ENV`; development serves Apollo Sandbox and includes stack traces. @default 'development' */
  environment: 'development' | 'production' | 'test';
  /** `PORT`: the gateway's port. @default 4000 */
  port: number;
  /** `SUBGRAPH_PORT_BASE`: county listens here, the others on the next four ports. @default 4001 */
  subgraphPortBase: number;
  /** `SUBGRAPH_HOST`: the address a subgraph process listens on; containers set `0.0.0.0`. @default 127.0.0.1 */
  subgraphHost: string;
  /** `DATABASE_URL`: an administrative connection to an external PostgreSQL; unset means embedded. */
  databaseUrl?: string;
  /** `DATA_DIR`: embedded PostgreSQL's files and the development signing key. @default ./data */
  dataDir: string;
  /** `EMBEDDED_PG_PORT`: the embedded server's port, away from a system server's 5432. @default 54329 */
  embeddedPgPort: number;
  /** `JWKS_URL`: the identity provider's key set. When set, development tokens are refused. */
  jwksUrl?: string;
  /** `JWT_ISSUER`: the expected `iss`. @default 'verbund-dev' without JWKS_URL; required with it */
  jwtIssuer: string;
  /**
   * The consent officers' console's sign-in at the identity provider (OpenID Connect, authorization code
   * with PKCE) whose tokens JWKS_URL verifies: set exactly when JWKS_URL is.
   */
  oidc?: OidcConfig;
  /** `CONSENT_URL`: where subgraphs look up consents. @default the consent subgraph's local URL */
  consentUrl: string;
  /** `<NAME>_URL` per subgraph (e.g. `COUNTY_URL`): where the gateway finds it. @default local ports */
  subgraphUrls: Record<SubgraphName, string>;
  /**
   * Deadlines of the calls between parts, in milliseconds. A call that has no answer by then is aborted and
   * the part it asked is reported by name. Each inner call must end before the call around it.
   */
  timeouts: CallTimeouts;
  /** `DB_POOL_SIZE`: connections per subgraph database. @default 10 */
  dbPoolSize: number;
  /**
   * `<NAME>_DATABASE_URL` per subgraph (e.g. `COUNTY_DATABASE_URL`): the subgraph's own database as its own
   * role. `npm start` sets these for the processes it starts; a deployment sets them itself.
   */
  subgraphDatabaseUrls: Partial<Record<SubgraphName, string>>;
  /** `LOG_HEAD_INTERVAL_SECONDS`: how often the consent registry witnesses each disclosure log's head. @default 60 */
  logHeadIntervalSeconds: number;
  /** `DISCLOSURE_RETENTION_DAYS`: how long disclosure records are kept (`npm run audit:retention`). @default 730 */
  retentionDays: number;
  /** `SUPPRESSION_THRESHOLD`: indicator counts from 1 to one below this are withheld. @default 5 */
  suppressionThreshold: number;
  /** `AGENCIES_FILE`: the district's closed list of agencies (JSON). @default the demo district's */
  agencies: AgencyList;
  /**
   * `DISTRICT_TIME_ZONE`: the district's IANA time zone. A consent's validity dates are calendar days there
   * (in force from the start of `validFrom` through the end of `validUntil`); screens show instants in it.
   * @default 'Europe/Berlin'
   */
  districtTimeZone: string;
  /** `NOTICES_FILE`: the district's information notices, by version and language (JSON). @default the demo district's */
  notices: NoticeList;
  /**
   * `<NAME>_LOG_KEY_FILE` per data subgraph (e.g. `COUNTY_LOG_KEY_FILE`): the PEM file of the Ed25519 key(s)
   * its process signs disclosure log checkpoints with (first key signs, further keys are retired ones). Never
   * in the database. Required in production; in development a key is generated under `DATA_DIR/log-keys/`.
   */
  logKeyFiles: Partial<Record<SubgraphName, string>>;
  /** `WITNESS_KEY_FILE`: the consent registry's witness key (PEM, Ed25519). Required in production, as above. */
  witnessKeyFile?: string;
  /**
   * `JOBCENTER_WITNESS_KEY_FILE`: the key the jobcenter's process cosigns the consent registry's log of officers'
   * reads with (PEM, Ed25519; never its log key). Required in production, as above.
   */
  officerLogWitnessKeyFile?: string;
  /**
   * `CONSENT_GRANT_KEY_FILE`: the key the consent registry signs the consent statements with that the gateway
   * passes to every fetch of one request (PEM, Ed25519; never its log or witness key; the same file for every
   * replica of the registry). Required in production, as above.
   */
  grantKeyFile?: string;
  /**
   * `PINNED_LOG_KEYS_FILE`: the data subgraphs' log keys the consent registry's witness pins (a labelled key
   * file, see docs/proofs.md: the agencies' `GET /audit/keys` answers, or `{ "logs": { "verbund:<name>": [keys] } }`).
   * It trusts no other key unless announced by a pinned one. Read (and refused, naming the variable) at the
   * registry's start. Required in production; in development the keys are read from the development key files.
   */
  pinnedLogKeysFile?: string;
  /**
   * `VERIFY_FULL_CYCLE_DAYS`: the default verification re-reads, beside the records since the last verified
   * checkpoint, a rotating slice of older ones, so that every record is re-read at least once in this many
   * days (1 to 365). @default 7
   */
  verifyFullCycleDays: number;
  /** `CHECKPOINT_INTERVAL_SECONDS`: how often each data subgraph signs a checkpoint of its log. @default 60 */
  checkpointIntervalSeconds: number;
  /**
   * `EXPLORER` (`on` or `off`): serves the developers' explorer (GraphiQL) at `/explorer` and answers
   * introspection. Demo tokens are handed out in development only, never in production.
   * @default on in development and test, off in production
   */
  explorer: boolean;
  /**
   * `EXPLORER_EXAMPLE_PERSON`: the person id the explorer's example operations start with (a UUID). `npm start`
   * sets it to a demo person; unset, the examples show a placeholder to replace.
   */
  explorerExamplePerson?: string;
  /**
   * `TRUSTED_DOCUMENTS` (`on` or `off`): the gateway refuses every document that is not registered for the
   * caller's agency under `trusted-documents/` (`npm run documents`), with `UNTRUSTED_DOCUMENT` or
   * `PERSISTED_QUERY_NOT_TRUSTED`, before anything runs. Registered hashes (`extensions.persistedQuery`) are
   * answered either way. @default on in production, off in development and test
   */
  trustedDocuments: boolean;
  /** `TRUSTED_DOCUMENTS_DIR`: the registry's folder. @default trusted-documents/ of the installation */
  trustedDocumentsDir?: string;
  /**
   * `SHUTDOWN_GRACE_SECONDS`: on SIGTERM, how long a part lets requests in flight finish before it closes the
   * connections left (keep it below the pod's terminationGracePeriodSeconds less its preStop pause). @default 20
   */
  shutdownGraceSeconds: number;
  /** `LOG_LEVEL`: the least severe level the JSON log writes (fatal, error, warn, info, debug, trace, silent). @default info */
  logLevel: LogLevel;
  /**
   * `METRICS_TOKEN`: the bearer token a Prometheus scraper sends to read `/metrics` (at least 16 characters).
   * Unset: `/metrics` answers anyone in development and nobody in production.
   */
  metricsToken?: string;
  /**
   * `OTEL_EXPORTER_OTLP_ENDPOINT`: the OpenTelemetry collector's OTLP/HTTP base URL (e.g. `http://collector:4318`);
   * traces go to `<endpoint>/v1/traces`. Unset: no traces.
   */
  otlpEndpoint?: string;
  /**
   * `TLS_CA_FILE`, `TLS_CERT_FILE`, `TLS_KEY_FILE` (all three or none): mTLS between the parts. A subgraph then
   * serves HTTPS and answers only clients with a certificate of that CA; every part presents its certificate
   * on its calls; the default subgraph URLs are `https://`. Unset: plain HTTP (development).
   */
  tls?: TlsPaths;
}

/** Who may read `/metrics` (`METRICS_TOKEN`): a bearer token, or nobody but a development machine. */
export interface MetricsAccess {
  /** The scraper's bearer token; when set, `/metrics` answers only requests that carry it. */
  token?: string;
  /** Without a token: whether `/metrics` answers anyone (development and tests) or nobody (production). */
  openWithoutToken: boolean;
}

/** Where a part's CA certificate, own certificate and key are (PEM files). */
export interface TlsPaths {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** The console's OpenID Connect client at the identity provider; the issuer is `JWT_ISSUER`. */
export interface OidcConfig {
  /** `JWT_ISSUER`: the provider's issuer, whose discovery document the console reads. */
  issuer: string;
  /** `OIDC_CLIENT_ID`: the console's public client (no secret) at the provider; required with JWKS_URL. */
  clientId: string;
  /** `OIDC_SCOPE`: what the console asks for. @default 'openid' */
  scope: string;
}

/** Deadlines of the calls between parts, in milliseconds. */
export interface CallTimeouts {
  /** `SUBGRAPH_TIMEOUT_MS`: the gateway's fetch from one subgraph. @default 10000 */
  subgraph: number;
  /** `CONSENT_TIMEOUT_MS`: a subgraph's consent lookup at the registry; below SUBGRAPH_TIMEOUT_MS. @default 2000 */
  consent: number;
  /** `AUDIT_TIMEOUT_MS`: the registry's read of a data subgraph's disclosure log; below SUBGRAPH_TIMEOUT_MS. @default 5000 */
  audit: number;
}

/** Thrown for a bad environment variable; the message names the variable and what is expected. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, value: string) {
    super(`Configuration error: ${variable}=${JSON.stringify(value)} is invalid; expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL (${protocols.join(', ')})`, raw);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `a URL (${protocols.join(', ')})`, raw);
  return raw;
}

/** Parses the environment into a Config; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const environment = env.NODE_ENV ?? 'development';
  if (environment !== 'development' && environment !== 'production' && environment !== 'test') {
    throw new ConfigError('NODE_ENV', 'development, production or test', environment);
  }
  const port = integer(env, 'PORT', 4000, 1, 65535);
  const subgraphPortBase = integer(env, 'SUBGRAPH_PORT_BASE', 4001, 1, 65530);
  const tls = tlsPaths(env);
  const scheme = tls ? 'https' : 'http';
  const jwksUrl = url(env, 'JWKS_URL', ['http:', 'https:']);
  const jwtIssuer = env.JWT_ISSUER || (jwksUrl ? undefined : 'verbund-dev');
  if (!jwtIssuer) throw new ConfigError('JWT_ISSUER', 'the issuer of tokens when JWKS_URL is set', '');
  const oidc = oidcClient(env, jwksUrl, jwtIssuer);
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((name, index) => [
      name,
      url(env, `${name.toUpperCase()}_URL`, ['http:', 'https:']) ??
        `${scheme}://localhost:${subgraphPortBase + index}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
  const subgraphTimeout = integer(env, 'SUBGRAPH_TIMEOUT_MS', 10_000, 100, 600_000);
  // A subgraph's own calls must give up before the gateway gives up on the subgraph, or the gateway would
  // report the subgraph that waited instead of the part that hung.
  const inner = (name: string, fallback: number) => {
    const value = integer(env, name, Math.min(fallback, Math.floor(subgraphTimeout / 2)), 50, 600_000);
    if (value >= subgraphTimeout) {
      throw new ConfigError(name, `milliseconds below SUBGRAPH_TIMEOUT_MS (${subgraphTimeout})`, env[name] ?? '');
    }
    return value;
  };
  const timeouts: CallTimeouts = {
    subgraph: subgraphTimeout,
    consent: inner('CONSENT_TIMEOUT_MS', 2_000),
    audit: inner('AUDIT_TIMEOUT_MS', 5_000),
  };
  return {
    environment,
    port,
    subgraphPortBase,
    subgraphHost: env.SUBGRAPH_HOST || '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    jwksUrl,
    jwtIssuer,
    ...(oidc ? { oidc } : {}),
    consentUrl: url(env, 'CONSENT_URL', ['http:', 'https:']) ?? subgraphUrls.consent,
    subgraphUrls,
    timeouts,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    logHeadIntervalSeconds: integer(env, 'LOG_HEAD_INTERVAL_SECONDS', 60, 1, 86_400),
    retentionDays: integer(env, 'DISCLOSURE_RETENTION_DAYS', 730, 1, 36_500),
    subgraphDatabaseUrls: Object.fromEntries(
      SUBGRAPHS.flatMap((name) => {
        const value = url(env, `${name.toUpperCase()}_DATABASE_URL`, ['postgres:', 'postgresql:']);
        return value ? [[name, value]] : [];
      }),
    ),
    suppressionThreshold: integer(env, 'SUPPRESSION_THRESHOLD', 5, 2, 1000),
    agencies: agencyList(env),
    districtTimeZone: districtTimeZone(env),
    notices: noticeList(env),
    logKeyFiles: Object.fromEntries(
      SUBGRAPHS.flatMap((name) => {
        const value = env[`${name.toUpperCase()}_LOG_KEY_FILE`];
        return value ? [[name, path.resolve(value)]] : [];
      }),
    ),
    ...(env.WITNESS_KEY_FILE ? { witnessKeyFile: path.resolve(env.WITNESS_KEY_FILE) } : {}),
    ...(env.JOBCENTER_WITNESS_KEY_FILE
      ? { officerLogWitnessKeyFile: path.resolve(env.JOBCENTER_WITNESS_KEY_FILE) }
      : {}),
    ...(env.CONSENT_GRANT_KEY_FILE ? { grantKeyFile: path.resolve(env.CONSENT_GRANT_KEY_FILE) } : {}),
    checkpointIntervalSeconds: integer(env, 'CHECKPOINT_INTERVAL_SECONDS', 60, 1, 86_400),
    ...(env.PINNED_LOG_KEYS_FILE ? { pinnedLogKeysFile: path.resolve(env.PINNED_LOG_KEYS_FILE) } : {}),
    verifyFullCycleDays: integer(env, 'VERIFY_FULL_CYCLE_DAYS', 7, 1, 365),
    shutdownGraceSeconds: integer(env, 'SHUTDOWN_GRACE_SECONDS', 20, 0, 3_600),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    explorer: oneOf(env, 'EXPLORER', ['on', 'off'] as const, environment === 'production' ? 'off' : 'on') === 'on',
    ...optional('explorerExamplePerson', uuid(env, 'EXPLORER_EXAMPLE_PERSON')),
    trustedDocuments:
      oneOf(env, 'TRUSTED_DOCUMENTS', ['on', 'off'] as const, environment === 'production' ? 'on' : 'off') === 'on',
    ...optional('trustedDocumentsDir', env.TRUSTED_DOCUMENTS_DIR ? path.resolve(env.TRUSTED_DOCUMENTS_DIR) : undefined),
    ...metricsToken(env),
    ...optional('tls', tls),
    ...optional('otlpEndpoint', url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:'])),
  };
}

function uuid(env: Env, name: string): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  if (!isUuid(value)) {
    throw new ConfigError(name, 'a person id (UUID)', value);
  }
  return value;
}

function tlsPaths(env: Env): TlsPaths | undefined {
  const names = ['TLS_CA_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE'] as const;
  const [caFile, certFile, keyFile] = names.map((name) => env[name] || undefined);
  const given = [caFile, certFile, keyFile].filter(Boolean).length;
  if (given === 0) return undefined;
  if (given < 3) {
    const missing = names.find((_, i) => ![caFile, certFile, keyFile][i])!;
    throw new ConfigError(missing, 'a PEM file: mTLS needs TLS_CA_FILE, TLS_CERT_FILE and TLS_KEY_FILE together', '');
  }
  return { caFile: path.resolve(caFile!), certFile: path.resolve(certFile!), keyFile: path.resolve(keyFile!) };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, V>>);
}

function metricsToken(env: Env): { metricsToken?: string } {
  const token = env.METRICS_TOKEN || undefined;
  if (token === undefined) return {};
  if (!/^[\x21-\x7e]{16,512}$/.test(token))
    throw new ConfigError('METRICS_TOKEN', 'a token of 16 to 512 visible ASCII characters', token.replace(/./g, '*'));
  return { metricsToken: token };
}

/** Who may read `/metrics`, from the configuration: the scraper's token, or (without one) development only. */
export function metricsAccess(config: Config): MetricsAccess {
  return config.metricsToken
    ? { token: config.metricsToken, openWithoutToken: false }
    : { openWithoutToken: config.environment !== 'production' };
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
  return raw as T;
}

// Without JWKS_URL nobody signs in at a provider (development tokens), so a client id alone means a mistake.
function oidcClient(env: Env, jwksUrl: string | undefined, issuer: string): OidcConfig | undefined {
  const clientId = env.OIDC_CLIENT_ID || undefined;
  if (!jwksUrl) {
    if (clientId)
      throw new ConfigError('OIDC_CLIENT_ID', 'to be set only together with JWKS_URL and JWT_ISSUER', clientId);
    return undefined;
  }
  if (!clientId) {
    throw new ConfigError(
      'OIDC_CLIENT_ID',
      "the consent officers' console's client id at the identity provider when JWKS_URL is set",
      '',
    );
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(clientId))
    throw new ConfigError('OIDC_CLIENT_ID', 'a client id of 1 to 255 visible ASCII characters', clientId);
  const scope = env.OIDC_SCOPE || 'openid';
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(scope) || !scope.split(' ').includes('openid')) {
    throw new ConfigError('OIDC_SCOPE', 'space-separated scopes including openid', scope);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(issuer);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ConfigError('JWT_ISSUER', "the identity provider's issuer URL, which the console signs in at", issuer);
  }
  return { issuer, clientId, scope };
}

function agencyList(env: Env): AgencyList {
  const file = env.AGENCIES_FILE || undefined;
  try {
    return loadAgencyList(file);
  } catch (error) {
    throw new ConfigError(
      'AGENCIES_FILE',
      `a readable JSON list of the district's agencies (${(error as Error).message})`,
      file ?? '',
    );
  }
}

function districtTimeZone(env: Env): string {
  const raw = env.DISTRICT_TIME_ZONE;
  if (raw === undefined || raw === '') return DEFAULT_DISTRICT_TIME_ZONE;
  if (!isTimeZone(raw)) throw new ConfigError('DISTRICT_TIME_ZONE', 'an IANA time zone, e.g. Europe/Berlin', raw);
  return raw;
}

function noticeList(env: Env): NoticeList {
  const file = env.NOTICES_FILE || undefined;
  try {
    return loadNoticeList(file);
  } catch (error) {
    throw new ConfigError(
      'NOTICES_FILE',
      `a readable JSON list of the district's information notices (${(error as Error).message})`,
      file ?? '',
    );
  }
}

/** Loads the configuration or ends the process with the error's message: for `main` files only. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/**
 * The administrative connection a command needs (`DATABASE_URL`), or the process ends saying what it is for:
 * `of` names the server, e.g. "the county subgraph's server". For `main` files only.
 */
export function adminDatabaseUrlOrExit(config: Config, of: string): string {
  if (config.databaseUrl) return config.databaseUrl;
  console.error(`Configuration error: DATABASE_URL (an administrative connection to ${of}) is not set.`);
  process.exit(78); // EX_CONFIG
}
