/**
 * Chain verification: walks a disclosure log in sequence order, recomputes every hash and reports records
 * altered, removed (other than by retention) or cut off the end.
 */
import { fromRow, readHead, type ChainHead, type Queryable, type RecordRow } from './disclosure-log.table.js';
import { GENESIS_HASH, recordHash, type DisclosureRecord } from './record.js';
import { takingTurns } from '../../schedule.js';

/** What verification found wrong, at which record. */
export interface ChainProblem {
  kind: 'ALTERED' | 'REMOVED' | 'TRUNCATED' | 'NOT_COVERED';
  sequence: number;
  message: string;
}

/** A head the consent registry saw earlier: the log must still contain it, unchanged. */
export interface WitnessedHead extends ChainHead {
  seenAt: Date;
}

/** What a walk of the chain found: how many records, which range, the head, and every problem (at most 100). */
export interface ChainVerification {
  intact: boolean;
  records: number;
  firstSequence: number | null;
  lastSequence: number;
  headHash: string;
  problems: ChainProblem[];
}

const VERIFY_PAGE = 5000;
const MAX_PROBLEMS = 100;

/**
 * Walks the whole chain in sequence order and recomputes every hash. Finds records whose content was
 * altered, records removed from the middle or the start (other than by the retention operation), and,
 * given the newest head the consent registry witnessed, records cut off the end.
 */
export async function verifyChain(
  db: Queryable,
  witnessed?: WitnessedHead,
  /** Records younger than this may not have been removed: a RETENTION record that did so is reported. */
  minimumRetentionDays?: number,
  /**
   * Resume after a record already verified (a verified checkpoint's last record) instead of walking from the
   * start, and see every record walked, in order (the checkpoint verification extends its tree with them).
   */
  resume?: { start?: { sequence: number; hash: string }; visit?: (record: DisclosureRecord) => void },
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  const report = (problem: ChainProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const retentions = (
    (await db.query(`SELECT * FROM disclosure_log WHERE kind = 'RETENTION' ORDER BY sequence DESC`)) as RecordRow[]
  ).map(fromRow);
  for (const retention of minimumRetentionDays === undefined ? [] : retentions) {
    const cutoff = new Date(retention.retention?.cutoff ?? 0);
    if (retention.at.getTime() - cutoff.getTime() < minimumRetentionDays! * 86_400_000) {
      report({
        kind: 'REMOVED',
        sequence: retention.retention?.removedFrom ?? retention.sequence,
        message: `RETENTION record ${retention.sequence} removed records ${retention.retention?.removedFrom} to ${retention.retention?.removedThrough} up to ${cutoff.toISOString()}, inside the retention period of ${minimumRetentionDays} days`,
      });
    }
  }

  let count = 0;
  let first: number | null = null;
  let previous: DisclosureRecord | null = null;
  const start = resume?.start && resume.start.sequence > 0 ? resume.start : undefined;
  let witnessedHash: string | undefined;
  for (;;) {
    const rows = (await db.query('SELECT * FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT $2', [
      previous?.sequence ?? start?.sequence ?? 0,
      VERIFY_PAGE,
    ])) as RecordRow[];
    if (rows.length === 0) break;
    for await (const row of takingTurns(rows)) {
      const record = fromRow(row);
      count += 1;
      if (record.sequence === witnessed?.sequence) witnessedHash = record.hash;
      const { hash, ...unhashed } = record;
      if (recordHash(unhashed) !== hash) {
        report({
          kind: 'ALTERED',
          sequence: record.sequence,
          message: `record ${record.sequence} was altered: its content no longer matches its hash`,
        });
      }
      resume?.visit?.(record);
      if (previous === null && start) {
        first = record.sequence;
        if (record.sequence > start.sequence + 1) {
          const [from, to] = [start.sequence + 1, record.sequence - 1];
          report({
            kind: 'REMOVED',
            sequence: from,
            message: from === to ? `record ${from} was removed` : `records ${from} to ${to} were removed`,
          });
        } else if (record.previousHash !== start.hash) {
          report({
            kind: 'ALTERED',
            sequence: start.sequence,
            message: `record ${record.sequence} does not follow record ${start.sequence}, verified before: record ${start.sequence} was altered or replaced`,
          });
        }
      } else if (previous === null) {
        first = record.sequence;
        if (record.sequence === 1) {
          if (record.previousHash !== GENESIS_HASH) {
            report({ kind: 'ALTERED', sequence: 1, message: 'record 1 does not start the chain' });
          }
        } else {
          const anchor = retentions.find((r) => r.retention?.removedThrough === record.sequence - 1);
          if (!anchor || anchor.retention?.anchorHash !== record.previousHash) {
            report({
              kind: 'REMOVED',
              sequence: 1,
              message: `${record.sequence === 2 ? 'record 1 was' : `records 1 to ${record.sequence - 1} were`} removed without a retention record`,
            });
          }
        }
      } else if (record.sequence > previous.sequence + 1) {
        const from = previous.sequence + 1;
        const to = record.sequence - 1;
        report({
          kind: 'REMOVED',
          sequence: from,
          message: from === to ? `record ${from} was removed` : `records ${from} to ${to} were removed`,
        });
      } else if (record.previousHash !== previous.hash) {
        report({
          kind: 'ALTERED',
          sequence: previous.sequence,
          message: `record ${record.sequence} does not follow record ${previous.sequence}: record ${previous.sequence} was altered or replaced`,
        });
      }
      previous = record;
    }
  }

  const lastSequence = previous?.sequence ?? (start ? (await readHead(db)).sequence : 0);
  if (witnessed && witnessed.sequence > 0) {
    const seen = `the consent registry saw record ${witnessed.sequence} with hash ${witnessed.hash} at ${witnessed.seenAt.toISOString()}`;
    if (witnessed.sequence > lastSequence) {
      report({
        kind: 'TRUNCATED',
        sequence: lastSequence + 1,
        message: `records after ${lastSequence} were cut off: ${seen}`,
      });
    } else if (witnessedHash !== undefined && witnessedHash !== witnessed.hash) {
      report({
        kind: 'ALTERED',
        sequence: witnessed.sequence,
        message: `record ${witnessed.sequence} differs from the head the consent registry saw (${seen}); the chain was rewritten`,
      });
    }
  }
  return {
    intact: problems.length === 0,
    records: count,
    firstSequence: first,
    lastSequence,
    headHash:
      previous?.hash ??
      (start && lastSequence === start.sequence
        ? start.hash
        : lastSequence === 0
          ? GENESIS_HASH
          : (await readHead(db)).hash),
    problems,
  };
}
