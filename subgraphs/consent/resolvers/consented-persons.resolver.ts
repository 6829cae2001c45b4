import { Arg, Ctx, Directive, ID, Int, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { ConsentedPersonsService } from '../services/consented-persons.service.js';

@Resolver()
export class ConsentedPersonsResolver {
  @Query(() => [ID], {
    description:
      "For the county's candidate search: persons, in id order after `after`, whose consents in force name the caller's agency " +
      'and purpose and cover every one of `categories`.',
  })
  @Directive('@inaccessible')
  consentedPersons(
    @Arg('categories', () => [String]) categories: string[],
    @Arg('after', () => ID) after: string,
    @Arg('first', () => Int) first: number,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string[]> {
    return new ConsentedPersonsService(ctx.db, ctx.district.timeZone).page(ctx.caller, categories, after, first);
  }
}
