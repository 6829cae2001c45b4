import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { parseAgency } from '../../../common/domain';
import { districtToday, formatDay, formatInstant, inputOfInstant, instantOfInput, isRealDay } from '../district-time';
import { apiErrors, fieldProblems, type ApiError } from '../errors';
import {
  CATEGORIES,
  CHANGE_CONSENT,
  CONSENT_SETTINGS,
  OVERLAPPING_CONSENTS,
  PERSON_CONSENTS,
  PURPOSES,
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

const STATE_LABEL: Record<Consent['state'], string> = {
  GIVEN: 'active',
  WITHDRAWN: 'withdrawn',
  VOIDED: 'für ungültig erklärt (irrtümlich erfasst)',
  EXPIRED: 'expired',
  NOT_YET_VALID: 'not yet valid',
};

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
      <dt>State</dt>
      <dd>
        <span className={`state state-${consent.state}`}>{STATE_LABEL[consent.state]}</span>
      </dd>
      <dt>Recipients</dt>
      <dd>{consent.recipients.join(', ')}</dd>
      <dt>Purposes</dt>
      <dd>{consent.purposes.join(', ')}</dd>
      <dt>Categories</dt>
      <dd>{consent.categories.join(', ')}</dd>
      <dt>Given</dt>
      <dd>{formatInstant(consent.givenAt, timeZone)}</dd>
      <dt>Gültig / Valid</dt>
      <dd className="validity">
        vom {formatDay(consent.validFrom)} (ab 0:00) bis{' '}
        {consent.validUntil ? `${formatDay(consent.validUntil)} (einschließlich, bis 24:00)` : 'auf Widerruf'},{' '}
        {timeZone}
      </dd>
      <dt>Form and evidence</dt>
      <dd>
        {consent.form.toLowerCase()}, {consent.evidenceReference}
      </dd>
      <dt>Notice shown</dt>
      <dd>
        version {consent.noticeVersion}, language {consent.noticeLanguage}
      </dd>
      {consent.withdrawnAt && (
        <>
          <dt>Withdrawn</dt>
          <dd>
            {formatInstant(consent.withdrawnAt, timeZone)}: {consent.withdrawalReason ?? 'no reason given'}
          </dd>
        </>
      )}
      {consent.voidedAt && (
        <>
          <dt>Für ungültig erklärt</dt>
          <dd>
            {formatInstant(consent.voidedAt, timeZone)}: {consent.voidReason}
          </dd>
        </>
      )}
      <dt>Recorded by</dt>
      <dd>
        {consent.recordedBy.officer} ({consent.recordedBy.agency}), {formatInstant(consent.recordedAt, timeZone)}
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
        <strong>Konflikt:</strong> Diese Einwilligung wurde inzwischen geändert, jetzt gilt Version{' '}
        {String(x.currentVersion)}
        {by ? ` (von ${by.officer}, ${by.agency}` : ''}
        {typeof x.changedAt === 'string' ? `, am ${formatInstant(x.changedAt, timeZone)})` : by ? ')' : ''}. Sie hatten
        Version {String(x.expectedVersion)} gesehen. Ihre Änderung wurde nicht gespeichert.
      </p>
      <button type="button" onClick={onReload}>
        Neu laden
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
    setNotice('Neu geladen: Sie sehen den aktuellen Stand.');
    void refetch();
  };

  return (
    <section aria-labelledby="consents-heading">
      <h2 id="consents-heading">Consents</h2>
      {notice && (
        <p role="status" className="ok">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {loading && <p>Loading…</p>}
      {!editing && (
        <button
          type="button"
          onClick={() => {
            setNotice(undefined);
            setEditing('new');
          }}
        >
          Record a consent
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
      {!loading && consents.length === 0 && <p>No consents recorded for this person.</p>}
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
                Consent {c.id.slice(0, 8)}
              </a>{' '}
              · version {c.version} <span className={`state state-${c.state}`}>{STATE_LABEL[c.state]}</span>
            </h3>
            <ConsentDetails consent={c} />
            {c.versions.length > 1 && (
              <p>
                Versions:{' '}
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
              {c.state !== 'WITHDRAWN' && c.state !== 'VOIDED' && (
                <>
                  <button
                    type="button"
                    onClick={() => {
                      setNotice(undefined);
                      setEditing(c);
                    }}
                  >
                    Change
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      setNotice(undefined);
                      setEnding({ consent: c, how: 'withdraw' });
                    }}
                  >
                    Withdraw
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
                  Für ungültig erklären
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
  const head = `${change.agency} · ${change.category} für ${change.purpose}`;
  if (!after.allowed) return `${head}: verliert den Zugriff`;
  if (after.basis === 'CONSENT')
    return `${head}: behält ihn über Einwilligung ${after.consentId?.slice(0, 8)} v${after.consentVersion}${
      after.consentValidUntil ? ` bis ${formatDay(after.consentValidUntil)}` : ' auf Widerruf'
    }`;
  if (after.basis === 'STATUTE') return `${head}: behält ihn per Gesetz (${after.statuteReference ?? after.statuteId})`;
  return `${head}: behält ihn als eigene Aufgabe`;
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
      return onDone(`Consent ${consent.id.slice(0, 8)} withdrawn; it takes effect with the next request.`);
    if (data?.voidConsent)
      return onDone(
        `Einwilligung ${consent.id.slice(0, 8)} für ungültig erklärt: sie erlaubt ab der nächsten Anfrage nichts mehr; bisherige Übermittlungen sind markiert.`,
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
      aria-label={how === 'withdraw' ? 'Withdraw consent' : 'Einwilligung für ungültig erklären'}
    >
      <section className="preview" aria-labelledby={`${id}-preview`}>
        <h4 id={`${id}-preview`}>
          {how === 'withdraw' ? 'Vorschau: nach dem Widerruf' : 'Vorschau: nach der Ungültigerklärung'}
        </h4>
        {preview.loading && <p>Wird berechnet …</p>}
        {!preview.loading && changes.length === 0 && <p>Kein Zugriff hängt an dieser Einwilligung.</p>}
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
          {how === 'withdraw' ? 'Reason for the withdrawal' : 'Grund (warum irrtümlich erfasst)'}
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
          ? 'The recipients lose access with their next request. This cannot be undone; a new consent must be recorded instead.'
          : 'Für irrtümlich erfasste Einwilligungen (falsche Person, nie erteilt). Sie erlaubt ab der nächsten Anfrage nichts mehr; was auf ihr übermittelt wurde, bleibt protokolliert und wird in Verlauf und Auskunft als später für ungültig erklärt markiert.'}
      </p>
      {conflict && <ConflictNotice error={conflict} onReload={onReload} />}
      {!conflict && errors.length > 0 && (
        <p role="alert" className="error">
          {errors.map((e) => e.message).join('; ')}
        </p>
      )}
      <button type="submit" className="danger" disabled={!reason.trim()}>
        {how === 'withdraw' ? 'Confirm withdrawal' : 'Ungültigerklärung bestätigen'}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
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
  if (draft.recipients.length === 0) add('recipients', 'choose at least one recipient');
  if (draft.recipients.length > 20) add('recipients', 'at most 20 recipients');
  for (const r of draft.recipients) if (!parseAgency(r)) add('recipients', `${r} is not an agency`);
  if (draft.purposes.length === 0) add('purposes', 'choose at least one purpose');
  if (draft.purposes.includes('MONITORING')) add('purposes', 'MONITORING uses aggregates only and needs no consent');
  if (draft.categories.length === 0) add('categories', 'choose at least one category');
  const givenAt = instantOfInput(draft.givenAt, timeZone);
  if (!givenAt) add('givenAt', 'enter when the person gave the consent');
  else if (Date.parse(givenAt) > Date.now() + 5 * 60_000) add('givenAt', 'must not be in the future');
  const givenOn = draft.givenAt.slice(0, 10);
  // A date input holds only real days, or nothing: typed nonsense (30 February) arrives as "" and would be lost.
  for (const field of ['validFrom', 'validUntil'] as const)
    if (draft[field] && !isRealDay(draft[field])) add(field, 'kein gültiges Datum / not a real date');
  const validFrom = draft.validFrom || givenOn;
  if (draft.validFrom && givenAt && draft.validFrom < givenOn)
    add('validFrom', `must not be before the day the consent was given (${formatDay(givenOn)})`);
  if (draft.validUntil && draft.validUntil <= validFrom) add('validUntil', 'must be after validFrom');
  const evidence = draft.evidenceReference.trim();
  if (evidence.length < 1 || evidence.length > 200)
    add('evidenceReference', 'enter where the signed form or record is kept (1 to 200 characters)');
  const notice = draft.noticeVersion.trim();
  if (notice.length < 1 || notice.length > 50)
    add('noticeVersion', 'enter the version of the notice shown (1 to 50 characters)');
  else if (notices.length && !notices.some((n) => n.version === notice))
    add('noticeVersion', `is not a notice of the district: ${notices.map((n) => n.version).join(', ')}`);
  if (!/^[a-z]{2}$/.test(draft.noticeLanguage)) add('noticeLanguage', 'must be an ISO 639-1 language code, e.g. de');
  else {
    const languages = notices.find((n) => n.version === notice)?.languages;
    if (languages && !languages.includes(draft.noticeLanguage))
      add('noticeLanguage', `notice ${notice} exists in ${languages.join(', ')} only`);
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
          ? `Consent changed: version ${saved.version} is in force.`
          : `Consent ${saved.id.slice(0, 8)} recorded (version ${saved.version}).`,
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
  const checkboxes = (key: 'recipients' | 'purposes' | 'categories', legend: string, options: readonly string[]) => (
    <fieldset className="checks" aria-describedby={described(key)} aria-invalid={problems[key] ? true : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input
            type="checkbox"
            name={key}
            value={o}
            checked={draft[key].includes(o)}
            onChange={() => toggle(key, o)}
          />{' '}
          {o}
        </label>
      ))}
      {error(key)}
    </fieldset>
  );

  return (
    <form
      className="card consent-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="consent-form-heading"
    >
      <h3 id="consent-form-heading">
        {base ? `Change consent ${base.id.slice(0, 8)} (new version)` : 'Record a consent'}
      </h3>
      {checkboxes('recipients', 'Recipients', agencies)}
      {checkboxes(
        'purposes',
        'Purposes',
        PURPOSES.filter((p) => p !== 'MONITORING'),
      )}
      {checkboxes('categories', 'Data categories', CATEGORIES)}
      <p className="hint" id="days-help">
        Tage im Kalender des Landkreises ({timeZone}): gültig ab 0:00 des ersten bis 24:00 des letzten Tages, beide
        eingeschlossen. Heute ist dort der {formatDay(districtToday(timeZone))}.
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor="givenAt">Given at ({timeZone})</label>
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
          <label htmlFor="validFrom">Gültig ab / Valid from (optional)</label>
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
          <label htmlFor="validUntil">Gültig bis einschließlich / Valid until (optional)</label>
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
        <legend>Form (§ 67b SGB X)</legend>
        {(['WRITTEN', 'ELECTRONIC'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="form" value={f} checked={draft.form === f} onChange={() => set('form', f)} />{' '}
            {f.toLowerCase()}
          </label>
        ))}
        {error('form')}
      </fieldset>
      <div className="row">
        <div className="field">
          <label htmlFor="evidenceReference">Evidence reference</label>
          <input
            id="evidenceReference"
            value={draft.evidenceReference}
            onChange={(e) => set('evidenceReference', e.target.value)}
            aria-describedby={described('evidenceReference')}
          />
          {error('evidenceReference')}
        </div>
        <div className="field">
          <label htmlFor="noticeVersion">Notice version</label>
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
          <label htmlFor="noticeLanguage">Notice language</label>
          <input
            id="noticeLanguage"
            value={draft.noticeLanguage}
            maxLength={2}
            onChange={(e) => set('noticeLanguage', e.target.value.toLowerCase())}
            aria-describedby={`noticeLanguage-help ${described('noticeLanguage') ?? ''}`}
          />
          <small id="noticeLanguage-help">
            ISO 639-1 code; the district's notices exist in{' '}
            {[...new Set(notices.flatMap((n) => n.languages))].join(', ') || 'de, en, ar, uk, fa, tr'}
          </small>
          {error('noticeLanguage')}
        </div>
      </div>
      {overlaps && (
        <div role="alert" className="warning overlap">
          <p>
            <strong>Überschneidung:</strong> Diese Einwilligung überschneidet sich mit{' '}
            {overlaps.length === 1 ? 'einer geltenden Einwilligung' : `${overlaps.length} geltenden Einwilligungen`}{' '}
            derselben Person (gleiche Stelle, gleicher Zweck, gleiche Kategorie an denselben Tagen). Ein Widerruf der
            einen beendet den Zugriff dann nicht.
          </p>
          <ul>
            {overlaps.map((o) => (
              <li key={o.id}>
                Einwilligung {o.id.slice(0, 8)} v{o.version}: {o.recipients.join(', ')} · {o.purposes.join(', ')} ·{' '}
                {o.categories.join(', ')} · bis {o.validUntil ? formatDay(o.validUntil) : 'auf Widerruf'}
              </li>
            ))}
          </ul>
          <button type="button" onClick={(e) => void submit(e, true)}>
            Trotzdem speichern
          </button>
        </div>
      )}
      {conflict && <ConflictNotice error={conflict} onReload={onReload} />}
      {!conflict && errors.length > 0 && (
        <p role="alert" className="error">
          The hub refused: {errors.map((e) => e.message).join('; ')}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {base ? 'Save new version' : 'Record consent'}
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
