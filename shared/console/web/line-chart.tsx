import { axisTop, type ChartSeries, linePath, pointAt } from '../view/chart-geometry.js';
import { formatClock } from '../view/format.js';

const BOX = { width: 600, height: 150 };

export type LineChartProps = {
  title: string;
  /** Bucket start times (ISO), one per value. */
  at: readonly string[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
};

const clock = (iso: string | undefined) => (iso ? formatClock(new Date(iso)).slice(0, 5) : '');

/**
 * A small SVG line chart. For people who do not see it, the figure's label says what it shows and a collapsible
 * table holds every value (screen readers and keyboards reach it); series differ by dash pattern and marker shape,
 * not only by colour. A value alone in its stretch is still visible as a marker.
 */
export const LineChart = ({ title, at, series, format }: LineChartProps) => {
  const top = axisTop(series);
  const latest = series.map((s) => `${s.name} ${format(s.values.findLast((v) => v !== undefined) ?? 0)}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>
        {title}{' '}
        <span class="muted">
          (scale 0 to {format(top)}; latest: {latest})
        </span>
      </figcaption>
      <svg
        viewBox={`-6 -6 ${BOX.width + 12} ${BOX.height + 12}`}
        role="img"
        aria-label={`${title}. Latest: ${latest}.`}
      >
        <line class="axis" x1="0" y1={BOX.height} x2={BOX.width} y2={BOX.height} />
        <line class="grid" x1="0" y1="0" x2={BOX.width} y2="0" />
        <line class="grid" x1="0" y1={BOX.height / 2} x2={BOX.width} y2={BOX.height / 2} />
        {series.map((s, i) => (
          <g key={s.name} class={`series-${i}`}>
            <path class="line" d={linePath(s.values, top, BOX)} />
            {s.values.map((value, j) => {
              if (value === undefined || (value === 0 && s.values[j - 1] === 0 && s.values[j + 1] === 0)) return null;
              const { x, y } = pointAt(j, value, s.values.length, top, BOX);
              return i === 0 ? (
                <circle key={at[j]} cx={x} cy={y} r="3" />
              ) : (
                <rect key={at[j]} x={x - 3} y={y - 3} width="6" height="6" />
              );
            })}
          </g>
        ))}
      </svg>
      <div class="legend">
        {series.map((s, i) => (
          <span key={s.name} class={`key key-${i}`}>
            {s.name}
          </span>
        ))}
        <span class="muted">
          {clock(at[0])} → now, one point per{' '}
          {at.length > 1 ? `${Math.round((Date.parse(at[1] ?? '') - Date.parse(at[0] ?? '')) / 1000)} s` : 'bucket'}
        </span>
      </div>
      <details>
        <summary>Values</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">from</th>
              {series.map((s) => (
                <th scope="col" key={s.name}>
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {at.map((time, row) => (
              <tr key={time}>
                <td>{formatClock(new Date(time))}</td>
                {series.map((s) => (
                  <td key={s.name}>{s.values[row] === undefined ? '—' : format(s.values[row] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
};
