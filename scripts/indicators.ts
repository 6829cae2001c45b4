/**
 * `npm run indicators -- --period 2026-Q3 [--period 2026-Q4 …] [--municipality <AGS>] [--format csv|json]`:
 * exports the monitoring indicators through the gateway, as an analyst would query them, one period after
 * another for a trend. Without `--token` it signs a development analyst token with the local key (as
 * `npm run token` does); with an identity provider configured, pass `--token`.
 */
import { parseArgs } from 'node:util';
import { GatewayUnreachable, askGateway, tokenFor } from './gateway-client.js';
import { loadConfigOrExit } from '../common/config.js';
import { parseMunicipality, parsePeriod } from '../common/monitoring/period.js';

/** The indicator fields of `Indicators` and the partner each comes from. */
const INDICATORS = [
  ['housing', 'municipality'],
  ['childcareSchool', 'municipality'],
  ['germanAtClearing', 'county'],
  ['employmentStatus', 'jobcenter'],
  ['integrationCourses', 'jobcenter'],
  ['openSupportNeeds', 'socialcare'],
] as const;

interface Cell {
  key: string;
  value: number | null;
  suppressed: boolean;
}
type Distribution = { cells: Cell[]; total: Cell } | null;
type Indicators = { period: string; region: string; asOf: string } & Record<string, Distribution | string>;
interface Response {
  data?: Record<string, Indicators | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const usage =
  'Usage: npm run indicators -- --period <YYYY-MM|YYYY-Qn> [--period …] [--municipality <AGS>] [--format csv|json] [--url <gateway>] [--token <JWT>]';
const exit = (code: number, message: string): never => {
  console.error(message);
  process.exit(code);
};

function options() {
  try {
    return parseArgs({
      options: {
        period: { type: 'string', multiple: true },
        municipality: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        url: { type: 'string' },
        token: { type: 'string' },
      },
    }).values;
  } catch (error) {
    return exit(64, `${(error as Error).message}\n${usage}`);
  }
}
const { period: rawPeriods = [], municipality: rawMunicipality, format, url: rawUrl, token: rawToken } = options();
if (rawPeriods.length === 0) exit(64, `--period is required.\n${usage}`);
if (format !== 'csv' && format !== 'json')
  exit(64, `--format must be csv or json, got ${JSON.stringify(format)}.\n${usage}`);
let periods: string[] = [];
let municipality: string | null = null;
try {
  periods = rawPeriods.map((p) => parsePeriod(p, '--period').key);
  municipality = rawMunicipality === undefined ? null : parseMunicipality(rawMunicipality, '--municipality');
} catch (error) {
  exit(64, `${(error as Error).message}\n${usage}`);
}

const config = loadConfigOrExit();
const url = rawUrl ?? `http://localhost:${config.port}/graphql`;
const token =
  (await tokenFor(config, rawToken, { officer: 'indicators-export', role: 'ANALYST' })) ??
  exit(64, 'JWKS_URL is set: pass an analyst token from the identity provider with --token.');

const figures = `cells { key value suppressed } total { key value suppressed }`;
const query = `query Indicators(${periods.map((_, i) => `$p${i}: String!`).join(', ')}, $municipality: String) {
${periods.map((_, i) => `  p${i}: indicators(period: $p${i}, municipality: $municipality) { period region asOf ${INDICATORS.map(([field]) => `${field} { ${figures} }`).join(' ')} }`).join('\n')}
}`;
const variables = { ...Object.fromEntries(periods.map((p, i) => [`p${i}`, p])), municipality };

let response: Response;
let status: number;
try {
  ({ status, body: response } = await askGateway<Response['data']>(url, {
    token,
    purpose: 'MONITORING',
    query,
    variables,
    timeoutMs: 60_000,
  }));
} catch (error) {
  exit(error instanceof GatewayUnreachable ? 69 : 1, (error as Error).message);
}

const errors = response!.errors ?? [];
if (status! !== 200 || !response!.data) {
  exit(
    1,
    `The gateway refused the export (HTTP ${status!}): ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ')}`,
  );
}
const results = periods.map((_, i) => response.data![`p${i}`]).filter((r): r is Indicators => r !== null);

if (format === 'json') {
  console.log(JSON.stringify({ indicators: results, ...(errors.length ? { errors } : {}) }, null, 2));
} else {
  const csv = (value: string | number | boolean | null) =>
    value === null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
  console.log('period,region,as_of,indicator,source,key,value,suppressed');
  for (const result of results) {
    for (const [field, source] of INDICATORS) {
      const distribution = result[field] as Distribution;
      if (!distribution) continue;
      for (const cell of [...distribution.cells, distribution.total]) {
        console.log(
          [result.period, result.region, result.asOf, field, source, cell.key, cell.value, cell.suppressed]
            .map(csv)
            .join(','),
        );
      }
    }
  }
}
for (const error of errors) console.error(`warning: ${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
process.exit(errors.length ? 1 : 0);
