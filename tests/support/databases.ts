import { randomBytes } from 'node:crypto';
import type { SubgraphName } from '../../common/domain.js';
import { cloneDatabase, dropDatabase, provisionDatabase, type SubgraphDatabase } from '../../common/db/provision.js';

/** Template databases are named per test run, so that runs sharing one server do not disturb each other. */
export function templateName(subgraph: SubgraphName, run = process.env.VERBUND_TEST_RUN ?? ''): string {
  return `verbund_template${run}_${subgraph}`;
}

/** The administrative URL `npm test` set up; test files run only under it. */
export function testAdminUrl(): string {
  const url = process.env.VERBUND_TEST_ADMIN_URL;
  if (!url) throw new Error('Run the tests with `npm test`, which prepares the test databases');
  return url;
}

/** A fresh database for one subgraph, cloned from its migrated template, with the runtime role's rights. */
export async function createTestDatabase(
  subgraph: SubgraphName,
): Promise<SubgraphDatabase & { drop(): Promise<void> }> {
  const adminUrl = testAdminUrl();
  const name = `verbund_t${randomBytes(5).toString('hex')}_${subgraph}`;
  await cloneDatabase(adminUrl, templateName(subgraph), name);
  const database = await provisionDatabase(adminUrl, subgraph, name);
  return { ...database, drop: () => dropDatabase(adminUrl, name) };
}
