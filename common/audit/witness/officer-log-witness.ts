/**
 * The consent registry's log of officers' reads, witnessed by another party in every hub: the county runs the
 * registry, so the jobcenter's process — another agency, with its own operator and database — witnesses the
 * registry's checkpoints (signature, consistency with the last one it cosigned) with its own witness key, keeps
 * what it cosigned and any alarm in its own database, and hands each cosignature back to the registry, which
 * publishes it with the checkpoint. `npm run witness` does the same as a process of its own for any other
 * party (e.g. the district's data protection officer).
 */
import type { Checkpoint, CosignedCheckpoint } from '../proofs/checkpoint.js';
import type { Queryable } from '../log/disclosure-log.table.js';
import type { LogKeyRing, PublishedKey } from '../log/log-keys.js';
import {
  DatabaseWitnessStore,
  witnessCheckpoint,
  type LogReader,
  type WitnessOutcome,
  type WitnessStore,
} from './checkpoint-witness.js';
import { runEvery } from '../../schedule.js';
import { createJsonPoster } from '../../http-client.js';

export { OFFICER_LOG_WITNESS } from '../proofs/key-set.js';

/** The registry's log id, under which its log keys are pinned. */
export const REGISTRY_LOG_ID = 'verbund:consent';

/** GET or POST JSON below a base URL; status and parsed body back. */
export interface WitnessTransport {
  get(url: URL): Promise<{ status: number; body: unknown }>;
  post(url: URL, body: unknown): Promise<{ status: number; body: unknown }>;
}

/** HTTP through the part's keep-alive client (with its client certificate where mTLS is on), with a deadline per call. */
export function httpWitnessTransport(timeoutMs: number): WitnessTransport {
  const call = createJsonPoster({ maxSockets: 2 });
  return {
    get: (url) => call(url.toString(), {}, undefined, timeoutMs),
    post: (url, body) => call(url.toString(), {}, body, timeoutMs),
  };
}

/** The base URL of the registry's officers' log (`<registry>/officer-log/`), from its `/graphql` URL or the address beside it. */
export function officerLogBase(registryUrl: string): URL {
  const url = new URL(registryUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '/').replace(/\/?$/, '/');
  return new URL('officer-log/', url);
}

/** Reads a log's public answers (`/audit/keys`, `/audit/checkpoint…`) below its base URL; anything but 200 fails. */
export function logReader(transport: WitnessTransport, base: URL): LogReader {
  return async (relative) => {
    const url = new URL(relative.replace(/^\//, ''), base);
    const answer = await transport.get(url);
    if (answer.status !== 200) throw new Error(`${url.toString()} answered HTTP ${answer.status}`);
    return answer.body;
  };
}

/** What one round found: the witnessing's outcome and, when a cosignature was handed back, what the registry said. */
export interface OfficerLogRound {
  outcome: WitnessOutcome;
  handedBack?: string;
}

/**
 * Hands this witness's cosignature back to the registry, so that its checkpoint is published cosigned by
 * another party. Sent again on every round (the registry keeps each once), so a registry that was down gets it
 * later. Throws, with the registry's reason, when it did not keep it.
 */
export async function handBack(
  transport: WitnessTransport,
  base: URL,
  witness: string,
  checkpoint: CosignedCheckpoint,
): Promise<string> {
  const cosignature = checkpoint.cosignatures.find((c) => c.witness === witness);
  if (!cosignature) return 'no cosignature of this witness to hand back';
  const answer = await transport.post(new URL('audit/cosignature', base), { size: checkpoint.size, cosignature });
  if (answer.status !== 200) {
    const message = (answer.body as { errors?: { message?: string }[] } | undefined)?.errors?.[0]?.message ?? '';
    throw new Error(
      `the registry did not keep the cosignature of checkpoint ${checkpoint.size}: HTTP ${answer.status} ${message}`,
    );
  }
  return `cosignature of checkpoint ${checkpoint.size} handed back to the registry, which publishes it`;
}

/** One round: witness the registry's newest checkpoint and, unless it raised an alarm, hand the cosignature back. */
export async function witnessOfficerLog(options: {
  store: WitnessStore;
  keys: LogKeyRing;
  witness: string;
  base: URL;
  /** The registry's log keys as configured; never taken on first sight. */
  pinned: PublishedKey[];
  transport: WitnessTransport;
}): Promise<OfficerLogRound> {
  const { transport, base } = options;
  const outcome = await witnessCheckpoint({
    store: options.store,
    keys: options.keys,
    witness: options.witness,
    pinned: { [REGISTRY_LOG_ID]: options.pinned },
    read: logReader(transport, base),
  });
  if (outcome.status === 'ALARM' || !outcome.checkpoint) return { outcome };
  return { outcome, handedBack: await handBack(transport, base, options.witness, outcome.checkpoint) };
}

/** A data subgraph's witness of the registry's officers' log, kept in its own database. */
export class OfficerLogWitness {
  private readonly store: DatabaseWitnessStore;

  constructor(
    db: Queryable,
    private readonly options: {
      witness: string;
      keys: LogKeyRing;
      pinned: PublishedKey[];
      /** The registry's `/graphql` URL (asked on every round: known once it listens). */
      registryUrl: () => string;
      transport: WitnessTransport;
    },
  ) {
    this.store = new DatabaseWitnessStore(db);
  }

  /** One round now (the loop and the tests call it). */
  round(): Promise<OfficerLogRound> {
    return witnessOfficerLog({
      store: this.store,
      keys: this.options.keys,
      witness: this.options.witness,
      pinned: this.options.pinned,
      base: officerLogBase(this.options.registryUrl()),
      transport: this.options.transport,
    });
  }

  /** The newest checkpoint of the registry's log this witness cosigned. */
  last(): Promise<Checkpoint | null> {
    return this.store.last(REGISTRY_LOG_ID);
  }

  /** Witnesses every `intervalMs` until the returned function is called; an alarm or a registry that did not answer is reported. */
  start(intervalMs: number, warn: (message: string) => void): () => void {
    return runEvery(intervalMs, async () => {
      try {
        const { outcome } = await this.round();
        if (outcome.status === 'ALARM') warn(`ALARM the consent registry's log of officers' reads: ${outcome.message}`);
      } catch (error) {
        warn(`the consent registry's log of officers' reads not witnessed: ${(error as Error).message}`);
      }
    });
  }
}
