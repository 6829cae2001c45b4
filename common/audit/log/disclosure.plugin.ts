/**
 * The Apollo plugin that writes a subgraph's disclosure records for each request, from the request's
 * decision journal, before the response leaves: no record, no data.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode, type GraphQLFormattedError } from 'graphql';
import type { AccessService } from '../../access/access.service.js';
import type { DecisionJournal } from '../../access/decision-journal.js';
import type { Caller } from '../../domain.js';
import { databaseUnavailable, ErrorCode, isDatabaseUnavailable } from '../../errors.js';
import { callerFields, clientOperationName } from './disclosure-entry.js';
import type { DisclosureLog } from './disclosure-log.repository.js';
import type { CategoryBasis, DisclosureEntry, RefusedField, ReleasedField } from './record.js';
import { RequestRecords } from './request-records.js';

type ResponsePath = readonly (string | number)[];

/**
 * True when the response carries this path's value: every parent present, no error at the field, and not
 * a null left by an error below it (a non-null child that failed nulls its parent, which then says nothing).
 */
function delivered(data: unknown, path: ResponsePath, errorPaths: readonly string[]): boolean {
  let node: unknown = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (node === undefined) return false;
  const at = path.join('.');
  return !errorPaths.some((e) => e === at || (node === null && e.startsWith(`${at}.`)));
}

/**
 * Turns one request's decisions into disclosure records, one per person: the fields the response actually
 * carries (a field allowed but then lost to an error, or cut off with its parent, was not released), the
 * fields refused and the basis per released category. Changes are recorded with the mutation itself.
 */
export function disclosureEntries(options: {
  caller: Caller;
  journal: DecisionJournal;
  operation: string | null;
  data: unknown;
  errors: readonly GraphQLFormattedError[] | undefined;
  policyVersion: string;
}): DisclosureEntry[] {
  const { journal } = options;
  // A notice of items left out does not take the rest of its list away.
  const notices = new Set(journal.notices.map((n) => n.message));
  const errorPaths = (options.errors ?? []).flatMap((e) =>
    e.path && !notices.has(e.message) ? [e.path.join('.')] : [],
  );
  const entries: DisclosureEntry[] = [];
  for (const personId of journal.outcomes.keys()) {
    const released = new Map<string, ReleasedField>();
    const refused = new Map<string, RefusedField>();
    const basis = new Map<string, CategoryBasis>();
    for (const outcome of journal.outcomes.get(personId) ?? []) {
      const { field, category, decision } = outcome;
      // One field may carry items of two categories (a support need in the field of action HEALTH).
      const key = `${field} ${category}`;
      if (!decision.allowed) {
        refused.set(key, { field, category, reason: decision.refusal });
      } else if (delivered(options.data, outcome.path, errorPaths)) {
        const known = released.get(key)?.holders ?? [];
        const holders = [...new Set([...known, ...(outcome.holders ?? [])])].sort();
        released.set(key, holders.length ? { field, category, holders } : { field, category });
        const basisKey = `${category} ${decision.basis}`;
        const heldBy = [...new Set([...(basis.get(basisKey)?.holders ?? []), ...(outcome.holders ?? [])])].sort();
        basis.set(
          basisKey,
          heldBy.length ? { category, basis: decision.basis, holders: heldBy } : { category, basis: decision.basis },
        );
      }
    }
    if (released.size === 0 && refused.size === 0) continue;
    const byName = <T extends { field: string }>(a: T, b: T) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);
    entries.push({
      ...callerFields(options.caller),
      operation: options.operation,
      kind: 'READ',
      personId,
      released: [...released.values()].sort(byName),
      refused: [...refused.values()].sort(byName),
      basis: [...basis.values()].sort((a, b) => (`${a.category} ${a.basis}` < `${b.category} ${b.basis}` ? -1 : 1)),
      changes: [],
      retention: null,
      policyVersion: options.policyVersion,
    });
  }
  return entries;
}

/** A response's single result, as Apollo Server and the subgraphs' lean path hold it before it is sent. */
export interface SingleResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * No record, no data: before a response leaves the subgraph, its disclosure records are committed. If they
 * cannot be, the response is replaced by an error and nothing of it is released. One record per (request,
 * person), however many fetches the gateway makes for the request (`RequestRecords`), so one recorder
 * serves every path of a subgraph: its Apollo plugin and its lean path (common/subgraph/lean-path.ts).
 */
export class DisclosureRecorder {
  private readonly requestRecords = new RequestRecords();

  constructor(
    private readonly log: DisclosureLog,
    private readonly policyVersion: string,
    private readonly onFailure: (error: unknown) => void,
    private readonly part = 'data',
  ) {}

  /**
   * Adds the journal's notices to `result.errors` (in place: items left out of lists are reported beside
   * the data they were left out of), then commits the records of what `result` releases. Resolves with
   * the result to send instead when they could not be committed, else undefined.
   */
  async release(options: {
    access: AccessService;
    journal: DecisionJournal;
    result: SingleResult;
    operationName: string | null | undefined;
    operation: OperationTypeNode | undefined;
  }): Promise<SingleResult | undefined> {
    const { access, journal, result } = options;
    if (journal.notices.length) {
      result.errors = [...(result.errors ?? []), ...journal.notices.map((n) => ({ ...n, path: [...n.path] }))];
    }
    const entries = disclosureEntries({
      caller: access.caller,
      journal,
      operation: clientOperationName(options.operationName),
      data: result.data,
      errors: result.errors,
      policyVersion: this.policyVersion,
    });
    const { write, covered } = this.requestRecords.claim(entries);
    const commit = this.log.append(write);
    this.requestRecords.written(write, commit);
    try {
      await Promise.all([commit, ...covered]);
      return undefined;
    } catch (error) {
      this.onFailure(error);
      if (isDatabaseUnavailable(error)) {
        // The database is gone, not only the log: say so, with the same promise that nothing went out.
        const lost = databaseUnavailable(`${this.part} subgraph`);
        return { data: null, errors: [{ message: lost.message, extensions: { code: ErrorCode.DatabaseUnavailable } }] };
      }
      return {
        data: null,
        errors: [
          {
            message:
              options.operation === OperationTypeNode.MUTATION
                ? 'The change was saved with its record, but the disclosure log could not record what this response would show, so it is withheld. Do not repeat the change; read it again later.'
                : 'The disclosure log could not be written, so nothing was released. Try again later.',
            extensions: { code: ErrorCode.DisclosureLogUnavailable },
          },
        ],
      };
    }
  }

  /** The Apollo plugin that calls `release` for every single response before it is sent. */
  plugin(): ApolloServerPlugin<{ access?: AccessService; journal?: DecisionJournal }> {
    return {
      serverWillStart: () =>
        Promise.resolve({
          serverWillStop: () => {
            this.requestRecords.clear();
            return Promise.resolve();
          },
        }),
      requestDidStart: () =>
        Promise.resolve({
          willSendResponse: async ({ contextValue, response, operationName, operation }) => {
            const { access, journal } = contextValue;
            if (!access || !journal || response.body.kind !== 'single') return;
            const withheld = await this.release({
              access,
              journal,
              result: response.body.singleResult,
              operationName,
              operation: operation?.operation,
            });
            if (withheld) response.body = { kind: 'single', singleResult: withheld };
          },
        }),
    };
  }
}
