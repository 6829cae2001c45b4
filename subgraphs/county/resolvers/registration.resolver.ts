import { Arg, Ctx, Directive, ID, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../../common/errors.js';
import { isUuid } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Registration } from '../entities/registration.type.js';
import { PersonService } from '../services/person.service.js';

/** The most ids one register check may name. */
const MAX_REGISTRATIONS = 100;

@Resolver(() => Registration)
export class RegistrationResolver {
  @Query(() => [Registration], {
    description: 'For subgraphs, before a write: which of these person ids the county issued.',
  })
  @Directive('@inaccessible')
  registrations(
    @Arg('personIds', () => [ID]) personIds: string[],
    @Ctx() ctx: SubgraphContext,
  ): Promise<Registration[]> {
    if (personIds.length > MAX_REGISTRATIONS)
      throw badUserInput([{ field: 'personIds', message: `at most ${MAX_REGISTRATIONS}` }]);
    const ids = personIds.filter(isUuid).map((id) => id.toLowerCase());
    return new PersonService(ctx.db).registrations(ctx.caller, ids);
  }
}
