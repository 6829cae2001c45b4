/**
 * Days and instants as the district's clock shows them (the registry's `DISTRICT_TIME_ZONE`, which
 * `consentSettings` tells), whatever zone the officer's browser runs in. A validity day is a plain
 * YYYY-MM-DD string and is never converted; only instants (givenAt, recordedAt, withdrawnAt) are.
 */

import { instantOfWallClock, wallClock } from '../../common/district-time';

const two = (n: number) => String(n).padStart(2, '0');

/** A day YYYY-MM-DD as German offices write it: 30.06.2027. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

/** An instant in the district's zone, with the zone named: 06.12.2026, 09:41 (Europe/Berlin). */
export function formatInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const p = wallClock(new Date(iso), timeZone);
  return `${two(p.day)}.${two(p.month)}.${p.year}, ${two(p.hour)}:${two(p.minute)} (${timeZone})`;
}

/** An instant as a `datetime-local` input shows it, in the district's zone (YYYY-MM-DDTHH:mm). */
export function inputOfInstant(iso: string, timeZone: string): string {
  const p = wallClock(new Date(iso), timeZone);
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** The instant a `datetime-local` value (YYYY-MM-DDTHH:mm) means on the district's clock; null when not a real one. */
export function instantOfInput(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  return instantOfWallClock(y, mo, d, h, mi, timeZone).toISOString();
}

/** Today on the district's clock, YYYY-MM-DD. */
export function districtToday(timeZone: string): string {
  return inputOfInstant(new Date().toISOString(), timeZone).slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD (no 30 February). */
export function isRealDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}
