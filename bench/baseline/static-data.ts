import type { SubgraphName } from '../../common/domain.js';
import { MUNICIPALITIES, ORGANISATIONS, demoPerson, type DemoPerson } from '../../seed/world.js';

/** One subgraph's static answers: its part of each person, by id, and its other entities. */
export interface StaticData {
  persons: Map<string, Record<string, unknown>>;
  municipalities: Map<string, Record<string, unknown>>;
}

const MUNICIPALITY_OBJECTS = new Map(MUNICIPALITIES.map((m) => [m.ags, { ...m }]));
const ORGANISATION_NAMES = new Map(ORGANISATIONS.map((o) => [o.id, o.name]));

/** A stable id for a static record, so that answers do not change between requests. */
function staticId(person: DemoPerson, part: string): string {
  return `${person.id.slice(0, 24)}${part.padEnd(12, '0').slice(0, 12)}`;
}

/** The county's part: identity, residence and a clearing profile like the seeded ones. */
function countyPart(p: DemoPerson): Record<string, unknown> {
  return {
    id: p.id,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    gender: p.gender,
    nationality: p.nationality,
    residence: {
      status: p.residenceStatus,
      validUntil: '2028-06-30',
      arrivalDate: p.arrivalDate,
      assignedMunicipality: { ags: p.municipalityAgs },
    },
    clearing: {
      languages: [
        { id: staticId(p, 'lang1'), language: p.firstLanguage, level: 'NATIVE' },
        { id: staticId(p, 'lang2'), language: 'de', level: 'A2' },
      ],
      schooling: { years: 10, degree: 'SECONDARY', clearedOn: p.arrivalDate },
      qualifications:
        p.index % 2
          ? [
              {
                id: staticId(p, 'qual1'),
                title: 'Electrician',
                kind: 'VOCATIONAL',
                country: p.nationality,
                recognition: 'IN_PROGRESS',
              },
            ]
          : [],
      workExperience: [{ id: staticId(p, 'work1'), occupation: 'driver', years: 3 }],
      interests: ['crafts', 'football'],
      goals: ['learn German to B1'],
    },
  };
}

function municipalityPart(p: DemoPerson): Record<string, unknown> {
  const housing = {
    id: staticId(p, 'home'),
    type: p.inFollowUpAccommodation ? 'FOLLOW_UP' : 'SHARED',
    address: 'Lindenstraße 12',
    since: p.arrivalDate,
    until: null,
    municipality: MUNICIPALITY_OBJECTS.get(p.municipalityAgs),
  };
  return { id: p.id, housing, housingHistory: [housing], childcareSchool: [] };
}

function jobcenterPart(p: DemoPerson): Record<string, unknown> {
  const adult = p.age >= 18 && p.age <= 64;
  const employment = { id: staticId(p, 'empl'), status: 'SEEKING', since: p.arrivalDate, employer: null };
  const course = {
    id: staticId(p, 'course'),
    courseType: 'GENERAL',
    status: 'ENROLLED',
    resultLevel: null,
    starts: p.arrivalDate,
    ends: null,
    level: 'B1',
  };
  return {
    id: p.id,
    employment: adult ? employment : null,
    employmentHistory: adult ? [employment] : [],
    measures: [],
    integrationCourse: adult ? course : null,
    integrationCourses: adult ? [course] : [],
    benefits: [],
  };
}

function socialcarePart(p: DemoPerson): Record<string, unknown> {
  if (!p.organisationId) return { id: p.id, socialCare: null, specialNeeds: [] };
  return {
    id: p.id,
    socialCare: {
      since: p.arrivalDate,
      caseworker: {
        id: staticId(p, 'worker'),
        name: 'Miriam Vogel',
        phone: '+49 6999 1012',
        email: `miriam.vogel@${p.organisationId}.example`,
        organisation: ORGANISATION_NAMES.get(p.organisationId),
      },
      organisation: { id: p.organisationId, name: ORGANISATION_NAMES.get(p.organisationId) },
      openNeeds: [
        {
          id: staticId(p, 'need'),
          field: 'LANGUAGE',
          description: 'Registration for an integration course',
          openedOn: p.arrivalDate,
          closedOn: null,
        },
      ],
    },
    specialNeeds: [],
  };
}

const PARTS: Record<SubgraphName, (p: DemoPerson) => Record<string, unknown>> = {
  county: countyPart,
  municipality: municipalityPart,
  jobcenter: jobcenterPart,
  socialcare: socialcarePart,
  consent: (p) => ({ id: p.id, consents: [] }),
};

/**
 * The baseline's data for one subgraph: the same persons as the hub's demo district (same seed, same
 * count), with records shaped and sized like the seeded ones, computed once at start and served from memory.
 */
export function staticData(name: SubgraphName, seed: number, count: number): StaticData {
  const persons = new Map<string, Record<string, unknown>>();
  for (let index = 0; index < count; index += 1) {
    const person = demoPerson(seed, index);
    persons.set(person.id, PARTS[name](person));
  }
  return { persons, municipalities: MUNICIPALITY_OBJECTS };
}
