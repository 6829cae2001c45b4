/**
 * The district's public keys as a labelled set: each key belongs to one party in one role — a log's key signs
 * that log's checkpoints, a witness's key cosigns the checkpoints of logs run by others. Whoever checks a
 * signature (a person with a receipt, a witness) asks this set whose a key is, never only whether it is
 * known: a key of another log, a witness key used as a log key, or a log key posing as its own witness is
 * refused with a sentence naming the key and its owner. A party's first key is pinned (taken from the
 * agency itself); every later key counts only when announced with its predecessor's signature.
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  describeOwner,
  keyAnnouncementBody,
  loadKeyRing,
  loadOrCreateDevKeyRing,
  publicKeyFrom,
  publishKeys,
  verifySignature,
  type KeyOwner,
  type PublishedKey,
} from '../log/log-keys.js';

/** The consent registry's name as a witness, in its cosignatures. */
export const REGISTRY_WITNESS = 'consent';

/**
 * The data subgraph whose process witnesses the consent registry's log of officers' reads: the county runs the
 * registry, so another agency, with its own operator and database, cosigns it.
 */
export const OFFICER_LOG_WITNESS = 'jobcenter';

/**
 * Keys labelled with their owner: log id (`verbund:<subgraph>`) → that log's keys; witness name (`consent`,
 * an agency's independent witness) → that witness's keys.
 */
export interface LabelledKeys {
  logs: Record<string, PublishedKey[]>;
  witnesses: Record<string, PublishedKey[]>;
}

/** A key file that does not say whose its keys are, or is not a key file at all. */
export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

const LOG_ID = /^verbund:[\w.-]{1,64}$/;
const WITNESS_NAME = /^[\w.-]{1,64}$/;

function keyList(value: unknown, where: string): PublishedKey[] {
  if (!Array.isArray(value)) throw new KeyFileError(`${where} must be a list of keys`);
  return value.map((k, i) => {
    const key = k as Partial<PublishedKey>;
    if (!key || typeof key !== 'object' || typeof key.keyId !== 'string' || typeof key.publicKey !== 'string')
      throw new KeyFileError(`${where}[${i}] is not a key ({ keyId, publicKey, … })`);
    return key as PublishedKey;
  });
}

function unlabelled(keys: unknown): KeyFileError {
  const ids = Array.isArray(keys)
    ? keys.map((k) => (k as { keyId?: unknown })?.keyId).filter((id) => typeof id === 'string')
    : [];
  return new KeyFileError(
    `it lists keys without saying whose they are${ids.length ? ` (key ${ids.join(', ')})` : ''}: a key counts only for the log or witness it belongs to. Keep each agency's GET /audit/keys answer whole (it names its logId or witness), or write { "logs": { "verbund:<subgraph>": [keys] }, "witnesses": { "<name>": [keys] } }`,
  );
}

function add(into: Record<string, PublishedKey[]>, owner: string, keys: PublishedKey[]): void {
  (into[owner] ??= []).push(...keys.filter((k) => !into[owner].some((o) => o.keyId === k.keyId)));
}

/**
 * Reads a labelled key set: the answers of the agencies' `GET /audit/keys` (one, or several in an array; a
 * data subgraph answers `{ logId, keys }`, the consent registry `{ witness, keys }`), or
 * `{ logs: { <logId>: keys }, witnesses: { <name>: keys } }`. Keys without an owner (the bare lists that
 * `--keys` once took) are refused: pooled keys let any party's key pass for any other's.
 */
export function parseLabelledKeys(value: unknown): LabelledKeys {
  const set: LabelledKeys = { logs: {}, witnesses: {} };
  const answers = Array.isArray(value) ? value : [value];
  for (const [i, answer] of answers.entries()) {
    const where = Array.isArray(value) ? `entry ${i + 1}` : 'the key file';
    if (!answer || typeof answer !== 'object') throw new KeyFileError(`${where} is not a JSON object`);
    const a = answer as Record<string, unknown>;
    if ('keyId' in a) throw unlabelled(answers);
    if ('logs' in a || 'witnesses' in a) {
      for (const [logId, keys] of Object.entries((a.logs ?? {}) as Record<string, unknown>)) {
        if (!LOG_ID.test(logId))
          throw new KeyFileError(`${where}: ${JSON.stringify(logId)} is not a log id (verbund:<subgraph>)`);
        add(set.logs, logId, keyList(keys, `${where}: logs["${logId}"]`));
      }
      for (const [name, keys] of Object.entries((a.witnesses ?? {}) as Record<string, unknown>)) {
        if (!WITNESS_NAME.test(name)) throw new KeyFileError(`${where}: ${JSON.stringify(name)} is not a witness name`);
        add(set.witnesses, name, keyList(keys, `${where}: witnesses["${name}"]`));
      }
      continue;
    }
    if (typeof a.logId === 'string' && typeof a.witness === 'string')
      throw new KeyFileError(`${where} names both a log and a witness: a key serves one party in one role`);
    if (typeof a.logId === 'string') {
      if (!LOG_ID.test(a.logId))
        throw new KeyFileError(`${where}: ${JSON.stringify(a.logId)} is not a log id (verbund:<subgraph>)`);
      add(set.logs, a.logId, keyList(a.keys, `${where}: keys`));
    } else if (typeof a.witness === 'string') {
      if (!WITNESS_NAME.test(a.witness))
        throw new KeyFileError(`${where}: ${JSON.stringify(a.witness)} is not a witness name`);
      add(set.witnesses, a.witness, keyList(a.keys, `${where}: keys`));
    } else {
      throw unlabelled(a.keys);
    }
  }
  const count = Object.values(set.logs).flat().length + Object.values(set.witnesses).flat().length;
  if (count === 0) throw new KeyFileError('it lists no keys');
  return set;
}

/** Which of a party's listed keys count, and why the others do not. */
export interface KeyAcceptance {
  accepted: PublishedKey[];
  rejected: { keyId: string; reason: string }[];
}

/**
 * Sorts one owner's listed keys into those that count and those that do not. The pinned keys count (given,
 * they are the only starting points; without, the one listed key without an announcement is, the oldest when
 * several are listed); every other key counts only when announced by a key that counts, with a valid
 * signature over the owner, the role and the new key.
 */
export function acceptKeys(owner: KeyOwner, listed: PublishedKey[], pinned?: PublishedKey[]): KeyAcceptance {
  const who = describeOwner(owner);
  const rejected: KeyAcceptance['rejected'] = [];
  const parsed = new Map<string, { published: PublishedKey; key: KeyObject }>();
  for (const published of [...(pinned ?? []), ...listed]) {
    if (parsed.has(published.keyId)) continue;
    try {
      parsed.set(published.keyId, { published, key: publicKeyFrom(published) });
    } catch (error) {
      rejected.push({
        keyId: published.keyId,
        reason: `key ${published.keyId}, listed as ${who}, is not usable: ${(error as Error).message}`,
      });
    }
  }
  const accepted = new Map<string, { published: PublishedKey; key: KeyObject }>();
  if (pinned) {
    for (const p of pinned) if (parsed.has(p.keyId)) accepted.set(p.keyId, parsed.get(p.keyId)!);
  } else {
    // One first key per owner: with two unannounced keys, which one the agency began with is unclear, so neither counts.
    const roots = listed.filter((k) => !k.announcedBy && parsed.has(k.keyId));
    if (roots.length === 1) accepted.set(roots[0].keyId, parsed.get(roots[0].keyId)!);
    else if (roots.length > 1) {
      for (const root of roots) {
        rejected.push({
          keyId: root.keyId,
          reason: `key ${root.keyId} is listed as ${who} without an announcement, beside ${roots
            .filter((r) => r !== root)
            .map((r) => `key ${r.keyId}`)
            .join(
              ', ',
            )} also without one: which is that owner's first key is unclear, so neither counts (a new key is never trusted on first sight)`,
        });
        parsed.delete(root.keyId);
      }
    }
  }
  for (let grown = true; grown;) {
    grown = false;
    for (const [keyId, entry] of parsed) {
      if (accepted.has(keyId)) continue;
      const by = entry.published.announcedBy;
      const announcer = by ? accepted.get(by) : undefined;
      if (
        announcer &&
        typeof entry.published.announcement === 'string' &&
        verifySignature(announcer.key, keyAnnouncementBody(owner, entry.published), entry.published.announcement)
      ) {
        accepted.set(keyId, entry);
        grown = true;
      }
    }
  }
  for (const [keyId, entry] of parsed) {
    if (accepted.has(keyId)) continue;
    const by = entry.published.announcedBy;
    const first = [...accepted.keys()];
    const reason = !by
      ? `key ${keyId} is listed as ${who} without an announcement signed by that owner's earlier key${first.length ? ` (${first.join(', ')})` : ''}: a new key is never trusted on first sight`
      : !parsed.has(by)
        ? `key ${keyId} is listed as ${who}, announced by key ${by}, which is not a key of that owner`
        : accepted.has(by)
          ? `key ${keyId} is listed as ${who}, but its announcement is not a valid signature of key ${by} over that owner and role`
          : `key ${keyId} is listed as ${who}, announced by key ${by}, which itself does not count`;
    rejected.push({ keyId, reason });
  }
  return { accepted: [...accepted.values()].map((e) => e.published), rejected };
}

/** Where a key id turned up in the set: the owner it counts for, or why it does not count. */
type Placement = { owner: KeyOwner; key: KeyObject } | { owner: KeyOwner; reason: string };

/** A labelled key set, checked: whose each key is, and which keys count. */
export class KeyDirectory {
  private readonly placements = new Map<string, Placement[]>();

  /** `pinned`: treat every listed key as pinned (the keys a receipt carries, as the witness pinned them). */
  constructor(set: LabelledKeys, options: { pinned?: boolean } = {}) {
    const owners: [KeyOwner, PublishedKey[]][] = [
      ...Object.entries(set.logs).map(([logId, keys]): [KeyOwner, PublishedKey[]] => [{ role: 'log', logId }, keys]),
      ...Object.entries(set.witnesses).map(([witness, keys]): [KeyOwner, PublishedKey[]] => [
        { role: 'witness', witness },
        keys,
      ]),
    ];
    for (const [owner, keys] of owners) {
      const { accepted, rejected } = acceptKeys(owner, keys, options.pinned ? keys : undefined);
      for (const k of accepted) this.place(k.keyId, { owner, key: publicKeyFrom(k) });
      for (const r of rejected) this.place(r.keyId, { owner, reason: r.reason });
    }
    // A key listed for two owners, or in two roles, counts for neither: whoever holds it could speak for both.
    for (const [keyId, places] of this.placements) {
      if (places.length < 2) continue;
      const names = places.map((p) => describeOwner(p.owner));
      const reason = `key ${keyId} is listed both as ${names.join(' and as ')}: a key serves one party in one role, so it counts for none`;
      this.placements.set(
        keyId,
        places.map((p) => ({ owner: p.owner, reason })),
      );
    }
  }

  private place(keyId: string, placement: Placement): void {
    this.placements.set(keyId, [...(this.placements.get(keyId) ?? []), placement]);
  }

  /** Keys that do not count, with the reason; for the checker's output. */
  get refused(): string[] {
    return [...new Set([...this.placements.values()].flat().flatMap((p) => ('reason' in p ? [p.reason] : [])))];
  }

  /** One line per owner: which keys count for it. */
  get owners(): string[] {
    const byOwner = new Map<string, string[]>();
    for (const [keyId, places] of this.placements)
      for (const p of places)
        if ('key' in p) byOwner.set(describeOwner(p.owner), [...(byOwner.get(describeOwner(p.owner)) ?? []), keyId]);
    return [...byOwner].map(([owner, ids]) => `${owner}: ${ids.join(', ')}`);
  }

  /** What the set says about a key: `the witness key of consent`, `not in the key set`, or why it does not count. */
  describe(keyId: string): string {
    const places = this.placements.get(keyId);
    if (!places) return 'which is not in the key set';
    const counting = places.find((p): p is { owner: KeyOwner; key: KeyObject } => 'key' in p);
    if (counting) return `which is ${describeOwner(counting.owner)}`;
    return `which does not count: ${(places[0] as { reason: string }).reason}`;
  }

  /** The key that may sign `logId`'s checkpoints under this id, or why there is none. */
  logKey(logId: string, keyId: string): { key: KeyObject } | { problem: string } {
    const place = this.placements
      .get(keyId)
      ?.find((p) => 'key' in p && p.owner.role === 'log' && p.owner.logId === logId);
    if (place && 'key' in place) return { key: place.key };
    return {
      problem: `key ${keyId}, ${this.describe(keyId)}: only a key of ${logId} itself signs its checkpoints`,
    };
  }

  /**
   * The key that may cosign `logId`'s checkpoints as witness `witness`, or why there is none: the witness must
   * be a party other than the log's, and the key one of that witness's keys.
   */
  witnessKey(logId: string, witness: string, keyId: string): { key: KeyObject } | { problem: string } {
    if (`verbund:${witness}` === logId)
      return { problem: `${witness} runs ${logId} and cannot witness its own checkpoints (key ${keyId})` };
    const places = this.placements.get(keyId) ?? [];
    const own = places.find((p) => p.owner.role === 'log' && p.owner.logId === logId);
    if (own)
      return {
        problem: `key ${keyId} is the log key of ${logId} itself: a log cannot witness its own checkpoints`,
      };
    const place = places.find((p) => 'key' in p && p.owner.role === 'witness' && p.owner.witness === witness);
    if (place && 'key' in place) return { key: place.key };
    return { problem: `key ${keyId}, ${this.describe(keyId)}, is not a witness key of ${witness}` };
  }
}

/** What a process reads to pin other parties' keys: the key file, or outside production the keys on this machine. */
export interface PinningConfig {
  environment: string;
  dataDir: string;
  /** `PINNED_LOG_KEYS_FILE` */
  pinnedLogKeysFile?: string;
  /** `<NAME>_LOG_KEY_FILE` by part */
  logKeyFiles: Partial<Record<string, string>>;
  /** `JOBCENTER_WITNESS_KEY_FILE` */
  officerLogWitnessKeyFile?: string;
}

/**
 * The data subgraphs' log keys the consent registry's witness pins: `PINNED_LOG_KEYS_FILE` when set; else,
 * outside production, the public halves of the keys the subgraphs sign with on this machine (their
 * `<NAME>_LOG_KEY_FILE` or development key). In production without the file the process stops at start,
 * naming the variable: a witness never takes a log's keys on first sight.
 */
export async function pinnedLogKeysOrExit(
  config: PinningConfig,
  options: { allowDevelopmentKey?: boolean } = {},
): Promise<Record<string, PublishedKey[]>> {
  if (config.pinnedLogKeysFile) {
    try {
      const { logs } = parseLabelledKeys(JSON.parse(await readFile(config.pinnedLogKeysFile, 'utf8')));
      if (Object.keys(logs).length === 0) throw new Error('it names no log (logId) and its keys');
      return logs;
    } catch (error) {
      console.error(
        `Configuration error: PINNED_LOG_KEYS_FILE=${JSON.stringify(config.pinnedLogKeysFile)} is invalid; expected a readable key file labelling each log's keys, see docs/proofs.md (${(error as Error).message}).`,
      );
      process.exit(78);
    }
  }
  if (config.environment === 'production' && !options.allowDevelopmentKey) {
    console.error(
      "Configuration error: PINNED_LOG_KEYS_FILE is not set; NODE_ENV=production needs the data subgraphs' log keys pinned from a file (see docs/proofs.md), never taken on first sight.",
    );
    process.exit(78);
  }
  const pinned: Record<string, PublishedKey[]> = {};
  for (const name of ['county', 'municipality', 'jobcenter', 'socialcare']) {
    const file = config.logKeyFiles[name];
    try {
      const ring = file ? await loadKeyRing(file) : await loadOrCreateDevKeyRing(config.dataDir, name);
      pinned[`verbund:${name}`] = publishKeys(ring);
    } catch (error) {
      console.error(`Configuration error: the ${name} log key to pin: ${(error as Error).message}`);
      process.exit(78);
    }
  }
  return pinned;
}

/**
 * The witnesses of other parties whose cosignatures the consent registry keeps for its officers' log: the
 * `witnesses` of `PINNED_LOG_KEYS_FILE` (the registry's own name among them is ignored: it never witnesses
 * itself). Without the file, outside production, the key the jobcenter's process witnesses with on this machine
 * (`JOBCENTER_WITNESS_KEY_FILE` or its development key). In production the file must name at least one such
 * witness, or the registry stops at start: its log is never under its own signature alone.
 */
export async function pinnedWitnessKeysOrExit(
  config: Omit<PinningConfig, 'logKeyFiles'>,
  options: { allowDevelopmentKey?: boolean } = {},
): Promise<Record<string, PublishedKey[]>> {
  if (config.pinnedLogKeysFile) {
    const { witnesses } = parseLabelledKeys(JSON.parse(await readFile(config.pinnedLogKeysFile, 'utf8')));
    const others = Object.fromEntries(Object.entries(witnesses).filter(([name]) => name !== REGISTRY_WITNESS));
    if (Object.keys(others).length === 0 && config.environment === 'production' && !options.allowDevelopmentKey) {
      console.error(
        `Configuration error: PINNED_LOG_KEYS_FILE=${JSON.stringify(config.pinnedLogKeysFile)} names no witness of the registry's log of officers' reads; add the ${OFFICER_LOG_WITNESS}'s GET /audit/witness-keys answer (see docs/proofs.md): the registry's checkpoints count only cosigned by another party.`,
      );
      process.exit(78);
    }
    return others;
  }
  if (config.environment === 'production' && !options.allowDevelopmentKey) return {};
  try {
    const ring = config.officerLogWitnessKeyFile
      ? await loadKeyRing(config.officerLogWitnessKeyFile)
      : await loadOrCreateDevKeyRing(config.dataDir, `witness-${OFFICER_LOG_WITNESS}`);
    return { [OFFICER_LOG_WITNESS]: publishKeys(ring, { role: 'witness', witness: OFFICER_LOG_WITNESS }) };
  } catch (error) {
    console.error(`Configuration error: the ${OFFICER_LOG_WITNESS}'s witness key to pin: ${(error as Error).message}`);
    process.exit(78);
  }
}

/**
 * The consent registry's log keys that the witness of its officers' log pins: `logs["verbund:consent"]` of
 * `PINNED_LOG_KEYS_FILE` (required in production); else, outside production, the public half of the key the
 * registry signs with on this machine (`CONSENT_LOG_KEY_FILE` or its development key).
 */
export async function registryLogKeysOrExit(
  config: PinningConfig,
  options: { allowDevelopmentKey?: boolean } = {},
): Promise<PublishedKey[]> {
  const logId = 'verbund:consent';
  if (config.pinnedLogKeysFile) {
    let keys: PublishedKey[] | undefined;
    try {
      keys = parseLabelledKeys(JSON.parse(await readFile(config.pinnedLogKeysFile, 'utf8'))).logs[logId];
    } catch (error) {
      console.error(
        `Configuration error: PINNED_LOG_KEYS_FILE=${JSON.stringify(config.pinnedLogKeysFile)} is invalid; expected a readable key file labelling each log's keys, see docs/proofs.md (${(error as Error).message}).`,
      );
      process.exit(78);
    }
    if (!keys?.length) {
      console.error(
        `Configuration error: PINNED_LOG_KEYS_FILE=${JSON.stringify(config.pinnedLogKeysFile)} has no key of ${logId}; the ${OFFICER_LOG_WITNESS} witnesses the registry's log of officers' reads and pins the registry's GET /officer-log/audit/keys answer (see docs/proofs.md).`,
      );
      process.exit(78);
    }
    return keys;
  }
  if (config.environment === 'production' && !options.allowDevelopmentKey) {
    console.error(
      `Configuration error: PINNED_LOG_KEYS_FILE is not set; NODE_ENV=production needs the consent registry's log keys pinned from a file for the ${OFFICER_LOG_WITNESS}'s witness (see docs/proofs.md), never taken on first sight.`,
    );
    process.exit(78);
  }
  try {
    const file = config.logKeyFiles.consent;
    return publishKeys(file ? await loadKeyRing(file) : await loadOrCreateDevKeyRing(config.dataDir, 'consent'));
  } catch (error) {
    console.error(`Configuration error: the consent registry's log key to pin: ${(error as Error).message}`);
    process.exit(78);
  }
}
