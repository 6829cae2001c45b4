import { witnessStateMigration } from '../../common/audit/witness/witness-state.migration.js';

/** The jobcenter witnesses the consent registry's log of officers' reads and keeps its witness's state here. */
export const OfficerLogWitness1765700000000 = witnessStateMigration('jobcenter', 'OfficerLogWitness1765700000000');
