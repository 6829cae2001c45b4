import { CountyInitial1763700000000 } from './1763700000000-CountyInitial.js';
import { CountyIndicators1763700010000 } from './1763700010000-CountyIndicators.js';
import { DisclosureLog1763700100000 } from './1763700100000-DisclosureLog.js';
import { DisclosureCorrelation1763700200000 } from './1763700200000-DisclosureCorrelation.js';
import { Contacts1763700300000 } from './1763700300000-Contacts.js';
import { Directory1763700310000 } from './1763700310000-Directory.js';
import { CountyHistory1763700320000 } from './1763700320000-CountyHistory.js';
import { DisclosureCheckpoints1763700400000 } from './1763700400000-DisclosureCheckpoints.js';
import { NameKeys1763700500000 } from './1763700500000-NameKeys.js';
import { OfficerCommitment1765500000000 } from './1765500000000-OfficerCommitment.js';
import { ChainCheckFirst1765800000000 } from './1765800000000-ChainCheckFirst.js';

/**
 * The county subgraph's migrations in the order they run (each file's timestamp). A new migration is added
 * here; tests/migrations-index.test.ts fails when a file of this folder is missing or out of order.
 */
export const countyMigrations = [
  CountyInitial1763700000000,
  CountyIndicators1763700010000,
  DisclosureLog1763700100000,
  DisclosureCorrelation1763700200000,
  Contacts1763700300000,
  Directory1763700310000,
  CountyHistory1763700320000,
  DisclosureCheckpoints1763700400000,
  NameKeys1763700500000,
  OfficerCommitment1765500000000,
  ChainCheckFirst1765800000000,
];
