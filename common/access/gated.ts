import { GraphQLError, responsePathAsArray } from 'graphql';
import { Directive, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Category } from '../domain.js';
import { ErrorCode } from '../errors.js';
import type { AccessService } from './access.service.js';

/** What a gated field's parent must offer: the person the value belongs to. */
export interface PersonOwned {
  personId: string;
}

const REFUSAL_CODES = {
  FORBIDDEN_ROLE: ErrorCode.Forbidden,
  CONSENT_REQUIRED: ErrorCode.ConsentRequired,
  CONSENT_UNAVAILABLE: ErrorCode.ConsentUnavailable,
} as const;

function gate(category: Category, personIdOf: (root: never) => string): MiddlewareFn<{ access: AccessService }> {
  return async ({ root, context, info }, next) => {
    const personId = personIdOf(root as never);
    const field = `${info.parentType.name}.${info.fieldName}`;
    const decision = await context.access.decide(personId, category);
    context.access.record(personId, { field, category, decision, path: responsePathAsArray(info.path) });
    if (decision.allowed) return next();
    throw new GraphQLError(`${field} withheld: ${decision.reason}`, {
      extensions: { code: REFUSAL_CODES[decision.refusal], category, field, personId },
    });
  };
}

/**
 * Declares a personal field's data category: the field shows `@consent(category: …)` in the schema, and
 * resolves only when the policy allows the caller this category of this person; otherwise it is null with
 * an error naming category, field and person. The parent is a Person (`id`) unless `personIdOf` says else.
 */
export function Gated(
  category: Category,
  personIdOf: (root: never) => string = (root: PersonOwned | { id: string }) =>
    'personId' in root ? root.personId : root.id,
): PropertyDecorator & MethodDecorator {
  const directive = Directive(`@consent(category: "${category}")`);
  const middleware = UseMiddleware(gate(category, personIdOf));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    directive(target, key as string, descriptor as never);
    middleware(target, key as string, descriptor as never);
  };
}
