/**
 * The gateway's half of signed consent grants (`common/audit/proofs/signed-grants.ts`): for a request whose query
 * plan fetches from two or more data subgraphs, it asks the consent registry once for the persons a fetch
 * names and passes the registry's signed statement to each fetch in `X-Consent-Grant`. The gateway decides
 * nothing with it and cannot alter it; each subgraph verifies it, and asks the registry itself for any person
 * it does not cover or when it does not verify.
 */
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import { consentLookupUrl, lookupHeaders } from '../common/access/consent-lookup.js';
import { ruleOf } from '../common/access/operation-guard.js';
import { operationRefusal } from '../common/access/operations.js';
import { MAX_SIGNED_PERSONS, REGISTRY_UNANSWERED } from '../common/audit/proofs/signed-grants.js';
import type { Caller } from '../common/domain.js';
import { createJsonPoster } from '../common/http-client.js';
import { DeadlineExceededError } from '../common/http-fetcher.js';
import { partLogger, rateLimitedWarnings } from '../common/log.js';
import { isUuid } from '../common/validation.js';

/**
 * Asks the registry for a signed statement about these persons: the statement; `REGISTRY_UNANSWERED` when the
 * registry gave no answer within the deadline; undefined when it gave none otherwise (each subgraph then asks).
 */
export type StatementFetcher = (
  caller: Caller,
  authorization: string,
  personIds: string[],
) => Promise<string | undefined>;

const trouble = rateLimitedWarnings(partLogger('gateway'));

/**
 * The longest statement passed on in a header: a subgraph's HTTP server refuses a request whose headers exceed
 * 16 KiB, so a statement about persons with many consents is not passed on (each subgraph asks the registry).
 */
export const MAX_STATEMENT_LENGTH = 8192;

/**
 * Asks `POST /lookup/consentGrants` beside the registry's `/graphql` at `consentUrl`, with the caller's own
 * token, purpose and request id, for a signed answer. A registry that does not answer within `timeoutMs` gives
 * `REGISTRY_UNANSWERED`, so that the subgraphs refuse consent-based fields at once instead of each waiting for
 * it again (a caseworker waited twice the deadline). Any other failure gives no statement (each subgraph then
 * asks the registry itself, as it would without the gateway's help). Failures are logged at a readable rate.
 */
export function createStatementFetcher(consentUrl: string, timeoutMs = 2000): StatementFetcher {
  const post = createJsonPoster();
  const url = consentLookupUrl(consentUrl);
  return async (caller, authorization, personIds) => {
    try {
      const answer = await post(url, lookupHeaders(caller, authorization), { personIds, signed: true }, timeoutMs);
      const statement = (answer.body as { statement?: unknown } | undefined)?.statement;
      if (answer.status === 200 && typeof statement === 'string') return statement;
      trouble(
        'statement',
        `the consent registry gave no signed statement (HTTP ${answer.status}); subgraphs ask it themselves`,
      );
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        trouble('unanswered', 'the consent registry did not answer in time; subgraphs refuse consent-based fields', {
          err: error,
        });
        return REGISTRY_UNANSWERED;
      }
      trouble('statement', 'the consent registry gave no signed statement; subgraphs ask it themselves', {
        err: error,
      });
    }
    return undefined;
  };
}

/** Fetches of a query plan that go to a data subgraph (not the consent registry). */
export function dataFetchesOf(node: PlanNode | QueryPlan['node']): number {
  if (!node) return 0;
  switch (node.kind) {
    case 'Fetch':
      return node.serviceName === 'consent' ? 0 : 1;
    case 'Flatten':
      return dataFetchesOf(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.reduce((sum, child) => sum + dataFetchesOf(child), 0);
    case 'Condition':
      return dataFetchesOf(node.ifClause) + dataFetchesOf(node.elseClause);
    case 'Defer':
      return dataFetchesOf(node.primary.node) + node.deferred.reduce((sum, d) => sum + dataFetchesOf(d.node), 0);
    case 'Subscription':
      return dataFetchesOf(node.primary) + dataFetchesOf(node.rest);
    default:
      return 0;
  }
}

/**
 * The person ids a subgraph fetch names: the `id` of each entity representation, and the UUIDs among the
 * variables the gateway passes on (a root field's `id`). A UUID that names no person only makes the
 * statement say that no consent names it, which is true.
 */
export function personIdsOf(variables: Record<string, unknown> | undefined): string[] {
  const ids = new Set<string>();
  for (const [name, value] of Object.entries(variables ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (isUuid(item)) ids.add(item.toLowerCase());
      else if (name === 'representations' && isUuid((item as { id?: unknown } | null)?.id)) {
        ids.add((item as { id: string }).id.toLowerCase());
      }
    }
  }
  return [...ids];
}

/** One request's statements: one registry call per distinct set of persons, shared by the fetches that name them. */
export class RequestStatements {
  /** Set when the query plan is known: fetches to data subgraphs. With fewer than two, nothing is asked. */
  dataFetches = 0;
  private readonly asked: { ids: Set<string>; statement: Promise<string | undefined> }[] = [];

  constructor(
    private readonly caller: Caller,
    private readonly authorization: string,
    private readonly fetchStatement: StatementFetcher,
  ) {}

  /** Whether the registry's lookup admits this caller at all (caseworkers); others get no statement. */
  static admits(caller: Caller): boolean {
    return (
      operationRefusal(ruleOf('consent', 'Lookup.consentGrants'), caller, 'Lookup.consentGrants', true) === undefined
    );
  }

  /** The statement for one fetch to `subgraph` with these variables, or undefined (the subgraph then asks). */
  forFetch(subgraph: string, variables: Record<string, unknown> | undefined): Promise<string | undefined> | undefined {
    if (subgraph === 'consent' || this.dataFetches < 2) return undefined;
    const ids = personIdsOf(variables);
    if (ids.length === 0 || ids.length > MAX_SIGNED_PERSONS) return undefined;
    const covering = this.asked.find((entry) => ids.every((id) => entry.ids.has(id)));
    if (covering) return covering.statement;
    const statement = this.fetchStatement(this.caller, this.authorization, ids).then((text) =>
      text !== undefined && text.length <= MAX_STATEMENT_LENGTH ? text : undefined,
    );
    // (REGISTRY_UNANSWERED passes too: every fetch of the request that names these persons refuses alike.)
    const entry = { ids: new Set(ids), statement };
    this.asked.push(entry);
    return entry.statement;
  }
}
