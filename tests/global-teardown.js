// See global-setup.js: runs in the same process, after every test file.
import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { releaseTestDatabases } = await tsImport('./support/harness.ts', import.meta.url);
  await releaseTestDatabases();
}
