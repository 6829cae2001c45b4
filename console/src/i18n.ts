import ar from './i18n/ar.json';
import de from './i18n/de.json';
import en from './i18n/en.json';
import fa from './i18n/fa.json';
import tr from './i18n/tr.json';
import uk from './i18n/uk.json';

/** The Art. 15 report's texts, one plain JSON file per language (console/src/i18n/<code>.json). */
export interface Translation {
  dir: 'ltr' | 'rtl';
  language: string;
  noEntries: string;
  date: string;
  holder: string;
  recipient: string;
  purpose: string;
  categories: string;
  basis: string;
  requests: string;
  ownRecords: string;
  print: string;
  consentState: string;
  /** The Art. 15 letter's texts; `{name}` placeholders are filled with runs isolated for bidirectional text. */
  letter: LetterTexts;
  basisKinds: Record<string, string>;
  /** Beside a consent basis whose consent was later voided: `{date}` and `{reason}` are filled in. */
  voidedConsent: string;
  states: Record<string, string>;
  purposes: Record<string, string>;
  categoryNames: Record<string, string>;
  agencyKinds: Record<string, string>;
}

/** The Art. 15 letter's texts in one language (the `letter` table of console/src/i18n/<code>.json). */
export interface LetterTexts {
  subject: string;
  referenceLabel: string;
  dateLabel: string;
  contactLabel: string;
  phoneLabel: string;
  emailLabel: string;
  hoursLabel: string;
  /** The page footer: `{page}` and `{pages}` become the print's page counters. */
  page: string;
  salutation: string;
  intro: string;
  lawNote: string;
  calendar: string;
  personTitle: string;
  personId: string;
  purposesTitle: string;
  purposesIntro: string;
  categoriesTitle: string;
  categoriesIntro: string;
  none: string;
  recipientsTitle: string;
  recipientsIntro: string;
  recipientsNone: string;
  disclosuresTitle: string;
  storageTitle: string;
  storageAgencies: string;
  storageLog: string;
  rightsTitle: string;
  rectification: string;
  erasure: string;
  restriction: string;
  objection: string;
  withdrawal: string;
  rightsHow: string;
  complaintTitle: string;
  complaint: string;
  sourceTitle: string;
  sourceIntro: string;
  sourceCategory: string;
  sourceHolder: string;
  /** Art. 15 (1) (h): no automated decision within Art. 22 GDPR, no profiling. */
  automatedTitle: string;
  automated: string;
  copyTitle: string;
  copyIdentity: string;
  name: string;
  dateOfBirth: string;
  gender: string;
  nationality: string;
  genders: Record<string, string>;
  copyConsents: string;
  copyNoConsents: string;
  consentLine: string;
  givenOn: string;
  validUntil: string;
  withdrawnOn: string;
  copyDisclosures: string;
  copyOthers: string;
  /** Art. 15 (3) with the access request: what the copy below is and how it was read. */
  copyAll: string;
  /** Under an agency whose records of the person are empty. */
  copyNothing: string;
  /** The categories the copy does not hold (`{categories}`): special categories, or refused by an agency. */
  copyWithheld: string;
  /** The copy's field labels, by the key the letter gives each field. */
  copyLabels: Record<string, string>;
  /** The copy's coded values, as `<GraphQL enum>.<value>` (e.g. `ResidenceStatus.TOLERATED`). */
  copyValues: Record<string, string>;
  receipt: string;
  /** The enclosure when the receipt is several files (one per page of the report). */
  receipts: string;
  closing: string;
  signature: string;
  dpo: string;
  /** Joins two German legal references ("i. V. m."); the references themselves stay German. */
  conjunction: string;
}

export const translations: Record<string, Translation> = { de, en, ar, uk, fa, tr } as Record<string, Translation>;
export const LANGUAGES = Object.keys(translations);

/**
 * The console's own language: German first, English second (the switch in the header), kept in this browser.
 * The console's texts are written in English in the code and looked up in the `ui` table of de.json (gettext
 * style: the English text is the key, so English needs no table and a missing German text shows up in English,
 * which tests/console/i18n.test.ts refuses).
 */
export type UiLanguage = 'de' | 'en';
export const UI_LANGUAGES: readonly UiLanguage[] = ['de', 'en'];
const LANGUAGE_KEY = 'verbund.console.language';

function storedLanguage(): UiLanguage {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

let current: UiLanguage = storedLanguage();

/** The language the console speaks now. */
export function uiLanguage(): UiLanguage {
  return current;
}

/** Switches the console's language; the caller re-renders (App keys its tree by the language). */
export function setUiLanguage(language: UiLanguage): void {
  current = language;
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = language;
}

interface ConsoleTexts {
  ui?: Record<string, string>;
  purposePhrases?: Record<string, string>;
  fieldNames?: Record<string, string>;
  basisKinds: Record<string, string>;
  states: Record<string, string>;
  purposes: Record<string, string>;
  categoryNames: Record<string, string>;
  agencyKinds: Record<string, string>;
}

const texts = (): ConsoleTexts => translations[current];

/** The console's text for `english` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(english: string, vars?: Record<string, string | number>): string {
  const text = texts().ui?.[english] ?? english;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** A purpose in plain words: "Arbeitsvermittlung". */
export const purposeName = (purpose: string): string => texts().purposes[purpose] ?? purpose;
/** A purpose as the end of a sentence: "zur Arbeitsvermittlung". */
export const purposePhrase = (purpose: string): string => texts().purposePhrases?.[purpose] ?? purposeName(purpose);
/** A data category in plain words: "Sprachkenntnisse". */
export const categoryName = (category: string): string => texts().categoryNames[category] ?? category;
/** A consent's state in plain words. */
export const stateName = (state: string): string => texts().states[state] ?? state;
/** A basis kind (OWN_TASK, STATUTE, CONSENT) in plain words. */
export const basisKindName = (kind: string): string =>
  kind === 'OWN_TASK' ? t('own task') : kind === 'STATUTE' ? t('statute') : kind === 'CONSENT' ? t('consent') : kind;
/** A field of the graph in plain words ("Person.housing" → "Wohnsituation"); unknown fields as they are. */
export const fieldName = (field: string): string => texts().fieldNames?.[field] ?? field;

let agencyNames: Readonly<Record<string, string>> = {};

/** The district's names for its agencies (the agencies file's `displayName`, from settings.json). */
export function setAgencyNames(names: Readonly<Record<string, string>> | undefined): void {
  agencyNames = names ?? {};
}

/** An agency by the district's name for it ("Stadt Lindenau"), else its kind and key ("Gemeinde 08999009"). */
export function agencyName(agency: string): string {
  if (agencyNames[agency]) return agencyNames[agency];
  const [kind, key] = agency.split(':');
  const name = texts().agencyKinds[kind] ?? kind;
  return key ? `${name} ${key}` : name;
}

/** "A, B und C" in the current language. */
export function listOf(items: readonly string[]): string {
  return new Intl.ListFormat(current, { type: 'conjunction' }).format(items);
}

/** A consent as a sentence: "Jobcenter darf Sprachkenntnisse zur Arbeitsvermittlung sehen, bis 30.06.2027". */
export function consentSentence(
  consent: { recipients: readonly string[]; purposes: readonly string[]; categories: readonly string[] },
  until: string | null,
): string {
  const sentence =
    consent.recipients.length === 1
      ? text('{who} may see {what} {why}, {until}')
      : text('{who} may each see {what} {why}, {until}');
  return t(sentence, {
    who: listOf(consent.recipients.map(agencyName)),
    what: listOf(consent.categories.map(categoryName)),
    why: listOf(consent.purposes.map(purposePhrase)),
    until: until ? t('until {day}', { day: until }) : t('until withdrawn'),
  });
}

/** Marks an English text kept in a table for translation by `t` later (so that the translation test finds it). */
export const text = (english: string): string => english;
