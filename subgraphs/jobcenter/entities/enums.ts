import { graphqlEnums, type ValueOf } from '../../../common/graphql-enum.js';

/** The jobcenter's vocabularies, each registered as the GraphQL enum its key names. */
export const { EmploymentState, MeasureKind, CourseType, CourseStatus, BenefitKind } = graphqlEnums({
  /**
   * A person's situation on the labour market as the jobcenter records it.
   * - IN_TRAINING: Vocational training (Ausbildung).
   * - IN_MEASURE: In a measure or placement of the jobcenter (see `measures`).
   * - NOT_AVAILABLE: Not available for placement, e.g. caring for small children or illness (§ 10 SGB II).
   */
  EmploymentState: {
    values: 'EMPLOYED IN_TRAINING IN_MEASURE SEEKING NOT_AVAILABLE',
    description: 'Labour-market situation recorded by the jobcenter.',
  },
  /**
   * Measures and placements of active labour-market support (§ 16 SGB II with SGB III).
   * - VOCATIONAL_LANGUAGE_COURSE: Berufsbezogene Deutschsprachförderung (DeuFöV).
   * - WAGE_SUBSIDY: Eingliederungszuschuss to an employer.
   */
  MeasureKind: {
    values: 'JOB_COACHING VOCATIONAL_LANGUAGE_COURSE INTERNSHIP QUALIFICATION WAGE_SUBSIDY',
    description: 'A measure or placement under § 16 SGB II.',
  },
  /** Course types of the integration course ordinance (IntV). */
  CourseType: {
    values: 'GENERAL YOUTH PARENTS_AND_WOMEN LITERACY INTENSIVE JOB_RELATED',
    description: 'Integration course type under the IntV.',
  },
  CourseStatus: 'WAITING ENROLLED COMPLETED ABORTED',
  /**
   * - SGB_II_CITIZENS_BENEFIT: Bürgergeld, basic income support for jobseekers under SGB II.
   */
  BenefitKind: { values: 'SGB_II_CITIZENS_BENEFIT', description: 'A kind of basic income support.' },
});
export type EmploymentState = ValueOf<typeof EmploymentState>;
export type MeasureKind = ValueOf<typeof MeasureKind>;
export type CourseType = ValueOf<typeof CourseType>;
export type CourseStatus = ValueOf<typeof CourseStatus>;
export type BenefitKind = ValueOf<typeof BenefitKind>;

/** CEFR levels a course aims at or certifies, as text: the county's `CefrLevel` enum owns that name. */
export const COURSE_LEVEL = /^(A1|A2|B1|B2|C1|C2)$/;
