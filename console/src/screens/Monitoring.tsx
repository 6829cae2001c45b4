import { useApolloClient, useQuery } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { apiErrors } from '../errors';
import {
  download,
  INDICATORS,
  INDICATOR_SERIES,
  MUNICIPALITIES,
  seriesCsv,
  windowPeriods,
  type Granularity,
  type SeriesEntry,
} from '../monitoring';
import { IndicatorChart } from './IndicatorChart';
import './monitoring.css';

const DISTRICT = 'DISTRICT';

/**
 * The analysts' page: choose months or quarters and regions, see every indicator as a chart over time with
 * its table, download the shown figures as CSV and each chart as PNG or SVG. Figures come from
 * `indicatorSeries` with X-Purpose MONITORING; what the hub withholds is shown as withheld, never as 0.
 */
export function Monitoring() {
  const client = useApolloClient();
  const municipalities = useQuery(MUNICIPALITIES);
  const [granularity, setGranularity] = useState<Granularity>('QUARTER');
  const periods = useMemo(() => windowPeriods(granularity), [granularity]);
  const [from, setFrom] = useState(periods[0]);
  const [to, setTo] = useState(periods[periods.length - 1]);
  const [regions, setRegions] = useState<string[]>([DISTRICT]);
  const [entries, setEntries] = useState<SeriesEntry[]>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setFrom(periods[0]);
    setTo(periods[periods.length - 1]);
  }, [periods]);

  const names = useMemo(
    () =>
      new Map([
        [DISTRICT, 'District (Landkreis)'],
        ...(municipalities.data?.municipalities ?? []).map((m) => [m.ags, m.name] as [string, string]),
      ]),
    [municipalities.data],
  );
  const chosen = periods.slice(periods.indexOf(from), periods.indexOf(to) + 1);

  const show = async () => {
    setBusy(true);
    setFailure(undefined);
    const result = await client.query({
      query: INDICATOR_SERIES,
      fetchPolicy: 'network-only',
      errorPolicy: 'all',
      variables: { periods: chosen, regions },
    });
    setBusy(false);
    const errors = apiErrors(result.error);
    if (errors.length) setFailure(errors.map((e) => e.message).join('; '));
    setEntries(result.data?.indicatorSeries);
  };

  // The first view: the whole window for the district.
  useEffect(() => {
    void show();
    // Only once, on arrival.
  }, []);

  const toggle = (region: string) =>
    setRegions((old) => (old.includes(region) ? old.filter((r) => r !== region) : [...old, region]));
  const shownRegions = entries ? [...new Set(entries.map((e) => e.region))] : [];

  return (
    <>
      <h1>Integration monitoring</h1>
      <p className="lead">
        Indicators per field of action, counted by the partner that holds the data, as of the last day of each period.
        Small counts are withheld across the whole monitoring window, so that no comparison of periods gives one away.
      </p>
      <form
        className="card controls"
        onSubmit={(e) => {
          e.preventDefault();
          void show();
        }}
      >
        <fieldset>
          <legend>Periods</legend>
          <label className="radio-inline">
            <input
              type="radio"
              name="granularity"
              checked={granularity === 'QUARTER'}
              onChange={() => setGranularity('QUARTER')}
            />{' '}
            Quarters
          </label>
          <label className="radio-inline">
            <input
              type="radio"
              name="granularity"
              checked={granularity === 'MONTH'}
              onChange={() => setGranularity('MONTH')}
            />{' '}
            Months
          </label>
          <span className="field-inline">
            <label htmlFor="period-from">From</label>
            <select id="period-from" value={from} onChange={(e) => setFrom(e.target.value)}>
              {periods.map((p) => (
                <option key={p} value={p} disabled={periods.indexOf(p) > periods.indexOf(to)}>
                  {p}
                </option>
              ))}
            </select>
          </span>
          <span className="field-inline">
            <label htmlFor="period-to">to</label>
            <select id="period-to" value={to} onChange={(e) => setTo(e.target.value)}>
              {periods.map((p) => (
                <option key={p} value={p} disabled={periods.indexOf(p) < periods.indexOf(from)}>
                  {p}
                </option>
              ))}
            </select>
          </span>
        </fieldset>
        <fieldset className="checks">
          <legend>Regions</legend>
          {[...names].map(([region, name]) => (
            <label key={region}>
              <input
                type="checkbox"
                name="region"
                value={region}
                checked={regions.includes(region)}
                onChange={() => toggle(region)}
              />{' '}
              {name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={busy || regions.length === 0 || chosen.length === 0}>
          Show
        </button>
        <button
          type="button"
          disabled={!entries?.length}
          onClick={() =>
            entries &&
            download(
              'verbund-indicators.csv',
              new Blob(
                [
                  seriesCsv(
                    entries,
                    INDICATORS.map((i) => i.field),
                    names,
                  ),
                ],
                { type: 'text/csv' },
              ),
            )
          }
        >
          Download figures (CSV)
        </button>
        {busy && <span role="status"> Counting…</span>}
      </form>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {entries &&
        INDICATORS.map((indicator) => (
          <section key={indicator.field} className="card" aria-labelledby={`h-${indicator.field}`}>
            <h2 id={`h-${indicator.field}`}>{indicator.title}</h2>
            <p className="owner">Counted by the {indicator.owner}.</p>
            {shownRegions.map((region) => {
              const rows = entries
                .filter((e) => e.region === region && e[indicator.field])
                .map((e) => ({ period: e.period, distribution: e[indicator.field]! }));
              return rows.length ? (
                <IndicatorChart
                  key={region}
                  id={`${indicator.field}-${region}`}
                  title={indicator.title}
                  regionName={names.get(region) ?? region}
                  rows={rows}
                />
              ) : (
                <p key={region} className="error">
                  {names.get(region) ?? region}: not available (the partner did not answer).
                </p>
              );
            })}
          </section>
        ))}
    </>
  );
}
