import { latestWitnessedHead, witnessAlarms, witnessHead } from '../../../common/audit/witness/head-witness.js';
import { logIdOf, type CosignedCheckpoint } from '../../../common/audit/proofs/checkpoint.js';
import { DatabaseWitnessStore, witnessLogs } from '../../../common/audit/witness/checkpoint-witness.js';
import { publishKeys } from '../../../common/audit/log/log-keys.js';
import { RECEIPT_FORMAT, type Receipt } from '../../../common/audit/proofs/receipt.js';
import {
  LOGGING_SUBGRAPHS,
  type LoggingSubgraph,
  type SourcedRecord,
} from '../../../common/audit/witness/log-client.js';
import { partLogger } from '../../../common/log.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import { ChainProblemKind, LogVerification } from '../entities/disclosure.type.js';
import { logClient, officerAuditLog, recordOfficerRead, witnessKeys } from './registry-context.js';

/**
 * The consent registry's proof work on the data subgraphs' disclosure logs: verifying every chain against the
 * heads and checkpoints it witnessed, having the logs sign checkpoints and cosigning them, and the receipt of
 * an Art. 15 report (each record with its inclusion proof).
 */
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
      witnessKeys: publishKeys(this.witnessKeys),
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
      receipt.logs[subgraph] = { checkpoint, keys: await store.keys(checkpoint.logId) };
      const proofs = await this.client.proofs(
        subgraph,
        this.ctx.caller,
        this.ctx.authorization,
        covered.map((r) => r.sequence),
        checkpoint.size,
      );
      for (const [i, record] of covered.entries()) {
        const { subgraph: _s, ...plain } = record;
        receipt.disclosures.push({
          subgraph,
          record: { ...plain, at: record.at.toISOString() },
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
    const results = await Promise.all([
      ...LOGGING_SUBGRAPHS.map(async (subgraph) => {
        const logId = logIdOf(subgraph);
        const witnessed = await latestWitnessedHead(this.ctx.db, subgraph);
        const alarms = await witnessAlarms(this.ctx.db, subgraph);
        const checkpointAlarms = await store.alarms(logId);
        const [verified] = full
          ? []
          : await this.ctx.db.query<{ size: string; root: string }[]>(
              'SELECT size, root FROM verified_checkpoint WHERE log_id = $1 ORDER BY size DESC LIMIT 1',
              [logId],
            );
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
            verified && { size: Number(verified.size), root: verified.root },
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
            checkpointNumber: null,
            checkpointSize: null,
            cosignedBy: [],
            verifiedFrom: 0,
            pending: 0,
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
        const checked = { ...result, intact: problems.length === 0, problems };
        // The next verification resumes here: only an intact, cosigned checkpoint counts as verified.
        if (checked.intact && cosigned) {
          await this.ctx.db.query(
            'INSERT INTO verified_checkpoint (log_id, size, root, verified_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
            [logId, cosigned.size, cosigned.root],
          );
        }
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
          summary: summarise(subgraph, { ...checked, checkpoint: cosigned, checkpointNumber: result.checkpointNumber }),
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

  /** The registry's own chain of officers' reads; it is in this database, so it is always available. */
  private async verifyOwn(): Promise<LogVerification> {
    const result = await officerAuditLog(this.ctx).verify();
    return Object.assign(new LogVerification(), {
      ...result,
      subgraph: 'consent',
      available: true,
      witnessedSequence: null,
      witnessedAt: null,
      checkpointNumber: null,
      checkpointSize: null,
      cosignedBy: [],
      verifiedFrom: 0,
      pending: 0,
      problems: result.problems.map((p) => ({ ...p, kind: ChainProblemKind[p.kind] })),
      summary: summarise('consent', result),
    });
  }
}

/**
 * One sentence per subgraph: verified up to checkpoint N (size S, cosigned by …) and intact up to record N
 * with head hash H, or the first problem found.
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
  },
): string {
  if (result.intact && result.lastSequence === 0) return `${subgraph}: intact, no records yet`;
  if (result.intact && result.checkpoint) {
    const c = result.checkpoint;
    const pending = result.pending
      ? `; ${result.pending} newer record${result.pending === 1 ? '' : 's'} await the next checkpoint`
      : '';
    return `${subgraph}: verified up to checkpoint ${result.checkpointNumber} (size ${c.size}, cosigned by ${c.cosignatures.map((s) => s.witness).join(', ')}); intact up to record ${result.lastSequence} with head hash ${result.headHash}${pending}`;
  }
  if (result.intact) return `${subgraph}: intact up to record ${result.lastSequence} with head hash ${result.headHash}`;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  return `${subgraph}: NOT intact: ${result.problems[0].message}${more}`;
}
