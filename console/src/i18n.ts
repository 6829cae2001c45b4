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
  title: string;
  intro: string;
  person: string;
  born: string;
  generated: string;
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
  consentsTitle: string;
  consentState: string;
  rights: string;
  basisKinds: Record<string, string>;
  /** Beside a consent basis whose consent was later voided: `{date}` and `{reason}` are filled in. */
  voidedConsent: string;
  states: Record<string, string>;
  purposes: Record<string, string>;
  categoryNames: Record<string, string>;
  agencyKinds: Record<string, string>;
}

export const translations: Record<string, Translation> = { de, en, ar, uk, fa, tr } as Record<string, Translation>;
export const LANGUAGES = Object.keys(translations);
