import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Gated } from '../../../common/access/gated.js';
import { requireOwnCasework } from '../../../common/access/writes.js';
import { requirePage } from '../../../common/errors.js';
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
    requireOwnCasework(ctx.caller, 'socialcare');
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

  @FieldResolver(() => [SpecialNeed], { nullable: true, description: 'Health-related special needs (GDPR Art. 9).' })
  @Gated('HEALTH')
  specialNeeds(@Root() person: Person, @Ctx() ctx: Context): Promise<SpecialNeed[]> {
    return ctx.loaders.specialNeeds.load(person.id);
  }
}
