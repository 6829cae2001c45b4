import { latestWitnessedHead, witnessAlarms, witnessHead } from '../../../common/audit/witness/head-witness.js';
import { logIdOf, type CosignedCheckpoint } from '../../../common/audit/proofs/checkpoint.js';
import { DatabaseWitnessStore, witnessLogs } from '../../../common/audit/witness/checkpoint-witness.js';
import { publishKeys } from '../../../common/audit/log/log-keys.js';
import { RECEIPT_FORMAT, REGISTRY_WITNESS, type Receipt } from '../../../common/audit/proofs/receipt.js';
import { forReceipt } from '../../../common/audit/log/record.js';
import { rootOf } from '../../../common/audit/proofs/merkle.js';
import { recordLeaf } from '../../../common/audit/proofs/merkle-store.js';
import {
  LOGGING_SUBGRAPHS,
  type LoggingSubgraph,
  type SourcedRecord,
} from '../../../common/audit/witness/log-client.js';
import { partLogger } from '../../../common/log.js';
import type { ChainProblem } from '../../../common/audit/log/disclosure-log.verification.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { ChainProblemKind, LogVerification } from '../entities/disclosure.type.js';
import {
  joined,
  oldestLastReread,
  planSlice,
  rangesText,
  recordReread,
  rereadsOf,
  subtract,
  type Range,
} from './reread.js';
import { logClient, officerAuditLog, pinnedLogKeys, recordOfficerRead, witnessKeys } from './registry-context.js';

/**
 * The consent registry's proof work on the data subgraphs' disclosure logs: verifying every chain against the
 * heads and checkpoints it witnessed, having the logs sign checkpoints and cosigning them, and the receipt of
 * an Art. 15 report (each record with its inclusion proof).
 */
/** `VERIFY_FULL_CYCLE_DAYS` when the process was not given it. */
export const DEFAULT_FULL_CYCLE_DAYS = 7;

export class LogVerificationService {
  constructor(private readonly ctx: SubgraphContext) {}

  private get client() {
    return logClient(this.ctx);
  }

  private get witnessKeys() {
    return witnessKeys(this.ctx);
  }

  /**
   * Has each log sign a checkpoint now and witnesses it (consistency with the last one cosigned); the newest
   * cosigned checkpoint of each log that answered.
   */
  async checkpointAndWitness(subgraphs: readonly LoggingSubgraph[]): Promise<Map<LoggingSubgraph, CosignedCheckpoint>> {
    await Promise.all(
      subgraphs.map((subgraph) =>
        this.client.checkpointNow(subgraph, this.ctx.caller, this.ctx.authorization).catch((error: unknown) => {
          partLogger('consent').warn(`${subgraph} did not sign a checkpoint on demand`, { err: error });
        }),
      ),
    );
    await witnessLogs(
      this.ctx.db,
      this.client,
      this.witnessKeys,
      pinnedLogKeys(this.ctx),
      (message) => partLogger('consent').warn(message),
      subgraphs,
    );
    const store = new DatabaseWitnessStore(this.ctx.db);
    const cosigned = new Map<LoggingSubgraph, CosignedCheckpoint>();
    for (const subgraph of subgraphs) {
      const last = await store.last(logIdOf(subgraph));
      if (last) cosigned.set(subgraph, last);
    }
    return cosigned;
  }

  /** The receipt of a report: each released record with its inclusion proof in the newest cosigned checkpoint. */
  async receipt(
    personId: string,
    generatedAt: Date,
    records: SourcedRecord[],
    cosigned: Map<LoggingSubgraph, CosignedCheckpoint>,
  ): Promise<Receipt> {
    const store = new DatabaseWitnessStore(this.ctx.db);
    const receipt: Receipt = {
      format: RECEIPT_FORMAT,
      personId,
      generatedAt: generatedAt.toISOString(),
      logs: {},
      witnessKeys: publishKeys(this.witnessKeys, { role: 'witness', witness: REGISTRY_WITNESS }),
      witnesses: {
        [REGISTRY_WITNESS]: publishKeys(this.witnessKeys, { role: 'witness', witness: REGISTRY_WITNESS }),
      },
      disclosures: [],
      pending: [],
    };
    for (const subgraph of LOGGING_SUBGRAPHS) {
      const mine = records.filter((r) => r.subgraph === subgraph).sort((a, b) => a.sequence - b.sequence);
      const checkpoint = cosigned.get(subgraph);
      const covered = checkpoint ? mine.filter((r) => r.sequence <= checkpoint.size) : [];
      receipt.pending.push(
        ...mine
          .filter((r) => !checkpoint || r.sequence > checkpoint.size)
          .map((r) => ({ subgraph, sequence: r.sequence })),
      );
      if (!checkpoint || covered.length === 0) continue;
      // The log's keys as this witness trusts them: pinned from configuration, and those announced since.
      const pinned = this.ctx.pinnedLogKeys?.[checkpoint.logId] ?? [];
      const announced = (await store.keys(checkpoint.logId)).filter((k) => !pinned.some((p) => p.keyId === k.keyId));
      receipt.logs[subgraph] = { checkpoint, keys: [...pinned, ...announced] };
      const proofs = await this.client.proofs(
        subgraph,
        this.ctx.caller,
        this.ctx.authorization,
        covered.map((r) => r.sequence),
        checkpoint.size,
      );
      for (const [i, record] of covered.entries()) {
        const { subgraph: _s, ...plain } = record;
        // A version 2 record goes in with the officer's salted commitment, never the pseudonymous id.
        const carried = forReceipt(plain);
        receipt.disclosures.push({
          subgraph,
          record: { ...carried, at: record.at.toISOString() },
          leafIndex: proofs[i].leafIndex,
          proof: proofs[i].proof,
        });
      }
    }
    return receipt;
  }

  /**
   * Verifies every data subgraph's chain, after witnessing the current heads: the chain itself, the newest
   * witnessed head, and every alarm witnessing raised. A subgraph that does not answer is reported as such
   * while the others are still verified.
   */
  async verify(full = false): Promise<LogVerification[]> {
    // Witnessing each head is also the check who answers (within AUDIT_TIMEOUT_MS, below the gateway's deadline):
    // a log that does not answer is named as such and left out of the slower steps, so that one hung part
    // neither takes the others' results with it nor makes the gateway blame the registry.
    const down = new Map<LoggingSubgraph, string>();
    await Promise.all(
      LOGGING_SUBGRAPHS.map(async (subgraph) => {
        try {
          const alarm = await witnessHead(this.ctx.db, this.client, subgraph);
          if (alarm) partLogger('consent').warn(`ALARM ${subgraph}'s disclosure log: ${alarm.message}`);
        } catch (error) {
          down.set(subgraph, (error as Error).message);
        }
      }),
    );
    const answering = LOGGING_SUBGRAPHS.filter((s) => !down.has(s));
    await this.checkpointAndWitness(answering);
    const store = new DatabaseWitnessStore(this.ctx.db);
    const cycleMs = (this.ctx.verifyFullCycleDays ?? DEFAULT_FULL_CYCLE_DAYS) * 86_400_000;
    const results = await Promise.all([
      ...LOGGING_SUBGRAPHS.map(async (subgraph) => {
        const logId = logIdOf(subgraph);
        const witnessed = await latestWitnessedHead(this.ctx.db, subgraph);
        const alarms = await witnessAlarms(this.ctx.db, subgraph);
        const checkpointAlarms = await store.alarms(logId);
        const verifiedPoints = (
          await this.ctx.db.query<{ size: string; root: string }[]>(
            'SELECT size, root FROM verified_checkpoint WHERE log_id = $1 ORDER BY size',
            [logId],
          )
        ).map((v) => ({ size: Number(v.size), root: v.root }));
        const verified = full ? undefined : verifiedPoints[verifiedPoints.length - 1];
        // Slices run from one checkpoint this registry verified or cosigned (each consistent with the last) to another.
        const slicePoints = (
          await this.ctx.db.query<{ size: string; root: string }[]>(
            `SELECT size, root FROM verified_checkpoint WHERE log_id = $1
             UNION SELECT size, root FROM cosigned_checkpoint WHERE log_id = $1 ORDER BY size`,
            [logId],
          )
        ).map((v) => ({ size: Number(v.size), root: v.root }));
        const base = {
          subgraph,
          witnessedSequence: witnessed?.sequence ?? null,
          witnessedAt: witnessed?.seenAt ?? null,
        };
        let result;
        try {
          const reason = down.get(subgraph);
          if (reason) throw new Error(reason);
          result = await this.client.verify(
            subgraph,
            this.ctx.caller,
            this.ctx.authorization,
            witnessed,
            verified && { size: verified.size, root: verified.root },
          );
        } catch (error) {
          const reason = (error as Error).message;
          return Object.assign(new LogVerification(), {
            ...base,
            available: false,
            intact: false,
            records: 0,
            firstSequence: null,
            lastSequence: 0,
            headHash: '',
            problems: [],
            summary: `${subgraph} did not answer: ${reason}`,
            ...nothingProven(),
          });
        }
        const cosigned = result.checkpoint ? await store.at(logId, result.checkpoint.size) : null;
        const problems = [
          ...alarms.map((a) => ({
            kind: a.kind,
            sequence: a.sequence,
            message: `${a.message} (found when witnessing, ${a.detectedAt.toISOString()})`,
          })),
          ...checkpointAlarms.map((a) => ({
            kind: 'ALTERED' as const,
            sequence: a.size,
            message: `${a.message} (found when witnessing checkpoints, ${a.detectedAt.toISOString()})`,
          })),
          ...result.problems.filter((p) => !alarms.some((a) => a.kind === p.kind && a.sequence === p.sequence)),
        ];
        if (result.checkpoint && !cosigned) {
          problems.push({
            kind: 'NOT_COVERED',
            sequence: result.checkpoint.size,
            message: `checkpoint ${result.checkpoint.size} is not cosigned by the consent registry: the records it covers are not verified`,
          });
        }
        const now = new Date();
        const reread: Range[] =
          result.records > 0
            ? [{ from: result.firstSequence ?? result.verifiedFrom + 1, through: result.lastSequence }]
            : [];
        // The rotating slice of older records, below the checkpoint this run resumed from.
        const slice = full
          ? null
          : planSlice({
              covered: result.verifiedFrom,
              verified: slicePoints,
              rereads: await rereadsOf(this.ctx.db, logId),
              cycleMs,
              now,
            });
        if (slice) {
          const found = await this.client
            .verifySlice(subgraph, this.ctx.caller, this.ctx.authorization, slice)
            .catch((error: unknown) => ({
              from: 0,
              through: 0,
              records: 0,
              intact: false,
              problems: [
                {
                  kind: 'NOT_COVERED' as const,
                  sequence: slice.until.size,
                  message: `the older records up to ${slice.until.size} could not be re-read: ${(error as Error).message}`,
                },
              ],
            }));
          if (found.records > 0) reread.push({ from: found.from, through: found.through });
          await recordReread(this.ctx.db, logId, {
            kind: 'SLICE',
            fromSize: found.records > 0 ? found.from - 1 : (slice.from?.size ?? 0),
            throughSize: slice.until.size,
            intact: found.intact,
            at: now,
          });
          for (const problem of found.problems) {
            // Damage witnessing or the walk above already named at this record is named once.
            if (problems.some((p) => p.kind === problem.kind && p.sequence === problem.sequence)) continue;
            problems.push(problem);
            await this.raiseAlarm(subgraph, problem);
          }
        }
        const checked = { ...result, intact: problems.length === 0, problems };
        // The next verification resumes here: only an intact, cosigned checkpoint counts as verified.
        if (checked.intact && cosigned) {
          await this.ctx.db.query(
            'INSERT INTO verified_checkpoint (log_id, size, root, verified_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
            [logId, cosigned.size, cosigned.root],
          );
        }
        if (cosigned && cosigned.size > result.verifiedFrom) {
          await recordReread(this.ctx.db, logId, {
            kind: full ? 'FULL' : 'NEW',
            fromSize: result.verifiedFrom,
            throughSize: cosigned.size,
            intact: checked.intact,
            at: now,
          });
        }
        const readNow = joined(reread);
        const covered = cosigned ? subtract([{ from: 1, through: cosigned.size }], readNow) : [];
        const coveredLastRereadAt = covered.length
          ? oldestLastReread(covered, await rereadsOf(this.ctx.db, logId))
          : null;
        return Object.assign(new LogVerification(), {
          ...checked,
          ...base,
          available: true,
          problems: problems.map((p) => ({ ...p, kind: ChainProblemKind[p.kind] })),
          checkpointNumber: cosigned ? result.checkpointNumber : null,
          checkpointSize: cosigned?.size ?? null,
          cosignedBy: cosigned?.cosignatures.map((c) => c.witness) ?? [],
          verifiedFrom: result.verifiedFrom,
          pending: result.pending,
          reread: readNow,
          covered,
          coveredLastRereadAt,
          summary: summarise(subgraph, {
            ...checked,
            checkpoint: cosigned,
            checkpointNumber: result.checkpointNumber,
            reread: readNow,
            covered,
            coveredLastRereadAt,
          }),
        });
      }),
      this.verifyOwn(),
    ]);
    await recordOfficerRead(this.ctx, {
      action: 'VERIFICATION',
      operation: 'disclosureLogVerification',
      personId: null,
      filter: null,
      records: null,
    });
    return results;
  }

  /**
   * Damage a re-read found below a verified checkpoint raises the alarm witnessing raises: kept in
   * `witness_alarm` (reported by every later verification, counted by `verbund_witness_alarms`) and logged.
   */
  private async raiseAlarm(subgraph: LoggingSubgraph, problem: ChainProblem): Promise<void> {
    partLogger('consent').warn(
      `ALARM ${subgraph}'s disclosure log: ${problem.message} (found re-reading older records)`,
    );
    if (problem.kind === 'NOT_COVERED') return;
    await this.ctx.db.query(
      `INSERT INTO witness_alarm (subgraph, kind, sequence, message, detected_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (subgraph, kind, sequence) DO NOTHING`,
      [subgraph, problem.kind, problem.sequence, `${problem.message} (found re-reading older records)`],
    );
  }

  /**
   * The registry's own chain of officers' reads; it is in this database, so it is always available, and it is
   * re-read whole. The newest of its checkpoints that another party cosigned is checked against the records it
   * covers (their tree's root), and the summary names who cosigned it; a log whose checkpoints no other party
   * has cosigned yet says so.
   */
  private async verifyOwn(): Promise<LogVerification> {
    const result = await officerAuditLog(this.ctx).verify();
    const proof = result.intact && result.lastSequence > 0 ? await this.ownCheckpoint() : null;
    const problems: ChainProblem[] = [...result.problems];
    if (proof && !proof.rootMatches)
      problems.push({
        kind: 'ALTERED',
        sequence: proof.size,
        message: `${proof.size === 1 ? 'record 1 no longer has' : `records 1–${proof.size} no longer have`} the root of checkpoint ${proof.number}, cosigned by ${proof.witnesses.join(', ')}: the log was rewritten after it was cosigned`,
      });
    const intact = problems.length === 0;
    const verified = { ...result, intact, problems };
    const base = summarise('consent', verified);
    const proven = proof && intact;
    return Object.assign(new LogVerification(), {
      ...verified,
      subgraph: 'consent',
      available: true,
      witnessedSequence: null,
      witnessedAt: null,
      ...nothingProven(),
      // The whole chain is re-read every time: it is in this database.
      reread: result.lastSequence > 0 ? [{ from: 1, through: result.lastSequence }] : [],
      ...(proven
        ? {
            checkpointNumber: proof.number,
            checkpointSize: proof.size,
            cosignedBy: proof.witnesses,
            pending: result.lastSequence - proof.size,
          }
        : {}),
      problems: problems.map((p) => ({ ...p, kind: ChainProblemKind[p.kind] })),
      summary: !intact
        ? base
        : result.lastSequence === 0
          ? base
          : proven
            ? `${base}; ${proof.size === 1 ? 'record 1 has' : `records 1–${proof.size} have`} the root of checkpoint ${proof.number}, cosigned by ${proof.witnesses.join(', ')}${result.lastSequence > proof.size ? `; ${result.lastSequence - proof.size} newer records await the next cosigned checkpoint` : ''}`
            : `${base}; no checkpoint of this log is cosigned by another party yet`,
    });
  }

  /** The newest checkpoint of the registry's own log that another party cosigned, and whether its records still have its root. */
  private async ownCheckpoint(): Promise<{
    size: number;
    number: number;
    witnesses: string[];
    rootMatches: boolean;
  } | null> {
    const [row] = await this.ctx.db.query<{ size: string; root: string; number: number; witnesses: string[] }[]>(
      `SELECT c.size, c.root,
              (SELECT count(*)::int FROM disclosure_checkpoint WHERE size <= c.size) AS number,
              (SELECT array_agg(DISTINCT witness ORDER BY witness) FROM officer_log_cosignature WHERE size = c.size) AS witnesses
         FROM disclosure_checkpoint c
        WHERE EXISTS (SELECT 1 FROM officer_log_cosignature s WHERE s.size = c.size)
        ORDER BY c.size DESC LIMIT 1`,
    );
    if (!row) return null;
    const size = Number(row.size);
    const hashes = await this.ctx.db.query<{ hash: string }[]>(
      'SELECT hash FROM disclosure_log WHERE sequence <= $1 ORDER BY sequence',
      [size],
    );
    const root = hashes.length === size ? rootOf(hashes.map((h) => recordLeaf(h.hash))).toString('hex') : null;
    return { size, number: row.number, witnesses: row.witnesses, rootMatches: root === row.root };
  }
}

/**
 * The proof fields of a verification that has no checkpoint to rest on: a log that did not answer, or the
 * registry's own chain, which it verifies whole.
 */
function nothingProven(): Partial<LogVerification> {
  return {
    checkpointNumber: null,
    checkpointSize: null,
    cosignedBy: [],
    verifiedFrom: 0,
    pending: 0,
    reread: [],
    covered: [],
    coveredLastRereadAt: null,
  };
}

/**
 * One sentence per subgraph, saying exactly what was checked: which records were re-read and found intact,
 * which are covered by which cosigned checkpoint and when they were last re-read; or the first problem found.
 */
export function summarise(
  subgraph: string,
  result: {
    intact: boolean;
    lastSequence: number;
    headHash: string;
    problems: { message: string }[];
    checkpoint?: CosignedCheckpoint | null;
    checkpointNumber?: number;
    pending?: number;
    reread?: Range[];
    covered?: Range[];
    coveredLastRereadAt?: Date | null;
  },
): string {
  if (result.intact && result.lastSequence === 0) return `${subgraph}: intact, no records yet`;
  if (result.intact && result.checkpoint) {
    const c = result.checkpoint;
    const pending = result.pending
      ? `; ${result.pending} newer record${result.pending === 1 ? '' : 's'} await the next checkpoint`
      : '';
    const oneRecord = result.reread?.length === 1 && result.reread[0].from === result.reread[0].through;
    const reread = result.reread?.length
      ? `${oneRecord ? 'record' : 'records'} ${rangesText(result.reread)} re-read and intact`
      : 'no record re-read';
    const checkpoint = `cosigned checkpoint ${result.checkpointNumber} (size ${c.size}, cosigned by ${c.cosignatures.map((s) => s.witness).join(', ')})`;
    const covered = result.covered?.length
      ? `; ${rangesText(result.covered)} covered by ${checkpoint}, last re-read on ${result.coveredLastRereadAt ? result.coveredLastRereadAt.toISOString() : 'no record (never re-read)'}`
      : `; all under ${checkpoint}`;
    return `${subgraph}: ${reread}${covered}; head hash ${result.headHash} at record ${result.lastSequence}${pending}`;
  }
  if (result.intact) return `${subgraph}: intact up to record ${result.lastSequence} with head hash ${result.headHash}`;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  return `${subgraph}: NOT intact: ${result.problems[0].message}${more}`;
}
