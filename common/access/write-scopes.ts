import { GraphQLError } from 'graphql';
import { ErrorCode, notFound } from '../errors.js';
import type { AccessContext, WriteScopeCheck, WriteTarget } from './access-context.js';
import type { Registration } from './registry-lookup.js';

/**
 * What the county's register says about a person a write names; NOT_FOUND when the county never issued
 * the id, REGISTRY_UNAVAILABLE when it cannot be asked (the write is refused, never made blind).
 */
export async function requireRegistered(context: AccessContext, personId: string): Promise<Registration> {
  let found: Map<string, Registration>;
  try {
    found = await context.registry([personId]);
  } catch {
    throw new GraphQLError(
      "The county's register could not be reached to check the person id; nothing was written. Try again later.",
      {
        extensions: { code: ErrorCode.RegistryUnavailable },
      },
    );
  }
  const registration = found.get(personId);
  if (!registration) throw notFound(`No person ${personId} is registered by the county`);
  return registration;
}

/** The person a person-scoped write names; a mutation of such a scope without one is a bug in the table. */
export function targetPerson(target: WriteTarget, mutation: string): string {
  if (!target.personId) throw new Error(`${mutation} is declared as a write about a person but names none`);
  return target.personId;
}

/** `REGISTERED_PERSONS` for a subgraph other than the county: the county's register says the id exists. */
export const registeredPersons: WriteScopeCheck = async (context, target, mutation) => {
  await requireRegistered(context, targetPerson(target, mutation));
};
