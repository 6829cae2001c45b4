import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { dataOf, postGraphQL } from './graphql.js';
import { CALLERS, CASELOAD } from './queries.js';

/** A running hub whose subgraphs count the SQL statements they send. */
export interface CountedHub {
  gatewayUrl: string;
  /** Statements each subgraph has sent so far. */
  statements(): Record<SubgraphName, number>;
}

/**
 * The demo district of the caseload scenario, in the benchmark and its test. With this seed the caseload of
 * the 10-person district already lists clients of every subgraph (with seed 1 it lists three persons, none
 * counselled by a welfare organisation, so the socialcare subgraph would have nothing to read).
 */
export const CASELOAD_SEED = 5;

/** The seeded sizes of the caseload scenario. */
export const CASELOAD_SIZES = [10, 100, 1000];

/** Tokens of a jobcenter caseworker and a county consent officer, signed by the key the hub trusts. */
export interface CaseloadTokens {
  jobcenter: string;
  officer: string;
}

/** What the jobcenter may see only with consent, for every person of the caseload page. */
const CONSENT_TERMS = {
  recipients: ['jobcenter'],
  purposes: ['JOB_PLACEMENT'],
  // HEALTH too: support needs in the field of action HEALTH are HEALTH data, released on explicit consent only.
  categories: ['CLEARING_LANGUAGE', 'HOUSING', 'SOCIAL_CARE', 'HEALTH'],
  form: 'WRITTEN',
  evidenceReference: 'benchmark',
  noticeVersion: '2026-01',
  noticeLanguage: 'de',
};

const RECORD_CONSENT = `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`;

/**
 * Records, through the gateway as a consent officer, a consent for every person on the caseload page that
 * has none from an earlier call, so that every subgraph releases its fields and reads its tables: a
 * refused field costs no query and would hide a query per person.
 */
export async function consentToCaseload(
  gatewayUrl: string,
  tokens: CaseloadTokens,
  consented: Set<string>,
): Promise<void> {
  const page = dataOf(
    await postGraphQL<{ jobcenterCaseload: { id: string }[] }>(gatewayUrl, {
      token: tokens.jobcenter,
      purpose: CALLERS.jobcenter.purpose,
      query: '{ jobcenterCaseload(first: 100) { id } }',
    }),
    'the caseload page',
  );
  for (const { id } of page.jobcenterCaseload) {
    if (consented.has(id)) continue;
    dataOf(
      await postGraphQL(gatewayUrl, {
        token: tokens.officer,
        purpose: CALLERS.consentOfficer.purpose,
        query: RECORD_CONSENT,
        variables: { input: { ...CONSENT_TERMS, personId: id, givenAt: new Date(Date.now() - 60_000).toISOString() } },
      }),
      'recordConsent',
    );
    consented.add(id);
  }
}

/** Statements per subgraph of one caseload request, and how many persons it listed. */
export interface CaseloadCount {
  persons: number;
  statements: Record<SubgraphName, number>;
}

/**
 * Sends the caseload request without counting: a subgraph process's first disclosure record of all reads the
 * chain's head under the lock (five statements, once per process); every later one is appended in one
 * statement. Counts are taken after this.
 */
export async function warmCaseload(hub: CountedHub, tokens: CaseloadTokens): Promise<void> {
  dataOf(
    await postGraphQL(hub.gatewayUrl, { token: tokens.jobcenter, purpose: CALLERS.jobcenter.purpose, query: CASELOAD }),
    'the caseload (uncounted)',
  );
}

/** Sends the caseload request once and counts the statements each subgraph sent for it. */
export async function countCaseloadStatements(hub: CountedHub, tokens: CaseloadTokens): Promise<CaseloadCount> {
  const before = hub.statements();
  const body = await postGraphQL<{ jobcenterCaseload: unknown[] }>(hub.gatewayUrl, {
    token: tokens.jobcenter,
    purpose: CALLERS.jobcenter.purpose,
    query: CASELOAD,
  });
  const after = hub.statements();
  const persons = dataOf(body, 'the caseload').jobcenterCaseload.length;
  const statements = Object.fromEntries(SUBGRAPHS.map((name) => [name, after[name] - before[name]])) as Record<
    SubgraphName,
    number
  >;
  return { persons, statements };
}
