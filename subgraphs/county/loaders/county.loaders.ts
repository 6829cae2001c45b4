import type { DataSource } from 'typeorm';
import { loadMany, loadOne } from '../../../common/loaders.js';
import { ClearingProfileRow, LanguageSkill, Qualification, WorkExperience } from '../entities/clearing.entity.js';
import { Person } from '../entities/person.entity.js';

/** The county's per-request loaders; built anew for every request. */
export function createCountyLoaders(db: DataSource) {
  return {
    person: loadOne(db, Person, 'id'),
    clearingProfile: loadOne(db, ClearingProfileRow, 'personId'),
    languages: loadMany(db, LanguageSkill, 'personId', { language: 'ASC' }),
    qualifications: loadMany(db, Qualification, 'personId', { title: 'ASC' }),
    workExperience: loadMany(db, WorkExperience, 'personId', { occupation: 'ASC' }),
  };
}

export type CountyLoaders = ReturnType<typeof createCountyLoaders>;
