import { badUserInput } from '../errors.js';
import { isUuid } from '../validation.js';

/**
 * The person id a federated `Person` representation names, lower-cased as every subgraph stores it. Anything
 * that is not a UUID is the caller's mistake (BAD_USER_INPUT), as a malformed id argument is; a well-formed
 * id of nobody resolves to no entity.
 */
export function personReferenceId(reference: Record<string, unknown>): string {
  if (!isUuid(reference.id))
    throw badUserInput([{ field: 'representations.id', message: 'must be a person id (UUID)' }]);
  return reference.id.toLowerCase();
}

/**
 * `Person.__resolveReference` of a subgraph that extends the county's Person: the stub `{ id }` its field
 * resolvers start from (they load and gate the records themselves).
 */
export function resolvePersonStub(reference: Record<string, unknown>): { id: string } {
  return { id: personReferenceId(reference) };
}
