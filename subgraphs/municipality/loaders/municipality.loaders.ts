import type { DataSource } from 'typeorm';
import { contactsLoader } from '../../../common/integration/contact.service.js';
import { loadMany, loadOne } from '../../../common/loaders.js';
import { Accommodation } from '../entities/accommodation.entity.js';
import { Enrolment } from '../entities/enrolment.entity.js';
import { Municipality } from '../entities/municipality.entity.js';

/** The municipality subgraph's per-request loaders; built anew for every request. */
export function createMunicipalityLoaders(db: DataSource) {
  return {
    municipality: loadOne(db, Municipality, 'ags'),
    /** All stays of a person, oldest first; the current one is the open one at the end. */
    accommodations: loadMany(db, Accommodation, 'personId', { since: 'ASC', id: 'ASC' }),
    enrolments: loadMany(db, Enrolment, 'personId', { since: 'DESC', id: 'ASC' }),
    /** Each person's open contacts at the municipalities, with the officers' staff data. */
    contacts: contactsLoader(db),
  };
}

export type MunicipalityLoaders = ReturnType<typeof createMunicipalityLoaders>;
