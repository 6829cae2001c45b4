import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { IndicatorDistribution } from '../../../common/monitoring/indicator.types.js';
import { publishIndicator } from '../../../common/monitoring/indicators.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Indicators } from '../entities/indicators.type.js';
import { SocialcareIndicatorService } from '../services/indicators.service.js';

/** Social care's contribution to monitoring: open support needs, across all welfare organisations. */
@Resolver(() => Indicators)
export class IndicatorsResolver {
  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Persons with an open support need at the end of the period, by field of action (HOUSING, LANGUAGE, EDUCATION, ' +
      'WORK_AND_TRAINING, SOCIAL_PARTICIPATION, HEALTH); a person counts once per field. By the counselling municipality.',
  })
  async openSupportNeeds(@Root() indicators: Indicators, @Ctx() ctx: SubgraphContext): Promise<IndicatorDistribution> {
    const service = new SocialcareIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'openSupportNeeds', (asOf) => service.openSupportNeeds(asOf));
  }

  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Persons taking part at the end of the period, as the welfare organisations record it, by kind: SPORTS_CLUB, ' +
      'OTHER_CLUB, COMMUNITY_OFFER, VOLUNTEERING; a person counts once per kind. By the counselling municipality.',
  })
  async socialParticipation(
    @Root() indicators: Indicators,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IndicatorDistribution> {
    const service = new SocialcareIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'socialParticipation', (asOf) => service.socialParticipation(asOf));
  }

  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Persons in language support beyond the integration courses at the end of the period, as the welfare ' +
      'organisations record it: LANGUAGE_CAFE, LANGUAGE_TUTORING, PARENTS_LANGUAGE_GROUP; once per kind. By the counselling municipality.',
  })
  async languageSupport(@Root() indicators: Indicators, @Ctx() ctx: SubgraphContext): Promise<IndicatorDistribution> {
    const service = new SocialcareIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'languageSupport', (asOf) => service.languageSupport(asOf));
  }
}
