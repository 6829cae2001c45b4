import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { AccessReport, DisclosurePage, LogVerification } from '../entities/disclosure.type.js';
import { DisclosureFilter } from '../inputs/disclosure.input.js';
import { DisclosureService } from '../services/disclosure.service.js';

/** The consent officer's audit of every data subgraph's disclosure log (purpose CONSENT_MANAGEMENT). */
@Resolver()
export class DisclosureResolver {
  @Query(() => DisclosurePage, { description: "A person's disclosure timeline across all data subgraphs, newest first." })
  disclosureTimeline(
    @Arg('personId', () => ID) personId: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DisclosurePage> {
    return new DisclosureService(ctx).page(Object.assign(new DisclosureFilter(), { personId }), first, after);
  }

  @Query(() => DisclosurePage, { description: 'The disclosure log of all data subgraphs, filtered, newest first.' })
  disclosureLog(
    @Arg('filter', () => DisclosureFilter, { nullable: true }) filter: DisclosureFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DisclosurePage> {
    return new DisclosureService(ctx).page(filter ?? new DisclosureFilter(), first, after);
  }

  @Query(() => AccessReport, { description: "The person's report of recipients under GDPR Art. 15, as data and as a printable document." })
  accessReport(@Arg('personId', () => ID) personId: string, @Ctx() ctx: SubgraphContext): Promise<AccessReport> {
    return new DisclosureService(ctx).accessReport(personId);
  }

  @Query(() => [LogVerification], { description: "Checks every data subgraph's chain against the heads the registry witnessed." })
  disclosureLogVerification(@Ctx() ctx: SubgraphContext): Promise<LogVerification[]> {
    return new DisclosureService(ctx).verify();
  }
}
