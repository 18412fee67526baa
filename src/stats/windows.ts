// Window reducers: one number per run from a step series, fixed before recording (STATISTICS.md: a
// window chosen after looking is a different claim). A window the series cannot fill is an error,
// not a silently shorter window.

function checkSeries(series: readonly number[], what: string): void {
  if (series.length === 0) throw new RangeError(`${what}: the series is empty`);
  series.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: value ${i} is not a finite number (${v})`);
  });
}

/** Mean of the last k values. */
export function lastK(series: readonly number[], k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`lastK: k must be a whole number ≥ 1, got ${k}`);
  checkSeries(series, 'lastK');
  if (series.length < k) throw new RangeError(`lastK: the series has ${series.length} values, fewer than k = ${k}`);
  let sum = 0;
  for (let i = series.length - k; i < series.length; i++) sum += series[i];
  return sum / k;
}

export function finalValue(series: readonly number[]): number {
  checkSeries(series, 'finalValue');
  return series[series.length - 1];
}

/** Trapezoid area under y(x) divided by the x-range: the curve's average height. x strictly increasing. */
export function areaUnderCurve(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) throw new RangeError(`areaUnderCurve: needs at least 2 points, got ${points.length}`);
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const { x, y } = points[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`areaUnderCurve: point ${i} is not finite (${x}, ${y})`);
    if (i === 0) continue;
    const prev = points[i - 1];
    if (!(x > prev.x)) throw new RangeError(`areaUnderCurve: x must increase strictly; point ${i} has x = ${x} after ${prev.x}`);
    area += ((x - prev.x) * (y + prev.y)) / 2;
  }
  return area / (points[points.length - 1].x - points[0].x);
}
