import { describe, expect, it } from 'vitest';
import type { RewardInput } from './protocol';
import { checkRewardValue, componentNameProblem, describeThrown, describeValue, formatRewardError, MAX_ABS_REWARD, MAX_COMPONENTS, parseSandboxReply } from './validate';

const sample = (completion: string): RewardInput => ({ prompt: '1+1=', completion, answer: '2', task: 'addition', arm: 'd1' });

describe('checkRewardValue', () => {
  it('refuses rewards too large to train on, saying so (issue 20, class 8)', () => {
    const detail = (v: unknown) => {
      const c = checkRewardValue(v);
      return c.ok ? 'ok' : c.detail;
    };
    expect(detail(1e308)).toMatch(/^returned 1e\+308, which is too large: rewards and components must lie within ±1000000/);
    expect(detail({ reward: -1e300 })).toMatch(/^returned \{reward: -1e\+300\}, which is too large/);
    expect(detail({ reward: 1, components: { big: 1e7 } })).toMatch(/^returned components\.big = 10000000, which is too large/);
    expect(detail(MAX_ABS_REWARD)).toBe('ok');
    expect(detail(-MAX_ABS_REWARD)).toBe('ok');
  });

  it('refuses component names that are not identifiers or that every object already has (issue 20, class 8)', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf', '__defineGetter__']) {
      const c = checkRewardValue(JSON.parse(`{"reward": 1, "components": {"${name}": 1}}`));
      expect(c.ok, name).toBe(false);
      expect(c.ok ? '' : c.detail).toMatch(/a name every JavaScript object already has/);
    }
    for (const name of ['1st', 'a b', 'a-b', 'é', '']) expect(componentNameProblem(name), name).not.toBeNull();
    for (const name of ['correct', 'extra', 'len_2', '_x', 'toString_score']) expect(componentNameProblem(name), name).toBeNull();
    expect(checkRewardValue({ reward: 1, components: { a_b: 2 } })).toEqual({ ok: true, reward: 1, components: { a_b: 2 } });
  });

  it('accepts finite numbers and {reward, components}', () => {
    expect(checkRewardValue(0.5)).toEqual({ ok: true, reward: 0.5, components: {} });
    expect(checkRewardValue(-3)).toEqual({ ok: true, reward: -3, components: {} });
    expect(checkRewardValue({ reward: 1 })).toEqual({ ok: true, reward: 1, components: {} });
    expect(checkRewardValue({ reward: 1, components: { a: 0.5, b: -2 } })).toEqual({ ok: true, reward: 1, components: { a: 0.5, b: -2 } });
    expect(checkRewardValue({ reward: 1, components: null })).toEqual({ ok: true, reward: 1, components: {} });
  });

  it('names what is wrong with anything else', () => {
    const detail = (v: unknown) => {
      const c = checkRewardValue(v);
      return c.ok ? 'ok' : c.detail;
    };
    expect(detail(NaN)).toBe('returned NaN');
    expect(detail(Infinity)).toBe('returned Infinity');
    expect(detail(-Infinity)).toBe('returned -Infinity');
    expect(detail('1')).toBe('returned a string ("1")');
    expect(detail(undefined)).toMatch(/^returned undefined/);
    expect(detail(null)).toBe('returned null');
    expect(detail(true)).toBe('returned a boolean (true)');
    expect(detail(1n)).toMatch(/^returned a bigint \(1n\)/);
    expect(detail([1])).toBe('returned an array');
    expect(detail(() => 1)).toBe('returned a function');
    expect(detail({})).toBe('returned an object without a .reward number');
    expect(detail({ reward: NaN })).toBe('returned {reward: NaN}');
    expect(detail({ reward: '1' })).toBe('returned {reward: a string ("1")}');
    expect(detail(Promise.resolve(1))).toMatch(/Promise — reward\(\) must be synchronous/);
    expect(detail({ reward: 1, components: 3 })).toMatch(/components that are 3/);
    expect(detail({ reward: 1, components: { x: NaN } })).toBe('returned components.x = NaN');
    expect(detail({ reward: 1, components: { x: '0' } })).toBe('returned components.x = a string ("0")');
    const many = Object.fromEntries(Array.from({ length: MAX_COMPONENTS + 1 }, (_, i) => [`c${i}`, 0]));
    expect(detail({ reward: 1, components: many })).toMatch(/at most 32/);
  });

  it('treats throwing getters and Proxy traps as errors of that sample', () => {
    const getter = {
      get reward(): number {
        throw new Error('boom');
      },
    };
    expect(checkRewardValue(getter)).toEqual({ ok: false, detail: 'returned an object whose .reward could not be read (Error: boom)' });
    const comps = {
      reward: 1,
      get components(): never {
        throw 7;
      },
    };
    expect(checkRewardValue(comps)).toEqual({ ok: false, detail: 'returned an object whose .components could not be read (7)' });
    const trap = new Proxy({}, { get: () => { throw new TypeError('trap'); } });
    expect(checkRewardValue(trap)).toMatchObject({ ok: false, detail: expect.stringMatching(/TypeError: trap/) });
    const keys = { reward: 1, components: new Proxy({}, { ownKeys: () => { throw 1; } }) };
    expect(checkRewardValue(keys)).toMatchObject({ ok: false, detail: expect.stringMatching(/names could not be listed/) });
  });

  it('refuses a "__proto__" component rather than store it (it would read as a prototype downstream)', () => {
    const components = JSON.parse('{"__proto__": 2}') as Record<string, number>;
    const check = checkRewardValue({ reward: 1, components });
    expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(/"__proto__", a name every JavaScript object already has/) });
  });
});

describe('describeThrown', () => {
  it('describes Errors, primitives and odd objects', () => {
    expect(describeThrown(new RangeError('Maximum call stack size exceeded'))).toBe('RangeError: Maximum call stack size exceeded');
    expect(describeThrown(5)).toBe('5');
    expect(describeThrown('no')).toBe('"no"');
    expect(describeThrown({})).toBe('{}');
    expect(describeThrown(undefined)).toBe('undefined');
    expect(describeThrown(null)).toBe('null');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeThrown(cyclic)).toBe('a non-Error object');
    const hostile = new Proxy({}, { get: () => { throw 1; } });
    expect(describeThrown(hostile)).toBe('an object whose properties cannot be read');
    expect(describeThrown('x'.repeat(1000)).length).toBeLessThan(310);
    expect(describeValue(Symbol('s'))).toBe('a symbol');
  });
});

describe('formatRewardError', () => {
  it('writes one sentence naming the sample', () => {
    expect(formatRewardError('invalid', 'returned NaN', 3, sample('12'))).toBe('reward() returned NaN for sample 3 (completion "12")');
    expect(formatRewardError('throw', '5', 0, sample('7'))).toBe('reward() threw on sample 0 (completion "7"): 5');
    expect(formatRewardError('throw', 'Error: x', null)).toBe('reward code threw while loading: Error: x');
    expect(formatRewardError('compile', "SyntaxError: Unexpected token '}'", null)).toBe("reward code does not compile: SyntaxError: Unexpected token '}'");
    expect(formatRewardError('invalid', 'returned NaN', 0, sample('9'.repeat(100)))).toMatch(/completion "9{41}…\)$/);
  });
});

describe('parseSandboxReply', () => {
  const samples = [sample('2'), sample('3')];

  it('ignores messages that are not a reply to the request', () => {
    expect(parseSandboxReply(null, 1, samples)).toBeNull();
    expect(parseSandboxReply('result', 1, samples)).toBeNull();
    expect(parseSandboxReply({ type: 'ready' }, 1, samples)).toBeNull();
    expect(parseSandboxReply({ type: 'result', id: 2, rewards: new Float64Array(2), components: [{}, {}] }, 1, samples)).toBeNull();
  });

  it('passes a good result through, as plain arrays', () => {
    const outcome = parseSandboxReply({ type: 'result', id: 1, rewards: Float64Array.of(1, 0), components: [{ a: 1 }, {}] }, 1, samples);
    expect(outcome).toEqual({ ok: true, rewards: [1, 0], components: [{ a: 1 }, {}] });
  });

  it('turns a failure into a message with the sample attached', () => {
    const outcome = parseSandboxReply({ type: 'failure', id: 1, kind: 'invalid', detail: 'returned NaN', sampleIndex: 1 }, 1, samples);
    expect(outcome).toEqual({
      ok: false,
      error: { kind: 'invalid', message: 'reward() returned NaN for sample 1 (completion "3")', sampleIndex: 1, sample: samples[1] },
    });
    const compile = parseSandboxReply({ type: 'failure', id: 1, kind: 'compile', detail: 'SyntaxError: x', sampleIndex: null }, 1, samples);
    expect(compile).toEqual({ ok: false, error: { kind: 'compile', message: 'reward code does not compile: SyntaxError: x' } });
  });

  it('re-checks every value: a malformed reply is a crash, never a result', () => {
    const bad = [
      { type: 'result', id: 1, rewards: Float64Array.of(1, NaN), components: [{}, {}] },
      { type: 'result', id: 1, rewards: Float64Array.of(1), components: [{}] },
      { type: 'result', id: 1, rewards: [1, 0], components: [{}, {}] },
      { type: 'result', id: 1, rewards: Float64Array.of(1, 0), components: [{}, { a: Infinity }] },
      { type: 'result', id: 1, rewards: Float64Array.of(1, 0) },
      { type: 'failure', id: 1, kind: 'timeout', detail: 'x', sampleIndex: null },
      { type: 'failure', id: 1, kind: 'throw', detail: 'x', sampleIndex: 5 },
      { type: 'failure', id: 1, kind: 'throw', sampleIndex: 0 },
    ];
    for (const reply of bad) {
      const outcome = parseSandboxReply(reply, 1, samples);
      expect(outcome?.ok).toBe(false);
      if (outcome && !outcome.ok) expect(outcome.error.kind).toBe('crash');
    }
  });
});
