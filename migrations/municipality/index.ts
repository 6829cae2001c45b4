import { MunicipalityInitial1763700001000 } from './1763700001000-MunicipalityInitial.js';
import { MunicipalityIndicators1763700011000 } from './1763700011000-MunicipalityIndicators.js';
import { DisclosureLog1763700110000 } from './1763700110000-DisclosureLog.js';
import { DisclosureCorrelation1763700210000 } from './1763700210000-DisclosureCorrelation.js';
import { Contacts1763700301000 } from './1763700301000-Contacts.js';
import { DisclosureCheckpoints1763700410000 } from './1763700410000-DisclosureCheckpoints.js';
import { OfficerCommitment1765500000000 } from './1765500000000-OfficerCommitment.js';
import { ChainCheckFirst1765800000000 } from './1765800000000-ChainCheckFirst.js';

/**
 * The municipality subgraph's migrations in the order they run (each file's timestamp). A new migration is added
 * here; tests/migrations-index.test.ts fails when a file of this folder is missing or out of order.
 */
export const municipalityMigrations = [
  MunicipalityInitial1763700001000,
  MunicipalityIndicators1763700011000,
  DisclosureLog1763700110000,
  DisclosureCorrelation1763700210000,
  Contacts1763700301000,
  DisclosureCheckpoints1763700410000,
  OfficerCommitment1765500000000,
  ChainCheckFirst1765800000000,
];
