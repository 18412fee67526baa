// The Python port of the built-in reward (python/lab_tasks.py, lab_reward.py) against the lab's own
// (src/rewards/builtin.ts): ≥ 10,000 (prompt, completion) pairs per task — right, wrong, malformed,
// truncated, overlong and adversarial completions, under several weightings — must score identically
// (the reward and every component, compared with ===). The Python generator must also draw the same
// problems as the lab from the same seed. Needs python3 + numpy.
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreBuiltin } from '../../rewards/builtin';
import type { BuiltinRewardSpec, BuiltinWeights } from '../../rewards/spec';
import { createRng, type Rng } from '../../tasks/random';
import { getTask, TASKS } from '../../tasks/registry';
import type { Problem, Task } from '../../tasks/task';
import { VOCAB } from '../../tasks/tokenizer';
import { engineRow, testProblems, trainProblems } from './data';
import { PYTHON_SOURCES } from './pythonSources';
import { requirePythonWithNumpy, runPython, writeToTempDir } from './testing/python';

const PAIRS_PER_TASK = 10_000;
let dir = '';

beforeAll(() => {
  requirePythonWithNumpy();
  dir = writeToTempDir(new Map(Object.entries(PYTHON_SOURCES)), 'rlvr-parity-');
});

const ADVERSARIAL = [
  '', ' ', '\n', '\t', '\u00a0', '\ufeff', '\u2028', '\u3000', '-0', '--1', '+1', '00', '007', '1.0', '1e2', '0x1f', 'NaN', 'Infinity',
  '-Infinity', 'null', 'undefined', '__proto__', 'constructor', 'toString', '١٢', '１２', '𝟙𝟚', '😀', '\ud800', '\udfff', 'é', 'e\u0301',
  '\u0000', '1\u0000', '⟨eos⟩', '⟨bos⟩1', '<eos>', '1\n', ' 1', '1 ', '((((((((((((((((((1))))))))))))))))))', '(1', '1)', '()', '1/0',
  '0/0', '3/(5-5)', '99999999999999999999', '1+', '*1', '1**2', '1//2', '(1+2)*(3-4)/5', 'rep 9{a=1}', 'a', 'a=1;a',
];

/** Completions of every kind for one problem. */
function completionsFor(task: Task, p: Problem, other: Problem, rng: Rng): string[] {
  const a = p.answer;
  const max = task.maxCompletionLength;
  const chars = VOCAB.slice(6).join('');
  const randomString = (n: number) => Array.from({ length: n }, () => chars[rng.nextInt(0, chars.length - 1)]).join('');
  const mutate = (s: string) => {
    if (s.length === 0) return randomString(1);
    const i = rng.nextInt(0, s.length - 1);
    return s.slice(0, i) + chars[rng.nextInt(0, chars.length - 1)] + s.slice(i + 1);
  };
  const out = [
    a, a, // right (twice the weight: most pairs in a real batch are right or nearly)
    mutate(a), mutate(mutate(a)), other.answer, // wrong
    /^-?\d+$/.test(a) ? String(Number(a) + 1) : a.split('').reverse().join(''),
    `0${a}`, ` ${a}`, `${a} `, `${a}\n`, `+${a}`, a.toUpperCase(), `(${a})`, // malformed
    a.slice(0, rng.nextInt(0, Math.max(0, a.length - 1))), // truncated
    a + randomString(rng.nextInt(1, max)), randomString(max), randomString(max + 1), // overlong and edge lengths
    randomString(rng.nextInt(1, max)), randomString(rng.nextInt(1, 3)),
    ADVERSARIAL[rng.nextInt(0, ADVERSARIAL.length - 1)], ADVERSARIAL[rng.nextInt(0, ADVERSARIAL.length - 1)] + a,
  ];
  if (task.id === 'countdown') {
    const numbers = (p.meta?.numbers as number[]) ?? [];
    const ops = ['+', '-', '*', '/'];
    for (let k = 0; k < 4; k++) {
      // Random expressions over the given numbers: parseable, mostly wrong, some dividing by zero or by fractions.
      const used = rng.shuffle(numbers).slice(0, rng.nextInt(1, numbers.length));
      let e = String(used[0]);
      for (const n of used.slice(1)) e = rng.nextFloat() < 0.3 ? `(${e})${ops[rng.nextInt(0, 3)]}${n}` : `${e}${ops[rng.nextInt(0, 3)]}${n}`;
      out.push(e);
    }
    out.push(`${numbers[0]}/(${numbers[0]}-${numbers[0]})`, `${numbers[0]}*${numbers[0]}`);
  }
  return out;
}

function randomWeights(rng: Rng, task: Task): { weights: BuiltinWeights; overlong?: { maxLength: number; cacheLength: number } } {
  const w = () => (rng.nextFloat() < 0.3 ? 0 : rng.nextFloat() * 4 - 2);
  switch (rng.nextInt(0, 5)) {
    case 0:
      return { weights: { correctness: 1 } };
    case 1: // the config's 'weighted' kind: all four keys present, some zero
      return { weights: { correctness: w(), format: w(), partial: w(), lengthPenalty: rng.nextFloat() * 0.4 - 0.2 } };
    case 2: // the reward-hacking preset
      return { weights: { correctness: 0, format: 1, partial: 0, lengthPenalty: -0.2 } };
    case 3:
      return { weights: rng.nextFloat() < 0.5 ? { correctness: 1, overlong: 1 } : { correctness: 0, coin: 1 } };
    case 4: {
      const maxLength = rng.nextInt(1, task.maxCompletionLength + 3);
      return { weights: { correctness: 1, overlong: w(), partial: w() }, overlong: { maxLength, cacheLength: rng.nextInt(0, maxLength) } };
    }
    default: // a task-specific component, and a name no task has
      return { weights: { partial: w(), permutation: w(), nonsense: 1, correctness: w() } };
  }
}

interface Case {
  weights: BuiltinWeights;
  overlong?: { maxLength: number; cacheLength: number };
  problem: Problem;
  completion: string;
  tokens?: number;
}

function casesFor(task: Task): Case[] {
  const rng = createRng(4242 + task.id.length);
  const cases: Case[] = [];
  const problems: Problem[] = [];
  for (const arm of task.arms) problems.push(...task.evalSet(arm.id, 5, 9));
  while (cases.length < PAIRS_PER_TASK) {
    const p = task.generate(task.arms[rng.nextInt(0, task.arms.length - 1)].id, rng);
    const other = problems[rng.nextInt(0, problems.length - 1)];
    problems.push(p);
    for (const completion of completionsFor(task, p, other, rng)) {
      const tokens = [undefined, completion.length + 1, completion.length, rng.nextInt(0, 40)][rng.nextInt(0, 3)];
      cases.push({ ...randomWeights(rng, task), problem: p, completion, ...(tokens === undefined ? {} : { tokens }) });
    }
  }
  return cases;
}

function sameNumber(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' && a === b;
}

describe('reward parity: the Python port scores exactly as the lab', () => {
  for (const task of TASKS) {
    it(`${task.id}: ≥ ${PAIRS_PER_TASK} pairs, identical rewards and components`, () => {
      const cases = casesFor(task);
      expect(cases.length).toBeGreaterThanOrEqual(PAIRS_PER_TASK);
      const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
      const lines = runPython(['score_jsonl.py'], { cwd: dir, input }).trim().split('\n');
      expect(lines).toHaveLength(cases.length);
      const mismatches: string[] = [];
      let right = 0;
      cases.forEach((c, i) => {
        const spec: BuiltinRewardSpec = { kind: 'builtin', components: c.weights, ...(c.overlong ? { overlong: c.overlong } : {}) };
        const lab = scoreBuiltin(spec, task, c.problem, c.completion, c.tokens);
        const py = JSON.parse(lines[i]) as { reward: number; components: Record<string, number> };
        if (lab.components.correctness === 1) right++;
        const keys = new Set([...Object.keys(lab.components), ...Object.keys(py.components)]);
        const same = sameNumber(lab.reward, py.reward) && [...keys].every((k) => sameNumber(lab.components[k], py.components[k]));
        if (!same && mismatches.length < 5) {
          mismatches.push(`${JSON.stringify(c)}\n  lab ${JSON.stringify({ reward: lab.reward, components: lab.components })}\n  py  ${lines[i]}`);
        }
      });
      expect(mismatches).toEqual([]);
      // The pairs really cover right answers, not only garbage.
      expect(right).toBeGreaterThan(cases.length * 0.05);
    });
  }

  it('a deliberately different scorer is caught (the comparison can fail)', () => {
    const task = getTask('addition');
    const p = task.generate('d2', createRng(1));
    const input = JSON.stringify({ weights: { correctness: 1, partial: 0.5 }, problem: p, completion: p.answer.slice(1) }) + '\n';
    const py = JSON.parse(runPython(['score_jsonl.py'], { cwd: dir, input })) as { reward: number };
    const lab = scoreBuiltin({ kind: 'builtin', components: { correctness: 1, partial: 0.25 } }, task, p, p.answer.slice(1));
    expect(sameNumber(py.reward, lab.reward)).toBe(false);
  });
});

describe('data parity: python/generate.py draws the lab\'s problems', () => {
  for (const task of TASKS) {
    it(`${task.id}: the same train and test rows from the same seed`, () => {
      const arms = task.arms.map((a) => a.id);
      const weights = arms.map((_, i) => i + 1);
      const seed = 1234567 + task.id.length;
      const train = trainProblems(task.id, arms, weights, seed, 300).map((p, i) => engineRow('verl', p, 'train', i));
      const test = testProblems(task.id, arms, seed, 20).map((p, i) => engineRow('trl', p, 'test', i));
      const py = (split: string, n: number, format: string) =>
        runPython(['generate.py', '--task', task.id, '--arms', arms.join(','), '--weights', weights.join(','), '--seed', String(seed), '--n', String(n), '--split', split, '--format', format], { cwd: dir })
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
      expect(py('train', 300, 'verl')).toEqual(train);
      expect(py('test', 20, 'trl')).toEqual(test);
    });
  }
});
