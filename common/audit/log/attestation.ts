import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { takingTurns } from '../../schedule.js';
import { DisclosureLog } from './disclosure-log.repository.js';
import type { AttestationRow, Queryable } from './disclosure-log.table.js';
import type { LogKeyRing } from './log-keys.js';
import { boundEntry, canonicalJson, ENTRY_FIELDS, type DisclosureEntry, type DisclosureRecord } from './record.js';

/**
 * The digest of what an entry says, without its place in the chain (sequence, time, previous hash), which
 * only the append assigns. An entry and the record it became have the same digest.
 */
export function entryDigest(entry: DisclosureEntry | DisclosureRecord): string {
  const e = 'sequence' in entry ? entry : boundEntry(entry);
  return createHash('sha256')
    .update(
      canonicalJson([
        'verbund-entry-v1',
        ...ENTRY_FIELDS.map((field) => (field === 'retention' ? (e.retention ?? null) : e[field])),
        e.correlationId || null,
        e.audit ?? null,
      ]),
    )
    .digest('hex');
}

function mac(key: Buffer, digest: string): string {
  return createHmac('sha256', key).update(`verbund-attestation-v1\n${digest}`).digest('hex');
}

/** An attestation row: the process vouches for one entry with this digest. */
export interface Attestation {
  digest: string;
  keyId: string;
  mac: string;
}

/** Whether an attestation was made by a key of `keys` (timing-safe). */
export function attestationHolds(keys: LogKeyRing, attestation: Attestation): boolean {
  const key = keys.macKey(attestation.keyId);
  if (!key || !/^[0-9a-f]{64}$/.test(attestation.mac)) return false;
  return timingSafeEqual(Buffer.from(mac(key, attestation.digest), 'hex'), Buffer.from(attestation.mac, 'hex'));
}

/**
 * How many valid attestations of this log's keys each digest has that no record has used yet: a record is
 * vouched for by one of them, and one attestation vouches for one record only (a copied record finds none).
 * The checkpointer and the verification both count with this, so they cannot disagree; the checkpointer,
 * which reads page by page, also deducts what its own run has used on earlier pages and not stored yet.
 */
export async function unusedAttestations(
  db: Queryable,
  keys: LogKeyRing,
  digests: string[],
): Promise<Map<string, number>> {
  const attestations = (await db.query(
    'SELECT digest, key_id AS "keyId", mac FROM disclosure_attestation WHERE digest = ANY($1)',
    [digests],
  )) as Attestation[];
  const uses = (await db.query(
    'SELECT digest, count(*)::int AS n FROM disclosure_attestation_use WHERE digest = ANY($1) GROUP BY digest',
    [digests],
  )) as { digest: string; n: number }[];
  const available = new Map<string, number>();
  for await (const a of takingTurns(attestations))
    if (attestationHolds(keys, a)) available.set(a.digest, (available.get(a.digest) ?? 0) + 1);
  for (const u of uses) available.set(u.digest, (available.get(u.digest) ?? 0) - u.n);
  return available;
}

/** The process's attestations of `entries`, one row each, as the append stores them with the records. */
export function attestationRows(keys: LogKeyRing, entries: DisclosureEntry[]): AttestationRow[] {
  const key = keys.macKey(keys.keyId)!;
  return entries.map((entry) => {
    const digest = entryDigest(entry);
    return { digest, key_id: keys.keyId, mac: mac(key, digest) };
  });
}

/** Stores attestations on their own (the retention operation, in its transaction). */
export async function attest(db: Queryable, keys: LogKeyRing, entries: DisclosureEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    'INSERT INTO disclosure_attestation (digest, key_id, mac) SELECT a.digest, a.key_id, a.mac FROM jsonb_to_recordset($1::jsonb) AS a(digest text, key_id text, mac text)',
    [JSON.stringify(attestationRows(keys, entries))],
  );
}

/**
 * The disclosure log of a data subgraph whose process vouches for what it appends: every entry's attestation
 * is stored by the same statement (or transaction) that appends its record, so a record of this process
 * never lacks one, and a person view costs no statement more. A record inserted by anyone else — the
 * subgraph's own database role used from outside the process included — has none, and the checkpointer does
 * not cover it.
 */
export class AttestingDisclosureLog extends DisclosureLog {
  constructor(db: DataSource, keys: LogKeyRing) {
    super(db, (entries) => attestationRows(keys, entries));
  }
}
