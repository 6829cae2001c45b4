/**
 * The rotating re-read of older records: besides the records since the last verified checkpoint, each
 * default verification re-reads a slice of the records below it, sized by the time since the last slice, so
 * that the slices sweep the whole log at least once every `VERIFY_FULL_CYCLE_DAYS`. What was re-read, and
 * when, is kept in `log_reread`, so that a verification can say of the records it did not re-read when they
 * were last read.
 */
import type { Queryable } from '../../../common/audit/log/disclosure-log.table.js';
import type { VerifiedPoint } from '../../../common/audit/proofs/checkpoint.verification.js';

/** Records `from` through `through`, both included. */
export interface Range {
  from: number;
  through: number;
}

/** One stretch re-read, from a size to a size (records `fromSize + 1` through `throughSize`). */
export interface Reread {
  kind: 'NEW' | 'SLICE' | 'FULL';
  fromSize: number;
  throughSize: number;
  intact: boolean;
  at: Date;
}

/** Keeps what a verification re-read. */
export async function recordReread(db: Queryable, logId: string, reread: Reread): Promise<void> {
  await db.query(
    'INSERT INTO log_reread (log_id, kind, from_size, through_size, intact, reread_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
    [logId, reread.kind, reread.fromSize, reread.throughSize, reread.intact, reread.at],
  );
}

/**
 * Every stretch of a log re-read so far: the kept re-reads, and for checkpoints verified before re-reads were
 * kept, the stretch each verification walked (from the checkpoint before it).
 */
export async function rereadsOf(db: Queryable, logId: string): Promise<Reread[]> {
  const kept = (await db.query(
    'SELECT kind, from_size, through_size, intact, reread_at FROM log_reread WHERE log_id = $1 ORDER BY reread_at',
    [logId],
  )) as { kind: Reread['kind']; from_size: string; through_size: string; intact: boolean; reread_at: Date }[];
  const verified = (await db.query(
    'SELECT size, verified_at FROM verified_checkpoint WHERE log_id = $1 ORDER BY size',
    [logId],
  )) as { size: string; verified_at: Date }[];
  return [
    ...verified.map((v, i) => ({
      kind: 'NEW' as const,
      fromSize: i === 0 ? 0 : Number(verified[i - 1].size),
      throughSize: Number(v.size),
      intact: true,
      at: v.verified_at,
    })),
    ...kept.map((r) => ({
      kind: r.kind,
      fromSize: Number(r.from_size),
      throughSize: Number(r.through_size),
      intact: r.intact,
      at: r.reread_at,
    })),
  ];
}

/**
 * The next slice below `covered` (the size of the last verified checkpoint): it starts where the last slice
 * ended (at the start after a sweep) and reaches the first verified checkpoint at or past
 * `covered × elapsed / cycle` records further, where `elapsed` is the time since the last slice (since the
 * first verification before any), at most one cycle: so a sweep takes at most one cycle, however often
 * verification runs. Null when nothing lies below `covered`.
 */
export function planSlice(options: {
  covered: number;
  /** Checkpoints verified before, by size (their roots as verified). */
  verified: VerifiedPoint[];
  rereads: Reread[];
  cycleMs: number;
  now: Date;
}): { from?: VerifiedPoint; until: VerifiedPoint } | null {
  const { covered, verified, rereads, cycleMs, now } = options;
  const points = verified.filter((v) => v.size <= covered).sort((a, b) => a.size - b.size);
  if (covered === 0 || points.length === 0) return null;
  const slices = rereads.filter((r) => r.kind === 'SLICE');
  const last = slices[slices.length - 1];
  const since = last?.at ?? rereads.reduce<Date>((oldest, r) => (r.at < oldest ? r.at : oldest), now);
  const elapsed = Math.min(cycleMs, Math.max(0, now.getTime() - since.getTime()));
  const position = last && last.throughSize < covered ? last.throughSize : 0;
  const target = position + Math.max(1, Math.ceil((covered * elapsed) / cycleMs));
  const until = points.find((p) => p.size >= target) ?? points[points.length - 1];
  if (until.size <= position) return null;
  const from = position > 0 ? points.find((p) => p.size === position) : undefined;
  // A slice starts at a verified checkpoint; when the last slice's end is no longer one, the sweep starts over.
  if (position > 0 && !from) return { until: points.find((p) => p.size >= target - position) ?? until };
  return { ...(from ? { from } : {}), until };
}

/** `ranges` minus `minus`, in order. */
export function subtract(ranges: Range[], minus: Range[]): Range[] {
  let left = ranges;
  for (const m of minus) {
    left = left.flatMap((r) => {
      if (m.through < r.from || m.from > r.through) return [r];
      return [
        ...(m.from > r.from ? [{ from: r.from, through: m.from - 1 }] : []),
        ...(m.through < r.through ? [{ from: m.through + 1, through: r.through }] : []),
      ];
    });
  }
  return left;
}

/**
 * The oldest "last re-read" over `ranges`: for each record, the newest re-read that covered it intact; the
 * oldest of those. Null when a record in them was never re-read intact.
 */
export function oldestLastReread(ranges: Range[], rereads: Reread[]): Date | null {
  const intact = rereads.filter((r) => r.intact && r.throughSize > r.fromSize);
  let oldest: Date | null = null;
  for (const range of ranges) {
    // Elementary stretches between every boundary inside the range.
    const bounds = new Set<number>([range.from, range.through + 1]);
    for (const r of intact) {
      for (const b of [r.fromSize + 1, r.throughSize + 1]) if (b > range.from && b <= range.through) bounds.add(b);
    }
    const sorted = [...bounds].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length - 1; i++) {
      const [from, through] = [sorted[i], sorted[i + 1] - 1];
      let newest: Date | null = null;
      for (const r of intact) {
        if (r.fromSize + 1 <= from && r.throughSize >= through && (!newest || r.at > newest)) newest = r.at;
      }
      if (!newest) return null;
      if (!oldest || newest < oldest) oldest = newest;
    }
  }
  return oldest;
}

/** `1–200 and 1235–1240`. */
export function rangesText(ranges: Range[]): string {
  const parts = ranges.map((r) => (r.from === r.through ? `${r.from}` : `${r.from}–${r.through}`));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
}

/** Ranges in order, touching ones joined. */
export function joined(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r.through >= r.from).sort((a, b) => a.from - b.from);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.through + 1) last.through = Math.max(last.through, r.through);
    else out.push({ ...r });
  }
  return out;
}
