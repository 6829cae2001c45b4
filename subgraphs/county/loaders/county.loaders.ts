import type { DataSource } from 'typeorm';
import { contactsLoader } from '../../../common/integration/contact.service.js';
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
    /** Each person's open contacts at the county, with the officers' staff data. */
    contacts: contactsLoader(db),
  };
}

export type CountyLoaders = ReturnType<typeof createCountyLoaders>;
