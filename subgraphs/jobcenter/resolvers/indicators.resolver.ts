import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { IndicatorDistribution } from '../../../common/monitoring/indicator.types.js';
import { publishIndicator } from '../../../common/monitoring/indicators.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Indicators } from '../entities/indicators.type.js';
import { JobcenterIndicatorService } from '../services/indicators.service.js';

/** The jobcenter's contribution to monitoring: work and training, integration courses. */
@Resolver(() => Indicators)
export class IndicatorsResolver {
  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Jobcenter clients by employment status at the end of the period: EMPLOYED, IN_TRAINING, IN_MEASURE, SEEKING, ' +
      "NOT_AVAILABLE; by the municipality in the jobcenter's file.",
  })
  async employmentStatus(@Root() indicators: Indicators, @Ctx() ctx: SubgraphContext): Promise<IndicatorDistribution> {
    const service = new JobcenterIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'employment', (asOf) => service.employment(asOf));
  }

  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Clients who had begun an integration course by the end of the period, by their latest course: ATTENDING, ' +
      "ABORTED, or COMPLETED_<level certified>; the total is everyone enrolled so far. By the jobcenter's municipality.",
  })
  async integrationCourses(
    @Root() indicators: Indicators,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IndicatorDistribution> {
    const service = new JobcenterIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'integrationCourses', (asOf) => service.integrationCourses(asOf));
  }

  @FieldResolver(() => IndicatorDistribution, {
    nullable: true,
    description:
      'Language support beyond integration courses: clients who had begun a vocational language course (DeuFöV) by ' +
      "the end of the period, by their latest: ATTENDING, ENDED. By the jobcenter's municipality.",
  })
  async vocationalLanguage(
    @Root() indicators: Indicators,
    @Ctx() ctx: SubgraphContext,
  ): Promise<IndicatorDistribution> {
    const service = new JobcenterIndicatorService(ctx.db);
    return publishIndicator(ctx, indicators, 'vocationalLanguage', (asOf) => service.vocationalLanguage(asOf));
  }
}
