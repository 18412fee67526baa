// Charts redraw one per task. A training step changes every chart at once, and a dozen recharts
// charts drawn together are one main-thread task of several hundred milliseconds on a slow machine
// (a long task: a click waits for all of it). Instead each chart queues its redraw here, and the
// queue draws one chart per macrotask, so input and the step counter are handled between charts.
// A chart that changes again before its turn draws only its latest value, keeping its place.
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

const queue = new Map<object, () => void>();
let scheduled = false;

function drawNext(): void {
  const next = queue.entries().next();
  if (next.done) {
    scheduled = false;
    return;
  }
  const [key, redraw] = next.value;
  queue.delete(key);
  redraw();
  setTimeout(drawNext, 0);
}

/** `value` as drawn: the first value at once (mount), later ones when this chart's turn comes. */
export function useStaggeredValue<T>(value: T): T {
  const [drawn, setDrawn] = useState(value);
  const [key] = useState(() => ({}));
  useEffect(() => {
    if (Object.is(drawn, value)) return;
    // flushSync: this chart renders and commits inside its own task, not batched with the next one.
    queue.set(key, () => flushSync(() => setDrawn(value)));
    if (!scheduled) {
      scheduled = true;
      setTimeout(drawNext, 0);
    }
  }, [value, drawn, key]);
  useEffect(() => () => void queue.delete(key), [key]);
  return drawn;
}
