import type { DataSource } from 'typeorm';
import { loadMany } from '../../../common/loaders.js';
import { Consent } from '../entities/consent.entity.js';

/** The consent registry's per-request loaders. */
export function createConsentLoaders(db: DataSource) {
  return {
    /** Current versions of each person's consents. */
    consentsOfPerson: loadMany(db, Consent, 'personId', { givenAt: 'DESC' }, { isCurrent: true }),
    /** All versions of each consent, oldest first. */
    versions: loadMany(db, Consent, 'id', { version: 'ASC' }),
  };
}

export type ConsentLoaders = ReturnType<typeof createConsentLoaders>;
