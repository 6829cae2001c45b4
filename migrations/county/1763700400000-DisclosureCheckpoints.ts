import { checkpointMigration } from '../../common/audit/proofs/checkpoint.migration.js';

/** Signed checkpoints, attestations and the Merkle tree's stored nodes beside the county's disclosure log. */
export const DisclosureCheckpoints1763700400000 = checkpointMigration('county', 'DisclosureCheckpoints1763700400000');
