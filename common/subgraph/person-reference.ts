import { isUuid } from '../errors.js';

/**
 * The person id a federated `Person` representation names, lower-cased as every subgraph stores it; null
 * for anything that is not a UUID, which then resolves to no entity rather than an error.
 */
export function personReferenceId(reference: Record<string, unknown>): string | null {
  return isUuid(reference.id) ? reference.id.toLowerCase() : null;
}

/**
 * `Person.__resolveReference` of a subgraph that extends the county's Person: the stub `{ id }` its field
 * resolvers start from (they load and gate the records themselves).
 */
export function resolvePersonStub(reference: Record<string, unknown>): { id: string } | null {
  const id = personReferenceId(reference);
  return id === null ? null : { id };
}
