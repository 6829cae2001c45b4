import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  auditRecordsMigration,
  correlationIdMigration,
  disclosureLogMigration,
} from '../../common/audit/log/disclosure-log.migration.js';

const steps = [
  disclosureLogMigration('consent', 'OfficerAuditLog1763700240000'),
  correlationIdMigration('OfficerAuditLog1763700240000'),
  auditRecordsMigration('OfficerAuditLog1763700240000'),
];

/**
 * The consent registry's own log: every look a consent officer takes at the disclosure logs (a timeline, a
 * search, an Art. 15 report, a verification, an export), hash-chained and append-only like the data
 * subgraphs' logs, with the same table, triggers and grants.
 */
export class OfficerAuditLog1763700240000 implements MigrationInterface {
  name = 'OfficerAuditLog1763700240000';

  async up(db: QueryRunner): Promise<void> {
    for (const Step of steps) await new Step().up(db);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const Step of [...steps].reverse()) await new Step().down(db);
  }
}
