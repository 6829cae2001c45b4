import { correlationIdMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The jobcenter's disclosure log keeps a client's own X-Request-Id beside the gateway's request id. */
export const DisclosureCorrelation1763700220000 = correlationIdMigration('DisclosureCorrelation1763700220000');
