import { disclosureLogMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The municipality's disclosure log: every field it released or refused, and every change, hash-chained. */
export const DisclosureLog1763700110000 = disclosureLogMigration('municipality', 'DisclosureLog1763700110000');
