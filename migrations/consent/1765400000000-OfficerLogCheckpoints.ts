import { checkpointMigration } from '../../common/audit/proofs/checkpoint.migration.js';

/**
 * The consent registry's own log of officers' reads gets what the data subgraphs' logs have: attestations of
 * each record appended, signed checkpoints, the tree's stored nodes, and the records already there covered
 * on the strength of the chain (`checkpoint_origin`). Witnesses of other parties cosign its checkpoints.
 */
export const OfficerLogCheckpoints1765400000000 = checkpointMigration('consent', 'OfficerLogCheckpoints1765400000000');
