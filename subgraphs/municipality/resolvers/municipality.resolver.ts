import { Ctx, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Municipality } from '../entities/municipality.entity.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';

type Context = SubgraphContext<MunicipalityLoaders>;

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => [Municipality], { description: 'The municipalities of the district (reference data).' })
  municipalities(@Ctx() ctx: Context): Promise<Municipality[]> {
    return ctx.db.getRepository(Municipality).find({ order: { ags: 'ASC' } });
  }
}
