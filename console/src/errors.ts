import { CombinedGraphQLErrors } from '@apollo/client';
import { formatDay } from './district-time';
import { t, text } from './i18n';

export interface ApiProblem {
  field: string;
  message: string;
}

export interface ApiError {
  message: string;
  code?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The GraphQL errors of a failed or partial response, with their codes, or one error for a transport failure. */
export function apiErrors(error: unknown): ApiError[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => ({
      message: e.message,
      code: typeof e.extensions?.code === 'string' ? e.extensions.code : undefined,
      path: e.path,
      extensions: e.extensions,
    }));
  }
  const body = (error as { bodyText?: string }).bodyText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      if (parsed.errors?.length)
        return parsed.errors.map((e) => ({
          message: e.message,
          code: e.extensions?.code as string,
          extensions: e.extensions,
        }));
    } catch {
      // not JSON: fall through
    }
  }
  return [{ message: error instanceof Error ? error.message : JSON.stringify(error) }];
}

/**
 * What each stable error code (`extensions.code`, common/errors.ts and Apollo's request codes) means, in
 * English for `t` (German in the `ui` table of i18n/de.json). The hub's own message is English and for
 * developers; an officer reads this text, and the code stays beside it for support.
 */
const CODE_TEXTS: Record<string, string> = {
  BAD_USER_INPUT: text('The hub did not accept the input.'),
  UNAUTHENTICATED: text('You are not signed in, or your sign-in has expired: please sign in again.'),
  FORBIDDEN_PURPOSE: text('Your role may not act for this purpose.'),
  FORBIDDEN: text('You are not allowed to do this.'),
  CONSENT_REQUIRED: text('Neither a consent nor a statute allows this.'),
  CONSENT_UNAVAILABLE: text('The consent registry did not answer; nothing that needs a consent was released.'),
  NOT_FOUND: text('Not found.'),
  SUBGRAPH_UNAVAILABLE: text('A partner’s service did not answer; try again later.'),
  DISCLOSURE_LOG_UNAVAILABLE: text('A disclosure log could not be reached; try again later.'),
  REGISTRY_UNAVAILABLE: text('The county’s register did not answer; try again later.'),
  QUERY_TOO_COMPLEX: text('The request is too large: choose fewer periods, regions or records.'),
  REQUEST_TOO_LARGE: text('The request is too large: choose fewer periods, regions or records.'),
  CLIENT_CERTIFICATE_REQUIRED: text('A partner’s service refused the hub’s connection (certificate missing).'),
  CONFLICT: text('Someone else changed this at the same time: reload and decide anew.'),
  DATABASE_UNAVAILABLE: text(
    'A partner cannot reach its database just now; nothing was released or changed. Try again later.',
  ),
  UNTRUSTED_DOCUMENT: text('The hub does not accept this request from the console (not a registered document).'),
  PERSISTED_QUERY_NOT_TRUSTED: text(
    'The hub does not accept this request from the console (not a registered document).',
  ),
  GRAPHQL_PARSE_FAILED: text('The console sent a request the hub does not understand.'),
  GRAPHQL_VALIDATION_FAILED: text('The console sent a request the hub does not understand.'),
  BAD_REQUEST: text('The console sent a request the hub does not understand.'),
  INTERNAL_SERVER_ERROR: text('An error in the hub. Please tell support the code and the time.'),
};

/** The officer's text for an error's code, in the console's language; the hub's own words where the code is unknown. */
export function errorText(error: ApiError): string {
  const known = error.code && CODE_TEXTS[error.code];
  return known ? t(known) : error.message;
}

/** An error as one line: its text, each problem of the input, and its code for support ("… (Code BAD_USER_INPUT)"). */
export function errorLine(error: ApiError): string {
  const problems = ((error.extensions?.problems as ApiProblem[] | undefined) ?? []).map((p) => {
    const label = fieldLabel(p.field);
    return label ? t('{field}: {text}', { field: label, text: problemText(p.message) }) : problemText(p.message);
  });
  const body = [errorText(error), ...problems].join(' ');
  return error.code ? t('{text} (code {code})', { text: body, code: error.code }) : body;
}

/** Every error of a failed request (GraphQL or transport) as lines in the console's language, joined by "; ". */
export function errorsLine(error: unknown): string {
  return apiErrors(error).map(errorLine).join('; ');
}

/** The inputs the hub names in its problems, in the officer's words (English for `t`). */
const FIELD_LABELS: Record<string, string> = {
  name: text('Name or person id'),
  dateOfBirth: text('Date of birth'),
  personId: text('Person id'),
  id: text('Consent'),
  reason: text('Reason'),
  recipients: text('Recipients'),
  purposes: text('Purposes'),
  categories: text('Data'),
  category: text('Data'),
  givenAt: text('Given at'),
  validFrom: text('Valid from'),
  validUntil: text('Valid until'),
  evidenceReference: text('Evidence reference'),
  noticeVersion: text('Notice version'),
  noticeLanguage: text('Notice language'),
  municipality: text('Municipality'),
  from: text('From (day, inclusive)'),
  fromDay: text('From (day, inclusive)'),
  to: text('To (day, inclusive)'),
  toDay: text('To (day, inclusive)'),
  subgraphs: text('Logs'),
  first: text('Number of records'),
  offset: text('Number of records'),
  after: text('Page'),
  agency: text('Recipient'),
  periods: text('Periods'),
  regions: text('Regions'),
};

/** An input named in a problem ("filter.toDay", "input.validFrom", "recipients.2") in the officer's words, if known. */
export function fieldLabel(field: string): string | undefined {
  const key = field
    .replace(/^(input|terms|filter)\./, '')
    .replace(/\.\d+$/, '')
    .replace(/\[\d+\]$/, '');
  return FIELD_LABELS[key] ? t(FIELD_LABELS[key]) : undefined;
}

/**
 * The hub's words for a problem of one input field (English, from the services' checks), in the console's
 * language where the console knows them; otherwise the hub's words, marked so.
 */
const DAY = String.raw`\d{4}-\d{2}-\d{2}`;
const PROBLEM_TEXTS: [RegExp, string][] = [
  [/^must not be blank$/, text('must not be empty')],
  [/^must not be empty$/, text('must not be empty')],
  [/^must not be in the future$/, text('must not be in the future')],
  [/^must not be in the past$/, text('must not be in the past')],
  [/^must not be negative$/, text('must not be negative')],
  [/^must be after validFrom$/, text('must be after the first valid day')],
  [
    /^must not be before the day the consent was given \((?<day>[^)]+)\)$/,
    text('must not be before the day the consent was given ({day})'),
  ],
  [
    new RegExp(`^must not be before the person's date of birth \\((?<day>${DAY})\\)$`),
    text('must not be before the person’s date of birth ({day})'),
  ],
  [new RegExp(`^must not be before (?<day>${DAY})$`), text('must not be before {day}')],
  [
    new RegExp(`^must be a date from (?<day>${DAY}) to today, not in the future$`),
    text('must be a day from {day} to today, not in the future'),
  ],
  [/^must not be before dateOfBirth$/, text('must not be before the date of birth')],
  [/^must not be before filter\.fromDay$/, text('must not be before the first day')],
  [/^must be after filter\.from$/, text('must be after the start')],
  [/^give from or fromDay, not both$/, text('give the start only once')],
  [/^give to or toDay, not both$/, text('give the end only once')],
  [/^must be a person id \(UUID\)$/, text('must be a person id (UUID)')],
  [/^must be an? [\w ]+ \(UUID\)$/, text('must be an id (UUID)')],
  [/^must be a list of person ids$/, text('must be a list of person ids')],
  [/^at most (?<n>\d+)$/, text('at most {n}')],
  [/^needs at least one criterion$/, text('needs at least one criterion')],
  [/^one or more data categories$/, text('choose at least one category')],
  [/^lists an? \w+ twice$/, text('lists a value twice')],
  [/^lists a value twice$/, text('lists a value twice')],
  [/^must be one of (?<values>.+)$/, text('must be one of {values}')],
  [/^must name some of (?<values>.+)$/, text('must name some of {values}')],
  [/^not agencies of the district: (?<agencies>.+)$/, text('not agencies of the district: {agencies}')],
  [
    /^MONITORING uses aggregates only and needs no consent$/,
    text('monitoring uses aggregates only and needs no consent'),
  ],
  [/^is not a notice of the district: (?<versions>.*)$/, text('is not a notice of the district: {versions}')],
  [/^notice (?<notice>\S+) exists in (?<languages>.+) only$/, text('notice {notice} exists in {languages} only')],
  [/^the consent is voided; record a new one$/, text('the consent is void; record a new one')],
  [/^the consent is withdrawn; record a new one$/, text('the consent is withdrawn; record a new one')],
  [/^the consent is voided; it allows nothing$/, text('the consent is void; it allows nothing')],
  [/^the consent is already voided$/, text('the consent is already void')],
  [/^must say why the consent is void$/, text('must say why the consent is void')],
  [/^must be an eight-digit municipality key \(AGS\)$/, text('must be an eight-digit municipality key (AGS)')],
  [
    /^must be a municipality key \(AGS\) of eight digits, got .*$/,
    text('must be an eight-digit municipality key (AGS)'),
  ],
  [
    /^is not a cursor of this search \(or it expired\); start again without it$/,
    text('the list has expired; start again'),
  ],
  [/^(?<ags>\d{8}) is not a municipality of the district$/, text('{ags} is not a municipality of the district')],
  [
    /^(?<period>\S+) is outside the monitoring window (?<from>\S+) to (?<to>\S+)$/,
    text('{period} is outside the monitoring window {from} to {to}'),
  ],
  [/^must list 1 to (?<max>\d+) values$/, text('must list 1 to {max} values')],
  [/^must have at least (?<n>\d+) characters$/, text('must have at least {n} characters')],
  [/^must (?:have|be) at most (?<n>\d+) characters$/, text('must have at most {n} characters')],
  [/^must be from (?<min>\d+) to (?<max>\d+)$/, text('must be from {min} to {max}')],
  [/^give a name or a date of birth$/, text('give a name or a date of birth')],
  // The analysts' page in a district with many municipalities: months × regions beyond the hub's bound.
  [
    /^asks for (?<n>\d+) periods × regions in this request; at most (?<max>\d+)$/,
    text('{n} periods × regions asked for, at most {max}: choose fewer periods or regions'),
  ],
  // class-validator's own words for the bounds of an input (e.g. a recipient from a hand-made link, 101
  // characters long): "<field> must be shorter than or equal to 100 characters".
  [/^\w+ must be shorter than or equal to (?<n>\d+) characters$/, text('must have at most {n} characters')],
  [/^\w+ must be longer than or equal to (?<n>\d+) characters?$/, text('must have at least {n} characters')],
  [/^\w+ should not be empty$/, text('must not be empty')],
  [/^\w+ must contain no more than (?<n>\d+) elements$/, text('at most {n}')],
  // The database's refusals (common/errors.ts), for any input.
  [/^is not an allowed value$/, text('is not an allowed value')],
  [/^is not a valid value$/, text('is not an allowed value')],
  [
    /^the values do not fit together \(rule (?<rule>\S+) of .+ records\)$/,
    text('the values do not fit together (rule {rule})'),
  ],
  [/^is required$/, text('is required')],
  [/^is too long$/, text('is too long')],
  [/^is a number out of range$/, text('is a number out of range')],
  [/^is not a valid date or time, or out of range$/, text('is not a valid date or time')],
  [/^has the wrong format$/, text('has the wrong format')],
];

/** A problem of one input field in the console's language, or the hub's English words in quotes when unknown. */
export function problemText(message: string): string {
  for (const [pattern, english] of PROBLEM_TEXTS) {
    const match = pattern.exec(message);
    if (match) {
      // Days as the officer writes them (30.06.2027); other values as the hub named them.
      const vars = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([k, v]) => [k, /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v) : v]),
      );
      return t(english, vars);
    }
  }
  return t('not accepted: “{message}”', { message });
}

/**
 * BAD_USER_INPUT problems per field, keyed by the input field's name (`input.` / `terms.` prefixes dropped), in
 * the console's language, each with the code for support.
 */
export function fieldProblems(errors: ApiError[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const e of errors) {
    if (e.code !== 'BAD_USER_INPUT') continue;
    for (const p of (e.extensions?.problems as ApiProblem[] | undefined) ?? []) {
      const field = p.field.replace(/^(input|terms)\./, '').replace(/\.\d+$/, '');
      (result[field] ??= []).push(t('{text} (code {code})', { text: problemText(p.message), code: e.code }));
    }
  }
  return result;
}
