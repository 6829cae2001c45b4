import { useApolloClient, useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { CASE_PURPOSES, parseAgency, type Purpose } from '../../../common/domain';
import { agencyName, categoryName, consentSentence, listOf, purposeName, stateName, t } from '../i18n';
import { ErrorSummary, type SummaryProblem } from './ErrorSummary';
import { districtToday, formatDay, formatInstant, inputOfInstant, instantOfInput, isRealDay } from '../district-time';
import { apiErrors, errorLine, errorsLine, fieldProblems, type ApiError } from '../errors';
import {
  CATEGORIES,
  CHANGE_CONSENT,
  CONSENT_SETTINGS,
  OVERLAPPING_CONSENTS,
  PERSON_CONSENTS,
  RECORD_CONSENT,
  VOID_CONSENT,
  WITHDRAWAL_PREVIEW,
  WITHDRAW_CONSENT,
  type AccessCell,
  type Consent,
  type ConsentForm as Form,
  type ConsentTerms,
  type ConsentWithVersions,
} from '../operations';
import { href, navigate } from '../router';

/** A consent's terms as one sentence, with its last day: "Jobcenter darf Sprachkenntnisse … sehen, bis 30.06.2027". */
export function ConsentSentence({ consent }: { consent: Consent }) {
  return (
    <p className="sentence">{consentSentence(consent, consent.validUntil ? formatDay(consent.validUntil) : null)}</p>
  );
}

/** The zone the registry names (DISTRICT_TIME_ZONE) until it has answered. */
const FALLBACK_ZONE = 'Europe/Berlin';

/** The district's time zone and notices, from the registry; the form follows them. */
export function useConsentSettings() {
  const { data } = useQuery(CONSENT_SETTINGS, { fetchPolicy: 'cache-first', errorPolicy: 'all' });
  return {
    timeZone: data?.consentSettings.timeZone ?? FALLBACK_ZONE,
    notices: data?.consentSettings.notices ?? [],
  };
}

export function ConsentDetails({ consent }: { consent: Consent }) {
  const { timeZone } = useConsentSettings();
  return (
    <dl className="details">
      <dt>{t('State')}</dt>
      <dd>
        <span className={`state state-${consent.state}`}>{stateName(consent.state)}</span>
      </dd>
      <dt>{t('Recipients')}</dt>
      <dd>{listOf(consent.recipients.map(agencyName))}</dd>
      <dt>{t('Purposes')}</dt>
      <dd>{listOf(consent.purposes.map(purposeName))}</dd>
      <dt>{t('Data')}</dt>
      <dd>{listOf(consent.categories.map(categoryName))}</dd>
      <dt>{t('Given')}</dt>
      <dd>{formatInstant(consent.givenAt, timeZone)}</dd>
      <dt>{t('Valid')}</dt>
      <dd className="validity">
        {consent.validUntil
          ? t('from {from} (from 0:00) to {until} (inclusive, until 24:00), {zone}', {
              from: formatDay(consent.validFrom),
              until: formatDay(consent.validUntil),
              zone: timeZone,
            })
          : t('from {from} (from 0:00) until withdrawn, {zone}', {
              from: formatDay(consent.validFrom),
              zone: timeZone,
            })}
      </dd>
      <dt>{t('Form and evidence')}</dt>
      <dd>
        {consent.form === 'WRITTEN' ? t('written') : t('electronic')}, {consent.evidenceReference}
      </dd>
      <dt>{t('Notice shown')}</dt>
      <dd>
        {t('version {version}, language {language}', {
          version: consent.noticeVersion,
          language: consent.noticeLanguage,
        })}
      </dd>
      {consent.withdrawnAt && (
        <>
          <dt>{t('Withdrawn')}</dt>
          <dd>
            {formatInstant(consent.withdrawnAt, timeZone)}: {consent.withdrawalReason ?? t('no reason given')}
          </dd>
        </>
      )}
      {consent.voidedAt && (
        <>
          <dt>{t('Voided')}</dt>
          <dd>
            {formatInstant(consent.voidedAt, timeZone)}: {consent.voidReason}
          </dd>
        </>
      )}
      <dt>{t('Recorded by')}</dt>
      <dd>
        {consent.recordedBy.officer} ({agencyName(consent.recordedBy.agency)}),{' '}
        {formatInstant(consent.recordedAt, timeZone)}
      </dd>
    </dl>
  );
}

/** A stale version, as the registry names it: who changed the consent and when; nothing was saved. */
function ConflictNotice({ error, onReload }: { error: ApiError; onReload: () => void }) {
  const { timeZone } = useConsentSettings();
  const x = error.extensions ?? {};
  const by = x.changedBy as { officer: string; agency: string } | undefined;
  return (
    <div role="alert" className="conflict">
      <p>
        <strong>{t('Conflict:')}</strong>{' '}
        {t('This consent has been changed in the meantime; version {version} is now in force', {
          version: String(x.currentVersion),
        })}
        {by ? ` (${t('by {officer}, {agency}', { officer: by.officer, agency: agencyName(by.agency) })}` : ''}
        {typeof x.changedAt === 'string'
          ? `, ${t('on {time}', { time: formatInstant(x.changedAt, timeZone) })})`
          : by
            ? ')'
            : ''}
        . {t('You had seen version {version}. Your change was not saved.', { version: String(x.expectedVersion) })}
      </p>
      <button type="button" onClick={onReload}>
        {t('Reload')}
      </button>
    </div>
  );
}

const conflictOf = (errors: ApiError[]) => errors.find((e) => e.code === 'CONFLICT');

export function Consents({ personId, agencies }: { personId: string; agencies: string[] }) {
  const { data, error, loading, refetch } = useQuery(PERSON_CONSENTS, {
    variables: { id: personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const [editing, setEditing] = useState<'new' | ConsentWithVersions>();
  const [ending, setEnding] = useState<{ consent: ConsentWithVersions; how: 'withdraw' | 'void' }>();
  const [notice, setNotice] = useState<string>();
  const consents = data?.person?.consents ?? [];

  const close = () => {
    setEditing(undefined);
    setEnding(undefined);
  };
  const done = (message: string) => {
    close();
    setNotice(message);
    void refetch();
  };
  const reload = () => {
    close();
    setNotice(t('Reloaded: you see the current state.'));
    void refetch();
  };

  return (
    <section aria-labelledby="consents-heading">
      <h2 id="consents-heading" data-tab-heading>
        {t('Consents')}
      </h2>
      {notice && (
        <p role="status" className="ok">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {errorsLine(error)}
        </p>
      )}
      {loading && <p>{t('Loading…')}</p>}
      {!editing && (
        <button
          type="button"
          onClick={() => {
            setNotice(undefined);
            setEditing('new');
          }}
        >
          {t('Record a consent')}
        </button>
      )}
      {editing && (
        <ConsentFormCard
          personId={personId}
          agencies={agencies}
          base={editing === 'new' ? undefined : editing}
          onCancel={close}
          onDone={done}
          onReload={reload}
        />
      )}
      {!loading && consents.length === 0 && <p>{t('No consents recorded for this person.')}</p>}
      <ul className="consents">
        {consents.map((c) => (
          <li key={c.id} className="card" data-consent-id={c.id}>
            <h3>
              <a
                href={href(`consent/${c.id}`)}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`consent/${c.id}`);
                }}
              >
                {t('Consent {id}', { id: c.id.slice(0, 8) })}
              </a>{' '}
              · {t('version {version}', { version: c.version })}{' '}
              <span className={`state state-${c.state}`}>{stateName(c.state)}</span>
            </h3>
            <ConsentSentence consent={c} />
            <ConsentDetails consent={c} />
            {c.versions.length > 1 && (
              <p>
                {t('Versions:')}{' '}
                {c.versions.map((v) => (
                  <a
                    key={v.version}
                    className="version"
                    href={href(`consent/${c.id}?version=${v.version}`)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`consent/${c.id}?version=${v.version}`);
                    }}
                  >
                    {v.version}
                  </a>
                ))}
              </p>
            )}
            <p className="actions">
              {/* An expired, withdrawn or voided consent is not changed or withdrawn: a new one is recorded. */}
              {c.state !== 'WITHDRAWN' && c.state !== 'VOIDED' && c.state !== 'EXPIRED' && (
                <>
                  <button
                    type="button"
                    onClick={() => {
                      setNotice(undefined);
                      setEditing(c);
                    }}
                  >
                    {t('Change')}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      setNotice(undefined);
                      setEnding({ consent: c, how: 'withdraw' });
                    }}
                  >
                    {t('Withdraw')}
                  </button>
                </>
              )}
              {c.state !== 'VOIDED' && (
                <button
                  type="button"
                  className="danger"
                  onClick={() => {
                    setNotice(undefined);
                    setEnding({ consent: c, how: 'void' });
                  }}
                >
                  {t('Void (recorded in error)')}
                </button>
              )}
            </p>
            {ending?.consent.id === c.id && (
              <EndPanel consent={c} how={ending.how} onCancel={close} onDone={done} onReload={reload} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One line of a preview: what an agency keeps or loses, and through which basis. */
function changeText(change: { agency: string; purpose: string; category: string; after: AccessCell }): string {
  const { after } = change;
  const head = t('{agency} · {category} for {purpose}', {
    agency: agencyName(change.agency),
    category: categoryName(change.category),
    purpose: purposeName(change.purpose),
  });
  if (!after.allowed) return `${head}: ${t('loses access')}`;
  if (after.basis === 'CONSENT')
    return `${head}: ${t('keeps it through consent {id} v{version}', { id: after.consentId?.slice(0, 8) ?? '', version: after.consentVersion ?? '' })} ${
      after.consentValidUntil ? t('until {day}', { day: formatDay(after.consentValidUntil) }) : t('until withdrawn')
    }`;
  if (after.basis === 'STATUTE')
    return `${head}: ${t('keeps it by statute ({reference})', { reference: after.statuteReference ?? after.statuteId ?? '' })}`;
  return `${head}: ${t('keeps it as its own task')}`;
}

/** Withdraws (the person took it back) or voids (recorded in error) a consent, after showing what changes. */
function EndPanel({
  consent,
  how,
  onCancel,
  onDone,
  onReload,
}: {
  consent: Consent;
  how: 'withdraw' | 'void';
  onCancel: () => void;
  onDone: (message: string) => void;
  onReload: () => void;
}) {
  const client = useApolloClient();
  const preview = useQuery(WITHDRAWAL_PREVIEW, {
    variables: { id: consent.id },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ApiError[]>([]);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const variables = { id: consent.id, expectedVersion: consent.version, reason: reason.trim() };
    const result =
      how === 'withdraw'
        ? await client.mutate({ mutation: WITHDRAW_CONSENT, errorPolicy: 'all', variables })
        : await client.mutate({ mutation: VOID_CONSENT, errorPolicy: 'all', variables });
    const data = result.data as { withdrawConsent?: Consent; voidConsent?: Consent } | undefined;
    if (data?.withdrawConsent)
      return onDone(
        t('Consent {id} withdrawn; it takes effect with the next request.', { id: consent.id.slice(0, 8) }),
      );
    if (data?.voidConsent)
      return onDone(
        t('Consent {id} voided: from the next request on it allows nothing; past disclosures are marked.', {
          id: consent.id.slice(0, 8),
        }),
      );
    setErrors(apiErrors(result.error));
  };
  const conflict = conflictOf(errors);
  const changes = preview.data?.withdrawalPreview ?? [];
  const id = `${how}-${consent.id}`;
  return (
    <form
      className="confirm"
      onSubmit={(e) => void submit(e)}
      aria-label={how === 'withdraw' ? t('Withdraw consent') : t('Void consent')}
    >
      <section className="preview" aria-labelledby={`${id}-preview`}>
        <h4 id={`${id}-preview`}>
          {how === 'withdraw' ? t('Preview: after the withdrawal') : t('Preview: after voiding')}
        </h4>
        {preview.loading && <p>{t('Calculating…')}</p>}
        {!preview.loading && changes.length === 0 && <p>{t('No access depends on this consent.')}</p>}
        <ul className="preview-list">
          {changes.map((c) => (
            <li key={`${c.agency} ${c.purpose} ${c.category}`} className={c.after.allowed ? 'keeps' : 'loses'}>
              {changeText(c)}
            </li>
          ))}
        </ul>
      </section>
      <div className="field">
        <label htmlFor={`reason-${id}`}>
          {how === 'withdraw' ? t('Reason for the withdrawal') : t('Reason (why recorded in error)')}
        </label>
        <textarea
          id={`reason-${id}`}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          required
        />
      </div>
      <p>
        {how === 'withdraw'
          ? t(
              'The recipients lose access with their next request. This cannot be undone; a new consent must be recorded instead.',
            )
          : t(
              'For consents recorded in error (wrong person, never given). From the next request on it allows nothing; what was disclosed on it stays on record and is marked as later voided in the timeline and the report.',
            )}
      </p>
      {conflict && <ConflictNotice error={conflict} onReload={onReload} />}
      {!conflict && errors.length > 0 && (
        <p role="alert" className="error">
          {errors.map(errorLine).join('; ')}
        </p>
      )}
      <button type="submit" className="danger" disabled={!reason.trim()}>
        {how === 'withdraw' ? t('Confirm withdrawal') : t('Confirm voiding')}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        {t('Cancel')}
      </button>
    </form>
  );
}

interface Draft {
  recipients: string[];
  purposes: string[];
  categories: string[];
  givenAt: string;
  validFrom: string;
  validUntil: string;
  form: Form;
  evidenceReference: string;
  noticeVersion: string;
  noticeLanguage: string;
}

function draftOf(timeZone: string, base?: Consent): Draft {
  return {
    recipients: base?.recipients ?? [],
    purposes: base?.purposes ?? [],
    categories: base?.categories ?? [],
    // The district's clock, whatever zone the browser runs in.
    givenAt: inputOfInstant(base?.givenAt ?? new Date().toISOString(), timeZone),
    // Days exactly as stored (YYYY-MM-DD): nothing converts them on the way in or out.
    validFrom: base?.validFrom ?? '',
    validUntil: base?.validUntil ?? '',
    form: base?.form ?? 'WRITTEN',
    evidenceReference: base?.evidenceReference ?? '',
    noticeVersion: base?.noticeVersion ?? '',
    noticeLanguage: base?.noticeLanguage ?? 'de',
  };
}

/** The API's own rules (subgraphs/consent/services/consent.service.ts), mirrored before sending; the server decides. */
function validate(
  draft: Draft,
  timeZone: string,
  notices: { version: string; languages: string[] }[],
): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  if (draft.recipients.length === 0) add('recipients', t('choose at least one recipient'));
  if (draft.recipients.length > 20) add('recipients', t('at most 20 recipients'));
  for (const r of draft.recipients)
    if (!parseAgency(r)) add('recipients', t('{agency} is not an agency', { agency: r }));
  if (draft.purposes.length === 0) add('purposes', t('choose at least one purpose'));
  for (const p of draft.purposes)
    if (!CASE_PURPOSES.includes(p as Purpose))
      add('purposes', t('{purpose} is not a purpose a person can consent to', { purpose: purposeName(p) }));
  if (draft.categories.length === 0) add('categories', t('choose at least one category'));
  const givenAt = instantOfInput(draft.givenAt, timeZone);
  if (!givenAt) add('givenAt', t('enter when the person gave the consent'));
  else if (Date.parse(givenAt) > Date.now() + 5 * 60_000) add('givenAt', t('must not be in the future'));
  const givenOn = draft.givenAt.slice(0, 10);
  // A date input holds only real days, or nothing: typed nonsense (30 February) arrives as "" and would be lost.
  for (const field of ['validFrom', 'validUntil'] as const)
    if (draft[field] && !isRealDay(draft[field])) add(field, t('not a real date'));
  const validFrom = draft.validFrom || givenOn;
  if (draft.validFrom && givenAt && draft.validFrom < givenOn)
    add('validFrom', t('must not be before the day the consent was given ({day})', { day: formatDay(givenOn) }));
  if (draft.validUntil && draft.validUntil <= validFrom) add('validUntil', t('must be after the first day'));
  const evidence = draft.evidenceReference.trim();
  if (evidence.length < 1 || evidence.length > 200)
    add('evidenceReference', t('enter where the signed form or record is kept (1 to 200 characters)'));
  const notice = draft.noticeVersion.trim();
  if (notice.length < 1 || notice.length > 50)
    add('noticeVersion', t('enter the version of the notice shown (1 to 50 characters)'));
  else if (notices.length && !notices.some((n) => n.version === notice))
    add(
      'noticeVersion',
      t('is not a notice of the district: {versions}', { versions: notices.map((n) => n.version).join(', ') }),
    );
  if (!/^[a-z]{2}$/.test(draft.noticeLanguage)) add('noticeLanguage', t('must be an ISO 639-1 language code, e.g. de'));
  else {
    const languages = notices.find((n) => n.version === notice)?.languages;
    if (languages && !languages.includes(draft.noticeLanguage))
      add(
        'noticeLanguage',
        t('notice {notice} exists in {languages} only', { notice, languages: languages.join(', ') }),
      );
  }
  return problems;
}

function termsOf(draft: Draft, timeZone: string): ConsentTerms {
  return {
    recipients: draft.recipients,
    purposes: draft.purposes as ConsentTerms['purposes'],
    categories: draft.categories as ConsentTerms['categories'],
    givenAt: instantOfInput(draft.givenAt, timeZone)!,
    validFrom: draft.validFrom || null,
    validUntil: draft.validUntil || null,
    form: draft.form,
    evidenceReference: draft.evidenceReference.trim(),
    noticeVersion: draft.noticeVersion.trim(),
    noticeLanguage: draft.noticeLanguage,
  };
}

function ConsentFormCard({
  personId,
  agencies,
  base,
  onCancel,
  onDone,
  onReload,
}: {
  personId: string;
  agencies: string[];
  base?: Consent;
  onCancel: () => void;
  onDone: (message: string) => void;
  onReload: () => void;
}) {
  const client = useApolloClient();
  const { timeZone, notices } = useConsentSettings();
  const [draft, setDraft] = useState<Draft>(() => draftOf(timeZone, base));
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [overlaps, setOverlaps] = useState<Consent[]>();
  const [busy, setBusy] = useState(false);
  // The form opens with the focus on its heading, so that a screen reader says what it is and Tab goes on into it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setOverlaps(undefined);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const toggle = (key: 'recipients' | 'purposes' | 'categories', value: string) => {
    setOverlaps(undefined);
    setDraft((d) => ({ ...d, [key]: d[key].includes(value) ? d[key].filter((v) => v !== value) : [...d[key], value] }));
  };

  const submit = async (event: React.FormEvent, overlapSeen = false) => {
    event.preventDefault();
    setErrors([]);
    const local = validate(draft, timeZone, notices);
    // A typed day that does not exist (31 February) leaves the field's value empty: say so rather than drop it.
    for (const field of ['givenAt', 'validFrom', 'validUntil'] as const) {
      const input = document.getElementById(field) as HTMLInputElement | null;
      if (input?.validity.badInput) (local[field] ??= []).push(t('not a real date'));
    }
    setProblems(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    const terms = termsOf(draft, timeZone);
    if (!overlapSeen) {
      // Before saving: would this consent overlap one in force? Then say so and let the officer decide.
      const found = await client.query({
        query: OVERLAPPING_CONSENTS,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { personId, terms, exceptId: base?.id ?? null },
      });
      const list = found.data?.overlappingConsents ?? [];
      if (list.length) {
        setBusy(false);
        setOverlaps(list);
        return;
      }
    }
    const result = base
      ? await client.mutate({
          mutation: CHANGE_CONSENT,
          errorPolicy: 'all',
          variables: { id: base.id, expectedVersion: base.version, terms },
        })
      : await client.mutate({
          mutation: RECORD_CONSENT,
          errorPolicy: 'all',
          variables: { input: { ...terms, personId } },
        });
    setBusy(false);
    const data = result.data as { recordConsent?: Consent; changeConsent?: Consent } | undefined;
    const saved = data?.recordConsent ?? data?.changeConsent;
    if (saved)
      return onDone(
        base
          ? t('Consent changed: version {version} is in force.', { version: saved.version })
          : t('Consent {id} recorded (version {version}).', { id: saved.id.slice(0, 8), version: saved.version }),
      );
    const failed = apiErrors(result.error);
    setProblems(fieldProblems(failed));
    setErrors(failed);
  };

  const conflict = conflictOf(errors);
  const error = (field: string) =>
    problems[field] ? (
      <p id={`${field}-error`} className="error field-error">
        {problems[field].join('; ')}
      </p>
    ) : null;
  const described = (field: string) => (problems[field] ? `${field}-error` : undefined);
  const checkboxes = (
    key: 'recipients' | 'purposes' | 'categories',
    legend: string,
    options: readonly string[],
    label: (value: string) => string,
  ) => (
    <fieldset className="checks" aria-describedby={described(key)} aria-invalid={problems[key] ? true : undefined}>
      <legend>{legend}</legend>
      {options.map((o, i) => (
        <label key={o}>
          <input
            id={i === 0 ? `${key}-0` : undefined}
            type="checkbox"
            name={key}
            value={o}
            checked={draft[key].includes(o)}
            onChange={() => toggle(key, o)}
          />{' '}
          {label(o)}
        </label>
      ))}
      {error(key)}
    </fieldset>
  );

  const labels: Record<string, string> = {
    recipients: t('Recipients'),
    purposes: t('Purposes'),
    categories: t('Data'),
    givenAt: t('Given at'),
    validFrom: t('Valid from'),
    validUntil: t('Valid until'),
    form: t('Form'),
    evidenceReference: t('Evidence reference'),
    noticeVersion: t('Notice version'),
    noticeLanguage: t('Notice language'),
  };
  const targets: Record<string, string> = {
    recipients: 'recipients-0',
    purposes: 'purposes-0',
    categories: 'categories-0',
    form: 'form-0',
  };
  const summary: SummaryProblem[] = Object.entries(problems).flatMap(([field, messages]) =>
    messages.map((message) => ({ target: targets[field] ?? field, label: labels[field] ?? field, message })),
  );
  return (
    <form
      className="card consent-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="consent-form-heading"
    >
      <h3 id="consent-form-heading" tabIndex={-1} ref={heading}>
        {base ? t('Change consent {id} (new version)', { id: base.id.slice(0, 8) }) : t('Record a consent')}
      </h3>
      <ErrorSummary problems={summary} id="consent-error-summary" />
      {checkboxes('recipients', t('Recipients'), agencies, agencyName)}
      {/* Only the purposes of casework: CONSENT_MANAGEMENT and MONITORING are no purposes a person consents to. */}
      {checkboxes('purposes', t('Purposes'), CASE_PURPOSES, purposeName)}
      {checkboxes('categories', t('Data'), CATEGORIES, categoryName)}
      <p className="hint" id="days-help">
        {t(
          'Days on the district’s calendar ({zone}): valid from 0:00 of the first to 24:00 of the last day, both included. Today there is {today}.',
          { zone: timeZone, today: formatDay(districtToday(timeZone)) },
        )}
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor="givenAt">
            {t('Given at')} ({timeZone})
          </label>
          <input
            id="givenAt"
            type="datetime-local"
            value={draft.givenAt}
            onChange={(e) => set('givenAt', e.target.value)}
            aria-describedby={described('givenAt')}
          />
          {error('givenAt')}
        </div>
        <div className="field">
          <label htmlFor="validFrom">
            {t('Valid from')} ({t('optional')})
          </label>
          <input
            id="validFrom"
            type="date"
            value={draft.validFrom}
            onChange={(e) => set('validFrom', e.target.value)}
            aria-describedby={`days-help ${described('validFrom') ?? ''}`}
          />
          {error('validFrom')}
        </div>
        <div className="field">
          <label htmlFor="validUntil">
            {t('Valid until')} ({t('inclusive, optional')})
          </label>
          <input
            id="validUntil"
            type="date"
            value={draft.validUntil}
            onChange={(e) => set('validUntil', e.target.value)}
            aria-describedby={`days-help ${described('validUntil') ?? ''}`}
          />
          {error('validUntil')}
        </div>
      </div>
      <fieldset className="checks" aria-describedby={described('form')}>
        <legend>{t('Form')} (§ 67b SGB X)</legend>
        {(['WRITTEN', 'ELECTRONIC'] as const).map((f, i) => (
          <label key={f}>
            <input
              id={i === 0 ? 'form-0' : undefined}
              type="radio"
              name="form"
              value={f}
              checked={draft.form === f}
              onChange={() => set('form', f)}
            />{' '}
            {f === 'WRITTEN' ? t('written') : t('electronic')}
          </label>
        ))}
        {error('form')}
      </fieldset>
      <div className="row">
        <div className="field">
          <label htmlFor="evidenceReference">{t('Evidence reference')}</label>
          <input
            id="evidenceReference"
            value={draft.evidenceReference}
            onChange={(e) => set('evidenceReference', e.target.value)}
            aria-describedby={described('evidenceReference')}
          />
          {error('evidenceReference')}
        </div>
        <div className="field">
          <label htmlFor="noticeVersion">{t('Notice version')}</label>
          <input
            id="noticeVersion"
            value={draft.noticeVersion}
            list="notice-versions"
            onChange={(e) => set('noticeVersion', e.target.value)}
            aria-describedby={described('noticeVersion')}
          />
          <datalist id="notice-versions">
            {notices.map((n) => (
              <option key={n.version} value={n.version} />
            ))}
          </datalist>
          {error('noticeVersion')}
        </div>
        <div className="field">
          <label htmlFor="noticeLanguage">{t('Notice language')}</label>
          <input
            id="noticeLanguage"
            value={draft.noticeLanguage}
            maxLength={2}
            onChange={(e) => set('noticeLanguage', e.target.value.toLowerCase())}
            aria-describedby={`noticeLanguage-help ${described('noticeLanguage') ?? ''}`}
          />
          <small id="noticeLanguage-help">
            {t('ISO 639-1 code; the district’s notices exist in {languages}', {
              languages: [...new Set(notices.flatMap((n) => n.languages))].join(', ') || 'de, en, ar, uk, fa, tr',
            })}
          </small>
          {error('noticeLanguage')}
        </div>
      </div>
      {overlaps && (
        <div role="alert" className="warning overlap">
          <p>
            <strong>{t('Overlap:')}</strong>{' '}
            {overlaps.length === 1
              ? t('This consent overlaps a consent of the same person in force')
              : t('This consent overlaps {count} consents of the same person in force', {
                  count: overlaps.length,
                })}{' '}
            {t(
              '(same agency, same purpose, same category on the same days). Withdrawing one then does not end the access.',
            )}
          </p>
          <ul>
            {overlaps.map((o) => (
              <li key={o.id}>
                {t('Consent {id}', { id: o.id.slice(0, 8) })} v{o.version}:{' '}
                {consentSentence(o, o.validUntil ? formatDay(o.validUntil) : null)}
              </li>
            ))}
          </ul>
          <button type="button" onClick={(e) => void submit(e, true)}>
            {t('Save anyway')}
          </button>
        </div>
      )}
      {conflict && <ConflictNotice error={conflict} onReload={onReload} />}
      {!conflict && errors.length > 0 && (
        <p role="alert" className="error">
          {t('The hub refused:')} {errors.map(errorLine).join('; ')}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {base ? t('Save new version') : t('Record consent')}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        {t('Cancel')}
      </button>
    </form>
  );
}
