import { contactsMigration } from '../../common/integration/contact.migration.js';

/** The county's staff, stored once, and which of them is a person's contact for which field of action (issue #17). */
export const Contacts1763700300000 = contactsMigration('Contacts1763700300000');
