import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { Gated } from '../../../common/access/gated.js';
import { requirePage, requirePersonId } from '../../../common/validation.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { ClearingProfile } from '../entities/clearing.entity.js';
import { Person } from '../entities/person.entity.js';
import { MunicipalityReference, Residence } from '../entities/residence.type.js';
import { ClearingInput, RegisterPersonInput, ResidenceInput } from '../inputs/person.input.js';
import type { CountyLoaders } from '../loaders/county.loaders.js';
import { PersonService } from '../services/person.service.js';

type Context = SubgraphContext<CountyLoaders>;

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { nullable: true, description: 'One person by the id the county issued.' })
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Person | null> {
    return ctx.loaders.person.load(requirePersonId(id, 'id'));
  }

  @Query(() => [Person], { description: "The county's caseload, newest registration first." })
  async registeredPersons(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Arg('municipalityAgs', () => String, { nullable: true }) municipalityAgs?: string | null,
  ): Promise<Person[]> {
    requirePage(first, offset);
    const persons = await new PersonService(ctx.db).list({ first, offset, municipalityAgs });
    for (const person of persons) ctx.loaders.person.prime(person.id, person);
    return persons;
  }

  @Query(() => [Person], {
    description:
      'Consent officers: persons by name (every word starts a given or family name) and/or date of birth; at most 50.',
  })
  async searchPersons(
    @Ctx() ctx: Context,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('dateOfBirth', () => LocalDateScalar, { nullable: true }) dateOfBirth?: string | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ): Promise<Person[]> {
    const persons = await new PersonService(ctx.db).search({ name, dateOfBirth, first });
    for (const person of persons) ctx.loaders.person.prime(person.id, person);
    return persons;
  }

  @FieldResolver(() => Residence, { nullable: true })
  @Gated('RESIDENCE')
  residence(@Root() person: Person): Residence {
    return {
      personId: person.id,
      status: person.residenceStatus,
      validUntil: person.residenceValidUntil,
      arrivalDate: person.arrivalDate,
      assignedMunicipality: person.assignedMunicipalityAgs ? { ags: person.assignedMunicipalityAgs } : null,
    };
  }

  @FieldResolver(() => MunicipalityReference, {
    nullable: true,
    description:
      'The municipality the person is assigned to, as in `residence`. A field of its own because a statute entry may ' +
      'name it alone: consent officers tell two persons of the same name apart by it, without the residence status.',
  })
  @Gated('RESIDENCE')
  assignedMunicipality(@Root() person: Person): MunicipalityReference | null {
    return person.assignedMunicipalityAgs ? { ags: person.assignedMunicipalityAgs } : null;
  }

  // Nullable, though always present: when the county does not answer, a null here must not wipe out the
  // other subgraphs' fields of the person (or a whole caseload list) that were released and logged.
  @FieldResolver(() => ClearingProfile, {
    nullable: true,
    description: "The clearing office's profile; each part has its own category.",
  })
  clearing(@Root() person: Person): ClearingProfile {
    return { personId: person.id };
  }

  @Mutation(() => Person, { description: 'Registers a person and issues the id all partners use.' })
  registerPerson(
    @Arg('input', () => RegisterPersonInput) input: RegisterPersonInput,
    @Ctx() ctx: Context,
  ): Promise<Person> {
    return new PersonService(ctx.db).register(ctx.caller, input);
  }

  @Mutation(() => Person)
  updateResidence(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => ResidenceInput) input: ResidenceInput,
    @Ctx() ctx: Context,
  ): Promise<Person> {
    return new PersonService(ctx.db).updateResidence(requirePersonId(personId), input);
  }

  @Mutation(() => ClearingProfile, { description: 'Records a clearing interview, replacing the earlier profile.' })
  async recordClearing(
    @Arg('personId', () => ID) personId: string,
    @Arg('input', () => ClearingInput) input: ClearingInput,
    @Ctx() ctx: Context,
  ): Promise<ClearingProfile> {
    const id = requirePersonId(personId);
    await new PersonService(ctx.db).recordClearing(ctx.caller, id, input);
    return { personId: id };
  }
}
