// TF.js WebGPU's own dispatch/submit/readback counts, by wrapping its backend's submitQueue and
// getBufferData for one run (TF.js exposes no counters of its own).
import * as tf from '@tensorflow/tfjs';

export interface TfjsCounts {
  dispatches: number;
  submits: number;
  readbacks: number;
}

export async function countTfjs(run: () => Promise<void>): Promise<TfjsCounts> {
  type Counted = { dispatchCountInPass: number; submitQueue: () => void; getBufferData: (b: unknown) => Promise<unknown> };
  const backend = tf.backend() as unknown as Counted;
  const submitQueue = backend.submitQueue;
  const getBufferData = backend.getBufferData;
  const n = { dispatches: 0, submits: 0, readbacks: 0 };
  backend.submitQueue = function (this: Counted) {
    n.dispatches += this.dispatchCountInPass;
    n.submits++;
    submitQueue.call(this);
  };
  backend.getBufferData = function (this: Counted, b: unknown) {
    n.readbacks++;
    return getBufferData.call(this, b);
  };
  try {
    await run();
  } finally {
    backend.submitQueue = submitQueue;
    backend.getBufferData = getBufferData;
  }
  return n;
}
