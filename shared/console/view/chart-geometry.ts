/** A series to draw: one value per bucket (undefined: no data in that bucket, the line breaks). */
export type ChartSeries = { name: string; values: (number | undefined)[] };
export type ChartBox = { width: number; height: number };

/** The smallest "round" number (1, 2 or 5 × 10^n) at or above `max`, so axes read well; at least 1. */
export const niceCeiling = (max: number): number => {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((f) => f * magnitude >= max) ?? 10;
  return step * magnitude;
};

/** The axis top for several series: the nice ceiling of their largest value. */
export const axisTop = (series: readonly ChartSeries[]): number =>
  niceCeiling(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== undefined))));

/** Where value i of `values.length` sits in `box` (bucket centre; 0 at the bottom, `top` at the top). */
export const pointAt = (
  i: number,
  value: number,
  count: number,
  top: number,
  box: ChartBox,
): { x: number; y: number } => ({
  x: (i + 0.5) * (box.width / Math.max(1, count)),
  y: box.height - (Math.min(value, top) / top) * box.height,
});

/**
 * An SVG path (`M x y L x y …`) of `values` in `box`, bucket i at its centre, 0 at the bottom and `top` at the top;
 * a missing value breaks the line (the next value starts a new `M`). Empty when no value is present.
 */
export const linePath = (values: readonly (number | undefined)[], top: number, box: ChartBox): string => {
  let pen = 'M';
  const parts: string[] = [];
  values.forEach((value, i) => {
    if (value === undefined) {
      pen = 'M';
      return;
    }
    const { x, y } = pointAt(i, value, values.length, top, box);
    parts.push(`${pen}${x.toFixed(1)} ${y.toFixed(1)}`);
    pen = 'L';
  });
  return parts.join(' ');
};
