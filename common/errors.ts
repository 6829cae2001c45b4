import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';

/**
 * Error codes a client can act on. Everything else reaching a client is masked as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  Unauthenticated: 'UNAUTHENTICATED',
  ForbiddenPurpose: 'FORBIDDEN_PURPOSE',
  Forbidden: 'FORBIDDEN',
  ConsentRequired: 'CONSENT_REQUIRED',
  ConsentUnavailable: 'CONSENT_UNAVAILABLE',
  NotFound: 'NOT_FOUND',
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  DisclosureLogUnavailable: 'DISCLOSURE_LOG_UNAVAILABLE',
  RegistryUnavailable: 'REGISTRY_UNAVAILABLE',
  /** A request over one of the limits of `common/limits.ts`, refused before it ran (HTTP 400). */
  QueryTooComplex: 'QUERY_TOO_COMPLEX',
  /** A request body over `REQUEST_LIMITS.bodyBytes` (HTTP 413). */
  RequestTooLarge: 'REQUEST_TOO_LARGE',
  /** A subgraph with mTLS on was called without a client certificate of the district's CA (HTTP 403). */
  ClientCertificateRequired: 'CLIENT_CERTIFICATE_REQUIRED',
  /** Someone else changed the same record at the same time; read it again and decide anew. */
  Conflict: 'CONFLICT',
  /**
   * The answering part lost its database (connections refused, cut or shut down): nothing was released or
   * changed; try again later (HTTP 503 where the answer is not GraphQL's).
   */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /**
   * Trusted documents are on (`TRUSTED_DOCUMENTS`) and the document sent is not registered for the caller's
   * agency (`trusted-documents/<agency>/`), e.g. a registered one with an alias or fragment added (HTTP 403).
   * Nothing was run and nothing was asked of any subgraph.
   */
  UntrustedDocument: 'UNTRUSTED_DOCUMENT',
  /**
   * Trusted documents are on and no document with the hash sent (`extensions.persistedQuery.sha256Hash`) is
   * registered for the caller's agency (HTTP 403); sending its text instead does not help.
   */
  PersistedQueryNotTrusted: 'PERSISTED_QUERY_NOT_TRUSTED',
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CLIENT_CODES = new Set<string>(Object.values(ErrorCode));
/** Codes Apollo Server itself gives to malformed requests; they describe the client's mistake, so they pass. */
export const APOLLO_REQUEST_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** One offending input field and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A caller's input was refused; nothing was written. `problems` names each offending field. */
export function badUserInput(problems: FieldProblem[]): GraphQLError {
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new GraphQLError(`Invalid input. ${message}`, {
    extensions: { code: ErrorCode.BadUserInput, problems },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NotFound } });
}

/** A change lost a race with another change of the same record; nothing was written. */
/** Someone else changed the record first; `details` (e.g. the current version, who and when) go into `extensions`. */
export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code: ErrorCode.Conflict } });
}

/** The fields of a PostgreSQL error (node-postgres' DatabaseError) that say what went wrong, but not with which values. */
interface PostgresError {
  code: string;
  message: string;
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/** The PostgreSQL error behind `error` (TypeORM's QueryFailedError wraps it as `driverError`), if it is one. */
export function postgresError(error: unknown): PostgresError | undefined {
  if (!(error instanceof Error)) return undefined;
  const driver = ((error as { driverError?: unknown }).driverError ?? error) as Partial<PostgresError> & {
    severity?: unknown;
  };
  return typeof driver.code === 'string' && /^[0-9A-Z]{5}$/.test(driver.code) && typeof driver.severity === 'string'
    ? (driver as PostgresError)
    : undefined;
}

/** Socket errors of a connection to the database that is refused, cut or never made. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres' own words for a connection that ended or could not be made. */
const CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended)/;

/**
 * True when `error` says the database could not be reached or the connection was lost, not that a
 * statement was wrong: SQLSTATE class 08 (connection exception), 57P01–57P03 (shut down, cannot connect
 * now), 53300 (too many connections), a refused or cut socket, or node-postgres' "Connection terminated".
 * TypeORM wraps the driver's error (`driverError`); causes are followed too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: a socket error is made in another realm than a test's or a VM's, and
  // graphql-js wraps such a value as `NonErrorThrown` with the value in `thrownValue`.
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++) {
    const { code, severity, message } = e as { code?: unknown; severity?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof severity === 'string' && /^(08...|57P0[123]|53300)$/.test(code)) return true;
    if (typeof code === 'string' && CONNECTION_ERRNOS.has(code)) return true;
    if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
    const next = e as { driverError?: unknown; cause?: unknown; thrownValue?: unknown; originalError?: unknown };
    e = next.driverError ?? next.thrownValue ?? next.originalError ?? next.cause;
  }
  return false;
}

/** The answer when the database is lost: a stable code, and the assurance that nothing went out. */
export function databaseUnavailable(part: string): GraphQLError {
  return new GraphQLError(
    `The ${part} cannot reach its database just now; nothing was released or changed. Try again later.`,
    { extensions: { code: ErrorCode.DatabaseUnavailable, http: { status: 503 } } },
  );
}

const camel = (column: string) => column.trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const words = (table: string | undefined) => (table ?? 'record').replace(/_/g, ' ');
/** The columns a key violation names: `Key (person_id, language)=(…)` gives personId, language. Values are dropped. */
const keyColumns = (detail: string | undefined) =>
  /^Key \(([^)]*)\)=/
    .exec(detail ?? '')?.[1]
    .split(',')
    .map(camel) ?? [];

/**
 * The check a CHECK constraint makes, by PostgreSQL's default names: `<table>_<column>_check` for a column's
 * check, `<table>_check` (`_check1`, …) for a check across columns.
 */
function checkedColumn(error: PostgresError): string | undefined {
  const match =
    error.table && error.constraint ? new RegExp(`^${error.table}_(.+)_check\\d*$`).exec(error.constraint) : null;
  return match ? camel(match[1]) : undefined;
}

/**
 * What a database refusal means to the caller, without SQL text or values: the caller's input broke a rule
 * of the data (BAD_USER_INPUT with the field where known), or the change lost a race (CONFLICT). Errors not
 * listed here are bugs and stay INTERNAL_SERVER_ERROR.
 */
function describeDatabaseRefusal(
  error: PostgresError,
): { code: ErrorCode; problems?: FieldProblem[]; message: string } | undefined {
  const input = (problems: FieldProblem[]) => ({
    code: ErrorCode.BadUserInput,
    problems,
    message: badUserInput(problems).message,
  });
  const field = (fallback: string) => (error.column ? camel(error.column) : fallback);
  switch (error.code) {
    case '23503': {
      // foreign_key_violation: a reference to a record that does not exist, or a removal of one still referred to
      const columns = keyColumns(error.detail);
      const referenced = /table "([^"]+)"/.exec(error.detail ?? '')?.[1];
      const message = /still referenced/.test(error.detail ?? '')
        ? `is still referred to by ${words(referenced)} records`
        : `refers to ${words(referenced)} that does not exist`;
      return input([{ field: columns.join(', ') || 'input', message }]);
    }
    case '23514': {
      const column = checkedColumn(error);
      return input([
        column
          ? { field: column, message: 'is not an allowed value' }
          : {
              field: 'input',
              message: `the values do not fit together (rule ${error.constraint ?? 'unnamed'} of ${words(error.table)} records)`,
            },
      ]);
    }
    case '23502':
      return input([{ field: field('input'), message: 'is required' }]);
    case '22001':
      return input([{ field: field('input'), message: 'is too long' }]);
    case '22003':
      return input([{ field: field('input'), message: 'is a number out of range' }]);
    case '22007':
    case '22008':
      return input([{ field: field('input'), message: 'is not a valid date or time, or out of range' }]);
    case '22P02':
      return input([{ field: field('input'), message: 'has the wrong format' }]);
    case '22023': // invalid_parameter_value, e.g. a time with an unknown time zone
      return input([{ field: field('input'), message: 'is not a valid value' }]);
    case '23505': {
      const columns = keyColumns(error.detail);
      return {
        code: ErrorCode.Conflict,
        message: `A ${words(error.table)} record with the same ${columns.join(', ') || 'key'} already exists, perhaps written by someone else just now; read it again`,
      };
    }
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
      return {
        code: ErrorCode.Conflict,
        message: 'The record was changed by someone else at the same time; read it again and retry',
      };
    default:
      return undefined;
  }
}

/**
 * An error as it may be written to the log. A database error is reduced to its SQLSTATE, constraint, table,
 * message (with quoted values removed) and query text, never its parameters or detail: both can hold person
 * ids and other personal data. Other errors are returned as they are.
 */
export function loggableError(error: unknown): unknown {
  const pg = postgresError(error);
  if (!pg) return error;
  const query = (error as { query?: unknown }).query;
  const where = [
    pg.constraint && `constraint ${pg.constraint}`,
    pg.table && `table ${pg.table}`,
    pg.column && `column ${pg.column}`,
  ].filter(Boolean);
  const safe = new Error(
    `SQLSTATE ${pg.code}${where.length ? ` (${where.join(', ')})` : ''}: ${pg.message.replace(/"[^"]*"$/, '"…"')}` +
      (typeof query === 'string' ? `; query: ${query.replace(/\s+/g, ' ').trim()}` : ''),
  );
  safe.name = `Database error (${(error as Error).name})`;
  const frames = (error as Error).stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? [];
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}

/** Turns type-graphql's class-validator failures into BAD_USER_INPUT with one problem per field. */
function validationProblems(error: ArgumentValidationError): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const walk = (errors: ArgumentValidationError['extensions']['validationErrors'], prefix: string) => {
    for (const e of errors) {
      const field = prefix ? `${prefix}.${e.property}` : e.property;
      for (const message of Object.values(e.constraints ?? {})) problems.push({ field, message });
      if (e.children?.length) walk(e.children, field);
    }
  };
  walk(error.extensions.validationErrors, '');
  return problems;
}

/**
 * Apollo Server `formatError`: passes errors that carry a client code, rewrites validation failures and the
 * database's refusals of bad input (BAD_USER_INPUT) or of racing changes (CONFLICT), and masks the rest as
 * INTERNAL_SERVER_ERROR, logging it without personal data. Stack traces appear only in development.
 */
export function createErrorFormatter(options: {
  development: boolean;
  log: (error: unknown) => void;
  /** How a lost database names the part, e.g. `jobcenter subgraph`. @default this part */
  part?: string;
}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const given = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : '';
    // An error that already names what failed (a subgraph the gateway could not reach, say) keeps its code,
    // even when the connection error behind it looks like a lost database.
    const named = CLIENT_CODES.has(given) && given !== ErrorCode.Internal;
    if (!named && isDatabaseUnavailable(original)) {
      options.log(loggableError(original));
      const lost = databaseUnavailable(options.part ?? 'part');
      return {
        message: lost.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.DatabaseUnavailable },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const problems = validationProblems(original);
      return {
        message: badUserInput(problems).message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.BadUserInput, problems },
      };
    }
    const pg = postgresError(original);
    const refusal = pg && describeDatabaseRefusal(pg);
    if (refusal) {
      // The database refused the caller's change: say what is wrong in the caller's terms, never the SQL,
      // the constraint's detail or the values (they may be another person's data).
      return {
        message: refusal.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: refusal.code, ...(refusal.problems ? { problems: refusal.problems } : {}) },
      };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : '';
    if ((CLIENT_CODES.has(code) && code !== ErrorCode.Internal) || APOLLO_REQUEST_CODES.has(code)) {
      // The caller's mistake or a policy decision: a stack trace would only be noise.
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    options.log(loggableError(original));
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: ErrorCode.Internal,
        ...(options.development && original instanceof Error
          ? { detail: (loggableError(original) as Error).message }
          : {}),
      },
    };
  };
}
