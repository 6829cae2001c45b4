import { useApolloClient, useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { formatDay } from '../district-time';
import { download } from '../download';
import { apiErrors } from '../errors';
import { agencyName, t } from '../i18n';
import {
  DISTRICT,
  districtDay,
  figuresOf,
  INDICATORS,
  INDICATOR_SERIES,
  keyLabel,
  MUNICIPALITIES,
  periodEnd,
  periodAsOf,
  periodLabel,
  periodShort,
  seriesCsv,
  windowPeriods,
  type Distribution,
  type Granularity,
  type IndicatorField,
  type SeriesEntry,
} from '../monitoring';
import { navigate } from '../router';
import { ErrorList } from './ErrorSummary';
import { IndicatorChart, type ChartLine, type ChartPeriod } from './IndicatorChart';
import './monitoring.css';

/** The page's choices, as the URL keeps them (`?view=months&from=2026-01&to=2026-06&regions=district,08999001`). */
export interface Choices {
  granularity: Granularity;
  from: string;
  to: string;
  regions: string[];
  /** One indicator, or every indicator when absent. */
  indicator?: IndicatorField;
  /** The key the comparison of municipalities draws (a key of the chosen indicator), TOTAL by default. */
  compare: string;
}

const FIELDS = INDICATORS.map((i) => i.field) as readonly string[];

/** The choices a URL names; anything it does not name or names wrongly is the page's default. */
export function choicesOf(params: URLSearchParams, today: string = districtDay()): Choices {
  const granularity: Granularity = params.get('view') === 'months' ? 'MONTH' : 'QUARTER';
  const periods = windowPeriods(granularity, today);
  const from = periods.includes(params.get('from') ?? '') ? params.get('from')! : periods[0];
  let to = periods.includes(params.get('to') ?? '') ? params.get('to')! : periods[periods.length - 1];
  if (periods.indexOf(to) < periods.indexOf(from)) to = from;
  const regions = [
    ...new Set(
      (params.get('regions') ?? 'district')
        .split(',')
        .map((r) => (r === 'district' ? DISTRICT : r))
        .filter((r) => r === DISTRICT || /^\d{8}$/.test(r)),
    ),
  ];
  const indicator = params.get('indicator') ?? '';
  return {
    granularity,
    from,
    to,
    regions: regions.length ? regions : [DISTRICT],
    indicator: FIELDS.includes(indicator) ? (indicator as IndicatorField) : undefined,
    compare: /^[A-Z][A-Z0-9_]*$/.test(params.get('compare') ?? '') ? params.get('compare')! : 'TOTAL',
  };
}

/** The URL's query for `choices` (the page's path is the console's start, the only page analysts have). */
export function queryOfChoices(choices: Choices): string {
  const query = new URLSearchParams();
  query.set('view', choices.granularity === 'MONTH' ? 'months' : 'quarters');
  query.set('from', choices.from);
  query.set('to', choices.to);
  query.set('regions', choices.regions.map((r) => (r === DISTRICT ? 'district' : r)).join(','));
  if (choices.indicator) query.set('indicator', choices.indicator);
  if (choices.indicator && choices.compare !== 'TOTAL') query.set('compare', choices.compare);
  return `?${query.toString()}`;
}

/**
 * The analysts' page: choose months or quarters, regions and an indicator, see each indicator as a chart over
 * time per region with its table, and the chosen municipalities compared in one chart; download the shown
 * figures as CSV (German Excel's) and each chart as PNG or SVG. Figures come from `indicatorSeries` with
 * X-Purpose MONITORING; what the hub withholds is shown as withheld, never as 0. The choices are in the URL, so
 * reload, Back and a link keep them.
 */
export function Monitoring({
  params,
  agencyNames,
}: {
  params: URLSearchParams;
  /** The district's names for its agencies (settings.json), which may arrive after the municipalities. */
  agencyNames?: Readonly<Record<string, string>>;
}) {
  const client = useApolloClient();
  // Analysts work in no consent office: the tab says what the page is and the hub's name only.
  const title = `${t('Integration monitoring')} – Verbund`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  const municipalities = useQuery(MUNICIPALITIES);
  const query = params.toString();
  const applied = useMemo(() => choicesOf(new URLSearchParams(query)), [query]);
  const [draft, setDraft] = useState<Choices>(applied);
  const [entries, setEntries] = useState<SeriesEntry[]>();
  const [failure, setFailure] = useState<ReturnType<typeof apiErrors>>([]);
  const [busy, setBusy] = useState(false);

  // Back, Forward and a reload bring the form back to what the URL says.
  useEffect(() => setDraft(applied), [applied]);

  const names = useMemo(
    () =>
      new Map([
        [DISTRICT, agencyNames?.county ?? agencyName('county')],
        ...(municipalities.data?.municipalities ?? []).map(
          (m) => [m.ags, agencyNames?.[`municipality:${m.ags}`] ?? m.name] as [string, string],
        ),
      ]),
    [municipalities.data, agencyNames],
  );
  const regionName = (region: string) => names.get(region) ?? agencyName(`municipality:${region}`);

  const periodsOf = (choices: Choices) => {
    const all = windowPeriods(choices.granularity);
    return all.slice(all.indexOf(choices.from), all.indexOf(choices.to) + 1);
  };
  const appliedPeriods = useMemo(() => periodsOf(applied), [applied]);
  const appliedRegions = applied.regions.join(',');

  useEffect(() => {
    let stale = false;
    const run = async () => {
      setBusy(true);
      setFailure([]);
      const result = await client.query({
        query: INDICATOR_SERIES,
        fetchPolicy: 'network-only',
        errorPolicy: 'all',
        variables: { periods: appliedPeriods, regions: applied.regions },
      });
      if (stale) return;
      setBusy(false);
      setFailure(apiErrors(result.error));
      setEntries(result.data?.indicatorSeries);
    };
    void run();
    return () => {
      stale = true;
    };
    // Asked again only when the periods or regions change, not for another indicator or comparison key.
  }, [client, appliedPeriods.join(','), appliedRegions]);

  const draftPeriods = windowPeriods(draft.granularity);
  const setGranularity = (granularity: Granularity) => {
    const periods = windowPeriods(granularity);
    setDraft({ ...draft, granularity, from: periods[0], to: periods[periods.length - 1] });
  };
  const toggle = (region: string) =>
    setDraft({
      ...draft,
      regions: draft.regions.includes(region) ? draft.regions.filter((r) => r !== region) : [...draft.regions, region],
    });
  const chosenIndicator = INDICATORS.find((i) => i.field === draft.indicator);
  // The keys of the chosen indicator, from the figures shown (the API names them; TOTAL last).
  const compareKeys = (field: IndicatorField | undefined) => {
    const first = field && entries?.find((e) => e[field]);
    return first ? figuresOf(first[field]!).map((f) => f.key) : ['TOTAL'];
  };

  const shown = entries ?? [];
  const shownRegions = [...new Set(shown.map((e) => e.region))];
  const shownPeriods = [...new Set(shown.map((e) => e.period))];
  const asOf = new Map(shown.map((e) => [e.period, e.asOf]));
  const chartPeriods: ChartPeriod[] = shownPeriods.map((period) => ({
    period,
    heading: periodLabel(period),
    axis: periodShort(period),
    asOf: periodAsOf(period, asOf.get(period)),
    asOfShort: periodAsOf(period, asOf.get(period), true),
  }));
  const running = shownPeriods.find((p) => (asOf.get(p) ?? '') < periodEnd(p));
  const compared = shownRegions.filter((r) => r !== DISTRICT);
  const fields = INDICATORS.filter((i) => !applied.indicator || i.field === applied.indicator);

  const linesOfRegion = (field: IndicatorField, region: string): ChartLine[] => {
    const rows = shownPeriods.map((p) => shown.find((e) => e.region === region && e.period === p)?.[field]);
    const first = rows.find((d): d is Distribution => Boolean(d));
    if (!first) return [];
    return figuresOf(first).map((f) => ({
      key: f.key,
      label: keyLabel(f.key),
      figures: rows.map((d) => (d ? figuresOf(d).find((x) => x.key === f.key) : undefined)),
    }));
  };
  const comparisonLines = (field: IndicatorField, key: string): ChartLine[] =>
    compared.map((region) => ({
      key: region,
      label: regionName(region),
      figures: shownPeriods.map((p) => {
        const d = shown.find((e) => e.region === region && e.period === p)?.[field];
        return d ? figuresOf(d).find((f) => f.key === key) : undefined;
      }),
    }));

  return (
    <>
      <h1>{t('Integration monitoring')}</h1>
      <p className="lead">
        {t(
          'Indicators per field of action, counted by the partner that holds the data, as of the last day of each period (a running period: as of today). Small counts are withheld across the whole monitoring window, so that no comparison of periods gives one away.',
        )}
      </p>
      <form
        className="card controls"
        onSubmit={(e) => {
          e.preventDefault();
          const next = queryOfChoices(draft);
          if (next !== window.location.search) navigate(next);
        }}
      >
        <fieldset>
          <legend>{t('Periods')}</legend>
          <label className="radio-inline">
            <input
              type="radio"
              name="granularity"
              checked={draft.granularity === 'QUARTER'}
              onChange={() => setGranularity('QUARTER')}
            />{' '}
            {t('Quarters')}
          </label>
          <label className="radio-inline">
            <input
              type="radio"
              name="granularity"
              checked={draft.granularity === 'MONTH'}
              onChange={() => setGranularity('MONTH')}
            />{' '}
            {t('Months')}
          </label>
          <span className="field-inline">
            <label htmlFor="period-from">{t('From')}</label>
            <select id="period-from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })}>
              {draftPeriods.map((p) => (
                <option key={p} value={p} disabled={draftPeriods.indexOf(p) > draftPeriods.indexOf(draft.to)}>
                  {periodLabel(p)}
                </option>
              ))}
            </select>
          </span>
          <span className="field-inline">
            <label htmlFor="period-to">{t('to')}</label>
            <select id="period-to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })}>
              {draftPeriods.map((p) => (
                <option key={p} value={p} disabled={draftPeriods.indexOf(p) < draftPeriods.indexOf(draft.from)}>
                  {periodLabel(p)}
                </option>
              ))}
            </select>
          </span>
        </fieldset>
        <fieldset className="checks">
          <legend>{t('Regions')}</legend>
          {[...names].map(([region, name]) => (
            <label key={region}>
              <input
                type="checkbox"
                name="region"
                value={region}
                checked={draft.regions.includes(region)}
                onChange={() => toggle(region)}
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('Indicators and comparison')}</legend>
          <span className="field-inline">
            <label htmlFor="indicator">{t('Indicator')}</label>
            <select
              id="indicator"
              value={draft.indicator ?? ''}
              onChange={(e) =>
                setDraft({ ...draft, indicator: (e.target.value || undefined) as IndicatorField, compare: 'TOTAL' })
              }
            >
              <option value="">{t('All indicators')}</option>
              {INDICATORS.map((i) => (
                <option key={i.field} value={i.field}>
                  {t(i.title)}
                </option>
              ))}
            </select>
          </span>
          {chosenIndicator && (
            <span className="field-inline">
              <label htmlFor="compare">{t('Compare municipalities by')}</label>
              <select
                id="compare"
                value={draft.compare}
                onChange={(e) => setDraft({ ...draft, compare: e.target.value })}
              >
                {compareKeys(chosenIndicator.field).map((key) => (
                  <option key={key} value={key}>
                    {keyLabel(key)}
                  </option>
                ))}
              </select>
            </span>
          )}
        </fieldset>
        <button
          type="submit"
          disabled={
            busy || draft.regions.length === 0 || draftPeriods.indexOf(draft.to) < draftPeriods.indexOf(draft.from)
          }
        >
          {t('Show')}
        </button>
        <button
          type="button"
          disabled={!entries?.length}
          onClick={() =>
            entries &&
            download(
              t('verbund-indicators.csv'),
              new Blob(
                [
                  seriesCsv(
                    entries,
                    fields.map((i) => i.field),
                    names,
                  ),
                ],
                { type: 'text/csv;charset=utf-8' },
              ),
            )
          }
        >
          {t('Download figures (CSV)')}
        </button>
        <span role="status">{busy ? t('Counting…') : ''}</span>
      </form>
      <ErrorList errors={failure} />
      {running && (
        <p className="as-of" data-running={running}>
          {t('The running period {period} is shown as of today, {day}: figures as known now, not at its end.', {
            period: periodLabel(running),
            day: formatDay(asOf.get(running)),
          })}
        </p>
      )}
      {entries &&
        fields.map((indicator) => {
          const key = applied.indicator ? applied.compare : 'TOTAL';
          return (
            <section key={indicator.field} className="card" aria-labelledby={`h-${indicator.field}`}>
              <h2 id={`h-${indicator.field}`}>{t(indicator.title)}</h2>
              <p className="owner">{t(indicator.owner)}</p>
              {compared.length >= 2 ? (
                <IndicatorChart
                  id={`${indicator.field}-comparison`}
                  title={t(indicator.title)}
                  caption={t('Chosen municipalities compared: {key}', { key: keyLabel(key) })}
                  periods={chartPeriods}
                  lines={comparisonLines(indicator.field, key)}
                />
              ) : (
                <p className="hint">{t('Choose two or more municipalities to compare them in one chart.')}</p>
              )}
              {shownRegions.map((region) => {
                const lines = linesOfRegion(indicator.field, region);
                return lines.length ? (
                  <IndicatorChart
                    key={region}
                    id={`${indicator.field}-${region}`}
                    title={t(indicator.title)}
                    caption={regionName(region)}
                    periods={chartPeriods}
                    lines={lines}
                  />
                ) : (
                  <p key={region} className="error">
                    {t('{region}: not available (the partner did not answer).', { region: regionName(region) })}
                  </p>
                );
              })}
            </section>
          );
        })}
    </>
  );
}
