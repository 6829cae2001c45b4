import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Accommodation } from '../entities/accommodation.entity.js';
import { Municipality } from '../entities/municipality.entity.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';

type Context = SubgraphContext<MunicipalityLoaders>;

@Resolver(() => Accommodation)
export class AccommodationResolver {
  @FieldResolver(() => Municipality, { nullable: true })
  municipality(@Root() stay: Accommodation, @Ctx() ctx: Context): Promise<Municipality | null> {
    return ctx.loaders.municipality.load(stay.municipalityAgs);
  }
}
