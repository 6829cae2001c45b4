import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import type { Letterhead } from '../../../common/policy/agencies';
import { inputOfInstant } from '../district-time';
import { apiErrors, errorLine, errorsLine } from '../errors';
import { t as ui, translations, type Translation, LANGUAGES } from '../i18n';
import { download } from '../download';
import {
  ACCESS_RECEIPT,
  ACCESS_REPORT,
  ACCESS_REPORT_PAGE,
  ACCESS_REPORT_WITH_COPY,
  type AccessReportEntry,
  type Consent,
  type DisclosureBasis,
  type PersonCopy,
} from '../operations';
import { ACCESS_REQUEST, parseAgency, type AgencyKind, type Category } from '../../../common/domain';
import { contactCategory } from '../../../common/integration/contact-category';
import type { ApiError } from '../errors';
import { href, navigate } from '../router';
import type { Settings } from '../session';
import { useConsentSettings } from './Consents';
import { logNames, unreachableIn } from './Records';

/** What the district configured for its letters (settings.json): agency names, letterhead, retention. */
let districtNames: Readonly<Record<string, string>> = {};
let letterhead: Letterhead | null = null;
let retentionDays = 730;

/** Takes the district's names for agencies, its letterhead and the disclosure records' retention from settings.json. */
export function setReportSettings(settings: Pick<Settings, 'agencyNames' | 'letterhead' | 'retentionDays'>): void {
  districtNames = settings.agencyNames ?? {};
  letterhead = settings.letterhead ?? null;
  retentionDays = settings.retentionDays ?? 730;
}

/**
 * A run of Latin script inside a right-to-left letter (a law's abbreviation such as "SGB II" in a translated
 * category name): isolated so that the bidirectional algorithm cannot reorder it with the text around it.
 */
const LATIN_RUN = /[\p{Script=Latin}§](?:[\p{Script=Latin}\p{Nd}§./@_-]|[ ,:](?=[\p{Script=Latin}\p{Nd}§]))*/gu;

function isolated(text: string, rtl: boolean): ReactNode {
  if (!rtl) return text;
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(LATIN_RUN)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(
      <bdi key={match.index} dir="ltr">
        {match[0]}
      </bdi>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A translated text with its `{name}` placeholders filled with elements (each already isolated where needed). */
function fill(template: string, vars: Record<string, ReactNode>, rtl: boolean): ReactNode {
  return template
    .split(/\{(\w+)\}/)
    .map((piece, i) => <Fragment key={i}>{i % 2 ? (vars[piece] ?? `{${piece}}`) : isolated(piece, rtl)}</Fragment>);
}

/** German as the district wrote it (names, addresses, law references), isolated in every language. */
const De = ({ children }: { children: ReactNode }) => (
  <bdi lang="de" dir="ltr">
    {children}
  </bdi>
);

/** A left-to-right run that is no language (ids, dates in digits, e-mail addresses), isolated. */
const Ltr = ({ children }: { children: ReactNode }) => <bdi dir="ltr">{children}</bdi>;

/**
 * A law reference kept together: a short one ("Art. 17 DSGVO", "§ 50 Abs. 1 SGB II") on one line, a longer one
 * where German typesetting keeps it ("§ 50", "Abs. 1", "SGB II" never split).
 */
const law = (reference: string) =>
  reference.length <= 30
    ? reference.replaceAll(' ', '\u00a0')
    : reference.replace(/(§|Art\.|Abs\.|Nr\.|lit\.|Satz|SGB) /g, '$1\u00a0');

/** The German references of the letter's sections: kept verbatim in every language, as the law cites them. */
const REFS = {
  art15: 'Art. 15 DSGVO',
  purposes: 'Art. 15 Abs. 1 lit. a DSGVO',
  categories: 'Art. 15 Abs. 1 lit. b DSGVO',
  recipients: 'Art. 15 Abs. 1 lit. c DSGVO',
  storage: 'Art. 15 Abs. 1 lit. d DSGVO',
  rights: 'Art. 15 Abs. 1 lit. e DSGVO',
  complaint: 'Art. 15 Abs. 1 lit. f DSGVO',
  source: 'Art. 15 Abs. 1 lit. g DSGVO',
  automated: 'Art. 15 Abs. 1 lit. h DSGVO',
  copy: 'Art. 15 Abs. 3 DSGVO',
  rectification: 'Art. 16 DSGVO',
  erasure: 'Art. 17 DSGVO',
  restriction: 'Art. 18 DSGVO',
  objection: 'Art. 21 DSGVO',
  withdrawal: 'Art. 7 Abs. 3 DSGVO',
  lodge: 'Art. 77 DSGVO',
  art22: 'Art. 22 Abs. 1 und 4 DSGVO',
} as const;

/** The letter's calendar: Gregorian in every language (also fa and ar), Latin digits, stated in the letter. */
const localeOf = (lang: string) => `${lang}-u-ca-gregory-nu-latn`;

/** A calendar day (YYYY-MM-DD, never converted) in the letter's language and calendar. */
function dayText(lang: string, day: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** A day, isolated with the direction of its own words: "6 ديسمبر 2026" reads right to left, "6. Dezember 2026" not. */
const Day = ({ lang, day }: { lang: string; day: string }) => (
  <bdi>
    <time dateTime={day}>{dayText(lang, day)}</time>
  </bdi>
);

/**
 * The letter's reference number: the district's prefix, the letter's day on the district's clock and the
 * start of the person's id. Stable per person and day, so that a letter printed twice on one day carries one
 * number, and it can be found again without a register of numbers.
 */
export function referenceNumber(prefix: string, day: string, personId: string): string {
  return `${prefix}-${day.replaceAll('-', '')}-${personId.replaceAll('-', '').slice(0, 8).toUpperCase()}`;
}

function agencyName(t: Translation, agency: string): ReactNode {
  if (districtNames[agency]) return <De>{districtNames[agency]}</De>;
  const [kind, rest] = agency.split(':');
  const name = t.agencyKinds[kind] ?? kind;
  return rest ? (
    <>
      {name} <Ltr>{rest}</Ltr>
    </>
  ) : (
    name
  );
}

const joined = (items: ReactNode[], separator: ReactNode = ', ') =>
  items.map((item, i) => (
    <Fragment key={i}>
      {i > 0 && separator}
      {item}
    </Fragment>
  ));

/** A legal basis in the letter's language with the German reference kept verbatim ("§ 50 Abs. 1 SGB II"). */
function Basis({
  t,
  lang,
  basis,
  timeZone,
}: {
  t: Translation;
  lang: string;
  basis: DisclosureBasis;
  timeZone: string;
}) {
  const rtl = t.dir === 'rtl';
  const kind = t.basisKinds[basis.kind] ?? basis.kind;
  if (basis.kind === 'STATUTE' && basis.statute) {
    const references = (basis.statuteReference ?? basis.statute).split(/\s+i\.\s?V\.\s?m\.\s+/);
    return (
      <>
        {kind}:{' '}
        {joined(
          references.map((r) => <De key={r}>{law(r)}</De>),
          // German's "i. V. m." is one abbreviation, kept on one line.
          <> {isolated(t.letter.conjunction.includes('.') ? law(t.letter.conjunction) : t.letter.conjunction, rtl)} </>,
        )}
      </>
    );
  }
  if (basis.kind === 'CONSENT' && basis.consentId) {
    return (
      <>
        {kind} (<Ltr>{`${basis.consentId.slice(0, 8)},\u00a0v${basis.consentVersion}`}</Ltr>)
        {basis.consentVoidedAt && (
          <>
            {' — '}
            {fill(
              t.voidedConsent,
              {
                date: <Day lang={lang} day={inputOfInstant(basis.consentVoidedAt, timeZone).slice(0, 10)} />,
                reason: <De>{basis.consentVoidReason ?? ''}</De>,
              },
              rtl,
            )}
          </>
        )}
      </>
    );
  }
  return kind;
}

/** Each basis once: the report names a basis per category, the letter per entry. */
function distinct(basis: readonly DisclosureBasis[]): DisclosureBasis[] {
  const seen = new Map<string, DisclosureBasis>();
  for (const b of basis) seen.set([b.kind, b.statute, b.consentId, b.consentVersion].join(' '), b);
  return [...seen.values()];
}

/** A section of the letter, headed with its number and the German reference of the item of Art. 15 it answers. */
function Section({
  n,
  title,
  reference,
  children,
}: {
  n: number;
  title: string;
  reference: string;
  children: ReactNode;
}) {
  return (
    <section className="letter-section">
      <h3>
        <Ltr>{n}.</Ltr> {title} (<De>{law(reference)}</De>)
      </h3>
      {children}
    </section>
  );
}

/** A CSS string literal. */
const cssText = (text: string) => JSON.stringify(text);

/** The printed page: A4 with margins, the reference number at the top and "page n of m" at the foot of every page. */
function pageStyle(t: Translation, reference: string): string {
  const [before, between, after] = t.letter.page.split(/\{page\}|\{pages\}/);
  const direction = t.dir === 'rtl' ? 'direction: rtl;' : '';
  return `@page {
  size: A4;
  margin: 18mm 16mm 20mm;
  @top-right { content: ${cssText(reference)}; font: 8pt sans-serif; color: #444; }
  @bottom-center { content: ${cssText(before ?? '')} counter(page) ${cssText(between ?? '')} counter(pages) ${cssText(after ?? '')}; font: 8pt sans-serif; ${direction} }
}`;
}

/**
 * The letter's parts derived from the report: purposes, categories, recipients and sources (category → holders);
 * with the copy, every category it holds counts too, from the agency that holds it.
 */
function summary(entries: readonly AccessReportEntry[], hasIdentity: boolean, copied: readonly CopyPart[] = []) {
  const purposes = [...new Set(entries.map((e) => e.purpose))];
  const categories = new Set(entries.flatMap((e) => e.categories));
  const sources = new Map<string, Set<string>>();
  const source = (category: string, holder: string) => {
    const holders = sources.get(category) ?? new Set<string>();
    holders.add(holder);
    sources.set(category, holders);
  };
  // The county issues the person's id and holds the identity data the copy below shows.
  if (hasIdentity) {
    categories.add('IDENTITY');
    source('IDENTITY', 'county');
  }
  for (const e of entries) for (const c of e.categories) source(c, e.holder);
  for (const part of copied) {
    if (part.records.length === 0) continue;
    categories.add(part.category);
    source(part.category, part.agency);
  }
  const recipients = [...new Set(entries.filter((e) => !e.ownRecords).map((e) => e.recipient))];
  return { purposes, categories: [...categories], recipients, sources };
}

/** The receipt's files, one per page of the report: `<reference>-receipt.json` alone, else `…-receipt-1-of-2.json`. */
function receiptFileNames(reference: string, pages: number): string[] {
  const stem = `${reference.replace(/[^\w.-]+/g, '_')}-receipt`;
  if (pages <= 1) return [`${stem}.json`];
  return Array.from({ length: pages }, (_, i) => `${stem}-${i + 1}-of-${pages}.json`);
}

/**
 * The report's pages after the first: the registry answers one page of the person's records per request (a page
 * ends at a day's end), and the letter lists them all, fetched one after the other while the first is shown.
 */
function useLaterPages(
  personId: string,
  first: { endCursor?: string | null; hasNextPage: boolean } | undefined,
): { entries: AccessReportEntry[]; pages: number; loading: boolean; error?: string } {
  const client = useApolloClient();
  type Later = { entries: AccessReportEntry[]; pages: number; loading: boolean; error?: string; after?: string | null };
  const [state, setState] = useState<Later>({ entries: [], pages: 1, loading: false });
  const after = first?.hasNextPage ? first.endCursor : undefined;
  useEffect(() => {
    let cancelled = false;
    setState({ entries: [], pages: 1, loading: Boolean(after), after });
    void (async () => {
      const entries: AccessReportEntry[] = [];
      let pages = 1;
      for (let cursor = after; cursor && !cancelled;) {
        const result = await client.query({
          query: ACCESS_REPORT_PAGE,
          variables: { personId, after: cursor },
          fetchPolicy: 'network-only',
          errorPolicy: 'all',
        });
        const page = result.data?.accessReport;
        if (!page) {
          const message = errorsLine(result.error) || ui('no answer');
          if (!cancelled) setState({ entries, pages, loading: false, error: message, after });
          return;
        }
        entries.push(...page.entries);
        pages += 1;
        cursor = page.hasNextPage ? page.endCursor : undefined;
      }
      if (!cancelled) setState({ entries, pages, loading: false, after });
    })();
    return () => {
      cancelled = true;
    };
  }, [client, personId, after]);
  // Until the effect has started on this first page's cursor, the state is another page's (or none): still loading.
  // Without this, the first render after the first page showed the letter with that page alone.
  if (after && state.after !== after) return { entries: [], pages: 1, loading: true };
  return state;
}

/**
 * The person's Art. 15 letter, in German and the language of the notice the person was given: every item of
 * Art. 15 (1) GDPR and a copy of the data (Art. 15 (3)) as far as the consent office may read them, on the
 * district's letterhead; printable on A4. The receipt (every disclosure with its proof) is offered as a file.
 */
export function Report({ personId, language, copy }: { personId: string; language: string; copy: boolean }) {
  const { timeZone } = useConsentSettings();
  const client = useApolloClient();
  const identityOnly = useQuery(ACCESS_REPORT, {
    variables: { personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
    skip: copy,
  });
  // The copy of the data is gathered in the report's own request, for the access request (the county's consent
  // office only); every agency decides and records its fields itself.
  const withCopy = useQuery(ACCESS_REPORT_WITH_COPY, {
    variables: { personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
    skip: !copy,
    context: { headers: { 'x-purpose': ACCESS_REQUEST } },
  });
  const { data, error: failure, loading, refetch } = copy ? withCopy : identityOnly;
  const copyPerson = copy ? withCopy.data?.person : undefined;
  // A field an agency refused for the copy is named in the copy (not gathered), not an alarm about the letter.
  const failures = apiErrors(failure);
  const withheld = copy
    ? [...new Set(failures.filter(isCopyRefusal).map((e) => e.extensions?.category as string))]
    : [];
  const errors = copy ? failures.filter((e) => !isCopyRefusal(e)) : failures;
  const [receipt, setReceipt] = useState<{ busy: boolean; error?: string; saved?: string[] }>({ busy: false });
  const lang = language in translations ? language : 'de';
  const t = translations[lang];
  const l = t.letter;
  const rtl = t.dir === 'rtl';
  const noticeLanguages = [...new Set((data?.person?.consents ?? []).map((c) => c.noticeLanguage))];
  const offered = [...new Set(['de', ...noticeLanguages.filter((code) => code in translations), ...LANGUAGES])];
  const down = unreachableIn(errors);
  const firstPage = data?.accessReport;
  const later = useLaterPages(personId, firstPage);
  const report = firstPage && { ...firstPage, entries: [...firstPage.entries, ...later.entries] };
  const person = data?.person;
  const day = report ? inputOfInstant(report.generatedAt, timeZone).slice(0, 10) : '';
  const reference = referenceNumber(letterhead?.referencePrefix ?? 'Art15', day, personId);
  // One receipt file per page of the report, as the registry proves one page per request; the letter names the
  // files it was saved as, or (before) the ones its pages will make.
  const receiptFiles = receipt.saved ?? receiptFileNames(reference, later.pages);
  const copied = copyPerson ? copyParts(copyPerson) : [];
  const parts = report ? summary(report.entries, Boolean(person?.familyName), copied) : undefined;
  const fillIn = (template: string, vars: Record<string, ReactNode> = {}) => fill(template, vars, rtl);
  const ref = (key: keyof typeof REFS) => <De>{law(REFS[key])}</De>;

  // The printed page is the letter alone, so while it prints the page takes the letter's language and direction
  // (the console around it stays German or English on screen).
  useEffect(() => {
    const root = document.documentElement;
    let before: { lang: string; dir: string } | undefined;
    const printing = () => {
      before = { lang: root.lang, dir: root.dir };
      root.lang = lang;
      root.dir = t.dir;
    };
    const printed = () => {
      if (!before) return;
      root.lang = before.lang;
      root.dir = before.dir;
      before = undefined;
    };
    window.addEventListener('beforeprint', printing);
    window.addEventListener('afterprint', printed);
    return () => {
      printed();
      window.removeEventListener('beforeprint', printing);
      window.removeEventListener('afterprint', printed);
    };
  }, [lang, t.dir]);

  // Every page of the report, followed by its endCursor as the letter follows them: a receipt of the first page
  // alone would prove less than the letter lists. Nothing is saved unless every page's receipt was made.
  const attachReceipt = async () => {
    setReceipt({ busy: true });
    const receiptPage = (after: string | null) =>
      client.query({
        query: ACCESS_RECEIPT,
        variables: { personId, after },
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
      });
    const texts: string[] = [];
    let after: string | null | undefined = null;
    do {
      const result = await receiptPage(after);
      const page = result.data?.accessReport;
      if (!page?.receipt) {
        setReceipt({
          busy: false,
          error: errorsLine(result.error) || ui('The receipt could not be made.'),
        });
        return;
      }
      texts.push(page.receipt);
      after = page.hasNextPage ? page.endCursor : undefined;
    } while (after);
    const files = receiptFileNames(reference, texts.length);
    texts.forEach((text, i) => download(files[i], new Blob([text], { type: 'application/json' })));
    setReceipt({ busy: false, saved: files });
  };

  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading" className="visually-hidden" data-tab-heading>
        {ui('Art. 15 report')}
      </h2>
      <div className="no-print report-tools">
        <span>{ui('Language')}:</span>
        {offered.map((code) => (
          <a
            key={code}
            href={href(`person/${personId}/report?lang=${code}`)}
            aria-current={code === lang ? 'true' : undefined}
            lang={code}
            onClick={(e) => {
              e.preventDefault();
              navigate(`person/${personId}/report?lang=${code}`);
            }}
          >
            {translations[code].language}
            {noticeLanguages.includes(code) ? ` (${ui('notice')})` : ''}
          </a>
        ))}
        <button type="button" onClick={() => window.print()}>
          {t.print}
        </button>
        <button type="button" onClick={() => void attachReceipt()} disabled={!report || receipt.busy}>
          {receipt.busy ? ui('Making the receipt…') : ui('Save the receipt to attach (JSON file)')}
        </button>
        {receipt.saved && <span role="status">{ui('Saved as {file}.', { file: receipt.saved.join(', ') })}</span>}
        {receipt.error && (
          <span role="alert" className="error">
            {receipt.error}
          </span>
        )}
      </div>
      {!letterhead && (
        <p className="no-print warning">{ui('No letterhead is configured: add "letterhead" to the agencies file.')}</p>
      )}
      {loading && <p>{ui('Loading…')}</p>}
      {down.length > 0 && (
        <p role="alert" className="alarm-text">
          {ui('Incomplete: {parts} not reachable — the report cannot be complete and is not shown.', {
            parts: logNames(down),
          })}{' '}
          <button type="button" disabled={loading} onClick={() => void refetch()}>
            {ui('Retry')}
          </button>
        </p>
      )}
      {!down.length &&
        errors.map((e, i) => (
          <p key={i} role="alert" className="error">
            {errorLine(e)}
          </p>
        ))}
      {later.loading && <p role="status">{ui('Loading the further pages of the report…')}</p>}
      {later.error && (
        <p role="alert" className="alarm-text">
          {ui('Incomplete: a further page of the report could not be read ({reason}); the letter is not shown.', {
            reason: later.error,
          })}
        </p>
      )}
      {report && <style>{pageStyle(t, reference)}</style>}
      {report && parts && !later.loading && !later.error && (
        <article className="report letter" lang={lang} dir={t.dir} data-report-language={lang}>
          <header className="letterhead">
            {letterhead && (
              <address className="sender">
                <strong>
                  <De>{letterhead.authority}</De>
                </strong>
                <br />
                <De>{letterhead.office}</De>
                {letterhead.address.map((line) => (
                  <Fragment key={line}>
                    <br />
                    <De>{line}</De>
                  </Fragment>
                ))}
              </address>
            )}
            <dl className="letter-meta">
              <dt>{l.referenceLabel}</dt>
              <dd>
                <Ltr>
                  <span data-reference>{reference}</span>
                </Ltr>
              </dd>
              <dt>{l.dateLabel}</dt>
              <dd>
                <Day lang={lang} day={day} />
              </dd>
              {letterhead && (
                <>
                  <dt>{l.contactLabel}</dt>
                  <dd>
                    {l.phoneLabel} <Ltr>{letterhead.phone}</Ltr>
                    <br />
                    {l.emailLabel} <Ltr>{letterhead.email}</Ltr>
                    {letterhead.hours && (
                      <>
                        <br />
                        {l.hoursLabel} <De>{letterhead.hours}</De>
                      </>
                    )}
                  </dd>
                </>
              )}
            </dl>
          </header>
          {person && (
            <p className="addressee">
              <strong>
                <De>
                  {person.givenName} {person.familyName}
                </De>
              </strong>
            </p>
          )}
          <h2>{fillIn(l.subject, { art15: ref('art15') })}</h2>
          {person && (
            <p>
              {fillIn(l.salutation, {
                name: (
                  <De>
                    {person.givenName} {person.familyName}
                  </De>
                ),
              })}
            </p>
          )}
          <p>{fillIn(l.intro, { art15: ref('art15') })}</p>
          <p className="letter-note">
            {isolated(l.lawNote, rtl)} {fillIn(l.calendar, { zone: <Ltr>{timeZone}</Ltr> })}
          </p>

          <Section n={1} title={l.purposesTitle} reference={REFS.purposes}>
            <p>{l.purposesIntro}</p>
            <ul>
              {parts.purposes.map((p) => (
                <li key={p}>{isolated(t.purposes[p] ?? p, rtl)}</li>
              ))}
              {parts.purposes.length === 0 && <li>{l.none}</li>}
            </ul>
          </Section>

          <Section n={2} title={l.categoriesTitle} reference={REFS.categories}>
            <p>{l.categoriesIntro}</p>
            <ul>
              {parts.categories.map((c) => (
                <li key={c}>{isolated(t.categoryNames[c] ?? c, rtl)}</li>
              ))}
            </ul>
          </Section>

          <Section n={3} title={l.recipientsTitle} reference={REFS.recipients}>
            {parts.recipients.length ? (
              <>
                <p>{l.recipientsIntro}</p>
                <ul>
                  {parts.recipients.map((r) => (
                    <li key={r}>{agencyName(t, r)}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{l.recipientsNone}</p>
            )}
            <h4>{l.disclosuresTitle}</h4>
            {report.entries.length === 0 ? (
              <p>{t.noEntries}</p>
            ) : (
              <table className="disclosures">
                <colgroup>
                  <col className="c-date" />
                  <col className="c-agency" />
                  <col className="c-agency" />
                  <col className="c-purpose" />
                  <col className="c-categories" />
                  <col className="c-basis" />
                  <col className="c-requests" />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">{t.date}</th>
                    <th scope="col">{t.recipient}</th>
                    <th scope="col">{t.holder}</th>
                    <th scope="col">{t.purpose}</th>
                    <th scope="col">{t.categories}</th>
                    <th scope="col">{t.basis}</th>
                    <th scope="col">{t.requests}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.entries.map((e, i) => (
                    <tr key={i}>
                      <td>
                        <Day lang={lang} day={e.date} />
                      </td>
                      <td>{agencyName(t, e.recipient)}</td>
                      <td>
                        {agencyName(t, e.holder)}
                        {e.ownRecords ? <> ({t.ownRecords})</> : null}
                      </td>
                      <td>{isolated(t.purposes[e.purpose] ?? e.purpose, rtl)}</td>
                      <td>{isolated(e.categories.map((c) => t.categoryNames[c] ?? c).join(', '), rtl)}</td>
                      <td>
                        {joined(
                          distinct(e.basis).map((b, j) => (
                            <Basis key={j} t={t} lang={lang} basis={b} timeZone={timeZone} />
                          )),
                          '; ',
                        )}
                      </td>
                      <td>
                        <Ltr>{e.requests}</Ltr>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section n={4} title={l.storageTitle} reference={REFS.storage}>
            <p>{isolated(l.storageAgencies, rtl)}</p>
            <p>{fillIn(l.storageLog, { days: <Ltr>{retentionDays}</Ltr> })}</p>
          </Section>

          <Section n={5} title={l.rightsTitle} reference={REFS.rights}>
            <ul>
              <li>{fillIn(l.rectification, { ref: ref('rectification') })}</li>
              <li>{fillIn(l.erasure, { ref: ref('erasure') })}</li>
              <li>{fillIn(l.restriction, { ref: ref('restriction') })}</li>
              <li>{fillIn(l.objection, { ref: ref('objection') })}</li>
              <li>{fillIn(l.withdrawal, { ref: ref('withdrawal') })}</li>
            </ul>
            <p>{l.rightsHow}</p>
          </Section>

          <Section n={6} title={l.complaintTitle} reference={REFS.complaint}>
            <p>{fillIn(l.complaint, { ref: ref('lodge') })}</p>
            {letterhead && (
              <address className="authority">
                <De>{letterhead.supervisoryAuthority.name}</De>
                {letterhead.supervisoryAuthority.address.map((line) => (
                  <Fragment key={line}>
                    <br />
                    <De>{line}</De>
                  </Fragment>
                ))}
                {letterhead.supervisoryAuthority.phone && (
                  <>
                    <br />
                    {l.phoneLabel} <Ltr>{letterhead.supervisoryAuthority.phone}</Ltr>
                  </>
                )}
                {letterhead.supervisoryAuthority.email && (
                  <>
                    <br />
                    {l.emailLabel} <Ltr>{letterhead.supervisoryAuthority.email}</Ltr>
                  </>
                )}
                {letterhead.supervisoryAuthority.web && (
                  <>
                    <br />
                    <Ltr>{letterhead.supervisoryAuthority.web}</Ltr>
                  </>
                )}
              </address>
            )}
          </Section>

          <Section n={7} title={l.sourceTitle} reference={REFS.source}>
            <p>{l.sourceIntro}</p>
            <table className="sources">
              <thead>
                <tr>
                  <th scope="col">{l.sourceCategory}</th>
                  <th scope="col">{l.sourceHolder}</th>
                </tr>
              </thead>
              <tbody>
                {[...parts.sources].map(([category, holders]) => (
                  <tr key={category}>
                    <td>{isolated(t.categoryNames[category] ?? category, rtl)}</td>
                    <td>{joined([...holders].map((h) => <Fragment key={h}>{agencyName(t, h)}</Fragment>))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>

          <Section n={8} title={l.automatedTitle} reference={REFS.automated}>
            <p>{fillIn(l.automated, { art22: ref('art22') })}</p>
          </Section>

          <Section n={9} title={l.copyTitle} reference={REFS.copy}>
            {copy && <p>{l.copyAll}</p>}
            {person && (
              <>
                {copy && <h4>{agencyName(t, 'county')}</h4>}
                <p>{l.copyIdentity}</p>
                <dl className="copy">
                  <dt>{l.name}</dt>
                  <dd>
                    <De>
                      {person.givenName} {person.familyName}
                    </De>
                  </dd>
                  <dt>{l.dateOfBirth}</dt>
                  <dd>{person.dateOfBirth ? <Day lang={lang} day={person.dateOfBirth} /> : '—'}</dd>
                  <dt>{l.gender}</dt>
                  <dd>{person.gender ? (l.genders[person.gender] ?? person.gender) : '—'}</dd>
                  <dt>{l.nationality}</dt>
                  <dd>{person.nationality ? <Ltr>{person.nationality}</Ltr> : '—'}</dd>
                  <dt>{l.personId}</dt>
                  <dd>
                    <Ltr>{person.id}</Ltr>
                  </dd>
                </dl>
              </>
            )}
            {copy && <DataCopy t={t} lang={lang} parts={copied} withheld={withheld} hasPerson={Boolean(copyPerson)} />}
            <p>{l.copyConsents}</p>
            {person?.consents?.length ? (
              <ul>
                {person.consents.map((c) => (
                  <ConsentItem key={c.id} t={t} lang={lang} consent={c} timeZone={timeZone} />
                ))}
              </ul>
            ) : (
              <p>{l.copyNoConsents}</p>
            )}
            <p>{l.copyDisclosures}</p>
            {!copy && <p>{l.copyOthers}</p>}
            <p>
              {receiptFiles.length === 1
                ? fillIn(l.receipt, { file: <Ltr>{receiptFiles[0]}</Ltr> })
                : fillIn(l.receipts, {
                    files: joined(receiptFiles.map((file) => <Ltr key={file}>{file}</Ltr>)),
                  })}
            </p>
          </Section>

          <p className="closing">
            {l.closing}
            <br />
            {l.signature}
            {letterhead && (
              <>
                <br />
                <De>{letterhead.authority}</De>
              </>
            )}
          </p>
          {letterhead && (
            <footer className="letter-foot">
              {l.dpo}:{' '}
              <De>
                {[
                  letterhead.dataProtectionOfficer.name,
                  ...letterhead.dataProtectionOfficer.address,
                  letterhead.dataProtectionOfficer.email,
                ].join(', ')}
              </De>
            </footer>
          )}
        </article>
      )}
    </section>
  );
}

/** One consent as the registry keeps it: recipients, categories, purposes, given, valid until, state. */
function ConsentItem({
  t,
  lang,
  consent,
  timeZone,
}: {
  t: Translation;
  lang: string;
  consent: Consent;
  timeZone: string;
}) {
  const rtl = t.dir === 'rtl';
  const l = t.letter;
  return (
    <li>
      {fill(
        l.consentLine,
        {
          recipients: joined(consent.recipients.map((r) => <Fragment key={r}>{agencyName(t, r)}</Fragment>)),
          categories: isolated(consent.categories.map((k) => t.categoryNames[k] ?? k).join(', '), rtl),
          purposes: isolated(consent.purposes.map((p) => t.purposes[p] ?? p).join(', '), rtl),
        },
        rtl,
      )}
      {'; '}
      {fill(l.givenOn, { date: <Day lang={lang} day={inputOfInstant(consent.givenAt, timeZone).slice(0, 10)} /> }, rtl)}
      {consent.validUntil && <>; {fill(l.validUntil, { date: <Day lang={lang} day={consent.validUntil} /> }, rtl)}</>}
      {consent.withdrawnAt && (
        <>
          ;{' '}
          {fill(
            l.withdrawnOn,
            { date: <Day lang={lang} day={inputOfInstant(consent.withdrawnAt, timeZone).slice(0, 10)} /> },
            rtl,
          )}
        </>
      )}
      {' — '}
      {t.consentState}: {isolated(t.states[consent.state] ?? consent.state, rtl)}
    </li>
  );
}

/** One value of the copy, shown as the agency holds it: a day, a coded value, an agency, text, a number, a language. */
type CopyValue =
  | { day: string | null | undefined }
  | { code: string; value: string | null | undefined }
  | { agency: string | null | undefined }
  | { text: string | null | undefined }
  | { ltr: string | number | null | undefined }
  | { language: string | null | undefined };

/** One record of the copy: its fields, each under the key of its label (`letter.copyLabels`). */
type CopyRecord = [label: string, value: CopyValue][];

/** The records of one category as one agency holds them. */
interface CopyPart {
  agency: AgencyKind;
  category: Category;
  records: CopyRecord[];
}

const COPY_AGENCIES: readonly AgencyKind[] = ['county', 'municipality', 'jobcenter', 'socialcare'];

/** A municipality by its key, named as the district names its agency (`municipality:<AGS>`). */
const municipality = (ags: string | null | undefined) => ({ agency: ags ? `municipality:${ags}` : null });

/**
 * The copy's parts, agency by agency and category by category, from what each agency released for the access
 * request. A field the agency refused is null and left out here (the letter names its category as not gathered);
 * one released empty is a category the agency holds nothing of.
 */
function copyParts(person: PersonCopy): CopyPart[] {
  const parts: CopyPart[] = [];
  const add = (agency: AgencyKind, category: Category, records: CopyRecord[] | null | undefined) => {
    if (!records) return;
    const part = parts.find((p) => p.agency === agency && p.category === category);
    if (part) part.records.push(...records);
    else parts.push({ agency, category, records: [...records] });
  };
  const r = person.residence;
  add(
    'county',
    'RESIDENCE',
    r && [
      [
        ['status', { code: 'ResidenceStatus', value: r.status }],
        ['arrivalDate', { day: r.arrivalDate }],
        ['validUntil', { day: r.validUntil }],
        ['assignedMunicipality', municipality(r.assignedMunicipality?.ags)],
      ],
    ],
  );
  const c = person.clearing;
  add(
    'county',
    'CLEARING_LANGUAGE',
    c?.languages?.map((s): CopyRecord => [
      ['language', { language: s.language }],
      ['level', { code: 'CefrLevel', value: s.level }],
    ]),
  );
  if (c?.schooling)
    add('county', 'CLEARING_EDUCATION', [
      [
        ['schoolYears', { ltr: c.schooling.years }],
        ['degree', { code: 'SchoolDegree', value: c.schooling.degree }],
        ['clearedOn', { day: c.schooling.clearedOn }],
      ],
    ]);
  add(
    'county',
    'CLEARING_EDUCATION',
    c?.qualifications?.map((q): CopyRecord => [
      ['qualification', { text: q.title }],
      ['qualificationKind', { code: 'QualificationKind', value: q.kind }],
      ['country', { ltr: q.country }],
      ['recognition', { code: 'Recognition', value: q.recognition }],
    ]),
  );
  add(
    'county',
    'CLEARING_EDUCATION',
    c?.workExperience?.map((w): CopyRecord => [
      ['occupation', { text: w.occupation }],
      ['yearsOfExperience', { ltr: w.years }],
    ]),
  );
  if (c?.interests?.length) add('county', 'CLEARING_EDUCATION', [[['interests', { text: c.interests.join(', ') }]]]);
  if (c?.goals?.length) add('county', 'CLEARING_EDUCATION', [[['goals', { text: c.goals.join(', ') }]]]);
  add(
    'municipality',
    'HOUSING',
    person.housingHistory?.map((a): CopyRecord => [
      ['accommodation', { code: 'AccommodationType', value: a.type }],
      ['address', { text: a.address }],
      ['since', { day: a.since }],
      ['until', { day: a.until }],
      ['municipality', municipality(a.municipality?.ags)],
    ]),
  );
  add(
    'municipality',
    'CHILDCARE_SCHOOL',
    person.childcareSchool?.map((e): CopyRecord => [
      ['enrolment', { code: 'EnrolmentKind', value: e.kind }],
      ['institution', { text: e.institution }],
      ['grade', { ltr: e.grade }],
      ['since', { day: e.since }],
      ['until', { day: e.until }],
    ]),
  );
  add(
    'jobcenter',
    'EMPLOYMENT',
    person.employmentHistory?.map((e): CopyRecord => [
      ['employmentStatus', { code: 'EmploymentState', value: e.status }],
      ['since', { day: e.since }],
      ['employer', { text: e.employer }],
    ]),
  );
  add(
    'jobcenter',
    'EMPLOYMENT',
    person.measures?.map((m): CopyRecord => [
      ['measure', { code: 'MeasureKind', value: m.kind }],
      ['title', { text: m.title }],
      ['provider', { text: m.provider }],
      ['starts', { day: m.starts }],
      ['ends', { day: m.ends }],
    ]),
  );
  add(
    'jobcenter',
    'INTEGRATION_COURSE',
    person.integrationCourses?.map((k): CopyRecord => [
      ['course', { code: 'CourseType', value: k.courseType }],
      ['courseLevel', { ltr: k.level }],
      ['courseStatus', { code: 'CourseStatus', value: k.status }],
      ['result', { ltr: k.resultLevel }],
      ['starts', { day: k.starts }],
      ['ends', { day: k.ends }],
    ]),
  );
  add(
    'jobcenter',
    'BENEFITS',
    person.benefits?.map((b): CopyRecord => [
      ['benefit', { code: 'BenefitKind', value: b.kind }],
      ['since', { day: b.since }],
      ['until', { day: b.until }],
      ['householdSize', { ltr: b.householdSize }],
    ]),
  );
  const care = person.socialCare;
  if (care)
    add('socialcare', 'SOCIAL_CARE', [
      [
        ['organisation', { text: care.organisation?.name }],
        ['since', { day: care.since }],
        [
          'caseworker',
          { text: care.caseworker && [care.caseworker.name, care.caseworker.phone, care.caseworker.email].join(', ') },
        ],
      ],
      ...care.openNeeds.map((n): CopyRecord => [
        ['need', { code: 'SupportField', value: n.field }],
        ['description', { text: n.description }],
        ['openedOn', { day: n.openedOn }],
        ['closedOn', { day: n.closedOn }],
      ]),
    ]);
  // The responsible contacts, each filed where the agency that assigned it released it (`contactCategory`).
  for (const contact of person.contacts ?? []) {
    const holder = parseAgency(contact.agency)?.kind;
    if (!holder) continue;
    add(holder, contactCategory(holder, contact.fieldOfAction), [
      [
        ['fieldOfAction', { code: 'FieldOfAction', value: contact.fieldOfAction }],
        ['office', { text: contact.partner }],
        [
          'contactPerson',
          { text: [contact.name, contact.role, contact.phone, contact.email].filter(Boolean).join(', ') },
        ],
        ['since', { day: contact.since }],
      ],
    ]);
  }
  return parts;
}

/** A language by its code, in the letter's language ("Arabisch", "العربية"); the code where Intl has no name. */
function languageName(lang: string, code: string): string {
  try {
    return new Intl.DisplayNames([localeOf(lang)], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function CopyValueView({ t, lang, value }: { t: Translation; lang: string; value: CopyValue }) {
  const rtl = t.dir === 'rtl';
  if ('day' in value) return value.day ? <Day lang={lang} day={value.day} /> : null;
  if ('code' in value) {
    if (!value.value) return null;
    const name = t.letter.copyValues[`${value.code}.${value.value}`];
    return name ? <>{isolated(name, rtl)}</> : <Ltr>{value.value}</Ltr>;
  }
  if ('agency' in value) return value.agency ? <>{agencyName(t, value.agency)}</> : null;
  if ('language' in value) return value.language ? <>{isolated(languageName(lang, value.language), rtl)}</> : null;
  if ('ltr' in value) return value.ltr === null || value.ltr === undefined ? null : <Ltr>{value.ltr}</Ltr>;
  return value.text ? <De>{value.text}</De> : null;
}

/** True when a field of the copy has no value (refused fields are not in the copy at all). */
function empty(value: CopyValue): boolean {
  const v = Object.values(value).at(-1) as unknown;
  return v === null || v === undefined || v === '';
}

/**
 * Art. 15 (3) with the access request: every agency's records of the person as it released them for the letter,
 * agency by agency and category by category, labelled in the letter's language; what was not gathered (special
 * categories, or what an agency refused) is named.
 */
function DataCopy({
  t,
  lang,
  parts,
  withheld,
  hasPerson,
}: {
  t: Translation;
  lang: string;
  parts: readonly CopyPart[];
  withheld: readonly string[];
  hasPerson: boolean;
}) {
  const rtl = t.dir === 'rtl';
  const l = t.letter;
  return (
    <div className="data-copy">
      {COPY_AGENCIES.map((agency) => {
        const own = parts.filter((p) => p.agency === agency);
        if (agency === 'county' && own.length === 0) return null;
        return (
          <div key={agency} className="copy-agency" data-copy-agency={agency}>
            {agency !== 'county' && <h4>{agencyName(t, agency)}</h4>}
            {own.every((p) => p.records.length === 0) && agency !== 'county' && hasPerson && <p>{l.copyNothing}</p>}
            {own
              .filter((p) => p.records.length > 0)
              .map((p) => (
                <Fragment key={p.category}>
                  <h5 data-copy-category={p.category}>{isolated(t.categoryNames[p.category] ?? p.category, rtl)}</h5>
                  <ul className="copy-records">
                    {p.records.map((record, i) => (
                      <li key={i}>
                        {joined(
                          record
                            .filter(([, value]) => !empty(value))
                            .map(([label, value]) => (
                              <Fragment key={label}>
                                {l.copyLabels[label] ?? label}: <CopyValueView t={t} lang={lang} value={value} />
                              </Fragment>
                            )),
                          '; ',
                        )}
                      </li>
                    ))}
                  </ul>
                </Fragment>
              ))}
          </div>
        );
      })}
      {withheld.length > 0 && (
        <p data-copy-withheld>
          {fill(
            l.copyWithheld,
            { categories: isolated(withheld.map((c) => t.categoryNames[c] ?? c).join(', '), rtl) },
            rtl,
          )}
        </p>
      )}
    </div>
  );
}

/** A field of the person that an agency refused for the copy: named in the letter, not an alarm. */
function isCopyRefusal(error: ApiError): boolean {
  return (
    typeof error.extensions?.category === 'string' &&
    (error.code === 'FORBIDDEN' || error.code === 'CONSENT_REQUIRED') &&
    error.path?.[0] === 'person'
  );
}
