// Debiased exponential moving average, exactly as TensorBoard's scalar dashboard smooths:
// s_t = (w·m_{t-1} + (1−w)·y_t) / (1 − w^t). The division removes the pull toward the zero the
// average starts from, so early points are not dragged down (an undebiased EMA at w = 0.9 would show
// step 0 at a tenth of its value). Non-finite values pass through untouched and do not enter the
// average; a constant series is returned as is (TensorBoard does the same, avoiding rounding wiggles).

/** `weight` in [0, 1): 0 = no smoothing. Returns a new array the length of `values`. */
export function debiasedEma(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0 || values.length === 0) return values.slice();
  const first = values[0];
  if (values.every((v) => v === first)) return values.slice();
  let last = 0;
  let count = 0;
  return values.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    count++;
    return last / (1 - Math.pow(w, count));
  });
}
