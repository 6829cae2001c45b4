/** The person view of docs/querying.md across all four data subgraphs, as a jobcenter caseworker's screen asks for it. */
export const PERSON_VIEW = `query PersonView($id: ID!) { person(id: $id) { id givenName familyName residence { status validUntil }
  clearing { languages { language level } qualifications { title recognition } }
  housing { type since municipality { name } }
  employment { status since } integrationCourse { status level }
  socialCare { caseworker { name organisation } openNeeds { field } } } }`;

/** A written consent, given a minute ago, that lets the jobcenter see language skills for job placement. */
export function languageConsentInput(personId: string, terms: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    personId,
    recipients: ['jobcenter'],
    purposes: ['JOB_PLACEMENT'],
    categories: ['CLEARING_LANGUAGE'],
    givenAt: new Date(Date.now() - 60_000).toISOString(),
    form: 'WRITTEN',
    evidenceReference: 'file 2026/118',
    noticeVersion: '2026-01',
    noticeLanguage: 'ar',
    ...terms,
  };
}
