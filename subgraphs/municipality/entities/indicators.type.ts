import { Directive, ObjectType } from 'type-graphql';
import { IndicatorsKey } from '../../../common/monitoring/indicator.types.js';

/** The district's monitoring indicators for one period and region; each subgraph adds the figures it owns. */
@ObjectType('Indicators', {
  description:
    'Monitoring indicators of one period for the district or one municipality, as of the last day of the period. ' +
    'Each figure comes from the partner that holds the data; small counts are withheld. For analysts (MONITORING).',
})
@Directive('@key(fields: "period region")')
export class Indicators extends IndicatorsKey {}
