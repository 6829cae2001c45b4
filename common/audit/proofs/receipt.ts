/**
 * A person's receipt for an Art. 15 report: every listed disclosure with its record, the record's inclusion
 * proof, and the signed checkpoint it is in with the witnesses' cosignatures. Checking one needs nothing but
 * SHA-256, Ed25519 and the public keys: the record's content gives its hash, the hash and the proof give the
 * checkpoint's root, the log's key signed that root, and a witness that checks consistency cosigned it.
 */
import { checkpointSignatureProblem, cosignatureProblem, logIdOf, type CosignedCheckpoint } from './checkpoint.js';
import { KeyDirectory, REGISTRY_WITNESS, type LabelledKeys } from './key-set.js';
import type { PublishedKey } from '../log/log-keys.js';
import { verifyInclusion } from './merkle.js';
import { recordLeaf } from './merkle-store.js';
import { recordHash, type ReceiptRecord } from '../log/record.js';

export const RECEIPT_FORMAT = 'verbund-receipt-v1';

export { REGISTRY_WITNESS };

/**
 * A record as a receipt carries it, time as ISO 8601: a version 2 record with the officer's salted commitment
 * (`officerCommitment`) and neither the officer's id nor the salt; a version 1 record with the officer's id.
 */
export type WireRecord = Omit<ReceiptRecord, 'at'> & { at: string };

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  personId: string;
  generatedAt: string;
  /** Per log: the cosigned checkpoint the proofs are against, and the log's public keys as the witness pinned them. */
  logs: Record<string, { checkpoint: CosignedCheckpoint; keys: PublishedKey[] }>;
  /** The consent registry's witness keys (receipts before the witnesses were named carry only these). */
  witnessKeys: PublishedKey[];
  /** Each witness's public keys, by the name its cosignatures carry. */
  witnesses?: Record<string, PublishedKey[]>;
  disclosures: { subgraph: string; record: WireRecord; leafIndex: number; proof: string[] }[];
  /** Records too new for a cosigned checkpoint; a later receipt proves them. */
  pending: { subgraph: string; sequence: number }[];
}

/** What checking a receipt found. */
export interface ReceiptCheck {
  valid: boolean;
  /** Disclosures whose proof holds. */
  proven: number;
  problems: string[];
  /** One line per log: checkpoint, signer and cosigners, for the person to compare with published keys. */
  logs: string[];
}

/**
 * Checks a receipt. With `trusted` (the keys the person got from the agencies themselves, each labelled with
 * its log or witness) only those keys count, each only for its owner in its role: a checkpoint of log L only
 * under a key of L, a cosignature only under a key of the witness it names, a party other than L's. Without,
 * the keys the receipt carries do (labelled as the receipt labels them), which shows the receipt is whole but
 * not who made its keys.
 */
export function checkReceipt(value: unknown, trusted?: LabelledKeys): ReceiptCheck {
  const problems: string[] = [];
  const receipt = value as Receipt;
  if (
    !receipt ||
    typeof receipt !== 'object' ||
    receipt.format !== RECEIPT_FORMAT ||
    !Array.isArray(receipt.disclosures) ||
    !receipt.logs
  ) {
    return {
      valid: false,
      proven: 0,
      problems: [`not a receipt: expected a JSON object of format ${RECEIPT_FORMAT}`],
      logs: [],
    };
  }
  const directory = trusted
    ? new KeyDirectory(trusted)
    : new KeyDirectory(
        {
          logs: Object.fromEntries(Object.entries(receipt.logs).map(([s, log]) => [logIdOf(s), log.keys ?? []])),
          witnesses: receipt.witnesses ?? { [REGISTRY_WITNESS]: receipt.witnessKeys ?? [] },
        },
        { pinned: true },
      );
  const good = new Map<string, CosignedCheckpoint>();
  const lines: string[] = [];
  for (const [subgraph, log] of Object.entries(receipt.logs)) {
    const c = log.checkpoint;
    if (c.logId !== logIdOf(subgraph)) {
      problems.push(`${subgraph}: the checkpoint is of log ${c.logId}`);
      continue;
    }
    const signer = directory.logKey(c.logId, c.keyId);
    if ('problem' in signer) {
      problems.push(`${subgraph}: checkpoint ${c.size} of ${c.logId} is signed with ${signer.problem}; not counted`);
      continue;
    }
    const signature = checkpointSignatureProblem(c, new Map([[c.keyId, signer.key]]));
    if (signature) {
      problems.push(`${subgraph}: ${signature}`);
      continue;
    }
    const cosigners = (c.cosignatures ?? []).filter((s) => {
      const witnessKey = directory.witnessKey(c.logId, s.witness, s.keyId);
      if ('problem' in witnessKey) {
        problems.push(
          `${subgraph}: the cosignature of ${s.witness} on checkpoint ${c.size} does not count: ${witnessKey.problem}`,
        );
        return false;
      }
      const problem = cosignatureProblem(c, s, new Map([[s.keyId, witnessKey.key]]));
      if (problem) problems.push(`${subgraph}: ${problem}`);
      return !problem;
    });
    if (cosigners.length === 0) {
      problems.push(`${subgraph}: checkpoint ${c.size} carries no valid cosignature of a witness`);
      continue;
    }
    good.set(subgraph, c);
    lines.push(
      `${subgraph}: checkpoint of ${c.size} records signed ${c.at} by key ${c.keyId} (the log key of ${c.logId}), cosigned by ${cosigners.map((s) => `${s.witness} (key ${s.keyId})`).join(', ')}`,
    );
  }
  let proven = 0;
  for (const [i, d] of receipt.disclosures.entries()) {
    const where = `disclosure ${i + 1} (${d.subgraph} record ${d.record?.sequence})`;
    const checkpoint = good.get(d.subgraph);
    if (!checkpoint) {
      problems.push(`${where}: no valid cosigned checkpoint of the ${d.subgraph} log in the receipt`);
      continue;
    }
    if (d.record?.personId !== receipt.personId) {
      problems.push(`${where}: the record is about another person (${d.record?.personId}), not ${receipt.personId}`);
      continue;
    }
    let hash: string;
    try {
      const { hash: stated, ...unhashed } = d.record;
      hash = recordHash({ ...unhashed, at: new Date(d.record.at) });
      if (hash !== stated) {
        problems.push(`${where}: the record was altered: its content does not match its hash`);
        continue;
      }
    } catch {
      problems.push(`${where}: the record is malformed`);
      continue;
    }
    if (d.leafIndex !== d.record.sequence - 1) {
      problems.push(`${where}: the proof is for position ${d.leafIndex}, not the record's`);
      continue;
    }
    const proof =
      Array.isArray(d.proof) && d.proof.every((h) => /^[0-9a-f]{64}$/.test(h))
        ? d.proof.map((h) => Buffer.from(h, 'hex'))
        : null;
    if (
      !proof ||
      !verifyInclusion(d.leafIndex, checkpoint.size, recordLeaf(hash), proof, Buffer.from(checkpoint.root, 'hex'))
    ) {
      problems.push(
        `${where}: the inclusion proof does not lead to the root of checkpoint ${checkpoint.size}: the record is not in the log the checkpoint signed`,
      );
      continue;
    }
    proven += 1;
  }
  return { valid: problems.length === 0, proven, problems, logs: lines };
}
