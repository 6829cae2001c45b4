import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { ConsentedPersonsRequest } from '../../../common/access/consented-persons-lookup.js';
import type { HousingMatchRequest } from '../../../common/access/housing-lookup.js';
import type { Category } from '../../../common/domain.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { Candidate, CandidatePage } from '../entities/candidate.type.js';
import { LanguageSkill, Qualification } from '../entities/clearing.entity.js';
import { Person } from '../entities/person.entity.js';
import { MunicipalityReference } from '../entities/residence.type.js';
import { CandidateFilter } from '../inputs/candidate.input.js';
import type { CountyLoaders } from '../loaders/county.loaders.js';
import {
  CandidateSearchService,
  MAX_ROUNDS,
  levelsFrom,
  recognitionsFrom,
} from '../services/candidate-search.service.js';

type Context = SubgraphContext<CountyLoaders>;

/** The search rounds each request has left, by its context: aliases share one budget. */
const budgets = new WeakMap<object, { rounds: number }>();
function roundsOf(ctx: Context): { rounds: number } {
  let budget = budgets.get(ctx.journal);
  if (!budget) budgets.set(ctx.journal, (budget = { rounds: MAX_ROUNDS }));
  return budget;
}

/** Records that a candidate's `category` went out at `path`, on the basis the policy gave (decided before). */
async function recordRelease(
  ctx: Context,
  personId: string,
  field: string,
  category: Category,
  path: readonly (string | number)[],
) {
  const decision = await ctx.access.decide(personId, category);
  ctx.journal.record(personId, { field, category, decision, path });
}

@Resolver(() => CandidatePage)
export class CandidatePageResolver {
  @Query(() => CandidatePage, {
    description:
      'Job placement (jobcenter, JOB_PLACEMENT): persons meeting every criterion of the filter, among only those the caller may see ' +
      'every category the filter uses of (by consent or statute). Ordered by person id; page with `after`. Every match is recorded.',
  })
  candidateSearch(
    @Arg('filter', () => CandidateFilter) filter: CandidateFilter,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<CandidatePage> {
    return new CandidateSearchService(ctx.db, {
      access: ctx.access,
      catalogue: ctx.catalogue,
      consentedPersons: ctx.consentedPersons && ((request: ConsentedPersonsRequest) => ctx.consentedPersons!(request)),
      housingMatches: ctx.housingMatches && ((request: HousingMatchRequest) => ctx.housingMatches!(request)),
      budget: roundsOf(ctx),
    }).search(filter, first, after);
  }

  @FieldResolver(() => [Candidate])
  async candidates(
    @Root() page: CandidatePage,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Candidate[]> {
    const path = responsePathAsArray(info.path);
    // That a person met the clearing criteria is itself a release of those categories, whatever else is asked.
    for (const [i, candidate] of page.candidates.entries()) {
      for (const used of page.clearingCriteria)
        await recordRelease(ctx, candidate.personId, used.field, used.category, [...path, i]);
    }
    return page.candidates;
  }
}

@Resolver(() => Candidate)
export class CandidateResolver {
  @FieldResolver(() => Person, { description: 'The person; each of its fields is decided as everywhere else.' })
  async person(@Root() candidate: Candidate, @Ctx() ctx: Context): Promise<Person> {
    return (await ctx.loaders.person.load(candidate.personId))!;
  }

  @FieldResolver(() => [LanguageSkill], {
    description: 'The language skills that met the language criterion; empty without one.',
  })
  async languages(
    @Root() candidate: Candidate,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LanguageSkill[]> {
    const criterion = candidate.filter.language;
    if (!criterion) return [];
    const levels = levelsFrom(criterion.atLeast);
    const skills = (await ctx.loaders.languages.load(candidate.personId)).filter(
      (s) => s.language === criterion.language && levels.includes(s.level),
    );
    await recordRelease(
      ctx,
      candidate.personId,
      'Candidate.languages',
      'CLEARING_LANGUAGE',
      responsePathAsArray(info.path),
    );
    return skills;
  }

  @FieldResolver(() => [Qualification], {
    description: 'The qualifications that met the qualification criterion; empty without one.',
  })
  async qualifications(
    @Root() candidate: Candidate,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Qualification[]> {
    const criterion = candidate.filter.qualification;
    if (!criterion) return [];
    const recognitions = criterion.recognitionAtLeast ? recognitionsFrom(criterion.recognitionAtLeast) : undefined;
    const title = criterion.titleContains?.toLowerCase();
    const matching = (await ctx.loaders.qualifications.load(candidate.personId)).filter(
      (q) =>
        (!criterion.kind || q.kind === criterion.kind) &&
        (!title || q.title.toLowerCase().includes(title)) &&
        (!recognitions || recognitions.includes(q.recognition)),
    );
    await recordRelease(
      ctx,
      candidate.personId,
      'Candidate.qualifications',
      'CLEARING_EDUCATION',
      responsePathAsArray(info.path),
    );
    return matching;
  }

  @FieldResolver(() => MunicipalityReference, {
    nullable: true,
    description:
      'Where the person lives, as the municipalities answered (recorded there); null when the filter named no municipality.',
  })
  livesIn(@Root() candidate: Candidate): MunicipalityReference | null {
    return candidate.livesInAgs ? { ags: candidate.livesInAgs } : null;
  }
}
