import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { requirePersonId } from '../../../common/validation.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  AccessReport,
  BasisKind,
  BasisView,
  DisclosurePage,
  DisclosureSummaryRow,
  ExportFile,
  ExportFormat,
  LogVerification,
} from '../entities/disclosure.type.js';
import { DisclosureFilter } from '../inputs/disclosure.input.js';
import { DisclosureService, REPORT_PAGE } from '../services/disclosure.service.js';
import { LogVerificationService } from '../services/log-verification.service.js';

/** The consent officer's audit of every data subgraph's disclosure log (purpose CONSENT_MANAGEMENT). */
@Resolver()
export class DisclosureResolver {
  @Query(() => DisclosurePage, {
    description: "A person's disclosure timeline across all data subgraphs, newest first.",
  })
  disclosureTimeline(
    @Arg('personId', () => ID) personId: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => DisclosureFilter, {
      nullable: true,
      description: 'Narrows the timeline; its personId, if any, is replaced by the personId argument.',
    })
    filter: DisclosureFilter | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DisclosurePage> {
    const id = requirePersonId(personId);
    return new DisclosureService(ctx).page(
      Object.assign(new DisclosureFilter(), filter ?? {}, { personId: id }),
      first,
      after,
      { action: 'TIMELINE', operation: 'disclosureTimeline' },
    );
  }

  @Query(() => [DisclosureSummaryRow], {
    description:
      "Per recipient agency × data category of a person's records in the filter: count, first and last release, basis kinds, refusals.",
  })
  disclosureSummary(
    @Arg('personId', () => ID) personId: string,
    @Arg('filter', () => DisclosureFilter, { nullable: true }) filter: DisclosureFilter | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DisclosureSummaryRow[]> {
    return new DisclosureService(ctx).summary(personId, Object.assign(new DisclosureFilter(), filter ?? {}));
  }

  @Query(() => DisclosurePage, { description: 'The disclosure log of all data subgraphs, filtered, newest first.' })
  disclosureLog(
    @Arg('filter', () => DisclosureFilter, { nullable: true }) filter: DisclosureFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DisclosurePage> {
    return new DisclosureService(ctx).page(filter ?? new DisclosureFilter(), first, after, {
      action: 'LOG_SEARCH',
      operation: 'disclosureLog',
    });
  }

  @Query(() => String, {
    description:
      'The filtered disclosure log as CSV: the newest `first` records, narrowed by category and basis as the console narrows its view. On record as an export.',
  })
  disclosureLogExport(
    @Arg('filter', () => DisclosureFilter, { nullable: true }) filter: DisclosureFilter | null,
    @Arg('first', () => Int) first: number,
    @Arg('category', () => String, {
      nullable: true,
      description: 'Only records that released or refused a field of this category.',
    })
    category: string | null,
    @Arg('basis', () => BasisKind, {
      nullable: true,
      description: 'Only records with a release on this kind of basis.',
    })
    basis: BasisKind | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<string> {
    return new DisclosureService(ctx).exportCsv(filter ?? new DisclosureFilter(), first, { category, basis });
  }

  @Query(() => ExportFile, {
    description:
      "The newest `first` records in the filter (with personId: one person's disclosures) as a file: CSV as German Excel opens it, or .xlsx. On record as an export.",
  })
  disclosureExport(
    @Arg('filter', () => DisclosureFilter, { nullable: true }) filter: DisclosureFilter | null,
    @Arg('first', () => Int) first: number,
    @Arg('format', () => ExportFormat) format: ExportFormat,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ExportFile> {
    const scoped = Object.assign(new DisclosureFilter(), filter ?? {});
    if (scoped.personId != null) scoped.personId = requirePersonId(scoped.personId, 'filter.personId');
    return new DisclosureService(ctx).exportFile(scoped, first, format);
  }

  @Query(() => AccessReport, {
    description:
      "The person's report of recipients under GDPR Art. 15, as data and as a printable document, one page of the person's records at a time (pass endCursor as after).",
  })
  accessReport(
    @Arg('personId', () => ID) personId: string,
    @Arg('receipt', () => Boolean, {
      defaultValue: false,
      description: 'Also build the JSON receipt with inclusion proofs (see AccessReport.receipt).',
    })
    receipt: boolean,
    @Arg('first', () => Int, {
      defaultValue: REPORT_PAGE,
      description: 'The most released records this page covers (1 to 500).',
    })
    first: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the page before.' })
    after: string | null,
    @Ctx() ctx: SubgraphContext,
  ): Promise<AccessReport> {
    return new DisclosureService(ctx).accessReport(personId, receipt, first, after);
  }

  @Query(() => [LogVerification], {
    description:
      "Checks every data subgraph's chain against the heads the registry witnessed, and the registry's own chain of officers' reads.",
  })
  disclosureLogVerification(
    @Arg('full', () => Boolean, {
      defaultValue: false,
      description: 'Walk every log from its start instead of from the last verified checkpoint.',
    })
    full: boolean,
    @Ctx() ctx: SubgraphContext,
  ): Promise<LogVerification[]> {
    return new LogVerificationService(ctx).verify(full);
  }
}

/** A statute basis names its catalogue entry; the consent officer also sees the entry's legal reference. */
@Resolver(() => BasisView)
export class BasisResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'The legal reference of the statute catalogue entry, for STATUTE.',
  })
  statuteReference(@Root() basis: BasisView, @Ctx() ctx: SubgraphContext): string | null {
    if (!basis.statute) return null;
    return ctx.catalogue.entries.find((entry) => entry.id === basis.statute)?.reference ?? null;
  }
}
