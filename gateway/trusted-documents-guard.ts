/**
 * The gateway's step between reading a request and running it: it finds the document a request names, by
 * hash (`extensions.persistedQuery`, as Apollo clients send it) or by text, in the caller's agency's trusted
 * documents, and with enforcement on refuses any other before the limits, Apollo or any subgraph see it, so no
 * disclosure record is written for it. A registered document runs from Apollo's cache of parsed and validated
 * documents (its text is the key), so after the first request it is neither parsed nor validated again.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../common/errors.js';
import { agencyFolder, sha256, type TrustedDocument, type TrustedDocumentRegistry } from './trusted-documents.js';

/** How the gateway treats documents (`TRUSTED_DOCUMENTS`). */
export interface TrustedDocumentsOptions {
  registry: TrustedDocumentRegistry;
  /**
   * Refuse every document that is not registered for the caller's agency. Off, registered hashes are still
   * resolved (the console sends hashes in development too) and any other document runs.
   */
  enforce: boolean;
  /** Documents that ask only for the schema run unregistered (the explorer with `EXPLORER=on`). @default false */
  allowSchemaOnly?: (query: string) => boolean;
}

/** A request the gateway may run, as handed on: the body or query string, without `persistedQuery`. */
export interface Admitted {
  body: unknown;
  search: URLSearchParams;
  /** The registered document it names, when it names one. */
  trusted?: TrustedDocument;
}

/** A refusal, answered as `{ errors: [{ message, extensions: { code } }] }` with `status`. */
export interface Refused {
  status: number;
  error: GraphQLError;
}

interface GraphQLRequestFields {
  query?: unknown;
  extensions?: unknown;
}

function refusal(status: number, code: string, message: string): Refused {
  return { status, error: new GraphQLError(message, { extensions: { code } }) };
}

const HASH = /^[0-9a-fA-F]{64}$/;

/** The hash a request names in `extensions.persistedQuery`, none, or a refusal of a malformed one. */
function persistedHash(extensions: unknown): string | undefined | Refused {
  if (extensions === null || typeof extensions !== 'object') return undefined;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (pq === undefined) return undefined;
  const { version, sha256Hash } = (pq ?? {}) as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1 || typeof sha256Hash !== 'string' || !HASH.test(sha256Hash)) {
    return refusal(
      400,
      'BAD_REQUEST',
      'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<SHA-256 of the document, 64 hex digits>" }',
    );
  }
  return sha256Hash.toLowerCase();
}

function withoutPersistedQuery(extensions: unknown): unknown {
  if (extensions === null || typeof extensions !== 'object' || !('persistedQuery' in extensions)) return extensions;
  const { persistedQuery: _dropped, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length ? rest : undefined;
}

/**
 * Decides one GraphQL request of `agency` (undefined: not authenticated, handed on unchanged so that the
 * gateway's authentication refuses it as it refuses any other). Returns what to run, or the refusal.
 */
function decide(
  options: TrustedDocumentsOptions,
  agency: string,
  request: GraphQLRequestFields,
): { query?: string; extensions: unknown; trusted?: TrustedDocument } | Refused {
  const hash = persistedHash(request.extensions);
  if (hash !== undefined && typeof hash !== 'string') return hash;
  const extensions = withoutPersistedQuery(request.extensions);
  const where = `trusted-documents/${agencyFolder(agency)}/`;
  if (request.query === undefined && hash) {
    const trusted = options.registry.byHash(agency, hash);
    if (trusted) return { query: trusted.text, extensions, trusted };
    if (options.enforce) {
      return refusal(
        403,
        ErrorCode.PersistedQueryNotTrusted,
        `No document with SHA-256 ${hash} is registered for agency ${agency}: only the operations in ${where} may be sent (register one with npm run documents -- add)`,
      );
    }
    // Apollo clients answer this code by sending the text, which runs while trusted documents are off.
    return refusal(200, 'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
  }
  if (typeof request.query !== 'string') return { extensions }; // Apollo refuses it as a bad request.
  // Off, a text runs whether registered or not: it is not looked up (no parse here on top of Apollo's).
  if (!options.enforce && !hash) return { query: request.query, extensions };
  let trusted: TrustedDocument | undefined;
  try {
    trusted = options.registry.byText(agency, request.query);
  } catch {
    // Not GraphQL, or over the token limit: the limits and Apollo's parser refuse it, with their own codes,
    // before anything runs.
    return { query: request.query, extensions };
  }
  // Apollo clients hash the text they send; the registry hashes the canonical print. Either may be meant.
  if (hash && hash !== trusted?.hash && hash !== sha256(request.query)) {
    return refusal(400, 'BAD_REQUEST', 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the document sent');
  }
  if (trusted || !options.enforce || options.allowSchemaOnly?.(request.query)) {
    return { query: request.query, extensions, trusted };
  }
  return refusal(
    403,
    ErrorCode.UntrustedDocument,
    `This document is not registered for agency ${agency}: only the operations in ${where} may be sent, exactly as registered (an alias, fragment or field added makes another document)`,
  );
}

/**
 * Admits a request's body (POST) or query string (GET) for the caller's agency, or refuses it. The
 * `persistedQuery` extension is always consumed here: the gateway's registry, not Apollo's automatic
 * persisted queries, answers hashes.
 */
export function admitDocument(
  options: TrustedDocumentsOptions,
  agency: string | undefined,
  body: unknown,
  search: URLSearchParams,
): Admitted | Refused {
  if (agency === undefined) return { body, search };
  if (Array.isArray(body)) {
    return options.enforce
      ? refusal(400, 'BAD_REQUEST', 'Batched requests are not accepted: send one operation per request')
      : { body, search };
  }
  if (body !== null && typeof body === 'object') {
    const decided = decide(options, agency, body);
    if ('error' in decided) return decided;
    const next: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    if (decided.query !== undefined) next.query = decided.query;
    if (decided.extensions === undefined) delete next.extensions;
    else next.extensions = decided.extensions;
    return { body: next, search, trusted: decided.trusted };
  }
  // GET: the request is in the query string.
  let extensions: unknown;
  try {
    extensions = search.has('extensions') ? JSON.parse(search.get('extensions') ?? '') : undefined;
  } catch {
    return { body, search }; // Apollo refuses it as a bad request.
  }
  const decided = decide(options, agency, { query: search.get('query') ?? undefined, extensions });
  if ('error' in decided) return decided;
  const next = new URLSearchParams(search);
  if (decided.query !== undefined) next.set('query', decided.query);
  if (decided.extensions === undefined) next.delete('extensions');
  else next.set('extensions', JSON.stringify(decided.extensions));
  return { body, search: next, trusted: decided.trusted };
}
