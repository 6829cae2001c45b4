import { LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { download, figuresOf, keyLabel, type Distribution } from '../monitoring';

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

export interface ChartRow {
  period: string;
  distribution: Distribution;
}

/** The colour of each key of a distribution, as drawn in the chart and marked in the table. */
export function colours(keys: string[]): Map<string, string> {
  return new Map(keys.map((key, i) => [key, key === 'TOTAL' ? TOTAL_COLOUR : PALETTE[i % PALETTE.length]]));
}

/**
 * One indicator of one region over the chosen periods as a line chart (SVG, Apache ECharts), with the same
 * figures in a table beside it. A withheld figure is a gap in its line, never a point at 0; the note below
 * the chart names the withheld keys.
 */
export function IndicatorChart({
  id,
  title,
  regionName,
  rows,
}: {
  id: string;
  title: string;
  regionName: string;
  rows: ChartRow[];
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  const keys = rows.length ? figuresOf(rows[0].distribution).map((f) => f.key) : [];
  const palette = colours(keys);
  const withheld = keys.filter((key) =>
    rows.some((row) => figuresOf(row.distribution).find((f) => f.key === key)?.suppressed),
  );
  const label = `${title}, ${regionName}`;
  // Rows are rebuilt on every render of the page; the chart only when the figures change.
  const signature = JSON.stringify(rows);

  /** The chart's option; exports add a title and a legend (on screen, the table's header is the legend). */
  const option = (exported: boolean) => ({
    animation: false,
    backgroundColor: exported ? '#fff' : 'transparent',
    color: keys.map((key) => palette.get(key)!),
    title: exported ? { text: label, left: 8, top: 4, textStyle: { fontSize: 14, color: '#1b1f24' } } : undefined,
    grid: { left: 48, right: 16, top: exported ? 64 : 16, bottom: exported ? 48 : 32 },
    legend: exported ? { top: 30, textStyle: { color: '#1b1f24' } } : { show: false },
    graphic:
      exported && withheld.length
        ? [
            {
              type: 'text',
              left: 8,
              bottom: 6,
              style: {
                text: `Gaps: ${withheld.join(', ')} withheld (small counts), not zero.`,
                fill: '#4a5563',
                fontSize: 11,
              },
            },
          ]
        : [],
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? String(v) : 'withheld') },
    xAxis: { type: 'category', data: rows.map((row) => row.period), axisLabel: { color: '#1b1f24' } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#1b1f24' } },
    series: keys.map((key) => ({
      name: key,
      type: 'line',
      // null is a gap: the line stops and no point is drawn (connectNulls stays false).
      data: rows.map((row) => figuresOf(row.distribution).find((f) => f.key === key)?.value ?? null),
      connectNulls: false,
      showSymbol: true,
      symbolSize: 6,
      lineStyle: key === 'TOTAL' ? { type: 'dashed', width: 2 } : { width: 2 },
    })),
  });

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.setOption(option(false));
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
    instance.setOption(option(true));
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
        <strong>{regionName}</strong>
        <span className="downloads">
          <button type="button" className="link" onClick={savePng}>
            PNG<span className="visually-hidden"> of {label}</span>
          </button>
          <button type="button" className="link" onClick={saveSvg}>
            SVG<span className="visually-hidden"> of {label}</span>
          </button>
        </span>
      </figcaption>
      <div className="chart-and-table">
        <div
          className="chart"
          ref={element}
          role="img"
          aria-label={`Chart: ${label}. The table beside it gives the same figures.`}
        />
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`Figures: ${label}`}>
          <table className="figures">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                {keys.map((key) => (
                  <th scope="col" key={key} data-key={key} data-colour={palette.get(key)}>
                    <span className="swatch" data-colour={palette.get(key)} aria-hidden="true">
                      ■
                    </span>{' '}
                    {keyLabel(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.period}>
                  <th scope="row">{row.period}</th>
                  {figuresOf(row.distribution).map((f) => (
                    <td key={f.key} data-key={f.key} className={f.suppressed ? 'withheld' : undefined}>
                      {f.suppressed ? (
                        <abbr title="withheld: a small count, or one that would let a small count be worked out">
                          withheld
                        </abbr>
                      ) : (
                        f.value
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {withheld.length > 0 && (
        <p className="note">
          Gaps: {withheld.map(keyLabel).join(', ')} withheld (fewer than the threshold, or would let such a count be
          worked out, in any period of the monitoring window); not zero.
        </p>
      )}
    </figure>
  );
}
