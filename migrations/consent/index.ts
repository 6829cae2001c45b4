import { ConsentInitial1763700004000 } from './1763700004000-ConsentInitial.js';
import { WitnessedHeads1763700140000 } from './1763700140000-WitnessedHeads.js';
import { OfficerAuditLog1763700240000 } from './1763700240000-OfficerAuditLog.js';
import { CheckpointWitness1763700440000 } from './1763700440000-CheckpointWitness.js';
import { ConsentLocalDates1765200000000 } from './1765200000000-ConsentLocalDates.js';
import { LogReread1765300000000 } from './1765300000000-LogReread.js';
import { OfficerLogCheckpoints1765400000000 } from './1765400000000-OfficerLogCheckpoints.js';
import { OfficerCommitment1765500000000 } from './1765500000000-OfficerCommitment.js';
import { OfficerLogCosignatures1765600000000 } from './1765600000000-OfficerLogCosignatures.js';
import { ChainCheckFirst1765800000000 } from './1765800000000-ChainCheckFirst.js';

/**
 * The consent subgraph's migrations in the order they run (each file's timestamp). A new migration is added
 * here; tests/migrations-index.test.ts fails when a file of this folder is missing or out of order.
 */
export const consentMigrations = [
  ConsentInitial1763700004000,
  WitnessedHeads1763700140000,
  OfficerAuditLog1763700240000,
  CheckpointWitness1763700440000,
  ConsentLocalDates1765200000000,
  LogReread1765300000000,
  OfficerLogCheckpoints1765400000000,
  OfficerCommitment1765500000000,
  OfficerLogCosignatures1765600000000,
  ChainCheckFirst1765800000000,
];
