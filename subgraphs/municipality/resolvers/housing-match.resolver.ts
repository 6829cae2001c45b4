import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, ID, Info, Int, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { HousingMatch } from '../entities/housing-match.type.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';
import { HousingMatchService } from '../services/housing-match.service.js';

type Context = SubgraphContext<MunicipalityLoaders>;

@Resolver(() => HousingMatch)
export class HousingMatchResolver {
  @Query(() => [HousingMatch], {
    description:
      "For the county's candidate search (jobcenter, JOB_PLACEMENT): which of these persons live in these municipalities, " +
      'in the order given, at most `first`. Only persons the caller may see HOUSING of are considered; every match is recorded.',
  })
  @Directive('@inaccessible')
  async housingMatches(
    @Arg('personIds', () => [ID]) personIds: string[],
    @Arg('municipalities', () => [String]) municipalities: string[],
    @Arg('first', () => Int) first: number,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<HousingMatch[]> {
    const matches = await new HousingMatchService(ctx.db, ctx.access).matches(personIds, municipalities, first);
    const path = responsePathAsArray(info.path);
    for (const [i, match] of matches.entries()) {
      const decision = await ctx.access.decide(match.personId, 'HOUSING');
      // Used to match and answered: that the person lives in one of the asked municipalities, and which.
      ctx.journal.record(match.personId, {
        field: 'CandidateFilter.livingIn',
        category: 'HOUSING',
        decision,
        path: [...path, i],
      });
    }
    return matches;
  }
}
