import { useQuery } from '@apollo/client/react';
import { inputOfInstant } from '../district-time';
import { apiErrors } from '../errors';
import { t as ui, translations, type Translation, LANGUAGES } from '../i18n';
import { ACCESS_REPORT, type DisclosureBasis } from '../operations';
import { href, navigate } from '../router';
import { useConsentSettings } from './Consents';
import { logNames, unreachable } from './Records';

/** The district's name for an agency where it has one (settings.json), else the kind in the report's language. */
let districtNames: Readonly<Record<string, string>> = {};
export function setReportAgencyNames(names: Readonly<Record<string, string>> | undefined): void {
  districtNames = names ?? {};
}

function agencyName(t: Translation, agency: string): string {
  if (districtNames[agency]) return districtNames[agency];
  const [kind, rest] = agency.split(':');
  const name = t.agencyKinds[kind] ?? kind;
  return rest ? `${name} ${rest}` : name;
}

/** `timeZone`: the district's, in which the day a consent was voided is told. */
function basisText(t: Translation, basis: DisclosureBasis, timeZone: string): string {
  const kind = t.basisKinds[basis.kind] ?? basis.kind;
  if (basis.kind === 'STATUTE' && basis.statute) return `${kind} (${basis.statuteReference ?? basis.statute})`;
  if (basis.kind === 'CONSENT' && basis.consentId) {
    const voided = basis.consentVoidedAt
      ? ` — ${t.voidedConsent.replace('{date}', inputOfInstant(basis.consentVoidedAt, timeZone).slice(0, 10)).replace('{reason}', basis.consentVoidReason ?? '')}`
      : '';
    return `${kind} (${basis.consentId.slice(0, 8)}, v${basis.consentVersion})${voided}`;
  }
  return kind;
}

/** The person's Art. 15 report, in German and the language of the notice the person was given; printable. */
export function Report({ personId, language }: { personId: string; language: string }) {
  const { timeZone } = useConsentSettings();
  const { data, error, loading } = useQuery(ACCESS_REPORT, {
    variables: { personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const lang = language in translations ? language : 'de';
  const t = translations[lang];
  const noticeLanguages = [...new Set((data?.person?.consents ?? []).map((c) => c.noticeLanguage))];
  const offered = [...new Set(['de', ...noticeLanguages.filter((l) => l in translations), ...LANGUAGES])];
  const down = unreachable(error);
  const report = data?.accessReport;
  const person = data?.person;
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long' });

  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading" className="visually-hidden" data-tab-heading>
        {ui('Art. 15 report')}
      </h2>
      <div className="no-print report-tools">
        <span>{ui('Language')}:</span>
        {offered.map((l) => (
          <a
            key={l}
            href={href(`person/${personId}/report?lang=${l}`)}
            aria-current={l === lang ? 'true' : undefined}
            lang={l}
            onClick={(e) => {
              e.preventDefault();
              navigate(`person/${personId}/report?lang=${l}`);
            }}
          >
            {translations[l].language}
            {noticeLanguages.includes(l) ? ` (${ui('notice')})` : ''}
          </a>
        ))}
        <button type="button" onClick={() => window.print()}>
          {t.print}
        </button>
      </div>
      {loading && <p>{ui('Loading…')}</p>}
      {down.length > 0 && (
        <p role="alert" className="alarm-text">
          {ui('Incomplete: {parts} not reachable — the report cannot be complete and is not shown.', {
            parts: logNames(down),
          })}
        </p>
      )}
      {!down.length &&
        apiErrors(error).map((e, i) => (
          <p key={i} role="alert" className="error">
            {e.message}
          </p>
        ))}
      {report && (
        <article className="report" lang={lang} dir={t.dir} data-report-language={lang}>
          <h2>{t.title}</h2>
          <p>{t.intro}</p>
          {person && (
            <p>
              {t.person}:{' '}
              <strong>
                {person.givenName} {person.familyName}
              </strong>
              , {t.born} {person.dateOfBirth}
            </p>
          )}
          <p>
            {t.generated}: {dateFormat.format(new Date(report.generatedAt))}
          </p>
          {report.entries.length === 0 ? (
            <p>{t.noEntries}</p>
          ) : (
            <table>
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
                      <time dateTime={e.date}>{dateFormat.format(new Date(`${e.date}T12:00:00Z`))}</time>
                    </td>
                    <td>{agencyName(t, e.recipient)}</td>
                    <td>
                      {agencyName(t, e.holder)}
                      {e.ownRecords ? ` (${t.ownRecords})` : ''}
                    </td>
                    <td>{t.purposes[e.purpose] ?? e.purpose}</td>
                    <td>{e.categories.map((c) => t.categoryNames[c] ?? c).join(', ')}</td>
                    <td>{e.basis.map((b) => basisText(t, b, timeZone)).join('; ')}</td>
                    <td>{e.requests}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {person?.consents && person.consents.length > 0 && (
            <>
              <h3>{t.consentsTitle}</h3>
              <ul>
                {person.consents.map((c) => (
                  <li key={c.id}>
                    {c.recipients.map((r) => agencyName(t, r)).join(', ')}:{' '}
                    {c.categories.map((k) => t.categoryNames[k] ?? k).join(', ')} — {t.consentState}:{' '}
                    {t.states[c.state] ?? c.state}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>{t.rights}</p>
        </article>
      )}
    </section>
  );
}
