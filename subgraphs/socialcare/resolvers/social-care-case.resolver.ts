import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { gateItems } from '../../../common/access/gated.js';
import { SupportField } from '../entities/enums.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Caseworker } from '../entities/caseworker.entity.js';
import { WelfareOrganisation } from '../entities/organisation.entity.js';
import { SocialCareCase } from '../entities/person.type.js';
import { SupportNeed } from '../entities/support-need.entity.js';
import type { SocialcareLoaders } from '../loaders/socialcare.loaders.js';

type Context = SubgraphContext<SocialcareLoaders>;

/** The parts of a case; the case itself is released as SOCIAL_CARE on Person. */
@Resolver(() => SocialCareCase)
export class SocialCareCaseResolver {
  @FieldResolver(() => Caseworker, { nullable: true })
  caseworker(@Root() socialCase: SocialCareCase, @Ctx() ctx: Context): Promise<Caseworker | null> {
    return ctx.loaders.caseworker.load(socialCase.caseworkerId);
  }

  @FieldResolver(() => WelfareOrganisation, { nullable: true })
  organisation(@Root() socialCase: SocialCareCase, @Ctx() ctx: Context): Promise<WelfareOrganisation | null> {
    return ctx.loaders.organisation.load(socialCase.organisationId);
  }

  @FieldResolver(() => [SupportNeed], {
    description:
      'Open support needs this organisation works on, oldest first. Needs in the field of action HEALTH are HEALTH data ' +
      '(GDPR Art. 9): they are left out, and the refusal reported, without a HEALTH basis.',
  })
  async openNeeds(
    @Root() socialCase: SocialCareCase,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportNeed[]> {
    const needs = (await ctx.loaders.openNeeds.load(socialCase.personId)).filter(
      (need) => need.organisationId === socialCase.organisationId,
    );
    return gateItems(ctx, info, socialCase.personId, needs, {
      applies: (need) => need.field === SupportField.HEALTH,
      category: 'HEALTH',
      holder: 'any',
      field: 'SocialCareCase.openNeeds[HEALTH]',
    });
  }
}

@Resolver(() => Caseworker)
export class CaseworkerResolver {
  @FieldResolver(() => String, { nullable: true, description: "The name of the caseworker's organisation." })
  async organisation(@Root() caseworker: Caseworker, @Ctx() ctx: Context): Promise<string | null> {
    return (await ctx.loaders.organisation.load(caseworker.organisationId))?.name ?? null;
  }
}
