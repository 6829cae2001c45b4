import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKey, type DevKey } from '../../common/auth/dev-key.js';
import { createTokenVerifier, issueDevToken, type TokenVerifier } from '../../common/auth/token.js';
import type { Role } from '../../common/domain.js';

export const TEST_ISSUER = 'verbund-dev';

let key: Promise<DevKey> | undefined;

/** A development key of this test process, created in a temporary folder. */
export function testKey(): Promise<DevKey> {
  key ??= loadOrCreateDevKey(mkdtempSync(path.join(os.tmpdir(), 'verbund-key-')));
  return key;
}

export async function testVerifier(): Promise<TokenVerifier> {
  return createTokenVerifier({ issuer: TEST_ISSUER, devKey: await testKey() });
}

/** A token for `agency` with the given roles (CASEWORKER unless said otherwise). */
export async function tokenFor(
  agency: string,
  roles: Role[] = ['CASEWORKER'],
  officer = 'test.officer',
): Promise<string> {
  return issueDevToken((await testKey()).privateKey, { officer, agency, roles, issuer: TEST_ISSUER });
}
