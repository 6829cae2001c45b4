import { useApolloClient, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { parseAgency } from '../../../common/domain';
import { apiErrors, fieldProblems } from '../errors';
import {
  CATEGORIES,
  CHANGE_CONSENT,
  PERSON_CONSENTS,
  PURPOSES,
  RECORD_CONSENT,
  WITHDRAW_CONSENT,
  type Consent,
  type ConsentForm as Form,
  type ConsentTerms,
  type ConsentWithVersions,
} from '../operations';
import { href, navigate } from '../router';

const STATE_LABEL: Record<Consent['state'], string> = {
  GIVEN: 'active',
  WITHDRAWN: 'withdrawn',
  EXPIRED: 'expired',
  NOT_YET_VALID: 'not yet valid',
};

const NOTICE_LANGUAGES = ['de', 'en', 'ar', 'uk', 'fa', 'tr'];

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

export function ConsentDetails({ consent }: { consent: Consent }) {
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
      <dd>{consent.givenAt.slice(0, 16).replace('T', ' ')}</dd>
      <dt>Valid</dt>
      <dd>
        from {day(consent.validFrom)} until {consent.validUntil ? day(consent.validUntil) : 'further notice'}
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
            {consent.withdrawnAt.slice(0, 16).replace('T', ' ')}: {consent.withdrawalReason ?? 'no reason given'}
          </dd>
        </>
      )}
      <dt>Recorded by</dt>
      <dd>
        {consent.recordedBy.officer} ({consent.recordedBy.agency}), {consent.recordedAt.slice(0, 16).replace('T', ' ')}
      </dd>
    </dl>
  );
}

export function Consents({ personId, agencies }: { personId: string; agencies: string[] }) {
  const { data, error, loading, refetch } = useQuery(PERSON_CONSENTS, {
    variables: { id: personId },
    fetchPolicy: 'network-only',
    errorPolicy: 'all',
  });
  const [editing, setEditing] = useState<'new' | ConsentWithVersions>();
  const [withdrawing, setWithdrawing] = useState<ConsentWithVersions>();
  const [notice, setNotice] = useState<string>();
  const consents = data?.person?.consents ?? [];

  const done = (message: string) => {
    setEditing(undefined);
    setWithdrawing(undefined);
    setNotice(message);
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
          onCancel={() => setEditing(undefined)}
          onDone={done}
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
            {c.state !== 'WITHDRAWN' && (
              <p className="actions">
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
                    setWithdrawing(c);
                  }}
                >
                  Withdraw
                </button>
              </p>
            )}
            {withdrawing?.id === c.id && (
              <WithdrawPanel consent={c} onCancel={() => setWithdrawing(undefined)} onDone={done} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function WithdrawPanel({
  consent,
  onCancel,
  onDone,
}: {
  consent: Consent;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const client = useApolloClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const { data, error: failure } = await client.mutate({
      mutation: WITHDRAW_CONSENT,
      errorPolicy: 'all',
      variables: { id: consent.id, reason: reason.trim() },
    });
    if (data?.withdrawConsent)
      onDone(`Consent ${consent.id.slice(0, 8)} withdrawn; it takes effect with the next request.`);
    else
      setError(
        apiErrors(failure)
          .map((e) => e.message)
          .join('; '),
      );
  };
  return (
    <form className="confirm" onSubmit={(e) => void submit(e)} aria-label="Withdraw consent">
      <div className="field">
        <label htmlFor={`reason-${consent.id}`}>Reason for the withdrawal</label>
        <textarea
          id={`reason-${consent.id}`}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          required
        />
      </div>
      <p>
        The recipients lose access with their next request. This cannot be undone; a new consent must be recorded
        instead.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="danger" disabled={!reason.trim()}>
        Confirm withdrawal
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

function localDateTime(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function draftOf(base?: Consent): Draft {
  return {
    recipients: base?.recipients ?? [],
    purposes: base?.purposes ?? [],
    categories: base?.categories ?? [],
    givenAt: base ? localDateTime(base.givenAt) : localDateTime(new Date().toISOString()),
    // Unchanged unless the officer sets it: a validity that began with the consent stays tied to givenAt.
    validFrom: base && base.validFrom !== base.givenAt ? day(base.validFrom) : '',
    validUntil: base?.validUntil ? day(base.validUntil) : '',
    form: base?.form ?? 'WRITTEN',
    evidenceReference: base?.evidenceReference ?? '',
    noticeVersion: base?.noticeVersion ?? '',
    noticeLanguage: base?.noticeLanguage ?? 'de',
  };
}

/** The API's own rules (subgraphs/consent/inputs/consent.input.ts and services/consent.service.ts), checked before sending. */
function validate(draft: Draft): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, message: string) => (problems[field] ??= []).push(message);
  if (draft.recipients.length === 0) add('recipients', 'choose at least one recipient');
  if (draft.recipients.length > 20) add('recipients', 'at most 20 recipients');
  for (const r of draft.recipients) if (!parseAgency(r)) add('recipients', `${r} is not an agency`);
  if (draft.purposes.length === 0) add('purposes', 'choose at least one purpose');
  if (draft.purposes.includes('MONITORING')) add('purposes', 'MONITORING uses aggregates only and needs no consent');
  if (draft.categories.length === 0) add('categories', 'choose at least one category');
  const givenAt = new Date(draft.givenAt);
  if (!draft.givenAt || Number.isNaN(givenAt.getTime())) add('givenAt', 'enter when the person gave the consent');
  else if (givenAt.getTime() > Date.now()) add('givenAt', 'must not be in the future');
  const validFrom = draft.validFrom ? new Date(`${draft.validFrom}T00:00:00`) : givenAt;
  if (draft.validUntil && new Date(`${draft.validUntil}T00:00:00`) <= validFrom)
    add('validUntil', 'must be after validFrom');
  const evidence = draft.evidenceReference.trim();
  if (evidence.length < 1 || evidence.length > 200)
    add('evidenceReference', 'enter where the signed form or record is kept (1 to 200 characters)');
  const notice = draft.noticeVersion.trim();
  if (notice.length < 1 || notice.length > 50)
    add('noticeVersion', 'enter the version of the notice shown (1 to 50 characters)');
  if (!/^[a-z]{2}$/.test(draft.noticeLanguage)) add('noticeLanguage', 'must be an ISO 639-1 language code, e.g. de');
  return problems;
}

function termsOf(draft: Draft): ConsentTerms {
  return {
    recipients: draft.recipients,
    purposes: draft.purposes as ConsentTerms['purposes'],
    categories: draft.categories as ConsentTerms['categories'],
    givenAt: new Date(draft.givenAt).toISOString(),
    validFrom: draft.validFrom ? new Date(`${draft.validFrom}T00:00:00`).toISOString() : null,
    validUntil: draft.validUntil ? new Date(`${draft.validUntil}T00:00:00`).toISOString() : null,
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
}: {
  personId: string;
  agencies: string[];
  base?: Consent;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const client = useApolloClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(base));
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = (key: 'recipients' | 'purposes' | 'categories', value: string) =>
    setDraft((d) => ({ ...d, [key]: d[key].includes(value) ? d[key].filter((v) => v !== value) : [...d[key], value] }));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const local = validate(draft);
    setProblems(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    const terms = termsOf(draft);
    const result = base
      ? await client.mutate({ mutation: CHANGE_CONSENT, errorPolicy: 'all', variables: { id: base.id, terms } })
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
    const errors = apiErrors(result.error);
    setProblems(fieldProblems(errors));
    setFailure(errors.map((e) => e.message).join('; '));
  };

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
      <div className="row">
        <div className="field">
          <label htmlFor="givenAt">Given at</label>
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
          <label htmlFor="validFrom">Valid from (optional)</label>
          <input
            id="validFrom"
            type="date"
            value={draft.validFrom}
            onChange={(e) => set('validFrom', e.target.value)}
            aria-describedby={described('validFrom')}
          />
          {error('validFrom')}
        </div>
        <div className="field">
          <label htmlFor="validUntil">Valid until (optional)</label>
          <input
            id="validUntil"
            type="date"
            value={draft.validUntil}
            onChange={(e) => set('validUntil', e.target.value)}
            aria-describedby={described('validUntil')}
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
            onChange={(e) => set('noticeVersion', e.target.value)}
            aria-describedby={described('noticeVersion')}
          />
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
            ISO 639-1 code; the report is translated for {NOTICE_LANGUAGES.join(', ')}
          </small>
          {error('noticeLanguage')}
        </div>
      </div>
      {failure && (
        <p role="alert" className="error">
          The hub refused: {failure}
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
