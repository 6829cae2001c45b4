import { LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { t, listOf } from '../i18n';
import { download } from '../download';
import { type Figure } from '../monitoring';

echarts.use([
  LineChart,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
]);

/** Colours with enough contrast on white, one per key in order; the total is drawn dashed in dark grey. */
export const PALETTE = [
  '#0b5cad',
  '#c2410c',
  '#15803d',
  '#7e22ce',
  '#b91c1c',
  '#0e7490',
  '#a16207',
  '#be185d',
  '#4d7c0f',
];
const TOTAL_COLOUR = '#374151';

/** One line of a chart: a key of a distribution, or a region in the comparison, with a figure per period. */
export interface ChartLine {
  /** The key (`OWN_FLAT`, `TOTAL`) or region (`08999001`); kept in `data-key` for tests and styles, never shown. */
  key: string;
  /** What the legend and the table show: "Eigene Wohnung", "Stadt Lindenau". */
  label: string;
  /** One figure per period, in the order of `periods`; undefined where the partner did not answer. */
  figures: (Figure | undefined)[];
}

/**
 * One period of a chart: its key (`2026-Q3`), its heading in the table ("3. Quartal 2026"), its label on the axis
 * ("Q3/2026") and, for a running period, the day it is counted on ("Stand 06.12.2026").
 */
export interface ChartPeriod {
  period: string;
  heading: string;
  axis: string;
  /** For a running period: "Stand 06.12.2026" in the table, "Stand 06.12." under the axis label. */
  asOf?: string;
  asOfShort?: string;
}

/** The colour of each key of a distribution, as drawn in the chart and marked in the table. */
export function colours(keys: string[]): Map<string, string> {
  return new Map(keys.map((key, i) => [key, key === 'TOTAL' ? TOTAL_COLOUR : PALETTE[i % PALETTE.length]]));
}

/**
 * Lines over the chosen periods as a chart (SVG, Apache ECharts), with the same figures in a table beside it:
 * one indicator of one region (a line per key), or one key of one indicator across the chosen municipalities
 * (a line per municipality). A withheld figure is a gap in its line, never a point at 0; the note below the
 * chart names the withheld lines.
 */
export function IndicatorChart({
  id,
  title,
  caption,
  periods,
  lines,
}: {
  id: string;
  title: string;
  caption: string;
  periods: ChartPeriod[];
  lines: ChartLine[];
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  const keys = lines.map((line) => line.key);
  const palette = colours(keys);
  const withheld = lines.filter((line) => line.figures.some((f) => f?.suppressed)).map((line) => line.label);
  const label = `${title}, ${caption}`;
  const gaps = t('Gaps: {lines} withheld (small counts), not zero.', { lines: listOf(withheld) });
  // Lines are rebuilt on every render of the page; the chart only when the figures or words change.
  const signature = JSON.stringify([periods, lines]);

  /** The chart's option; exports add a title and a legend (on screen, the table's header is the legend). */
  const option = (exported: boolean, width: number) => ({
    animation: false,
    backgroundColor: exported ? '#fff' : 'transparent',
    color: keys.map((key) => palette.get(key)!),
    title: exported ? { text: label, left: 8, top: 4, textStyle: { fontSize: 14, color: '#1b1f24' } } : undefined,
    grid: {
      left: 48,
      // Room for the last label's second line, which is wider than its period.
      right: periods.some((p) => p.asOf) ? 32 : 16,
      top: exported ? 64 : 16,
      // A second line under the running period's label: the day it is counted on.
      bottom: (exported ? 48 : 32) + (periods.some((p) => p.asOf) ? 14 : 0),
    },
    legend: exported ? { top: 30, textStyle: { color: '#1b1f24' } } : { show: false },
    graphic:
      exported && withheld.length
        ? [{ type: 'text', left: 8, bottom: 6, style: { text: gaps, fill: '#4a5563', fontSize: 11 } }]
        : [],
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? String(v) : t('withheld')),
    },
    xAxis: {
      type: 'category',
      data: periods.map((p) => (p.asOfShort ? `${p.axis}\n${p.asOfShort}` : p.axis)),
      // Every period named where there is room for it (the running one's day below it), else as many as fit.
      axisLabel: {
        color: '#1b1f24',
        interval: (width - 80) / periods.length >= 56 ? 0 : 'auto',
        fontSize: 11,
        lineHeight: 14,
      },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#1b1f24' } },
    series: lines.map((line) => ({
      name: line.label,
      type: 'line',
      // null is a gap: the line stops and no point is drawn (connectNulls stays false).
      data: line.figures.map((f) => f?.value ?? null),
      connectNulls: false,
      showSymbol: true,
      symbolSize: 6,
      lineStyle: line.key === 'TOTAL' ? { type: 'dashed', width: 2 } : { width: 2 },
    })),
  });

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.setOption(option(false, instance.getWidth()));
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = undefined;
    };
    // keys, palette and option follow from the figures.
  }, [signature]);

  /** The chart as an SVG document with title, legend and note, rendered apart from the page. */
  const svg = () => {
    const width = Math.max(640, chart.current?.getWidth() ?? 640);
    const instance = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width, height: 380 });
    instance.setOption(option(true, width));
    const text = instance.renderToSVGString();
    instance.dispose();
    return text;
  };
  const saveSvg = () => download(`${id}.svg`, new Blob([svg()], { type: 'image/svg+xml' }));
  const savePng = () => {
    const source = svg();
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = image.width * 2;
      canvas.height = image.height * 2;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob((blob) => blob && download(`${id}.png`, blob), 'image/png');
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
  };

  return (
    <figure className="indicator" data-indicator={id}>
      <figcaption>
        <strong>{caption}</strong>
        <span className="downloads">
          <button type="button" className="link" onClick={savePng}>
            PNG<span className="visually-hidden"> {t('of {label}', { label })}</span>
          </button>
          <button type="button" className="link" onClick={saveSvg}>
            SVG<span className="visually-hidden"> {t('of {label}', { label })}</span>
          </button>
        </span>
      </figcaption>
      <div className="chart-and-table">
        <div
          className="chart"
          ref={element}
          role="img"
          aria-label={t('Chart: {label}. The table beside it gives the same figures.', { label })}
        />
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('Figures: {label}', { label })}>
          <table className="figures">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Period')}</th>
                {lines.map((line) => (
                  <th scope="col" key={line.key} data-key={line.key} data-colour={palette.get(line.key)}>
                    <span className="swatch" data-colour={palette.get(line.key)} aria-hidden="true">
                      ■
                    </span>{' '}
                    {line.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {periods.map((p, i) => (
                <tr key={p.period}>
                  <th scope="row" data-period={p.period}>
                    {p.heading}
                    {p.asOf && (
                      <>
                        <br />
                        <small className="as-of-day">({p.asOf})</small>
                      </>
                    )}
                  </th>
                  {lines.map((line) => {
                    const f = line.figures[i];
                    return (
                      <td key={line.key} data-key={line.key} className={f?.suppressed ? 'withheld' : undefined}>
                        {!f ? (
                          '—'
                        ) : f.suppressed ? (
                          <abbr title={t('withheld: a small count, or one that would let a small count be worked out')}>
                            {t('withheld')}
                          </abbr>
                        ) : (
                          f.value
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {withheld.length > 0 && (
        <p className="note">
          {t(
            'Gaps: {lines} withheld (fewer than the threshold, or would let such a count be worked out, in any period of the monitoring window); not zero.',
            { lines: listOf(withheld) },
          )}
        </p>
      )}
    </figure>
  );
}
