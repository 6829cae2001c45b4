import { Field, ObjectType } from 'type-graphql';
import type { Category } from '../../../common/domain.js';
import type { CandidateFilter } from '../inputs/candidate.input.js';

/** One person the search found; its parts show what was used to match, nothing more. */
@ObjectType('Candidate')
export class Candidate {
  personId: string;
  /** The filter the person met. */
  filter: CandidateFilter;
  /** The municipality (AGS) the municipalities answered, when the filter named some. */
  livesInAgs: string | null;
}

/** One page of a candidate search; no total is given, since it would count persons. */
@ObjectType('CandidatePage')
export class CandidatePage {
  /** The candidates of this page, in a stable order (by person id). */
  candidates: Candidate[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; opaque, valid until the county restarts.',
  })
  endCursor: string | null;

  @Field(() => Boolean, {
    description: 'False only once the search has reached the end; a full page may be followed by an empty one.',
  })
  hasNextPage: boolean;

  /** The clearing categories the filter used, each with the filter field that used it. */
  clearingCriteria: { field: string; category: Category }[];
}
