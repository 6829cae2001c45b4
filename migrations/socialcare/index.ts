import { SocialcareInitial1763700003000 } from './1763700003000-SocialcareInitial.js';
import { SocialcareIndicators1763700013000 } from './1763700013000-SocialcareIndicators.js';
import { DisclosureLog1763700130000 } from './1763700130000-DisclosureLog.js';
import { DisclosureCorrelation1763700230000 } from './1763700230000-DisclosureCorrelation.js';
import { SocialcareParticipation1763700330000 } from './1763700330000-SocialcareParticipation.js';
import { DisclosureCheckpoints1763700430000 } from './1763700430000-DisclosureCheckpoints.js';
import { OfficerCommitment1765500000000 } from './1765500000000-OfficerCommitment.js';
import { ChainCheckFirst1765800000000 } from './1765800000000-ChainCheckFirst.js';

/**
 * The socialcare subgraph's migrations in the order they run (each file's timestamp). A new migration is added
 * here; tests/migrations-index.test.ts fails when a file of this folder is missing or out of order.
 */
export const socialcareMigrations = [
  SocialcareInitial1763700003000,
  SocialcareIndicators1763700013000,
  DisclosureLog1763700130000,
  DisclosureCorrelation1763700230000,
  SocialcareParticipation1763700330000,
  DisclosureCheckpoints1763700430000,
  OfficerCommitment1765500000000,
  ChainCheckFirst1765800000000,
];
