import { Directive, ObjectType } from 'type-graphql';
import { IndicatorsKey } from '../../../common/monitoring/indicator.types.js';

/** The monitoring indicators entity (see the municipality subgraph); the jobcenter adds work and courses. */
@ObjectType('Indicators')
@Directive('@key(fields: "period region")')
export class Indicators extends IndicatorsKey {}
