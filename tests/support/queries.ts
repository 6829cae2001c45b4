/** The README's person view across all four data subgraphs, as a jobcenter caseworker's screen asks for it. */
export const PERSON_VIEW = `query PersonView($id: ID!) { person(id: $id) { id givenName familyName residence { status validUntil }
  clearing { languages { language level } qualifications { title recognition } }
  housing { type since municipality { name } }
  employment { status since } integrationCourse { status level }
  socialCare { caseworker { name organisation } openNeeds { field } } } }`;
