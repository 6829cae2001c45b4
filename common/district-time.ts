/**
 * Calendar dates in the district's time zone (`DISTRICT_TIME_ZONE`). A consent's validity is a pair of such
 * dates: in force from the start of `validFrom` through the end of `validUntil`, as the district's clock
 * shows them, whatever zone the server, the database or the browser runs in.
 */

/** The zone of the demo district and of a German deployment. */
export const DEFAULT_DISTRICT_TIME_ZONE = 'Europe/Berlin';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA writes YYYY-MM-DD; hourCycle h23 writes midnight as 00, not 24.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when the runtime knows this IANA zone name. */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** What the wall clock of a zone shows at an instant. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of `timeZone` at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out as unknown as WallClock;
}

/**
 * Per zone, the last day asked about: the instants it spans, `from` (its first moment) up to `until` (the next
 * day's first), and its date where one date holds for all of them. Requests decide at their own instants,
 * interleaved under load, and every consent check asks for today's date; within the day the answer is a
 * comparison, not `formatToParts`.
 */
const lastDay = new Map<string, { from: number; until: number; date?: string }>();

function dateOf(p: WallClock): string {
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The calendar date (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const at = instant.getTime();
  const last = lastDay.get(timeZone);
  if (last && at >= last.from && at < last.until) return last.date ?? dateOf(wallClock(instant, timeZone));
  const date = dateOf(wallClock(instant, timeZone));
  if (Number.isFinite(at)) {
    const from = startOfLocalDate(date, timeZone).getTime();
    const until = startOfLocalDate(nextLocalDate(date), timeZone).getTime();
    if (from <= at && at < until) {
      // The date holds for the whole span only on a day of 24 hours whose first and last instants fall on it: a
      // change of the clock inside a day can make a zone's dates run backwards for a while. Such a day is
      // formatted at every call, and its span is kept so that its bounds are not computed again.
      const plain =
        until - from === 86_400_000 &&
        dateOf(wallClock(new Date(from), timeZone)) === date &&
        dateOf(wallClock(new Date(until - 1), timeZone)) === date;
      lastDay.set(timeZone, { from, until, date: plain ? date : undefined });
    }
  }
  return date;
}

/** The instant at which the wall clock of `timeZone` shows the given day and time (month 1–12). */
export function instantOfWallClock(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset at the guess, then once more at the corrected instant (a change of offset that night).
  let instant = wanted;
  for (let i = 0; i < 2; i++) {
    const p = wallClock(new Date(instant), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    instant = wanted - (shown - instant);
  }
  return new Date(instant);
}

/** The instant a calendar date (YYYY-MM-DD) begins in `timeZone` (its first moment, 00:00 there). */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return instantOfWallClock(year, month, day, 0, 0, timeZone);
}

/** The calendar date after `date` (YYYY-MM-DD). */
export function nextLocalDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/** An instant written with the district's offset and zone named, e.g. `2027-06-30 23:59 (Europe/Berlin)`. */
export function formatInstantIn(instant: Date, timeZone: string): string {
  const p = wallClock(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${localDateOf(instant, timeZone)} ${two(p.hour)}:${two(p.minute)} (${timeZone})`;
}
