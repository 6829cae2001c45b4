import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { Gated, gateItems } from '../../../common/access/gated.js';
import { requirePage } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Person, SocialCareCase } from '../entities/person.type.js';
import { SpecialNeed } from '../entities/special-need.entity.js';
import type { SocialcareLoaders } from '../loaders/socialcare.loaders.js';
import { providerOf, SocialcareService } from '../services/socialcare.service.js';

type Context = SubgraphContext<SocialcareLoaders>;

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => [Person], { description: "The caller organisation's current clients, most recently assigned first." })
  async clients(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
  ): Promise<Person[]> {
    requirePage(first, offset);
    const assignments = await new SocialcareService(ctx.db).clients(providerOf(ctx.caller), { first, offset });
    for (const assignment of assignments) ctx.loaders.openAssignment.prime(assignment.personId, assignment);
    return assignments.map((assignment) => ({ id: assignment.personId }));
  }

  @FieldResolver(() => SocialCareCase, { nullable: true, description: 'The current counselling, if any.' })
  @Gated('SOCIAL_CARE')
  async socialCare(@Root() person: Person, @Ctx() ctx: Context): Promise<SocialCareCase | null> {
    const assignment = await ctx.loaders.openAssignment.load(person.id);
    return (
      assignment && {
        personId: assignment.personId,
        organisationId: assignment.organisationId,
        caseworkerId: assignment.caseworkerId,
        since: assignment.since,
      }
    );
  }

  @FieldResolver(() => [SpecialNeed], {
    nullable: true,
    description:
      "Health-related special needs (GDPR Art. 9). Own task covers only the caller organisation's own records; " +
      "those of other organisations need the person's explicit consent and are otherwise left out, the refusal reported.",
  })
  @Gated('HEALTH')
  async specialNeeds(
    @Root() person: Person,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SpecialNeed[]> {
    const needs = await ctx.loaders.specialNeeds.load(person.id);
    const own = ctx.caller.agency.kind === 'socialcare' ? ctx.caller.agency.provider : undefined;
    return gateItems(ctx, info, person.id, needs, {
      applies: (need) => need.organisationId !== own,
      category: 'HEALTH',
      holder: 'others',
      field: 'Person.specialNeeds[other organisations]',
    });
  }
}
