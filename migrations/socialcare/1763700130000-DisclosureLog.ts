import { disclosureLogMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The socialcare's disclosure log: every field it released or refused, and every change, hash-chained. */
export const DisclosureLog1763700130000 = disclosureLogMigration('socialcare', 'DisclosureLog1763700130000');
