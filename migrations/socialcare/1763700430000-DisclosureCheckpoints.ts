import { checkpointMigration } from '../../common/audit/proofs/checkpoint.migration.js';

/** Signed checkpoints, attestations and the Merkle tree's stored nodes beside the socialcare's disclosure log. */
export const DisclosureCheckpoints1763700430000 = checkpointMigration(
  'socialcare',
  'DisclosureCheckpoints1763700430000',
);
