import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Registration } from '../entities/registration.type.js';
import { PersonService } from '../services/person.service.js';
import { lookupPersonIds } from '../../../common/validation.js';
import { MAX_REGISTRATIONS } from '../services/registrations-lookup.js';

@Resolver(() => Registration)
export class RegistrationResolver {
  @Query(() => [Registration], {
    description:
      'For subgraphs, before a write: which of these person ids the county issued. The writers ask `POST /lookup/registrations`, the same answer without GraphQL; this query is for the date of birth.',
  })
  @Directive('@inaccessible')
  registrations(
    @Arg('personIds', () => [ID]) personIds: string[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<Registration[]> {
    return new PersonService(ctx.db).registrations(ctx.caller, lookupPersonIds(personIds, MAX_REGISTRATIONS));
  }
}
