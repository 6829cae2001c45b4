import { JobcenterInitial1763700002000 } from './1763700002000-JobcenterInitial.js';
import { JobcenterIndicators1763700012000 } from './1763700012000-JobcenterIndicators.js';
import { DisclosureLog1763700120000 } from './1763700120000-DisclosureLog.js';
import { DisclosureCorrelation1763700220000 } from './1763700220000-DisclosureCorrelation.js';
import { Contacts1763700302000 } from './1763700302000-Contacts.js';
import { DisclosureCheckpoints1763700420000 } from './1763700420000-DisclosureCheckpoints.js';
import { OfficerCommitment1765500000000 } from './1765500000000-OfficerCommitment.js';
import { OfficerLogWitness1765700000000 } from './1765700000000-OfficerLogWitness.js';
import { ChainCheckFirst1765800000000 } from './1765800000000-ChainCheckFirst.js';

/**
 * The jobcenter subgraph's migrations in the order they run (each file's timestamp). A new migration is added
 * here; tests/migrations-index.test.ts fails when a file of this folder is missing or out of order.
 */
export const jobcenterMigrations = [
  JobcenterInitial1763700002000,
  JobcenterIndicators1763700012000,
  DisclosureLog1763700120000,
  DisclosureCorrelation1763700220000,
  Contacts1763700302000,
  DisclosureCheckpoints1763700420000,
  OfficerCommitment1765500000000,
  OfficerLogWitness1765700000000,
  ChainCheckFirst1765800000000,
];
