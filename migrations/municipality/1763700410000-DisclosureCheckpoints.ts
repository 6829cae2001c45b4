import { checkpointMigration } from '../../common/audit/proofs/checkpoint.migration.js';

/** Signed checkpoints, attestations and the Merkle tree's stored nodes beside the municipality's disclosure log. */
export const DisclosureCheckpoints1763700410000 = checkpointMigration(
  'municipality',
  'DisclosureCheckpoints1763700410000',
);
