import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode, type GraphQLFormattedError } from 'graphql';
import type { AccessService } from '../access/access.service.js';
import type { Caller } from '../domain.js';
import { ErrorCode } from '../errors.js';
import type { DisclosureLog } from './disclosure-log.js';
import type { CategoryBasis, DisclosureEntry, RefusedField, ReleasedField } from './record.js';
import { RequestRecords } from './request-records.js';

type ResponsePath = readonly (string | number)[];

/** The gateway names subgraph operations `<client operation>__<subgraph>__<n>`; the log keeps the client's name. */
export function clientOperationName(name: string | null | undefined): string | null {
  if (!name) return null;
  return /^(.*)__[a-z]+__\d+$/.exec(name)?.[1] ?? name;
}

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
  access: AccessService;
  operation: string | null;
  data: unknown;
  errors: readonly GraphQLFormattedError[] | undefined;
  policyVersion: string;
}): DisclosureEntry[] {
  const { access } = options;
  // A notice of items left out does not take the rest of its list away.
  const notices = new Set(options.access.notices.map((n) => n.message));
  const errorPaths = (options.errors ?? []).flatMap((e) => (e.path && !notices.has(e.message) ? [e.path.join('.')] : []));
  const entries: DisclosureEntry[] = [];
  for (const personId of access.outcomes.keys()) {
    const released = new Map<string, ReleasedField>();
    const refused = new Map<string, RefusedField>();
    const basis = new Map<string, CategoryBasis>();
    for (const outcome of access.outcomes.get(personId) ?? []) {
      const { field, category, decision } = outcome;
      // One field may carry items of two categories (a support need in the field of action HEALTH).
      const key = `${field} ${category}`;
      if (!decision.allowed) {
        refused.set(key, { field, category, reason: decision.refusal });
      } else if (delivered(options.data, outcome.path, errorPaths)) {
        const known = released.get(key)?.holders ?? [];
        const holders = [...new Set([...known, ...(outcome.holders ?? [])])].sort();
        released.set(key, holders.length ? { field, category, holders } : { field, category });
        basis.set(`${category} ${decision.basis}`, { category, basis: decision.basis });
      }
    }
    if (released.size === 0 && refused.size === 0) continue;
    const byName = <T extends { field: string }>(a: T, b: T) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);
    entries.push({
      ...callerFields(access.caller),
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

/**
 * No record, no data: before a response leaves the subgraph, its disclosure records are committed. If they
 * cannot be, the response is replaced by an error and nothing of it is released. One record per (request,
 * person), however many fetches the gateway makes for the request (`RequestRecords`).
 */
export function disclosureLogPlugin(
  log: DisclosureLog,
  policyVersion: string,
  onFailure: (error: unknown) => void,
): ApolloServerPlugin<{ access?: AccessService }> {
  const requestRecords = new RequestRecords();
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue, response, operationName, operation }) {
          if (!contextValue.access || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // Items left out of lists are reported beside the data they were left out of.
          if (contextValue.access.notices.length) {
            result.errors = [...(result.errors ?? []), ...contextValue.access.notices.map((n) => ({ ...n, path: [...n.path] }))];
          }
          const entries = disclosureEntries({
            access: contextValue.access,
            operation: clientOperationName(operationName),
            data: result.data,
            errors: result.errors,
            policyVersion,
          });
          const { write, covered } = requestRecords.claim(entries);
          const commit = log.append(write);
          requestRecords.written(write, commit);
          try {
            await Promise.all([commit, ...covered]);
          } catch (error) {
            onFailure(error);
            response.body = {
              kind: 'single',
              singleResult: {
                data: null,
                errors: [
                  {
                    message:
                      operation?.operation === OperationTypeNode.MUTATION
                        ? 'The change was saved with its record, but the disclosure log could not record what this response would show, so it is withheld. Do not repeat the change; read it again later.'
                        : 'The disclosure log could not be written, so nothing was released. Try again later.',
                    extensions: { code: ErrorCode.DisclosureLogUnavailable },
                  },
                ],
              },
            };
          }
        },
      });
    },
  };
}

/** Who asked, as every record of a request states it: request and correlation id, agency, officer, roles, purpose. */
export function callerFields(caller: Caller): Pick<DisclosureEntry, 'requestId' | 'correlationId' | 'agency' | 'officer' | 'roles' | 'purpose'> {
  return {
    requestId: caller.requestId,
    correlationId: caller.correlationId ?? null,
    agency: caller.agency.id,
    officer: caller.officer,
    roles: [...caller.roles].sort(),
    purpose: caller.purpose,
  };
}

/** The record of a change, written in the mutation's own transaction. */
export function changeEntry(options: {
  access: AccessService;
  operation: string | null;
  personId: string;
  change: { operation: string; record: string };
  policyVersion: string;
}): DisclosureEntry {
  return {
    ...callerFields(options.access.caller),
    operation: options.operation,
    kind: 'WRITE',
    personId: options.personId,
    released: [],
    refused: [],
    basis: [],
    changes: [options.change],
    retention: null,
    policyVersion: options.policyVersion,
  };
}
