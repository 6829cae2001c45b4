import { createHash } from 'node:crypto';
import type { DemoPerson } from '../common/subgraph/demo-seeder.js';

export type { DemoPerson };

/**
 * The fictional district every demo database describes: "Landkreis Lindenau" with six municipalities,
 * four welfare organisations and as many persons as asked for. Every value derives from (seed, index), so a
 * person is the same in every subgraph's database and in every run with the same seed, and large data sets
 * can be generated batch by batch without holding them in memory.
 */

export interface DemoMunicipality {
  /** Fictional eight-digit municipality keys (the 08999 prefix belongs to no real district). */
  ags: string;
  name: string;
  population: number;
}

export const MUNICIPALITIES: DemoMunicipality[] = [
  { ags: '08999001', name: 'Lindenau', population: 48_200 },
  { ags: '08999002', name: 'Birkenfeld', population: 21_400 },
  { ags: '08999003', name: 'Eichenbach', population: 12_900 },
  { ags: '08999004', name: 'Ahornheim', population: 9_700 },
  { ags: '08999005', name: 'Weidenau am See', population: 6_300 },
  { ags: '08999006', name: 'Ulmstetten', population: 4_100 },
];

export interface DemoOrganisation {
  id: string;
  name: string;
}

export const ORGANISATIONS: DemoOrganisation[] = [
  { id: 'caritas', name: 'Caritasverband Lindenau' },
  { id: 'diakonie', name: 'Diakonisches Werk Lindenau' },
  { id: 'awo', name: 'AWO Kreisverband Lindenau' },
  { id: 'drk', name: 'DRK Kreisverband Lindenau' },
];

/** A deterministic random source: mulberry32 seeded from a string. */
export class Random {
  private state: number;
  constructor(key: string) {
    this.state = createHash('sha256').update(key).digest().readUInt32LE(0);
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of items) {
      r -= weight;
      if (r < 0) return value;
    }
    return items[items.length - 1][0];
  }
  /** A date between two ISO dates, as YYYY-MM-DD. */
  date(from: string, to: string): string {
    const a = Date.parse(from);
    const b = Date.parse(to);
    return new Date(a + this.next() * (b - a)).toISOString().slice(0, 10);
  }
}

/** The day the demo world describes; ages and durations are counted to it. */
export const REFERENCE_DATE = '2026-11-01';

const ORIGINS = [
  {
    nationality: 'SYR',
    language: 'ar',
    weight: 30,
    given: {
      FEMALE: ['Amina', 'Rania', 'Lina', 'Nour', 'Hala', 'Yasmin'],
      MALE: ['Omar', 'Ahmad', 'Khaled', 'Yusuf', 'Samir', 'Bilal'],
    },
    family: ['Haddad', 'Al-Hassan', 'Khalil', 'Nasser', 'Darwish', 'Saleh'],
  },
  {
    nationality: 'UKR',
    language: 'uk',
    weight: 30,
    given: {
      FEMALE: ['Olena', 'Iryna', 'Kateryna', 'Oksana', 'Natalia', 'Sofiia'],
      MALE: ['Andrii', 'Dmytro', 'Oleksandr', 'Mykola', 'Taras', 'Yurii'],
    },
    family: ['Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Melnyk', 'Kravets'],
  },
  {
    nationality: 'AFG',
    language: 'fa',
    weight: 20,
    given: {
      FEMALE: ['Zahra', 'Mariam', 'Fatima', 'Parwana', 'Shabnam', 'Laila'],
      MALE: ['Ali', 'Mohammad', 'Reza', 'Hamid', 'Farid', 'Jawad'],
    },
    family: ['Ahmadi', 'Rahimi', 'Hakimi', 'Karimi', 'Sultani', 'Noori'],
  },
  {
    nationality: 'TUR',
    language: 'tr',
    weight: 8,
    given: { FEMALE: ['Elif', 'Zeynep', 'Ayse', 'Derya'], MALE: ['Mehmet', 'Emre', 'Baran', 'Deniz'] },
    family: ['Yilmaz', 'Kaya', 'Demir', 'Aydin'],
  },
  {
    nationality: 'ERI',
    language: 'ti',
    weight: 6,
    given: { FEMALE: ['Selam', 'Helen', 'Ruth', 'Winta'], MALE: ['Yonas', 'Daniel', 'Samuel', 'Filmon'] },
    family: ['Tesfay', 'Gebremedhin', 'Haile', 'Berhane'],
  },
  {
    nationality: 'IRQ',
    language: 'ar',
    weight: 6,
    given: { FEMALE: ['Noor', 'Zainab', 'Sara', 'Huda'], MALE: ['Mustafa', 'Haider', 'Karim', 'Ibrahim'] },
    family: ['Al-Jabouri', 'Mahmoud', 'Abbas', 'Qasim'],
  },
] as const;

/** A UUID (version 4 layout) derived from the seed and index, so every subgraph agrees on it. */
export function demoPersonId(seed: number, index: number): string {
  const h = createHash('sha256').update(`verbund-person:${seed}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A random source for one person and one concern (e.g. 'jobcenter'), stable across runs. */
export function personRandom(seed: number, index: number, concern: string): Random {
  return new Random(`${seed}:${index}:${concern}`);
}

/** The person with this index in the world of this seed. */
export function demoPerson(seed: number, index: number): DemoPerson {
  const r = personRandom(seed, index, 'person');
  const origin = r.weighted(ORIGINS.map((o) => [o, o.weight] as const));
  const gender = r.chance(0.5) ? 'FEMALE' : 'MALE';
  const age = r.weighted([
    [r.int(0, 5), 12],
    [r.int(6, 17), 20],
    [r.int(18, 29), 28],
    [r.int(30, 49), 30],
    [r.int(50, 75), 10],
  ] as const);
  const birthYear = Number(REFERENCE_DATE.slice(0, 4)) - age - 1;
  const dateOfBirth = r.date(`${birthYear}-11-02`, `${birthYear + 1}-11-01`);
  const arrivalDate = r.date(origin.nationality === 'UKR' ? '2022-03-01' : '2015-09-01', '2026-10-15');
  const monthsHere = (Date.parse(REFERENCE_DATE) - Date.parse(arrivalDate)) / (30.4 * 86_400_000);
  const residenceStatus =
    origin.nationality === 'UKR'
      ? 'TEMPORARY_PROTECTION'
      : monthsHere < 8
        ? 'ASYLUM_PENDING'
        : r.weighted([
            ['RECOGNISED_REFUGEE', 45],
            ['SUBSIDIARY_PROTECTION', 25],
            ['TOLERATED', 15],
            ['ASYLUM_PENDING', 8],
            ['SETTLEMENT_PERMIT', monthsHere > 60 ? 20 : 0],
          ] as const);
  const municipality = r.weighted(MUNICIPALITIES.map((m) => [m, m.population] as const));
  return {
    index,
    id: demoPersonId(seed, index),
    givenName: r.pick(origin.given[gender]),
    familyName: r.pick(origin.family),
    gender,
    dateOfBirth,
    age,
    nationality: origin.nationality,
    firstLanguage: origin.language,
    arrivalDate,
    residenceStatus,
    municipalityAgs: municipality.ags,
    inFollowUpAccommodation: monthsHere > 18 * r.next() + 9,
    organisationId: r.chance(0.6) ? r.pick(ORGANISATIONS).id : null,
  };
}

/** The persons with indexes [from, to) of the world of this seed. */
export function demoPersons(seed: number, from: number, to: number): DemoPerson[] {
  const persons: DemoPerson[] = [];
  for (let i = from; i < to; i += 1) persons.push(demoPerson(seed, i));
  return persons;
}
