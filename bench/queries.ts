/** The operations the benchmark sends; the hub and the baseline get exactly the same ones. */

/** The person view of docs/querying.md, as the jobcenter asks for it: fields from all four data subgraphs. */
export const PERSON_VIEW = `query PersonView($id: ID!) {
  person(id: $id) {
    givenName familyName residence { status validUntil }
    clearing { languages { language level } qualifications { title recognition } }
    housing { type since municipality { name } }
    employment { status since } integrationCourse { status level }
    socialCare { caseworker { name organisation } openNeeds { field } }
  }
}`;

/** A jobcenter write: one entry of a person's employment history. */
export const RECORD_EMPLOYMENT = `mutation RecordEmployment($id: ID!, $input: EmploymentStatusInput!) {
  recordEmploymentStatus(personId: $id, input: $input) { id status since }
}`;

/** The jobcenter's caseload, 100 persons with fields from every data subgraph. */
export const CASELOAD = `query Caseload {
  jobcenterCaseload(first: 100) {
    id givenName familyName residence { status validUntil }
    clearing { languages { language level } }
    housing { type since municipality { name } }
    employment { status since } integrationCourse { status level } benefits { since until }
    socialCare { caseworker { name organisation } openNeeds { field } }
  }
}`;

/** The first page of a person's disclosure timeline, as a consent officer reads it (disclosure log, #4). */
export const TIMELINE = `query Timeline($id: ID!) { disclosureTimeline(personId: $id, first: 20) { records { sequence } } }`;

/** The callers of the benchmark, as (agency, role, purpose). */
export const CALLERS = {
  jobcenter: { agency: 'jobcenter', officer: 'bench.jobcenter', role: 'CASEWORKER', purpose: 'JOB_PLACEMENT' },
  consentOfficer: {
    agency: 'county',
    officer: 'bench.consent',
    role: 'CONSENT_OFFICER',
    purpose: 'CONSENT_MANAGEMENT',
  },
} as const;
