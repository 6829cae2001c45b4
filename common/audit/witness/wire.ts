import { CATEGORIES } from '../../domain.js';
import { isUuid } from '../../validation.js';
import type { RecordQuery } from '../log/disclosure-log.repository.js';
import type { WitnessedHead } from '../log/disclosure-log.verification.js';
import type { DisclosureRecord } from '../log/record.js';

/** The most records one page may ask for. */
export const MAX_PAGE = 500;

/** Times PostgreSQL stores and people mean: years 1900 to 9999. */
export function isPlausibleTime(time: Date): boolean {
  const year = time.getUTCFullYear();
  return !Number.isNaN(time.getTime()) && year >= 1900 && year <= 9999;
}

function date(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (!parsed || !isPlausibleTime(parsed))
    throw new Error(`${name} must be an ISO 8601 date-time between the years 1900 and 9999`);
  return parsed;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    throw new Error(`${name} must be a string of 1 to 200 characters`);
  return value;
}

/** Reads a record query sent as JSON; throws with a message naming the bad field. */
export function parseRecordQuery(body: unknown): RecordQuery {
  if (body === null || typeof body !== 'object') throw new Error('The body must be a JSON object');
  const b = body as Record<string, unknown>;
  const personId = text(b.personId, 'personId');
  if (personId !== undefined && !isUuid(personId)) throw new Error('personId must be a person id (UUID)');
  const decision = b.decision ?? undefined;
  if (decision !== undefined && decision !== 'RELEASED' && decision !== 'REFUSED' && decision !== 'WRITE') {
    throw new Error('decision must be RELEASED, REFUSED or WRITE');
  }
  const category = text(b.category, 'category');
  if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category))
    throw new Error(`category must be one of ${CATEGORIES.join(', ')}`);
  const basis = b.basis ?? undefined;
  if (basis !== undefined && basis !== 'OWN_TASK' && basis !== 'STATUTE' && basis !== 'CONSENT')
    throw new Error('basis must be OWN_TASK, STATUTE or CONSENT');
  const officerReads = b.officerReads ?? undefined;
  if (officerReads !== undefined && typeof officerReads !== 'boolean')
    throw new Error('officerReads must be a boolean');
  const limit = b.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE + 1) {
    throw new Error(`limit must be an integer from 1 to ${MAX_PAGE + 1}`);
  }
  let before: RecordQuery['before'];
  if (b.before !== undefined && b.before !== null) {
    const position = b.before as Record<string, unknown>;
    const at = date(position.at, 'before.at');
    if (!at || typeof position.sequence !== 'number' || !Number.isSafeInteger(position.sequence)) {
      throw new Error('before must be { at, sequence }');
    }
    before = { at, sequence: position.sequence };
  }
  return {
    personId: personId?.toLowerCase(),
    requestId: text(b.requestId, 'requestId'),
    agency: text(b.agency, 'agency'),
    officer: text(b.officer, 'officer'),
    purpose: text(b.purpose, 'purpose'),
    from: date(b.from, 'from'),
    to: date(b.to, 'to'),
    decision,
    category,
    basis,
    officerReads,
    before,
    limit,
  };
}

/** Reads the witnessed head sent for verification; absent means none was witnessed yet. Throws when malformed. */
export function parseWitnessedHead(value: unknown): WitnessedHead | undefined {
  if (value === undefined || value === null) return undefined;
  const v = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const seenAt = date(v.seenAt, 'witnessed.seenAt');
  if (!Number.isSafeInteger(v.sequence) || typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash) || !seenAt) {
    throw new Error('witnessed must be { sequence, hash, seenAt }');
  }
  return { sequence: v.sequence as number, hash: v.hash, seenAt };
}

/** A record as JSON carries its time as a string; this restores the Date. */
export function recordFromWire(wire: Omit<DisclosureRecord, 'at'> & { at: string }): DisclosureRecord {
  return { ...wire, at: new Date(wire.at) };
}
