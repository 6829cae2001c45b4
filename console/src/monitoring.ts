/**
 * The analysts' page: its GraphQL operations (sent with X-Purpose: MONITORING), the indicators it shows and
 * the pure helpers behind it (periods of the window, the CSV of exactly the figures shown).
 */
import { graphql } from './gql';

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

/** The indicators, grouped by field of action, each from the partner that holds the data. */
export const INDICATORS = [
  { field: 'housing', title: 'Housing: persons by accommodation', action: 'Housing', owner: 'municipalities' },
  { field: 'germanAtClearing', title: 'Language: German at clearing', action: 'Language', owner: 'county' },
  { field: 'integrationCourses', title: 'Language: integration courses', action: 'Language', owner: 'jobcenter' },
  {
    field: 'vocationalLanguage',
    title: 'Language: vocational language courses',
    action: 'Language',
    owner: 'jobcenter',
  },
  {
    field: 'languageSupport',
    title: 'Language: support beyond courses (cafés, tutoring, parents’ groups)',
    action: 'Language',
    owner: 'welfare organisations',
  },
  {
    field: 'childcareSchool',
    title: 'Education: childcare places and school',
    action: 'Education',
    owner: 'municipalities',
  },
  {
    field: 'employmentStatus',
    title: 'Work and training: jobcenter clients by status',
    action: 'Work and training',
    owner: 'jobcenter',
  },
  {
    field: 'socialParticipation',
    title: 'Social participation: clubs, community offers, volunteering',
    action: 'Social participation',
    owner: 'welfare organisations',
  },
  {
    field: 'openSupportNeeds',
    title: 'Counselling: open support needs by field of action',
    action: 'Social participation',
    owner: 'welfare organisations',
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

/** Every period of the window (from WINDOW_START to the end of the quarter of `today`), oldest first. */
export function windowPeriods(granularity: Granularity, today: Date = new Date()): string[] {
  const [y0, m0] = WINDOW_START.split('-').map(Number);
  const last = today.getFullYear() * 12 + Math.floor(today.getMonth() / 3) * 3 + 2;
  const periods: string[] = [];
  for (let m = y0 * 12 + m0 - 1; m <= last; m += 1) {
    const year = Math.floor(m / 12);
    const month = (m % 12) + 1;
    if (granularity === 'MONTH') periods.push(`${year}-${String(month).padStart(2, '0')}`);
    else if (month % 3 === 0) periods.push(`${year}-Q${month / 3}`);
  }
  return periods;
}

/** A key as a column heading: `COMPLETED_B1` → `Completed B1`, `TOTAL` → `Total`. */
export function keyLabel(key: string): string {
  const words = key
    .toLowerCase()
    .split('_')
    .map((w) => (/^[abc][12]$/.test(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The figures of one distribution as `[key, value or null]`, cells then TOTAL. */
export function figuresOf(distribution: Distribution): Figure[] {
  return [...distribution.cells, distribution.total];
}

/** Quotes a CSV field where needed (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The shown figures as CSV, one row per figure: indicator, region, region name, period, as of, key, value
 * (empty when withheld), withheld (true/false). Withheld figures stay empty, never 0.
 */
export function seriesCsv(
  entries: SeriesEntry[],
  fields: readonly IndicatorField[],
  names: ReadonlyMap<string, string>,
): string {
  const rows = [['indicator', 'region', 'region_name', 'period', 'as_of', 'key', 'value', 'withheld']];
  for (const field of fields) {
    for (const entry of entries) {
      const distribution = entry[field];
      if (!distribution) continue;
      for (const figure of figuresOf(distribution)) {
        rows.push([
          field,
          entry.region,
          names.get(entry.region) ?? entry.region,
          entry.period,
          entry.asOf,
          figure.key,
          figure.value === null ? '' : String(figure.value),
          String(figure.suppressed),
        ]);
      }
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Offers a file to download, made in the page. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
