import { createHash } from 'node:crypto';
import { boundEntry, type DisclosureEntry } from './record.js';

/**
 * How long a subgraph remembers what it recorded for a request. The fetches of one gateway request reach a
 * subgraph within that request's run: each has the gateway's deadline (`SUBGRAPH_TIMEOUT_MS`, 10 s by default)
 * and a query plan runs a few in sequence. A fetch that comes later writes a record of its own: forgetting
 * costs a record, never loses one.
 */
export const REMEMBER_MS = 20_000;
/** At most this many (request, person) pairs are remembered; forgetting one costs a record, never loses one. */
const REMEMBER_PAIRS = 20_000;
/** Separates the items of one pair in their joined form; no field, category, reason or basis contains it. */
const ITEM_SEPARATOR = '\u0001';

interface Recorded {
  /**
   * Everything the records of this (request, caller, person) released, refused and based on so far, as one
   * string: each item between separators (one string instead of a set of them keeps an entry small).
   */
  items: string;
  /** Settles when those records are committed; rejects when one could not be. */
  committed: Promise<void>;
  expires: number;
}

/**
 * The pair a record is for: one request of one caller about one person, its strings bounded as in the log,
 * kept as a SHA-256 digest (44 characters instead of the strings themselves).
 */
function pairKey(unbounded: DisclosureEntry): string {
  const entry = boundEntry(unbounded);
  return createHash('sha256')
    .update(
      [
        entry.requestId,
        entry.agency,
        entry.officer,
        entry.roles.join(','),
        entry.purpose,
        entry.operation ?? '',
        entry.kind,
        entry.personId ?? '',
      ].join('\u0000'),
    )
    .digest('base64');
}

/** What a record says about its person, item by item. */
function itemsOf(entry: DisclosureEntry): string[] {
  return [
    ...entry.released.map((f) => `released\u0000${f.field}\u0000${f.category}`),
    ...entry.refused.map((f) => `refused\u0000${f.field}\u0000${f.category}\u0000${f.reason}`),
    ...entry.basis.map((b) => `basis\u0000${b.category}\u0000${b.basis}`),
  ];
}

function joinItems(items: Iterable<string>): string {
  return `${ITEM_SEPARATOR}${[...new Set(items)].join(ITEM_SEPARATOR)}${ITEM_SEPARATOR}`;
}

/**
 * One record per (request, person) in a subgraph, however many fetches the gateway makes for the request.
 * The gateway fetches a subgraph once per response path that needs it, so `a: person(id: $x) { housing }
 * b: person(id: $x) { housing }` reaches the municipality subgraph as two HTTP requests with one request id,
 * and each would otherwise write its own record. A fetch whose entry says nothing that the records already
 * written (or being written) for the same request, caller and person do not say, writes none and waits for
 * those records instead: its data still leaves only after they are committed, and not at all if they fail.
 * A fetch that releases or refuses something new writes its own record, so nothing goes unrecorded.
 *
 * The request id is the gateway's; a client that calls a subgraph directly and repeats its own request id
 * within `REMEMBER_MS`, asking the same fields of the same person, gets one record for both calls.
 *
 * Memory is bounded by what the window needs: entries expire on a timer (unref'd, running only while
 * something is remembered), not only when the next request comes, and each holds a digest and one string.
 */
export class RequestRecords {
  private readonly recorded = new Map<string, Recorded>();
  private sweep: NodeJS.Timeout | undefined;

  /**
   * Splits a response's entries into those to write and the commits that already cover the others. Call
   * `written` with the promise of the append right after, in the same tick, so that concurrent fetches of
   * the same request see each other.
   */
  claim(entries: DisclosureEntry[], now = Date.now()): { write: DisclosureEntry[]; covered: Promise<void>[] } {
    this.forgetExpired(now);
    const write: DisclosureEntry[] = [];
    const covered = new Set<Promise<void>>();
    for (const entry of entries) {
      const known = entry.kind === 'READ' ? this.recorded.get(pairKey(entry)) : undefined;
      if (known && itemsOf(entry).every((item) => known.items.includes(`${ITEM_SEPARATOR}${item}${ITEM_SEPARATOR}`)))
        covered.add(known.committed);
      else write.push(entry);
    }
    return { write, covered: [...covered] };
  }

  /** Remembers the entries being written with the promise of their commit. */
  written(entries: DisclosureEntry[], commit: Promise<void>, now = Date.now()): void {
    for (const entry of entries) {
      if (entry.kind !== 'READ') continue;
      const key = pairKey(entry);
      const known = this.recorded.get(key);
      const items = itemsOf(entry);
      const state: Recorded = {
        items: joinItems(known ? [...known.items.split(ITEM_SEPARATOR).filter(Boolean), ...items] : items),
        committed: known ? Promise.all([known.committed, commit]).then(() => undefined) : commit,
        expires: now + REMEMBER_MS,
      };
      // A record that could not be written covers nothing: the next fetch writes its own.
      state.committed.catch(() => {
        if (this.recorded.get(key) === state) this.recorded.delete(key);
      });
      this.recorded.delete(key);
      this.recorded.set(key, state);
    }
    while (this.recorded.size > REMEMBER_PAIRS) this.recorded.delete(this.recorded.keys().next().value!);
    this.scheduleSweep(now);
  }

  /** Forgets everything and stops the timer: when the server stops, so that no sweep outlives it. */
  clear(): void {
    clearTimeout(this.sweep);
    this.sweep = undefined;
    this.recorded.clear();
  }

  /** How many pairs are remembered now. */
  get size(): number {
    return this.recorded.size;
  }

  private forgetExpired(now: number): void {
    for (const [key, state] of this.recorded) {
      if (state.expires > now) break;
      this.recorded.delete(key);
    }
  }

  /** Expires entries when the oldest is due, also when no request comes; stops while nothing is remembered. */
  private scheduleSweep(now: number): void {
    if (this.sweep || this.recorded.size === 0) return;
    const oldest = this.recorded.values().next().value!;
    this.sweep = setTimeout(
      () => {
        this.sweep = undefined;
        const at = Date.now();
        this.forgetExpired(at);
        this.scheduleSweep(at);
      },
      Math.max(oldest.expires - now, 0) + 1,
    );
    this.sweep.unref();
  }
}
