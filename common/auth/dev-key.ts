import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileOnce } from '../files.js';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The local development signing key, kept in the data folder so that all processes share it. */
export interface DevKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export const DEV_KEY_ALGORITHM = 'EdDSA';

function keyFile(dataDir: string): string {
  return path.join(dataDir, 'dev-signing-key.json');
}

/** Reads the development key from `dataDir`, creating it on first use. */
export async function loadOrCreateDevKey(dataDir: string): Promise<DevKey> {
  const file = keyFile(dataDir);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    return {
      privateKey: (await importJWK(stored.privateJwk, DEV_KEY_ALGORITHM)) as CryptoKey,
      publicKey: (await importJWK(stored.publicJwk, DEV_KEY_ALGORITHM)) as CryptoKey,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(DEV_KEY_ALGORITHM, { extractable: true });
  await mkdir(dataDir, { recursive: true });
  const stored = { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  // Another process may have created it meanwhile: then that one is the key.
  if (!(await createFileOnce(file, JSON.stringify(stored)))) return loadOrCreateDevKey(dataDir);
  return { privateKey, publicKey };
}

/**
 * The development key for a process that may use one: only without `JWKS_URL` and not with
 * `NODE_ENV=production`, where a process without `JWKS_URL` stops at start (nobody could sign in), unless
 * its command line asks for development tokens explicitly (`npm run bench` measures production mode with them).
 */
export async function developmentKeyOrExit(
  config: { environment: string; jwksUrl?: string; dataDir: string },
  options: { allowInProduction?: boolean } = {},
): Promise<DevKey | undefined> {
  if (config.jwksUrl) return undefined;
  if (config.environment === 'production' && !options.allowInProduction) {
    console.error(
      'Configuration error: NODE_ENV=production needs JWKS_URL; development tokens are refused in production.',
    );
    process.exit(78);
  }
  return loadOrCreateDevKey(config.dataDir);
}
