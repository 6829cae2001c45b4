import { graphqlEnums, type ValueOf } from '../../../common/graphql-enum.js';

/** The county's vocabularies, each registered as the GraphQL enum its key names. */
export const { Gender, ResidenceStatus, CefrLevel, SchoolDegree, QualificationKind, Recognition } = graphqlEnums({
  Gender: 'FEMALE MALE DIVERSE UNKNOWN',
  /**
   * Residence titles common among refugees, by their provision in the Residence Act (AufenthG).
   * - ASYLUM_PENDING: Aufenthaltsgestattung: asylum procedure pending.
   * - RECOGNISED_REFUGEE: § 25 Abs. 2 AufenthG: recognised refugee.
   * - SUBSIDIARY_PROTECTION: § 25 Abs. 2 AufenthG, second alternative: subsidiary protection.
   * - TEMPORARY_PROTECTION: § 24 AufenthG: temporary protection.
   * - TOLERATED: Duldung: removal suspended.
   * - SETTLEMENT_PERMIT: Niederlassungserlaubnis: settlement permit.
   */
  ResidenceStatus: {
    values: 'ASYLUM_PENDING RECOGNISED_REFUGEE SUBSIDIARY_PROTECTION TEMPORARY_PROTECTION TOLERATED SETTLEMENT_PERMIT',
    description: 'Residence title under the AufenthG.',
  },
  /** Common European Framework of Reference levels, plus native speaker. */
  CefrLevel: { values: 'A1 A2 B1 B2 C1 C2 NATIVE', description: 'CEFR language level, or NATIVE.' },
  SchoolDegree: 'NONE PRIMARY LOWER_SECONDARY SECONDARY UNIVERSITY_ENTRANCE',
  QualificationKind: 'VOCATIONAL ACADEMIC',
  /** State of the recognition of a foreign qualification (Anerkennungsverfahren). */
  Recognition: {
    values: 'NOT_APPLIED IN_PROGRESS FULL PARTIAL REJECTED',
    description: 'Recognition of a foreign qualification.',
  },
});
export type Gender = ValueOf<typeof Gender>;
export type ResidenceStatus = ValueOf<typeof ResidenceStatus>;
export type CefrLevel = ValueOf<typeof CefrLevel>;
export type SchoolDegree = ValueOf<typeof SchoolDegree>;
export type QualificationKind = ValueOf<typeof QualificationKind>;
export type Recognition = ValueOf<typeof Recognition>;
