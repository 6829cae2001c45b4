import { disclosureLogMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The jobcenter's disclosure log: every field it released or refused, and every change, hash-chained. */
export const DisclosureLog1763700120000 = disclosureLogMigration('jobcenter', 'DisclosureLog1763700120000');
