// jest's globalSetup runs outside the test environment, without jest's transform: tsx loads the harness,
// as it loads the product code under `npm start`.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { prepareConsole, prepareTestDatabases } = await tsImport('./support/harness.ts', import.meta.url);
  await prepareConsole();
  await prepareTestDatabases();
}
