import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../../common/errors.js';
import { createIndicatorFields } from '../../../common/monitoring/indicator.resolver.js';
import { districtToday, indicatorSeriesFor, indicatorsFor } from '../../../common/monitoring/indicators.js';
import { countedOn, DISTRICT } from '../../../common/monitoring/period.js';
import { LocalDateScalar } from '../../../common/scalars.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Indicators } from '../entities/indicators.type.js';
import type { MunicipalityLoaders } from '../loaders/municipality.loaders.js';
import { MunicipalityIndicatorService } from '../services/indicators.service.js';

type Context = SubgraphContext<MunicipalityLoaders>;

/** The entry to monitoring: the indicators of a period, and the day their figures describe. */
@Resolver(() => Indicators)
export class IndicatorsResolver {
  @Query(() => Indicators, {
    nullable: true,
    description: 'Indicators of a period for the district, or for one municipality. Analysts only, purpose MONITORING.',
  })
  async indicators(
    @Arg('period', () => String, { description: 'A month (2026-09) or a quarter (2026-Q3).' }) period: string,
    @Arg('municipality', () => String, {
      nullable: true,
      description: 'The AGS of one municipality; omit for the district.',
    })
    municipality: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<Indicators> {
    const key = indicatorsFor(ctx.caller, period, municipality);
    if (key.region !== DISTRICT && !(await ctx.loaders.municipality.load(key.region))) {
      throw badUserInput([{ field: 'municipality', message: `${key.region} is not a municipality of the district` }]);
    }
    return key;
  }

  @Query(() => [Indicators], {
    description:
      'Indicators of several periods for several regions at once, region by region and period by period, for charts ' +
      'of a trend. Analysts only, purpose MONITORING. The figures are the same as asked one by one.',
  })
  async indicatorSeries(
    @Arg('periods', () => [String], {
      description: 'Months (2026-09) or quarters (2026-Q3) of the monitoring window, at most 36.',
    })
    periods: string[],
    @Arg('regions', () => [String], {
      description: 'DISTRICT and/or AGS of municipalities of the district, at most 30.',
    })
    regions: string[],
    @Ctx() ctx: Context,
  ): Promise<Indicators[]> {
    const keys = indicatorSeriesFor(ctx.caller, periods, regions, ctx);
    const unknown = [];
    for (const region of new Set(keys.map((k) => k.region))) {
      if (region !== DISTRICT && !(await ctx.loaders.municipality.load(region))) unknown.push(region);
    }
    if (unknown.length) {
      throw badUserInput(
        unknown.map((region) => ({ field: 'regions', message: `${region} is not a municipality of the district` })),
      );
    }
    return keys;
  }

  @FieldResolver(() => LocalDateScalar, {
    description:
      "The day the figures describe: the last day of the period, or today (the district's day) while the period runs.",
  })
  asOf(@Root() indicators: Indicators, @Ctx() ctx: Context): string {
    return countedOn(indicators.span.end, districtToday(ctx));
  }
}

/** The municipalities' own figures: housing, childcare and school. */
export const indicatorFields = createIndicatorFields(Indicators, MunicipalityIndicatorService, [
  {
    field: 'housing',
    count: 'housing',
    description: 'Persons by the accommodation they live in: SHARED, FOLLOW_UP (Anschlussunterbringung), OWN_FLAT.',
  },
  {
    field: 'childcareSchool',
    count: 'childcareSchool',
    description:
      'Children with a childcare place (CHILDCARE) and children at school (SCHOOL), by the providing municipality.',
  },
]);
