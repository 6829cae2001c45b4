import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';

/**
 * A person's situation on the labour market as the jobcenter records it.
 * - IN_TRAINING: Vocational training (Ausbildung).
 * - IN_MEASURE: In a measure or placement of the jobcenter (see `measures`).
 * - NOT_AVAILABLE: Not available for placement, e.g. caring for small children or illness (§ 10 SGB II).
 */
export const EmploymentState = graphqlEnum('EmploymentState', 'EMPLOYED IN_TRAINING IN_MEASURE SEEKING NOT_AVAILABLE', {
  description: 'Labour-market situation recorded by the jobcenter.',
});
export type EmploymentState = ValueOf<typeof EmploymentState>;

/**
 * Measures and placements of active labour-market support (§ 16 SGB II with SGB III).
 * - VOCATIONAL_LANGUAGE_COURSE: Berufsbezogene Deutschsprachförderung (DeuFöV).
 * - WAGE_SUBSIDY: Eingliederungszuschuss to an employer.
 */
export const MeasureKind = graphqlEnum(
  'MeasureKind',
  'JOB_COACHING VOCATIONAL_LANGUAGE_COURSE INTERNSHIP QUALIFICATION WAGE_SUBSIDY',
  { description: 'A measure or placement under § 16 SGB II.' },
);
export type MeasureKind = ValueOf<typeof MeasureKind>;

/** Course types of the integration course ordinance (IntV). */
export const CourseType = graphqlEnum('CourseType', 'GENERAL YOUTH PARENTS_AND_WOMEN LITERACY INTENSIVE JOB_RELATED', {
  description: 'Integration course type under the IntV.',
});
export type CourseType = ValueOf<typeof CourseType>;

export const CourseStatus = graphqlEnum('CourseStatus', 'WAITING ENROLLED COMPLETED ABORTED');
export type CourseStatus = ValueOf<typeof CourseStatus>;

/**
 * - SGB_II_CITIZENS_BENEFIT: Bürgergeld, basic income support for jobseekers under SGB II.
 */
export const BenefitKind = graphqlEnum('BenefitKind', 'SGB_II_CITIZENS_BENEFIT', {
  description: 'A kind of basic income support.',
});
export type BenefitKind = ValueOf<typeof BenefitKind>;

/** CEFR levels a course aims at or certifies, as text: the county's `CefrLevel` enum owns that name. */
export const COURSE_LEVEL = /^(A1|A2|B1|B2|C1|C2)$/;
