import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { IndicatorDistribution } from '../../../common/monitoring/indicator.types.js';
import { publishIndicator } from '../../../common/monitoring/indicators.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Indicators } from '../entities/indicators.type.js';
import { CountyIndicatorService } from '../services/indicators.service.js';

/** The county's contribution to monitoring: language at clearing. */
@Resolver(() => Indicators)
export class IndicatorsResolver {
  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Persons cleared by the end of the period, by the German level recorded at clearing (CEFR): A1, A2, B1, B2, ' +
      'C1_AND_ABOVE (C1, C2, native), NONE (no German recorded); by the municipality the county assigned.',
  })
  async germanAtClearing(@Root() indicators: Indicators, @Ctx() ctx: SubgraphContext): Promise<IndicatorDistribution> {
    const service = new CountyIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'germanAtClearing', (asOf) => service.germanAtClearing(asOf));
  }
}
