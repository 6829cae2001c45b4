import { createHash, randomFillSync } from 'node:crypto';

/**
 * One disclosure record: what one subgraph released to, refused to, or changed for one caller about one
 * person in one request. Records hold person ids and field names, never field values.
 */
export type RecordKind = 'READ' | 'WRITE' | 'RETENTION' | 'AUDIT';

/**
 * What a consent officer looked at (kind `AUDIT`, in the consent registry's own log): a person's timeline, a
 * search of the log with its filter, a person's Art. 15 report, a verification, or an export.
 */
export type AuditAction = 'TIMELINE' | 'LOG_SEARCH' | 'ACCESS_REPORT' | 'VERIFICATION' | 'EXPORT';

/** The detail of an `AUDIT` record: the action, the filter it used, and how many records it showed. */
export interface AuditDetail {
  action: AuditAction;
  /** The filter as the officer gave it (bounded by the input's own limits); null where there is none. */
  filter: Record<string, unknown> | null;
  /** How many records the answer carried, where it carried records. */
  records: number | null;
}

/** A field that went out, with the data category it belongs to. */
export interface ReleasedField {
  field: string;
  category: string;
  /**
   * The agencies that held the released records, where one subgraph serves several (`municipality:<AGS>`,
   * `socialcare:<provider>`); absent where the subgraph is the holder itself (county, jobcenter).
   */
  holders?: string[];
}

/** A field that was withheld, and the refusal code the caller saw. */
export interface RefusedField {
  field: string;
  category: string;
  reason: string;
}

/** The legal basis on which a category was released: `OWN_TASK`, `STATUTE:<entry>` or `CONSENT:<id>@<version>`. */
export interface CategoryBasis {
  category: string;
  basis: string;
  /**
   * Whose records were released on this basis, where one subgraph serves several agencies: own task for the
   * caller's own records, a consent or statute for another holder's. Absent in records written before it
   * was kept, and where the subgraph is the holder itself.
   */
  holders?: string[];
}

/** A change a caller made: which operation, which record. */
export interface RecordChange {
  operation: string;
  record: string;
}

/** What the retention operation removed, so that verification can start after it. */
export interface RetentionDetail {
  removedFrom: number;
  removedThrough: number;
  count: number;
  /** The hash of the last removed record: the first kept record must point to it. */
  anchorHash: string;
  cutoff: string;
  reason: string;
}

/** A record as a request produces it, before it is placed in the chain. */
export interface DisclosureEntry {
  requestId: string;
  agency: string;
  /** Pseudonymous officer id (the token's `sub`). */
  officer: string;
  roles: string[];
  purpose: string;
  operation: string | null;
  kind: RecordKind;
  personId: string | null;
  released: ReleasedField[];
  refused: RefusedField[];
  basis: CategoryBasis[];
  changes: RecordChange[];
  retention: RetentionDetail | null;
  policyVersion: string;
  /** The client's own X-Request-Id, kept beside the gateway's request id; absent when it sent none. */
  correlationId?: string | null;
  /** For `AUDIT` records only: what the consent officer looked at. */
  audit?: AuditDetail | null;
}

/**
 * What an entry says, in the one order that the record's hash (`canonicalEncoding`), the process's
 * attestation digest (`entryDigest`) and the table's columns (`disclosure-log.table.ts`) all take it.
 */
export const ENTRY_FIELDS = [
  'requestId',
  'agency',
  'officer',
  'roles',
  'purpose',
  'operation',
  'kind',
  'personId',
  'released',
  'refused',
  'basis',
  'changes',
  'retention',
  'policyVersion',
] as const satisfies readonly (keyof DisclosureEntry)[];

/** A record in the chain. */
export interface DisclosureRecord extends DisclosureEntry {
  sequence: number;
  at: Date;
  previousHash: string;
  hash: string;
  /**
   * Record version 2 (`verbund-disclosure-v2`): the salt of the officer's commitment, 32 hex digits, random per
   * record. The hash then covers `officerCommitment(salt, officer)` in the officer's place, so that a receipt can
   * carry the commitment instead of the pseudonymous id, and whoever holds the salt (the log, and through it the
   * consent officers' audit) can open it. Absent (null) in version 1 records, written before; they hash as before.
   */
  officerSalt?: string | null;
}

/**
 * A record as a person's receipt carries it: version 2 records with the officer's commitment in place of the
 * officer and the salt (neither is in the receipt); version 1 records as they are, officer included, because
 * their hash covers the id itself.
 */
export type ReceiptRecord = Omit<DisclosureRecord, 'officer' | 'officerSalt'> & {
  officer?: string;
  officerCommitment?: string;
};

/** The salted commitment to an officer that a version 2 record's hash covers: SHA-256, hex. */
export function officerCommitment(salt: string, officer: string): string {
  return createHash('sha256')
    .update(canonicalJson(['verbund-officer-v1', salt, officer]))
    .digest('hex');
}

/** Whether `officer` with `salt` opens the commitment (what the consent officers' audit checks with the log's salt). */
export function opensCommitment(commitment: string, salt: string, officer: string): boolean {
  return officerCommitment(salt, officer) === commitment;
}

/**
 * Random bytes for salts, drawn from the system's generator 4 KiB at a time (256 salts), as Node draws the
 * entropy of `randomUUID`: `randomBytes(16)` per record cost about 6 µs, most of a record's append outside
 * its hash. Each salt is read out of the pool exactly once; a used part is never handed out again.
 */
const saltPool = Buffer.alloc(4096);
let saltOffset = saltPool.length;

/** A fresh salt for a version 2 record: 16 random bytes, hex. */
export function newOfficerSalt(): string {
  if (saltOffset + 16 > saltPool.length) {
    randomFillSync(saltPool);
    saltOffset = 0;
  }
  const salt = saltPool.toString('hex', saltOffset, saltOffset + 16);
  saltOffset += 16;
  return salt;
}

/** A version 2 record as a receipt carries it (the commitment, not the officer); a version 1 record unchanged. */
export function forReceipt(record: DisclosureRecord): ReceiptRecord {
  const { officer, officerSalt, ...rest } = record;
  if (!officerSalt) return { ...rest, officer };
  return { ...rest, officerCommitment: officerCommitment(officerSalt, officer) };
}

/** The previous hash of the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, undefined members left out, so that equal values always
 * encode equally: what the record's hash and the process's attestation digest cover.
 */
export function canonicalJson(value: unknown): string {
  // Built by appending to one string, without the intermediate arrays of entries, filters and maps: every
  // record is encoded twice on its way into the log (its hash, the process's attestation). The bytes are the
  // same as ever, or no stored hash would verify: an array member that encodes to nothing (undefined) leaves
  // an empty place, as `join` did; keys sort by UTF-16 code units, as `<` does.
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]) ?? '';
    }
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

/** A record, or a receipt's record, without its hash: what `canonicalEncoding` encodes. */
export type UnhashedRecord = Omit<DisclosureRecord, 'hash' | 'officer'> & {
  officer?: string;
  officerCommitment?: string;
};

/**
 * The exact bytes a record's hash covers: every field but the hash itself, in a fixed order, with the time
 * as ISO 8601 in milliseconds. Stored JSON columns may reorder keys; this encoding does not care.
 * Version 1 covers the officer's pseudonymous id; version 2 (a record with an officer salt, or a receipt's
 * record with the commitment) covers the salted commitment in its place, and says so in its first element,
 * so that the two versions can never encode alike. Throws for a record that is neither (no officer, or an
 * officer beside a commitment, whose id the hash would not cover).
 */
export function canonicalEncoding(record: UnhashedRecord): string {
  const { officerCommitment: commitment, officerSalt: salt, officer } = record;
  let officerSlot: string;
  if (commitment !== undefined) {
    if (officer !== undefined || salt != null || typeof commitment !== 'string' || !/^[0-9a-f]{64}$/.test(commitment))
      throw new Error('a record with an officer commitment carries neither the officer nor the salt');
    officerSlot = commitment;
  } else if (typeof officer !== 'string') {
    throw new Error('a record names its officer, or carries its commitment');
  } else if (salt != null) {
    if (typeof salt !== 'string' || !/^[0-9a-f]{32}$/.test(salt)) throw new Error('an officer salt is 32 hex digits');
    officerSlot = officerCommitment(salt, officer);
  } else {
    officerSlot = officer;
  }
  const v2 = commitment !== undefined || salt != null;
  return canonicalJson([
    v2 ? 'verbund-disclosure-v2' : 'verbund-disclosure-v1',
    record.sequence,
    record.at.toISOString(),
    ...ENTRY_FIELDS.map((field) => (field === 'officer' ? officerSlot : record[field])),
    record.previousHash,
    // Added after the first records were written: present only when set, so older records hash as before.
    // An audit detail takes the place after the correlation id, which it then always holds (null or not).
    ...(record.correlationId || record.audit ? [record.correlationId ?? null] : []),
    ...(record.audit ? [record.audit] : []),
  ]);
}

export function recordHash(record: UnhashedRecord): string {
  return createHash('sha256').update(canonicalEncoding(record)).digest('hex');
}

/**
 * The longest value, in characters, a record keeps of each string a client chooses or its identity provider
 * issues. The request id is already checked at authentication (at most 128 characters, else a new id) and
 * the agency, roles and purpose against fixed vocabularies; they are bounded here all the same, so that the
 * log's size never rests on a check made elsewhere.
 */
export const LOG_TEXT_LIMITS = Object.freeze({
  requestId: 128,
  agency: 64,
  officer: 128,
  role: 32,
  purpose: 64,
  operation: 128,
  correlationId: 128,
});

/**
 * A string as the log keeps it: unchanged when it fits in `max` characters; otherwise its first characters,
 * `…` and the first 16 hex digits of the SHA-256 of the whole value, `max` characters in all. Two long values
 * that share their start stay apart, and a filter for a long value finds it when bounded the same way.
 */
export function boundLogText(value: string, max: number): string;
export function boundLogText(value: string | null, max: number): string | null;
export function boundLogText(value: string | null, max: number): string | null {
  if (value === null) return null;
  // No more UTF-16 units than `max` is no more characters either: the common case, without splitting.
  if (value.length <= max) return value;
  const characters = [...value];
  if (characters.length <= max) return value;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 16);
  return `${characters.slice(0, max - 17).join('')}…${digest}`;
}

/** An entry with every client-supplied string bounded by `LOG_TEXT_LIMITS`. */
export function boundEntry(entry: DisclosureEntry): DisclosureEntry {
  return {
    ...entry,
    requestId: boundLogText(entry.requestId, LOG_TEXT_LIMITS.requestId),
    agency: boundLogText(entry.agency, LOG_TEXT_LIMITS.agency),
    officer: boundLogText(entry.officer, LOG_TEXT_LIMITS.officer),
    roles: entry.roles.map((role) => boundLogText(role, LOG_TEXT_LIMITS.role)),
    purpose: boundLogText(entry.purpose, LOG_TEXT_LIMITS.purpose),
    operation: boundLogText(entry.operation, LOG_TEXT_LIMITS.operation),
    correlationId: entry.correlationId ? boundLogText(entry.correlationId, LOG_TEXT_LIMITS.correlationId) : null,
  };
}

/**
 * Places entries after `head` in the chain, at time `at`, their client-supplied strings bounded, as version 2
 * records (each with its own officer salt).
 */
export function chainEntries(
  entries: DisclosureEntry[],
  head: { sequence: number; hash: string },
  at: Date,
): DisclosureRecord[] {
  let { sequence, hash } = head;
  return entries.map((entry) => {
    sequence += 1;
    const unhashed = { ...boundEntry(entry), sequence, at, previousHash: hash, officerSalt: newOfficerSalt() };
    hash = recordHash(unhashed);
    return { ...unhashed, hash };
  });
}

/** A basis string split into its parts, as the consent officer's view shows it. */
export interface ParsedBasis {
  kind: 'OWN_TASK' | 'STATUTE' | 'CONSENT';
  statute: string | null;
  consentId: string | null;
  consentVersion: number | null;
}

export function parseBasis(basis: string): ParsedBasis {
  if (basis.startsWith('STATUTE:'))
    return { kind: 'STATUTE', statute: basis.slice(8), consentId: null, consentVersion: null };
  const consent = /^CONSENT:([^@]+)@(\d+)$/.exec(basis);
  if (consent) return { kind: 'CONSENT', statute: null, consentId: consent[1], consentVersion: Number(consent[2]) };
  return { kind: 'OWN_TASK', statute: null, consentId: null, consentVersion: null };
}
