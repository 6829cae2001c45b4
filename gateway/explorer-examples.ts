/**
 * The explorer's example operations, one or more per user group of the hub. The explorer (explorer/) offers them
 * in its picker; Apollo Sandbox at /graphql opens with the first in development.
 */

/** Which caller an example is written for: the picker switches to it when the example is chosen. */
export interface ExampleCaller {
  agency: string;
  role: 'CASEWORKER' | 'CONSENT_OFFICER' | 'ANALYST';
  purpose: string;
}

/** One example operation of the explorer, for one of the hub's user groups. */
export interface Example {
  id: string;
  /** The user group the example shows. */
  group: string;
  title: string;
  caller: ExampleCaller;
  query: string;
  /** The variables; `$PERSON` stands for the demo person the hub names in its settings. */
  variables?: Record<string, unknown>;
}

const PERSON = '$PERSON';

/** The person view's fields from every data subgraph; what comes back depends on who asks and why. */
const PERSON_VIEW_FIELDS = `    id
    givenName
    familyName
    residence { status validUntil }
    clearing { languages { language level } qualifications { title recognition } }
    housing { type since municipality { name } }
    employment { status since }
    integrationCourse { status level }
    socialCare { caseworker { name organisation } openNeeds { field } }`;

function personView(agency: string, purpose: string, label: string): Example {
  return {
    id: `person-view-${agency.replace(':', '-')}`,
    group: 'Partner applications',
    title: `Person view – ${label} (${purpose})`,
    caller: { agency, role: 'CASEWORKER', purpose },
    query: `# The person view as ${label} asks for it under ${purpose}. Fields without a basis come back null with
# CONSENT_REQUIRED errors naming the category; hover a field to read who may see it.
query PersonView($id: ID!) {
  person(id: $id) {
${PERSON_VIEW_FIELDS}
  }
}
`,
    variables: { id: PERSON },
  };
}

/** The examples, grouped by the hub's user groups: partner applications, consent officers, analysts. */
export const EXAMPLES: Example[] = [
  personView('jobcenter', 'JOB_PLACEMENT', 'the jobcenter'),
  personView('county', 'CLEARING', 'the county’s clearing office'),
  personView('municipality:08999001', 'HOUSING_ALLOCATION', 'a municipality'),
  personView('socialcare:caritas', 'SOCIAL_COUNSELLING', 'a welfare organisation'),
  {
    id: 'jobcenter-caseload',
    group: 'Partner applications',
    title: 'Caseload – the jobcenter (JOB_PLACEMENT)',
    caller: { agency: 'jobcenter', role: 'CASEWORKER', purpose: 'JOB_PLACEMENT' },
    query: `# The jobcenter's own clients, a page at a time, with fields from the other subgraphs.
query Caseload($first: Int!) {
  jobcenterCaseload(first: $first) {
    id
    givenName
    familyName
    employment { status since }
    clearing { languages { language level } }
  }
}
`,
    variables: { first: 10 },
  },
  {
    id: 'consent-timeline',
    group: 'Consent officers',
    title: 'A person’s disclosure timeline (CONSENT_MANAGEMENT)',
    caller: { agency: 'county', role: 'CONSENT_OFFICER', purpose: 'CONSENT_MANAGEMENT' },
    query: `# Who saw which of the person's fields, when, why and on which basis, across all subgraphs.
query Timeline($personId: ID!) {
  person(id: $personId) {
    givenName
    familyName
    consents { id version state purposes categories recipients validUntil }
  }
  disclosureTimeline(personId: $personId, first: 20) {
    records {
      at
      subgraph
      agency
      purpose
      operation
      released { field category }
      refused { field category reason }
      basis { category kind statute consentId consentVersion }
    }
  }
}
`,
    variables: { personId: PERSON },
  },
  {
    id: 'analyst-series',
    group: 'Analysts',
    title: 'Indicator series (MONITORING)',
    caller: { agency: 'county', role: 'ANALYST', purpose: 'MONITORING' },
    query: `# Aggregates only; small cells are withheld (suppressed: true), never shown as 0.
query Series($periods: [String!]!, $regions: [String!]!) {
  indicatorSeries(periods: $periods, regions: $regions) {
    period
    region
    asOf
    housing { cells { key value suppressed } total { value suppressed } }
  }
}
`,
    variables: { periods: ['2026-Q2', '2026-Q3'], regions: ['DISTRICT', '08999001'] },
  },
];

/** The example's variables as JSON, with the demo person put in. */
export function variablesOf(example: Example, personId: string): string {
  const text = JSON.stringify(example.variables ?? {}, null, 2);
  return text.replaceAll(JSON.stringify(PERSON), JSON.stringify(personId));
}
