import { registerEnumType } from 'type-graphql';

export enum Gender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  DIVERSE = 'DIVERSE',
  UNKNOWN = 'UNKNOWN',
}

/** Residence titles common among refugees, by their provision in the Residence Act (AufenthG). */
export enum ResidenceStatus {
  /** Aufenthaltsgestattung: asylum procedure pending. */
  ASYLUM_PENDING = 'ASYLUM_PENDING',
  /** § 25 Abs. 2 AufenthG: recognised refugee. */
  RECOGNISED_REFUGEE = 'RECOGNISED_REFUGEE',
  /** § 25 Abs. 2 AufenthG, second alternative: subsidiary protection. */
  SUBSIDIARY_PROTECTION = 'SUBSIDIARY_PROTECTION',
  /** § 24 AufenthG: temporary protection. */
  TEMPORARY_PROTECTION = 'TEMPORARY_PROTECTION',
  /** Duldung: removal suspended. */
  TOLERATED = 'TOLERATED',
  /** Niederlassungserlaubnis: settlement permit. */
  SETTLEMENT_PERMIT = 'SETTLEMENT_PERMIT',
}

/** Common European Framework of Reference levels, plus native speaker. */
export enum CefrLevel {
  A1 = 'A1',
  A2 = 'A2',
  B1 = 'B1',
  B2 = 'B2',
  C1 = 'C1',
  C2 = 'C2',
  NATIVE = 'NATIVE',
}

export enum SchoolDegree {
  NONE = 'NONE',
  PRIMARY = 'PRIMARY',
  LOWER_SECONDARY = 'LOWER_SECONDARY',
  SECONDARY = 'SECONDARY',
  UNIVERSITY_ENTRANCE = 'UNIVERSITY_ENTRANCE',
}

export enum QualificationKind {
  VOCATIONAL = 'VOCATIONAL',
  ACADEMIC = 'ACADEMIC',
}

/** State of the recognition of a foreign qualification (Anerkennungsverfahren). */
export enum Recognition {
  NOT_APPLIED = 'NOT_APPLIED',
  IN_PROGRESS = 'IN_PROGRESS',
  FULL = 'FULL',
  PARTIAL = 'PARTIAL',
  REJECTED = 'REJECTED',
}

registerEnumType(Gender, { name: 'Gender' });
registerEnumType(ResidenceStatus, { name: 'ResidenceStatus', description: 'Residence title under the AufenthG.' });
registerEnumType(CefrLevel, { name: 'CefrLevel', description: 'CEFR language level, or NATIVE.' });
registerEnumType(SchoolDegree, { name: 'SchoolDegree' });
registerEnumType(QualificationKind, { name: 'QualificationKind' });
registerEnumType(Recognition, { name: 'Recognition', description: 'Recognition of a foreign qualification.' });
