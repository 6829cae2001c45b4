import { registerEnumType } from 'type-graphql';

/** A person's situation on the labour market as the jobcenter records it. */
export enum EmploymentState {
  EMPLOYED = 'EMPLOYED',
  /** Vocational training (Ausbildung). */
  IN_TRAINING = 'IN_TRAINING',
  /** In a measure or placement of the jobcenter (see `measures`). */
  IN_MEASURE = 'IN_MEASURE',
  SEEKING = 'SEEKING',
  /** Not available for placement, e.g. caring for small children or illness (§ 10 SGB II). */
  NOT_AVAILABLE = 'NOT_AVAILABLE',
}

/** Measures and placements of active labour-market support (§ 16 SGB II with SGB III). */
export enum MeasureKind {
  JOB_COACHING = 'JOB_COACHING',
  /** Berufsbezogene Deutschsprachförderung (DeuFöV). */
  VOCATIONAL_LANGUAGE_COURSE = 'VOCATIONAL_LANGUAGE_COURSE',
  INTERNSHIP = 'INTERNSHIP',
  QUALIFICATION = 'QUALIFICATION',
  /** Eingliederungszuschuss to an employer. */
  WAGE_SUBSIDY = 'WAGE_SUBSIDY',
}

/** Course types of the integration course ordinance (IntV). */
export enum CourseType {
  GENERAL = 'GENERAL',
  YOUTH = 'YOUTH',
  PARENTS_AND_WOMEN = 'PARENTS_AND_WOMEN',
  LITERACY = 'LITERACY',
  INTENSIVE = 'INTENSIVE',
  JOB_RELATED = 'JOB_RELATED',
}

export enum CourseStatus {
  WAITING = 'WAITING',
  ENROLLED = 'ENROLLED',
  COMPLETED = 'COMPLETED',
  ABORTED = 'ABORTED',
}

export enum BenefitKind {
  /** Bürgergeld, basic income support for jobseekers under SGB II. */
  SGB_II_CITIZENS_BENEFIT = 'SGB_II_CITIZENS_BENEFIT',
}

/** CEFR levels a course aims at or certifies, as text: the county's `CefrLevel` enum owns that name. */
export const COURSE_LEVEL = /^(A1|A2|B1|B2|C1|C2)$/;

registerEnumType(EmploymentState, {
  name: 'EmploymentState',
  description: 'Labour-market situation recorded by the jobcenter.',
});
registerEnumType(MeasureKind, { name: 'MeasureKind', description: 'A measure or placement under § 16 SGB II.' });
registerEnumType(CourseType, { name: 'CourseType', description: 'Integration course type under the IntV.' });
registerEnumType(CourseStatus, { name: 'CourseStatus' });
registerEnumType(BenefitKind, { name: 'BenefitKind', description: 'A kind of basic income support.' });
