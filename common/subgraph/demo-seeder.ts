import type { DataSource } from 'typeorm';

/**
 * One person of the fictional demo district, as `seed/world.ts` generates it; every subgraph's seeder writes
 * its share of the person's records from it.
 */
export interface DemoPerson {
  index: number;
  id: string;
  givenName: string;
  familyName: string;
  gender: 'FEMALE' | 'MALE';
  dateOfBirth: string;
  /** Age in whole years on the reference date. */
  age: number;
  nationality: string;
  /** ISO 639-1 first language. */
  firstLanguage: string;
  arrivalDate: string;
  residenceStatus: string;
  municipalityAgs: string;
  /** Moved from shared accommodation to follow-up accommodation (after about 18 months on average). */
  inFollowUpAccommodation: boolean;
  /** The welfare organisation counselling the person, if any. */
  organisationId: string | null;
}

/** Writes a subgraph's share of the fictional district; each call is one transaction. */
export interface DemoSeeder {
  reference?(db: DataSource): Promise<void>;
  persons(db: DataSource, persons: DemoPerson[], seed: number): Promise<void>;
}
