import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Gated } from '../../../common/access/gated.js';
import { requirePage, requirePersonId } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Accommodation } from '../entities/accommodation.entity.js';
import { Enrolment } from '../entities/enrolment.entity.js';
import { Person } from '../entities/person.type.js';
import { AccommodationInput } from '../inputs/accommodation.input.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';
import { callerAgs, HousingService } from '../services/housing.service.js';

type Context = SubgraphContext<MunicipalityLoaders>;

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => [Person], { description: "The caller municipality's current residents, longest resident first." })
  async residents(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<Person[]> {
    requirePage(first, offset);
    const ids = await new HousingService(ctx.db).listResidents(callerAgs(ctx.caller), first, offset);
    return ids.map((id) => ({ id }));
  }

  @FieldResolver(() => Accommodation, { nullable: true, description: 'Where the person lives now.' })
  @Gated('HOUSING')
  async housing(@Root() person: Person, @Ctx() ctx: Context): Promise<Accommodation | null> {
    const stays = await ctx.loaders.accommodations.load(person.id);
    return stays.find((stay) => stay.until === null) ?? null;
  }

  @FieldResolver(() => [Accommodation], { nullable: true, description: 'All stays, oldest first.' })
  @Gated('HOUSING')
  housingHistory(@Root() person: Person, @Ctx() ctx: Context): Promise<Accommodation[]> {
    return ctx.loaders.accommodations.load(person.id);
  }

  @FieldResolver(() => [Enrolment], {
    nullable: true,
    description: 'Childcare places and school enrolments, current and past, newest first.',
  })
  @Gated('CHILDCARE_SCHOOL')
  childcareSchool(@Root() person: Person, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return ctx.loaders.enrolments.load(person.id);
  }

  @Mutation(() => Accommodation, {
    nullable: true,
    description:
      "Records a move into accommodation of the caller's municipality; the current accommodation ends that day.",
  })
  recordAccommodation(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => AccommodationInput) input: AccommodationInput,
    @Ctx() ctx: Context,
  ): Promise<Accommodation> {
    return new HousingService(ctx.db).recordMove(ctx.caller, requirePersonId(personId), input);
  }
}
