/**
 * The analysts' page: its GraphQL operations (sent with X-Purpose: MONITORING), the indicators it shows and
 * the pure helpers behind it (periods of the window, the CSV of exactly the figures shown).
 */
import { DEFAULT_DISTRICT_TIME_ZONE } from '../../common/district-time';
import { formatDay } from './district-time';
import { graphql } from './gql';
import { t, text, uiLanguage } from './i18n';

/** The first month the hub publishes (`MONITORING_START` in common/monitoring/series.ts). */
export const WINDOW_START = '2025-01';

export interface Figure {
  key: string;
  value: number | null;
  suppressed: boolean;
}

export interface Distribution {
  cells: Figure[];
  total: Figure;
}

/**
 * The indicators, grouped by field of action, each from the partner that holds the data. Titles and owners are
 * English texts for `t` (German in the `ui` table of i18n/de.json).
 */
export const INDICATORS = [
  {
    field: 'housing',
    title: text('Housing: persons by accommodation'),
    owner: text('Counted by the municipalities.'),
  },
  {
    field: 'germanAtClearing',
    title: text('Language: German at clearing'),
    owner: text('Counted by the county.'),
  },
  {
    field: 'integrationCourses',
    title: text('Language: integration courses'),
    owner: text('Counted by the jobcenter.'),
  },
  {
    field: 'vocationalLanguage',
    title: text('Language: vocational language courses'),
    owner: text('Counted by the jobcenter.'),
  },
  {
    field: 'languageSupport',
    title: text('Language: support beyond courses (cafés, tutoring, parents’ groups)'),
    owner: text('Counted by the welfare organisations.'),
  },
  {
    field: 'childcareSchool',
    title: text('Education: childcare places and school'),
    owner: text('Counted by the municipalities.'),
  },
  {
    field: 'employmentStatus',
    title: text('Work and training: jobcenter clients by status'),
    owner: text('Counted by the jobcenter.'),
  },
  {
    field: 'socialParticipation',
    title: text('Social participation: clubs, community offers, volunteering'),
    owner: text('Counted by the welfare organisations.'),
  },
  {
    field: 'openSupportNeeds',
    title: text('Counselling: open support needs by field of action'),
    owner: text('Counted by the welfare organisations.'),
  },
] as const;

export type IndicatorField = (typeof INDICATORS)[number]['field'];

export type SeriesEntry = { period: string; region: string; asOf: string } & Record<
  IndicatorField,
  Distribution | null
>;

graphql(`
  fragment DistributionFields on IndicatorDistribution {
    cells {
      key
      value
      suppressed
    }
    total {
      key
      value
      suppressed
    }
  }
`);

/** Every indicator of the chosen periods and regions; its fields are the `field`s of INDICATORS. */
export const INDICATOR_SERIES = graphql(`
  query AnalystIndicatorSeries($periods: [String!]!, $regions: [String!]!) {
    indicatorSeries(periods: $periods, regions: $regions) {
      period
      region
      asOf
      housing {
        ...DistributionFields
      }
      germanAtClearing {
        ...DistributionFields
      }
      integrationCourses {
        ...DistributionFields
      }
      vocationalLanguage {
        ...DistributionFields
      }
      languageSupport {
        ...DistributionFields
      }
      childcareSchool {
        ...DistributionFields
      }
      employmentStatus {
        ...DistributionFields
      }
      socialParticipation {
        ...DistributionFields
      }
      openSupportNeeds {
        ...DistributionFields
      }
    }
  }
`);

export const MUNICIPALITIES = graphql(`
  query AnalystMunicipalities {
    municipalities {
      ags
      name
    }
  }
`);

export type Granularity = 'MONTH' | 'QUARTER';

/** The region key of the whole district (`DISTRICT` in common/monitoring/period.ts). */
export const DISTRICT = 'DISTRICT';

/** Today on the district's clock, YYYY-MM-DD (the hub counts a running period as of this day). */
export function districtDay(now: Date = new Date(), timeZone: string = DEFAULT_DISTRICT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Every period of the window, oldest first: from WINDOW_START to the running month (months) or the running
 * quarter (quarters) on the district's day `today` (YYYY-MM-DD). Months still to come are not offered.
 */
export function windowPeriods(granularity: Granularity, today: string = districtDay()): string[] {
  const [y0, m0] = WINDOW_START.split('-').map(Number);
  const [year, month] = today.split('-').map(Number);
  const current = year * 12 + month - 1;
  const last = granularity === 'MONTH' ? current : year * 12 + Math.floor((month - 1) / 3) * 3 + 2;
  const periods: string[] = [];
  for (let m = y0 * 12 + m0 - 1; m <= last; m += 1) {
    const y = Math.floor(m / 12);
    const mo = (m % 12) + 1;
    if (granularity === 'MONTH') periods.push(`${y}-${String(mo).padStart(2, '0')}`);
    else if (mo % 3 === 0) periods.push(`${y}-Q${mo / 3}`);
  }
  return periods;
}

/** The last day of a period (`2026-09` → 2026-09-30, `2026-Q3` → 2026-09-30). */
export function periodEnd(period: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(period);
  const [year, month] = quarter ? [Number(quarter[1]), Number(quarter[2]) * 3] : period.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** A period in words: "3. Quartal 2026" / "Q3 2026", "September 2026". */
export function periodLabel(period: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(period);
  if (quarter) return t('Q{quarter} {year}', { quarter: quarter[2], year: quarter[1] });
  const [year, month] = period.split('-').map(Number);
  return new Intl.DateTimeFormat(uiLanguage(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** A period short, for a chart's axis: "Q3/2026", "Sept. 2026". */
export function periodShort(period: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(period);
  if (quarter) return t('Q{quarter}/{year}', { quarter: quarter[2], year: quarter[1] });
  const [year, month] = period.split('-').map(Number);
  return new Intl.DateTimeFormat(uiLanguage(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/**
 * For a running period, the day it is counted on ("Stand 06.12.2026"), so that nobody reads its figures as the
 * stock at its end; nothing for a period that has ended.
 */
export function periodAsOf(period: string, asOf: string | undefined, short = false): string | undefined {
  if (!asOf || asOf >= periodEnd(period)) return undefined;
  const day = formatDay(asOf);
  return t('as of {day}', { day: short ? day.slice(0, 6) : day });
}

/** The keys of the indicators in words, English for `t` (German in i18n/de.json). */
const KEY_LABELS: Record<string, string> = {
  TOTAL: text('Total'),
  SHARED: text('Shared accommodation'),
  FOLLOW_UP: text('Follow-up accommodation'),
  OWN_FLAT: text('Own flat'),
  CHILDCARE: text('Childcare place'),
  SCHOOL: text('At school'),
  C1_AND_ABOVE: text('C1 and above'),
  NONE: text('No German'),
  EMPLOYED: text('Employed'),
  IN_TRAINING: text('In training'),
  IN_MEASURE: text('In a measure'),
  SEEKING: text('Seeking work'),
  NOT_AVAILABLE: text('Not available for work'),
  ATTENDING: text('Attending'),
  ABORTED: text('Aborted'),
  ENDED: text('Ended'),
  HOUSING: text('Housing'),
  LANGUAGE: text('Language'),
  EDUCATION: text('Education'),
  WORK_AND_TRAINING: text('Work and training'),
  SOCIAL_PARTICIPATION: text('Social participation'),
  HEALTH: text('Health'),
  SPORTS_CLUB: text('Sports club'),
  OTHER_CLUB: text('Other club'),
  COMMUNITY_OFFER: text('Community offer'),
  VOLUNTEERING: text('Volunteering'),
  LANGUAGE_CAFE: text('Language café'),
  LANGUAGE_TUTORING: text('Language tutoring'),
  PARENTS_LANGUAGE_GROUP: text('Parents’ language group'),
};

/**
 * A key in words, in the console's language: `COMPLETED_B1` → "Abgeschlossen mit B1", `TOTAL` → "Insgesamt",
 * CEFR levels as they are. A key the console does not know yet is spelled out rather than shown as a code.
 */
export function keyLabel(key: string): string {
  if (KEY_LABELS[key]) return t(KEY_LABELS[key]);
  if (/^[ABC][12]$/.test(key)) return key;
  const completed = /^COMPLETED_([ABC][12])$/.exec(key);
  if (completed) return t('Completed {level}', { level: completed[1] });
  const words = key
    .toLowerCase()
    .split('_')
    .map((w) => (/^[abc][12]$/.test(w) ? w.toUpperCase() : w))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The figures of one distribution as `[key, value or null]`, cells then TOTAL. */
export function figuresOf(distribution: Distribution): Figure[] {
  return [...distribution.cells, distribution.total];
}

/** A CSV cell as German Excel reads it: quoted where it holds `;`, a quote or a line break. */
function csvCell(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The shown figures as CSV that German Excel opens by double-click (UTF-8 with BOM, `;`, CRLF), one row per
 * figure, headed in the console's language: indicator, region, municipality key (AGS; empty for the district),
 * period, as of (the day counted), characteristic, value (empty when withheld), withheld (yes/no), and last the
 * indicator's and characteristic's keys as the API names them, for joining with `npm run indicators`.
 */
export function seriesCsv(
  entries: SeriesEntry[],
  fields: readonly IndicatorField[],
  names: ReadonlyMap<string, string>,
): string {
  const rows = [
    [
      t('Indicator'),
      t('Region'),
      t('Municipality key (AGS)'),
      t('Period'),
      t('As of'),
      t('Characteristic'),
      t('Value'),
      t('Withheld'),
      t('Indicator key'),
      t('Characteristic key'),
    ],
  ];
  for (const field of fields) {
    const title = t(INDICATORS.find((i) => i.field === field)!.title);
    for (const entry of entries) {
      const distribution = entry[field];
      if (!distribution) continue;
      for (const figure of figuresOf(distribution)) {
        rows.push([
          title,
          names.get(entry.region) ?? entry.region,
          entry.region === DISTRICT ? '' : entry.region,
          periodLabel(entry.period),
          formatDay(entry.asOf),
          keyLabel(figure.key),
          figure.value === null ? '' : String(figure.value),
          figure.suppressed ? t('yes') : t('no'),
          field,
          figure.key,
        ]);
      }
    }
  }
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
