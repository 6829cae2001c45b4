import { officerSaltMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The socialcare subgraph's new log records commit to their officer by a salted hash (record version 2). */
export const OfficerCommitment1765500000000 = officerSaltMigration('OfficerCommitment1765500000000');
