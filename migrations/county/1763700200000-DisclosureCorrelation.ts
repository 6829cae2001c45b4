import { correlationIdMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The county's disclosure log keeps a client's own X-Request-Id beside the gateway's request id. */
export const DisclosureCorrelation1763700200000 = correlationIdMigration('DisclosureCorrelation1763700200000');
