import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createFileOnce } from '../../files.js';

/**
 * The Ed25519 keys a disclosure log's process signs with (checkpoints) and a witness cosigns with. They live
 * in a file the process reads at start, never in the database: whoever holds only the database credentials
 * can append rows but cannot sign. A key file holds one or more PEM private keys: the first signs, the
 * others are retired keys kept so that what they signed (checkpoints, attestations) still verifies after a
 * rotation. Every key is named by its key id, the first 16 hex digits of the SHA-256 of its public key (SPKI).
 */
export interface LogKeyRing {
  /** The signing key's id. */
  keyId: string;
  /** Public keys by key id: the signing key and the retired ones. */
  publicKeys: Map<string, KeyObject>;
  /** Signs `data` with the current key; base64. */
  sign(data: string | Buffer): string;
  /** Signs `data` with one of the ring's keys (by id), e.g. a retired key announcing its successor; base64. */
  signWith(keyId: string, data: string | Buffer): string;
  /** The key ids from the signing key to the oldest retired one, in the key file's order. */
  order: string[];
  /** The HMAC key of one of this ring's keys (by id), derived from the private key; undefined for an unknown id. */
  macKey(keyId: string): Buffer | undefined;
}

/** A public key as `/audit/keys` publishes it and a receipt or witness reads it. */
export interface PublishedKey {
  keyId: string;
  algorithm: 'Ed25519';
  /** SPKI DER, base64. */
  publicKey: string;
  /** Whether it signs now; retired keys verify what they signed earlier. */
  current: boolean;
  /**
   * The id of the older key of the same owner that announced this one (absent for the owner's first key, which
   * verifiers pin from configuration): a new key counts only with its predecessor's signature.
   */
  announcedBy?: string;
  /** `announcedBy`'s Ed25519 signature over `keyAnnouncementBody`, base64. */
  announcement?: string;
}

/** Whose a key is and in which role: a log's key signs that log's checkpoints, a witness's key cosigns others' logs. */
export type KeyOwner = { role: 'log'; logId: string } | { role: 'witness'; witness: string };

/** How a key's owner is named in messages: `the log key of verbund:county`, `the witness key of consent`. */
export function describeOwner(owner: KeyOwner): string {
  return owner.role === 'log' ? `the log key of ${owner.logId}` : `the witness key of ${owner.witness}`;
}

/** The exact text an older key signs to announce its successor: owner, role and the new key. */
export function keyAnnouncementBody(owner: KeyOwner, key: { keyId: string; publicKey: string }): string {
  const who = owner.role === 'log' ? owner.logId : owner.witness;
  return `verbund-key-announcement-v1\n${owner.role}\n${who}\n${key.keyId}\n${key.publicKey}\n`;
}

/** The key id of a public key: 16 hex digits of the SHA-256 of its SPKI encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** A key ring over private keys, the first one signing. */
export function keyRing(privateKeys: KeyObject[]): LogKeyRing {
  if (privateKeys.length === 0) throw new Error('a key file must hold at least one Ed25519 private key');
  const entries = privateKeys.map((key) => {
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a log key must be Ed25519, not ${key.asymmetricKeyType}`);
    const publicKey = createPublicKey(key);
    const der = key.export({ type: 'pkcs8', format: 'der' });
    const mac = Buffer.from(hkdfSync('sha256', der, 'verbund', 'disclosure-attestation-v1', 32));
    return { keyId: keyIdOf(publicKey), key, publicKey, mac };
  });
  const [current] = entries;
  return {
    keyId: current.keyId,
    publicKeys: new Map(entries.map((e) => [e.keyId, e.publicKey])),
    sign: (data) => sign(null, Buffer.from(data), current.key).toString('base64'),
    signWith: (keyId, data) => {
      const entry = entries.find((e) => e.keyId === keyId);
      if (!entry) throw new Error(`the key ring holds no key ${keyId}`);
      return sign(null, Buffer.from(data), entry.key).toString('base64');
    },
    order: entries.map((e) => e.keyId),
    macKey: (keyId) => entries.find((e) => e.keyId === keyId)?.mac,
  };
}

/** Reads a key ring from PEM text (one or more `PRIVATE KEY` blocks); throws naming what is wrong. */
export function keyRingFromPem(pem: string): LogKeyRing {
  const blocks = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g) ?? [];
  return keyRing(blocks.map((block) => createPrivateKey(block)));
}

/** A fresh key ring held in memory only (tests, benchmarks). */
export function ephemeralKeyRing(): LogKeyRing {
  return keyRing([generateKeyPairSync('ed25519').privateKey]);
}

/** Reads the key file at `file`; a missing or unreadable file throws with its path in the message. */
export async function loadKeyRing(file: string): Promise<LogKeyRing> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
  try {
    return keyRingFromPem(pem);
  } catch (error) {
    throw new Error(`the key file ${file} holds no usable Ed25519 private key: ${(error as Error).message}`);
  }
}

/**
 * The development key of one part (`county`, …, or `witness-consent`) under `<dataDir>/log-keys/`, created
 * on first use and shared by every process (and replica) of that part, like the development token key.
 */
export async function loadOrCreateDevKeyRing(dataDir: string, name: string): Promise<LogKeyRing> {
  const file = path.join(dataDir, 'log-keys', `${name}.pem`);
  try {
    return keyRingFromPem(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // Another process may have created it meanwhile: then that one is the key.
  if (!(await createFileOnce(file, pem))) return loadOrCreateDevKeyRing(dataDir, name);
  return keyRingFromPem(pem);
}

/**
 * The ring's public keys as published, newest first. With `owner`, every key but the oldest carries the
 * announcement its predecessor in the key file signed (the ring holds the retired keys, so a rotation is
 * announced by putting the new key first); verifiers accept a key they did not pin only that way.
 */
export function publishKeys(ring: LogKeyRing, owner?: KeyOwner): PublishedKey[] {
  return ring.order.map((keyId, i) => {
    const published: PublishedKey = {
      keyId,
      algorithm: 'Ed25519',
      publicKey: ring.publicKeys.get(keyId)!.export({ type: 'spki', format: 'der' }).toString('base64'),
      current: keyId === ring.keyId,
    };
    const predecessor = ring.order[i + 1];
    if (!owner || !predecessor) return published;
    return {
      ...published,
      announcedBy: predecessor,
      announcement: ring.signWith(predecessor, keyAnnouncementBody(owner, published)),
    };
  });
}

/** A published key back as a key object; throws when it is not an Ed25519 key or its id does not match. */
export function publicKeyFrom(published: { keyId: string; publicKey: string }): KeyObject {
  const key = createPublicKey({ key: Buffer.from(published.publicKey, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key ${published.keyId} is not an Ed25519 key`);
  if (keyIdOf(key) !== published.keyId) throw new Error(`key ${published.keyId} does not have that key id`);
  return key;
}

/** Whether `signature` (base64) is `key`'s Ed25519 signature over `data`. */
export function verifySignature(key: KeyObject, data: string | Buffer, signature: string): boolean {
  try {
    return verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The key ring a process signs with: from the configured file (`<NAME>_LOG_KEY_FILE`, `WITNESS_KEY_FILE`),
 * else, outside production, the development key under `DATA_DIR/log-keys/`. In production without a file the
 * process stops at start, naming the variable; so does an unreadable file.
 */
export async function keyRingOrExit(
  config: { environment: string; dataDir: string },
  variable: string,
  file: string | undefined,
  devName: string,
  options: { allowDevelopmentKey?: boolean } = {},
): Promise<LogKeyRing> {
  try {
    if (file) return await loadKeyRing(file);
  } catch (error) {
    console.error(`Configuration error: ${variable}: ${(error as Error).message}`);
    process.exit(78);
  }
  if (config.environment === 'production' && !options.allowDevelopmentKey) {
    console.error(
      `Configuration error: ${variable} is not set; NODE_ENV=production needs the Ed25519 signing key from a file, never a generated one.`,
    );
    process.exit(78);
  }
  return loadOrCreateDevKeyRing(config.dataDir, devName);
}
