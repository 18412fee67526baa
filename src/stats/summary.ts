// Mean and sample standard deviation of a list of finite numbers. Bad input (empty, NaN, ±Infinity)
// throws: a statistic of a run that produced NaN must not silently become another NaN on a plot.

function checkFinite(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what}: needs at least one value`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: value ${i} is not a finite number (${v})`);
  });
}

export function mean(values: readonly number[]): number {
  checkFinite(values, 'mean');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (divisor n − 1). Undefined for one value: returns null rather than NaN. */
export function sampleSd(values: readonly number[]): number | null {
  checkFinite(values, 'sampleSd');
  if (values.length < 2) return null;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}
