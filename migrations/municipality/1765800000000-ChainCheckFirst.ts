import { chainFirstMigration } from '../../common/audit/log/disclosure-log.migration.js';

/** The municipality subgraph's chain trigger reads the chain first and asks for the owner only when a row does not extend it. */
export const ChainCheckFirst1765800000000 = chainFirstMigration('ChainCheckFirst1765800000000');
