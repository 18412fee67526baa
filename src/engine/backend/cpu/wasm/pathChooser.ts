// Whether the matmul pool pays is a property of the shape *and* of the moment: on a quiet machine two
// threads make the largest train-step products ~1.25× faster, on a machine shared with other busy
// processes the worker is often not scheduled when the product needs it and the pool is slower than
// one thread (a first version without this choice made a default train step 0.8× as fast at load
// average 10 on 2 cores). Both paths give the same bits, so the choice can
// be made by timing: per shape, a few calls on each path, alternated, then the faster one, checked
// again every `recheckEvery` calls of that shape so a change of load is followed.

export interface PathChoice {
  /** The result of `pool` (null: it cannot take this product) or of `single`, whichever is chosen. */
  run<T>(key: string, pool: () => T | null, single: () => T): T;
}

interface ShapeStats {
  poolMs: number[];
  singleMs: number[];
  choice: 'pool' | 'single' | null; // null while timing both
  callsSinceChoice: number;
}

/** Mean, not median: the cost of the pool on a busy machine is in its tail (a worker descheduled for a
 *  time slice), and the total time is what a run pays. */
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export class TimedPathChooser implements PathChoice {
  private readonly shapes = new Map<string, ShapeStats>();

  /**
   * @param trials timed calls per path before choosing (after one untimed warm-up call each: the
   *   pool's first call waits for its workers to start)
   * @param margin the pool is chosen only when its mean time is below margin × one thread's
   */
  constructor(
    private readonly now: () => number = () => performance.now(),
    readonly trials = 3,
    readonly recheckEvery = 200,
    readonly margin = 0.95,
  ) {}

  run<T>(key: string, pool: () => T | null, single: () => T): T {
    let s = this.shapes.get(key);
    if (!s) this.shapes.set(key, (s = { poolMs: [], singleMs: [], choice: null, callsSinceChoice: 0 }));
    if (s.choice !== null) {
      if (++s.callsSinceChoice >= this.recheckEvery) Object.assign(s, { poolMs: [], singleMs: [], choice: null, callsSinceChoice: 0 });
      else return s.choice === 'pool' ? (pool() ?? single()) : single();
    }
    // Timing both: the path with fewer samples goes next (the pool first).
    const onPool = s.poolMs.length <= s.singleMs.length;
    const t0 = this.now();
    const result = onPool ? pool() : single();
    if (result === null) {
      s.choice = 'single'; // the pool cannot split this shape
      return single();
    }
    (onPool ? s.poolMs : s.singleMs).push(this.now() - t0);
    if (s.poolMs.length > this.trials && s.singleMs.length > this.trials) {
      // The first sample of each is the warm-up.
      const pooled = mean(s.poolMs.slice(1));
      const one = mean(s.singleMs.slice(1));
      s.choice = pooled < this.margin * one ? 'pool' : 'single';
    }
    return result;
  }

  /** The path chosen for a shape, or null while it is being timed (for tests and benches). */
  choiceFor(key: string): 'pool' | 'single' | null {
    return this.shapes.get(key)?.choice ?? null;
  }
}
