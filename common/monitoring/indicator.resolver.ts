import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { IndicatorDistribution, type IndicatorsKey } from './indicator.types.js';
import { publishIndicator } from './indicators.js';
import type { CountTable } from './suppression.js';

/** The methods of an indicator service that count an indicator on a day. */
type CountingMethod<S> = {
  [K in keyof S]: S[K] extends (asOf: string) => Promise<CountTable> ? K : never;
}[keyof S] &
  string;

/** One figure a subgraph adds to its `Indicators` entity. */
export interface IndicatorField<S> {
  /** The field's name in the schema. */
  field: string;
  /** The service's method that counts it on a day; it also names the indicator's series within a request. */
  count: CountingMethod<S>;
  description: string;
}

/** What an indicator field needs of the request's context (a `SubgraphContext` has it). */
interface IndicatorContext {
  db: EntityManager;
  suppressionThreshold: number;
  district: { timeZone: string };
}

/**
 * The field resolvers of a subgraph's own indicators, in the order given (the schema's order): each field
 * publishes the protected figures its service's method counts (`publishIndicator`). `Service` is built per
 * call over the request's database handle.
 */
export function createIndicatorFields<S>(
  IndicatorsType: ClassType<IndicatorsKey>,
  Service: new (db: EntityManager) => S,
  fields: readonly IndicatorField<S>[],
): ClassType[] {
  return fields.map(({ field, count, description }) => {
    @Resolver(() => IndicatorsType)
    class IndicatorFieldResolver {
      // Named after the field: type-graphql finds a field's resolver by its method's name.
      @FieldResolver(() => IndicatorDistribution, { nullable: true, description })
      async [field](@Root() indicators: IndicatorsKey, @Ctx() ctx: IndicatorContext): Promise<IndicatorDistribution> {
        const service = new Service(ctx.db);
        const counting = service[count] as (asOf: string) => Promise<CountTable>;
        return publishIndicator(ctx, indicators, count, (asOf) => counting.call(service, asOf));
      }
    }
    return IndicatorFieldResolver;
  });
}
