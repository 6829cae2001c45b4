import { boundEntry, type DisclosureEntry } from './record.js';

/** How long a subgraph remembers what it recorded for a request: longer than any one gateway request runs. */
const REMEMBER_MS = 60_000;
/** At most this many (request, person) pairs are remembered; forgetting one costs a record, never loses one. */
const REMEMBER_PAIRS = 20_000;

interface Recorded {
  /** Everything the records of this (request, caller, person) released, refused and based on so far. */
  items: Set<string>;
  /** Settles when those records are committed; rejects when one could not be. */
  committed: Promise<void>;
  expires: number;
}

/** The pair a record is for: one request of one caller about one person, its strings bounded as in the log. */
function pairKey(unbounded: DisclosureEntry): string {
  const entry = boundEntry(unbounded);
  return [
    entry.requestId,
    entry.agency,
    entry.officer,
    entry.roles.join(','),
    entry.purpose,
    entry.operation ?? '',
    entry.kind,
    entry.personId ?? '',
  ].join('\u0000');
}

/** What a record says about its person, item by item. */
function itemsOf(entry: DisclosureEntry): string[] {
  return [
    ...entry.released.map((f) => `released\u0000${f.field}\u0000${f.category}`),
    ...entry.refused.map((f) => `refused\u0000${f.field}\u0000${f.category}\u0000${f.reason}`),
    ...entry.basis.map((b) => `basis\u0000${b.category}\u0000${b.basis}`),
  ];
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
 * within a minute, asking the same fields of the same person, gets one record for both calls.
 */
export class RequestRecords {
  private readonly recorded = new Map<string, Recorded>();

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
      if (known && itemsOf(entry).every((item) => known.items.has(item))) covered.add(known.committed);
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
      const state: Recorded = {
        items: new Set([...(known?.items ?? []), ...itemsOf(entry)]),
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
  }

  private forgetExpired(now: number): void {
    for (const [key, state] of this.recorded) {
      if (state.expires > now) break;
      this.recorded.delete(key);
    }
  }
}
