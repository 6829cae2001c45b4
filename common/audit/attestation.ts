import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DisclosureLog } from './disclosure-log.repository.js';
import type { Queryable } from './disclosure-log.table.js';
import type { LogKeyRing } from './log-keys.js';
import { boundEntry, type DisclosureEntry, type DisclosureRecord } from './record.js';

/** JSON with object keys sorted at every level (as the record encoding does), undefined members left out. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The digest of what an entry says, without its place in the chain (sequence, time, previous hash), which
 * only the append assigns. An entry and the record it became have the same digest.
 */
export function entryDigest(entry: DisclosureEntry | DisclosureRecord): string {
  const e = 'sequence' in entry ? entry : boundEntry(entry);
  return createHash('sha256')
    .update(
      canonicalJson([
        'verbund-entry-v1', e.requestId, e.agency, e.officer, e.roles, e.purpose, e.operation, e.kind, e.personId,
        e.released, e.refused, e.basis, e.changes, e.retention ?? null, e.policyVersion, e.correlationId || null, e.audit ?? null,
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

/** Stores the process's attestations of `entries`, one row each, 10,000 rows per statement (PostgreSQL takes 65,535 parameters). */
export async function attest(db: Queryable, keys: LogKeyRing, entries: DisclosureEntry[]): Promise<void> {
  const key = keys.macKey(keys.keyId)!;
  for (let start = 0; start < entries.length; start += 10_000) {
    const chunk = entries.slice(start, start + 10_000);
    const digests = chunk.map(entryDigest);
    await db.query('INSERT INTO disclosure_attestation (digest, key_id, mac) SELECT d, $2, m FROM unnest($1::text[], $3::text[]) AS t(d, m)', [
      digests, keys.keyId, digests.map((digest) => mac(key, digest)),
    ]);
  }
}

/**
 * The disclosure log of a data subgraph whose process vouches for what it appends: before each append it
 * stores an attestation of every entry (committed before the append starts, so a record of this process
 * never lacks one; an append that then fails leaves an attestation nothing uses). A record inserted by
 * anyone else — the subgraph's own database role used from outside the process included — has none, and
 * the checkpointer does not cover it. The append itself is the unchanged `DisclosureLog`'s.
 */
export class AttestingDisclosureLog extends DisclosureLog {
  private waiting: { entries: DisclosureEntry[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private attesting = false;

  constructor(
    private readonly database: DataSource,
    private readonly keys: LogKeyRing,
  ) {
    super(database);
  }

  override async append(entries: DisclosureEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.attestTogether(entries);
    return super.append(entries);
  }

  override async appendWithin(manager: EntityManager, entries: DisclosureEntry[]): Promise<DisclosureRecord[]> {
    // In the caller's transaction: the attestation commits with the change and its record, or neither does.
    await attest(manager, this.keys, entries);
    return super.appendWithin(manager, entries);
  }

  /**
   * Attestations of concurrent requests go into one INSERT (as their records go into one group commit): while
   * one statement runs, the next requests wait and share the following one.
   */
  private attestTogether(entries: DisclosureEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entries, resolve, reject });
      if (!this.attesting) void this.flushAttestations();
    });
  }

  private async flushAttestations(): Promise<void> {
    this.attesting = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 300);
      try {
        await attest(this.database, this.keys, batch.flatMap((w) => w.entries));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.attesting = false;
  }
}
