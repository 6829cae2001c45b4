import { disclosureLogMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The county's disclosure log: every field it released or refused, and every change, hash-chained. */
export const DisclosureLog1763700100000 = disclosureLogMigration('county', 'DisclosureLog1763700100000');
