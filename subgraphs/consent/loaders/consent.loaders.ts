import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { loadMany } from '../../../common/loaders.js';
import { Consent } from '../entities/consent.entity.js';

/** The consent registry's per-request loaders. */
export function createConsentLoaders(db: DataSource) {
  return {
    /** Current versions of each person's consents. */
    consentsOfPerson: new DataLoader<string, Consent[]>(async (personIds) => {
      const rows = await db.getRepository(Consent).find({
        where: { personId: In([...personIds]), isCurrent: true },
        order: { givenAt: 'DESC' },
      });
      return personIds.map((id) => rows.filter((row) => row.personId === id));
    }),
    /** All versions of each consent, oldest first. */
    versions: loadMany(db, Consent, 'id', { version: 'ASC' }),
  };
}

export type ConsentLoaders = ReturnType<typeof createConsentLoaders>;
