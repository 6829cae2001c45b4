import { Directive, Field, Int, ObjectType } from 'type-graphql';
import type { Period } from './period.js';

/** One figure of an indicator. Every subgraph shows the same type, so it is shareable. */
@ObjectType('IndicatorCell', {
  description: 'One count of an indicator; withheld (null) when it could single persons out.',
})
@Directive('@shareable')
export class IndicatorCell {
  @Field(() => String, { description: 'What is counted, e.g. SHARED or EMPLOYED; TOTAL for the sum of the cells.' })
  key: string;

  @Field(() => Int, { nullable: true, description: 'The count; null exactly when suppressed.' })
  value: number | null;

  @Field(() => Boolean, {
    description: 'True when withheld: the count is below the threshold, or would let a withheld count be worked out.',
  })
  suppressed: boolean;
}

/** A distribution: persons by category, with its total, as of the end of the period. */
@ObjectType('IndicatorDistribution', {
  description: 'Counts by category and their total, as of the end of the period.',
})
@Directive('@shareable')
export class IndicatorDistribution {
  @Field(() => [IndicatorCell])
  cells: IndicatorCell[];

  @Field(() => IndicatorCell, { description: 'The sum of the cells (key TOTAL).' })
  total: IndicatorCell;
}

/**
 * The key of the federated `Indicators` entity: every subgraph declares `Indicators @key(fields: "period
 * region")` as a subclass of this and adds the figures it owns.
 */
@ObjectType()
export abstract class IndicatorsKey {
  @Field(() => String, { description: 'The reporting period: a month (2026-09) or a quarter (2026-Q3).' })
  period: string;

  @Field(() => String, { description: 'DISTRICT, or the eight-digit AGS of one municipality.' })
  region: string;

  /** The parsed period; not a field. */
  span: Period;
}
