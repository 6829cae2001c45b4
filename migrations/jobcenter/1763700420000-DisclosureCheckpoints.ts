import { checkpointMigration } from '../../common/audit/proofs/checkpoint.migration.js';

/** Signed checkpoints, attestations and the Merkle tree's stored nodes beside the jobcenter's disclosure log. */
export const DisclosureCheckpoints1763700420000 = checkpointMigration(
  'jobcenter',
  'DisclosureCheckpoints1763700420000',
);
