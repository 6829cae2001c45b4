/**
 * A jobcenter's case-management system showing a caseworker the hub's person view.
 *
 *   VERBUND_TOKEN=<token> npx tsx examples/caseworker-app/src/main.ts --person <id> [--purpose JOB_PLACEMENT]
 *     [--url http://localhost:4000/graphql]
 *
 * Exit status: 0 the view was shown (fields the hub withheld are named), 1 an unexpected error, 2 wrong usage,
 * 3 the hub refused the request (token, purpose, document), 4 the hub could not be reached.
 */
import { parseArgs } from 'node:util';
import { CaseworkerPersonViewDocument, type CaseworkerPersonViewQuery } from './gql/graphql';
import { documentHash, execute, HubUnreachable, type HubError } from './hub-client';

const USAGE =
  'Usage: VERBUND_TOKEN=<token> npx tsx examples/caseworker-app/src/main.ts --person <id> [--purpose JOB_PLACEMENT] [--url http://localhost:4000/graphql]';

type Person = NonNullable<CaseworkerPersonViewQuery['person']>;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The fields the hub withheld, by error code and then by category. */
function withheld(errors: HubError[], code: string): Map<string, string[]> {
  const byCategory = new Map<string, string[]>();
  for (const error of errors.filter((e) => e.extensions?.code === code)) {
    const category = error.extensions?.category ?? 'unknown category';
    const fields = byCategory.get(category) ?? [];
    if (error.extensions?.field && !fields.includes(error.extensions.field)) fields.push(error.extensions.field);
    byCategory.set(category, fields);
  }
  return byCategory;
}

/**
 * Which part of the hub holds each section of the view (the schema's descriptions say so: "held by the
 * municipality subgraph"). When a part does not answer, its sections are missing, not empty.
 */
const HELD_BY: Record<string, string> = {
  'person.residence': 'county',
  'person.clearing.languages': 'county',
  'person.clearing.qualifications': 'county',
  'person.employment': 'jobcenter',
  'person.integrationCourse': 'jobcenter',
  'person.housing': 'municipality',
};

/** A value, or why it is missing: the hub nulls a withheld field and says why in an error at its path. */
function shown<T>(value: T | null | undefined, path: string, errors: HubError[], render: (v: T) => string): string {
  if (value !== null && value !== undefined) return render(value);
  const error =
    errors.find((e) => e.path?.filter((p) => typeof p === 'string').join('.') === path) ??
    errors.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions.serviceName === HELD_BY[path]);
  switch (error?.extensions?.code) {
    case 'CONSENT_REQUIRED':
      return `withheld: needs the person's consent (${error.extensions.category})`;
    case 'CONSENT_UNAVAILABLE':
      return 'withheld for now: the consent registry could not be asked';
    case 'SUBGRAPH_UNAVAILABLE':
      return `missing: the ${error.extensions.serviceName ?? ''} subgraph did not answer`;
    case 'FORBIDDEN':
      return 'not for this purpose';
    case undefined:
    default:
      return error ? `missing: ${error.extensions?.code ?? error.message}` : 'none on record';
  }
}

function printPerson(person: Person, errors: HubError[]): void {
  const name = [person.givenName, person.familyName].filter(Boolean).join(' ') || '(name withheld)';
  console.log(`Person ${person.id}: ${name}, born ${person.dateOfBirth ?? '(withheld)'}`);
  const line = (label: string, text: string) => console.log(`  ${label.padEnd(20)} ${text}`);
  line(
    'Residence',
    shown(person.residence, 'person.residence', errors, (r) =>
      r.validUntil ? `${r.status} until ${r.validUntil}` : r.status,
    ),
  );
  line(
    'Employment',
    shown(person.employment, 'person.employment', errors, (e) => `${e.status} since ${e.since}`),
  );
  line(
    'Integration course',
    shown(
      person.integrationCourse,
      'person.integrationCourse',
      errors,
      (c) => `${c.courseType} ${c.status} (${c.level})`,
    ),
  );
  line(
    'Languages',
    shown(
      person.clearing?.languages,
      'person.clearing.languages',
      errors,
      (l) => l.map((s) => `${s.language} ${s.level}`).join(', ') || 'none recorded',
    ),
  );
  line(
    'Qualifications',
    shown(
      person.clearing?.qualifications,
      'person.clearing.qualifications',
      errors,
      (q) => q.map((s) => `${s.title} (${s.recognition})`).join(', ') || 'none recorded',
    ),
  );
  line(
    'Housing',
    shown(person.housing, 'person.housing', errors, (h) => `${h.type} since ${h.since}`),
  );
}

async function main(): Promise<number> {
  let values: { person?: string; purpose?: string; url?: string };
  try {
    ({ values } = parseArgs({
      options: { person: { type: 'string' }, purpose: { type: 'string' }, url: { type: 'string' } },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const token = process.env.VERBUND_TOKEN;
  if (!token) usage('Set VERBUND_TOKEN to the officer’s access token (demo: npm run token -- --agency jobcenter …).');
  if (!values.person) usage('Name the person: --person <id>.');
  const purpose = values.purpose ?? 'JOB_PLACEMENT';
  const hub = { url: values.url ?? process.env.VERBUND_URL ?? 'http://localhost:4000/graphql', token, purpose };

  let response;
  try {
    response = await execute(hub, CaseworkerPersonViewDocument, { id: values.person });
  } catch (error) {
    if (error instanceof HubUnreachable) {
      console.error(error.message);
      return 4;
    }
    throw error;
  }
  const { errors } = response;
  const first = errors[0]?.extensions?.code;
  // Refusals of the whole request: nothing was run, nothing was disclosed.
  switch (first) {
    case 'UNAUTHENTICATED':
      console.error(`The hub does not accept the token: ${errors[0].message}`);
      return 3;
    case 'FORBIDDEN_PURPOSE':
      console.error(`The hub refuses the purpose ${purpose} for this caseworker: ${errors[0].message}`);
      return 3;
    case 'PERSISTED_QUERY_NOT_TRUSTED':
    case 'UNTRUSTED_DOCUMENT':
      console.error(
        `The hub does not run this app's person view (SHA-256 ${documentHash(CaseworkerPersonViewDocument)}) for our agency: ` +
          `it must be registered under trusted-documents/jobcenter/ (npm run documents -- add). ${errors[0].message}`,
      );
      return 3;
    case undefined:
    default:
      break; // Field-level errors, if any: the view is shown with them below.
  }
  const person = response.data?.person;
  if (!person) {
    if (errors.length) {
      for (const e of errors) console.error(`${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
      return 1;
    }
    console.log(`No person with id ${values.person} is on record.`);
    return 0;
  }
  printPerson(person, errors);

  const consent = withheld(errors, 'CONSENT_REQUIRED');
  if (consent.size) {
    console.log(`Needs the person's consent for ${purpose}:`);
    for (const [category, fields] of consent) console.log(`  - ${category} (${fields.join(', ')})`);
    console.log(
      `  Ask the person whether they consent to the jobcenter seeing ${[...consent.keys()].join(', ')} for ${purpose}; ` +
        'the consent office records the consent, and the view shows these fields from the next request on.',
    );
  }
  const unavailable = withheld(errors, 'CONSENT_UNAVAILABLE');
  if (unavailable.size) {
    console.log(
      `The consent registry could not be asked: ${[...unavailable.keys()].join(', ')} withheld for now ` +
        '(no refusal; the hub releases nothing it cannot check). Try again later.',
    );
  }
  const parts = [
    ...new Set(
      errors
        .filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')
        .map((e) => e.extensions?.serviceName ?? 'unknown'),
    ),
  ];
  if (parts.length) {
    console.log(`Part of the hub did not answer (${parts.join(', ')}): those fields are missing. Try again later.`);
  }
  const known = new Set(['CONSENT_REQUIRED', 'CONSENT_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE', 'FORBIDDEN']);
  for (const e of errors.filter((error) => !known.has(error.extensions?.code ?? ''))) {
    console.log(`Also: ${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
  }
  console.log(`Hub request ${response.requestId ?? '(no id)'}: every field released or withheld is on record there.`);
  return 0;
}

process.exitCode = await main();
