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
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CLIENT_CODES = new Set<string>(Object.values(ErrorCode));
// Codes Apollo Server itself gives to malformed requests; they describe the client's mistake, so they pass.
const APOLLO_REQUEST_CODES = new Set([
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
 * Apollo Server `formatError`: passes errors that carry a client code, rewrites validation failures, and
 * masks the rest. Stack traces appear only in development.
 */
export function createErrorFormatter(options: { development: boolean; log: (error: unknown) => void }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      const problems = validationProblems(original);
      return {
        message: badUserInput(problems).message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.BadUserInput, problems },
      };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : '';
    if ((CLIENT_CODES.has(code) && code !== ErrorCode.Internal) || APOLLO_REQUEST_CODES.has(code)) {
      // The caller's mistake or a policy decision: a stack trace would only be noise.
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    options.log(original);
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: {
        code: ErrorCode.Internal,
        ...(options.development && original instanceof Error ? { detail: original.message } : {}),
      },
    };
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Checks list paging arguments, reporting both problems at once. */
export function requirePage(first: number, offset: number, max = 500): void {
  const problems: FieldProblem[] = [];
  if (first < 1 || first > max) problems.push({ field: 'first', message: `must be from 1 to ${max}` });
  if (offset < 0) problems.push({ field: 'offset', message: 'must not be negative' });
  if (problems.length) throw badUserInput(problems);
}

/** Checks a person id argument; a malformed id is the caller's mistake, not a missing person. */
export function requirePersonId(value: string, field = 'personId'): string {
  if (!isUuid(value)) throw badUserInput([{ field, message: 'must be a person id (UUID)' }]);
  return value.toLowerCase();
}
