// Properties every task must have, checked over the whole registry, plus hand-written verifier cases.
import { describe, expect, it } from 'vitest';
import { reachableWithTwo } from './countdown';
import { createRng } from './random';
import { getTask, hasTask, MAX_COMPLETION_LENGTH, MAX_PROMPT_LENGTH, TASK_IDS, TASKS } from './registry';
import type { Problem, Reward, Task } from './task';
import { decodeCompletion, encode, EOS_ID, isEncodable } from './tokenizer';

const TRAIN_DRAWS = 2000;

/** What is wrong with a reward, or null. Plain code, not expect(): the loops below call it thousands of times. */
function rewardProblem(reward: Reward): string | null {
  if (reward.reward !== 0 && reward.reward !== 1) return `reward ${reward.reward} is not 0 or 1`;
  if (reward.reward !== reward.components.correctness) return 'reward differs from correctness';
  for (const [name, v] of Object.entries(reward.components)) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0 && v <= 1)) return `component ${name} = ${v}`;
  }
  if (reward.detail?.startsWith('verifier error')) return reward.detail;
  return null;
}

function expectWellFormed(reward: Reward) {
  expect(rewardProblem(reward)).toBeNull();
}

describe('registry', () => {
  it('holds every task once, by id', () => {
    expect(TASK_IDS).toEqual(['addition', 'multiplication', 'modular', 'sorting', 'reversal', 'parity', 'countdown', 'program']);
    for (const id of TASK_IDS) expect(getTask(id).id).toBe(id);
    expect(() => getTask('chess')).toThrow(/unknown task "chess" \(tasks: addition/);
    expect(hasTask('parity')).toBe(true);
    expect(hasTask('toString')).toBe(false);
    expect(MAX_PROMPT_LENGTH).toBeLessThanOrEqual(24);
    expect(MAX_COMPLETION_LENGTH).toBeLessThanOrEqual(20);
  });
});

describe.each(TASKS.map((t) => [t.id, t] as const))('%s', (_id, task: Task) => {
  it('has arms with unique ids and increasing levels', () => {
    expect(task.arms.length).toBeGreaterThanOrEqual(3);
    expect(new Set(task.arms.map((a) => a.id)).size).toBe(task.arms.length);
    task.arms.forEach((arm, i) => expect(arm.level).toBe(i + 1));
    expect(() => task.generate('nope', createRng(1))).toThrow(/unknown arm "nope"/);
  });

  it.each(task.arms.map((a) => a.id))('arm %s: training problems are never held out, fit the limits, and verify', (armId) => {
    const rng = createRng(2024);
    const bad: string[] = [];
    for (let i = 0; i < TRAIN_DRAWS; i++) {
      const problem = task.generate(armId, rng);
      if (task.isHeldOut(problem)) bad.push(`held out: ${problem.prompt}`);
      if (problem.task !== task.id || problem.arm !== armId) bad.push(`labels: ${problem.task}/${problem.arm}`);
      if (problem.prompt.length > task.maxPromptLength) bad.push(`long prompt: ${problem.prompt}`);
      if (problem.answer.length > task.maxCompletionLength) bad.push(`long answer: ${problem.answer}`);
      if (!problem.prompt.endsWith('=')) bad.push(`prompt does not end with '=': ${problem.prompt}`);
      if (i < 50) {
        expect(isEncodable(problem.prompt) && isEncodable(problem.answer)).toBe(true);
        expect(task.verify(problem, problem.answer).reward).toBe(1);
        // What the verifier receives in training: ids decoded and cut at EOS.
        expect(task.verify(problem, decodeCompletion([...encode(problem.answer), EOS_ID, ...encode('99')])).reward).toBe(1);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('generates deterministically per seed', () => {
    for (const arm of task.arms) {
      const draw = (seed: number) => {
        const rng = createRng(seed);
        return Array.from({ length: 20 }, () => task.generate(arm.id, rng));
      };
      expect(draw(5)).toEqual(draw(5));
      expect(draw(5).map((p) => p.prompt)).not.toEqual(draw(6).map((p) => p.prompt));
    }
  });

  it('evalSet draws only held-out problems, deterministically, disjoint from training', () => {
    for (const arm of task.arms) {
      const evalSet = task.evalSet(arm.id, 64, 99);
      expect(evalSet).toHaveLength(64);
      expect(evalSet).toEqual(task.evalSet(arm.id, 64, 99));
      const evalPrompts = new Set(evalSet.map((p) => p.prompt));
      expect(evalPrompts.size).toBeGreaterThanOrEqual(Math.min(5, 64)); // even the smallest arm has a few
      expect(evalSet.every((p) => task.isHeldOut(p) && task.verify(p, p.answer).reward === 1)).toBe(true);
      const rng = createRng(1);
      const leaked = Array.from({ length: 500 }, () => task.generate(arm.id, rng).prompt).filter((p) => evalPrompts.has(p));
      expect(leaked).toEqual([]);
    }
  });

  it('scores empty, overlong, malformed and junk completions without throwing', () => {
    const problem = task.generate(task.arms[task.arms.length - 1].id, createRng(3));
    const cases = [
      '',
      ' ',
      problem.answer + ' ',
      problem.answer + problem.answer.repeat(task.maxCompletionLength + 1),
      'x'.repeat(100_000),
      '⟨bos⟩',
      `${problem.answer}⟨bos⟩`,
      '\u0000',
      '🙂🙂',
      '\ud800', // lone surrogate
      '=',
      '((((((((((((((((((((',
      '-',
      '1e5',
      'NaN',
      'Infinity',
      '0x10',
      '__proto__',
      'constructor',
    ];
    for (const completion of cases) {
      const reward = task.verify(problem, completion);
      expectWellFormed(reward);
      expect(reward.reward, JSON.stringify(completion)).toBe(0);
    }
    expect(task.verify(problem, '').components.format).toBe(0);
    const overlong = task.verify(problem, problem.answer + '0'.repeat(task.maxCompletionLength));
    expect(overlong).toMatchObject({ reward: 0, components: { format: 0 } });
    expect(overlong.detail).toMatch(/overlong/);
    expect(task.verify(problem, null as unknown as string).reward).toBe(0);
  });

  it('never throws on random completions from the vocabulary', () => {
    const rng = createRng(17);
    const alphabet = [...' 0123456789+-*/%=()<>?:;{},!abcxyz'];
    const problems = task.arms.map((arm) => task.generate(arm.id, rng));
    const bad: string[] = [];
    for (let i = 0; i < 1500; i++) {
      let completion = '';
      const length = rng.nextInt(0, task.maxCompletionLength + 2);
      for (let j = 0; j < length; j++) completion += rng.pick(alphabet);
      const problem = rewardProblem(task.verify(rng.pick(problems), completion));
      if (problem) bad.push(`${JSON.stringify(completion)}: ${problem}`);
    }
    expect(bad).toEqual([]);
  });

  it('fromPrompt recomputes the answer of its own prompts and rejects foreign ones', () => {
    const rng = createRng(8);
    for (const arm of task.arms) {
      for (let i = 0; i < 30; i++) {
        const problem = task.generate(arm.id, rng);
        const rebuilt = task.fromPrompt(problem.prompt);
        expect(rebuilt, problem.prompt).not.toBeNull();
        expect(task.verify(rebuilt!, problem.answer).reward).toBe(1);
        if (task.id !== 'countdown') {
          expect(rebuilt!.answer).toBe(problem.answer);
          expect(rebuilt!.arm).toBe(arm.id);
        }
      }
    }
    for (const junk of ['', '=', 'hello', 'x'.repeat(500), '12+', 'sort =', '1/0=']) expect(task.fromPrompt(junk)).toBeNull();
    for (const other of TASKS) {
      // Arithmetic prompts are valid programs too (`5+7=`), so the program task accepts them.
      const alsoProgram = task.id === 'program' && ['addition', 'multiplication', 'modular'].includes(other.id);
      if (other !== task && !alsoProgram) expect(task.fromPrompt(other.generate(other.arms[0].id, rng).prompt), other.id).toBeNull();
    }
  });
});

// ---- hand-written verifier cases: [prompt, completion, reward, format] ----

const CASES: Record<string, [string, string, number, number][]> = {
  addition: [
    ['12+47=', '59', 1, 1],
    ['12+47=', '58', 0, 1],
    ['12+47=', '059', 0, 1 - 1], // leading zero: not a canonical integer
    ['12+47=', '5 9', 0, 0],
    ['12+47=', '-59', 0, 1],
    ['999+1=', '1000', 1, 1],
  ],
  multiplication: [
    ['23*7=', '161', 1, 1],
    ['23*7=', '151', 0, 1],
    ['23*7=', '161+0', 0, 0],
  ],
  modular: [
    ['47%6=', '5', 1, 1],
    ['(47+38)%9=', '4', 1, 1],
    ['(12*34)%7=', '2', 1, 1],
    ['(12*34)%7=', '40', 0, 1],
    ['(12*34)%7=', '408', 0, 0], // longer than any remainder can be
    ['(12*34)%7=', 'two', 0, 0],
  ],
  sorting: [
    ['sort 3142=', '1234', 1, 1],
    ['sort 3142=', '1243', 0, 1],
    ['sort 3142=', '123', 0, 0],
    ['sort 3142=', '1,2,3,4', 0, 0],
  ],
  reversal: [
    ['rev abcd=', 'dcba', 1, 1],
    ['rev abcd=', 'abcd', 0, 1],
    ['rev abcd=', 'DCBA', 0, 0],
    ['rev abcd=', 'dc1a', 0, 0],
  ],
  parity: [
    ['par 10110=', '1', 1, 1],
    ['par 10110=', '0', 0, 1],
    ['par 10110=', '11', 0, 0],
    ['par 10110=', 'odd', 0, 0],
  ],
  countdown: [
    ['3,5,7>22=', '3*5+7', 1, 1],
    ['3,5,7>22=', '5*3+7', 1, 1],
    ['3,5,7>22=', '7+(5*3)', 1, 1],
    ['3,5,7>22=', '7+3*5', 1, 1],
    ['3,5,7>22=', '7 + 3*5', 0, 0], // no spaces, like every other answer
    ['3,5,7>22=', '5*5-3', 0, 0], // 22, but uses 5 twice
    ['5,5,3>22=', '5*5-3', 1, 1], // 5 given twice: fine
    ['3,5,7>22=', '3+5+7', 0, 1],
    ['3,5,7>22=', '22', 0, 0], // 22 is not given
    ['3,5,7>22=', '3*+5', 0, 0],
    ['3,5,7>22=', '-3+5', 0, 0], // no unary minus
    ['3,5,7>22=', '(3*5+7', 0, 0],
    ['3,5,7>22=', '3*5+7)', 0, 0],
    ['3,5,7>22=', '03*5+7', 0, 0],
    ['3,5,7>22=', '3*5+7=22', 0, 0],
  ],
  program: [
    ['a=3;b=a*2;b+1=', '7', 1, 1],
    ['a=3;b=a*2;b+1=', '6', 0, 1],
    ['a=7;b=a>4?a-2:a+2;b*2=', '10', 1, 1],
    ['s=1;rep 3{s=s*2};s+1=', '9', 1, 1],
    ['x=2;x-5=', '-3', 1, 1],
    ['x=2;x-5=', '- 3', 0, 0],
    ['a=3;b=a*2;b+1=', 'a=7', 0, 0],
  ],
};

describe('verifier cases', () => {
  for (const [taskId, cases] of Object.entries(CASES)) {
    it.each(cases)(`${taskId}: %s %j → reward %i, format %i`, (prompt, completion, reward, format) => {
      const task = getTask(taskId);
      const problem = task.fromPrompt(prompt);
      expect(problem, prompt).not.toBeNull();
      const result = task.verify(problem as Problem, completion);
      expectWellFormed(result);
      expect(result.reward).toBe(reward);
      expect(result.components.format).toBe(format);
    });
  }

  it('gives partial credit where the task defines it', () => {
    const add = getTask('addition');
    expect(add.verify(add.fromPrompt('12+47=')!, '69').components.partial).toBe(0.5);
    const sort = getTask('sorting');
    const sorted = sort.verify(sort.fromPrompt('sort 3142=')!, '1243');
    expect(sorted.components).toMatchObject({ partial: 0.5, permutation: 1 });
    const countdown = getTask('countdown');
    expect(countdown.verify(countdown.fromPrompt('3,5,7>22=')!, '3*7').components.partial).toBeCloseTo(1 - 1 / 22);
  });

  it('countdown: divides exactly and handles division by zero', () => {
    const countdown = getTask('countdown');
    const p = countdown.fromPrompt('7,2,4>14=')!;
    expect(countdown.verify(p, '7/2*4').reward).toBe(1); // 3.5 * 4, exact rationals
    expect(countdown.verify(p, '7/2').reward).toBe(0);
    const z = countdown.fromPrompt('6,3,3>9=')!;
    expect(countdown.verify(z, '6/(3-3)')).toMatchObject({ reward: 0, components: { format: 1 }, detail: 'divides by zero' });
    expect(countdown.fromPrompt('1,1,1>99=')).toBeNull(); // unsolvable
  });

  it('countdown accepts many different answers to one generated problem', () => {
    const countdown = getTask('countdown');
    const problem = countdown.fromPrompt('2,3,4>14=')!;
    for (const answer of ['2*(3+4)', '(4+3)*2', '4*3+2', '2+3*4', '2+4*3', '3*4+2']) {
      expect(countdown.verify(problem, answer).reward, answer).toBe(1);
    }
    expect(countdown.verify(problem, '4*4-2').reward).toBe(0); // 14 but 4 twice
    expect(countdown.verify(problem, '4*4-2').detail).toMatch(/uses 4 more often than given/);
  });
});

// ---- arms really differ: a task-specific difficulty measure grows with the arm's level ----

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Higher = harder. Each is a property of the problem that plainly makes it harder for a small model. */
const DIFFICULTY: Record<string, (p: Problem) => number> = {
  // A digit-wise adder that forgets carries fails more often with more digits.
  addition: (p) => {
    const [a, b] = p.prompt.slice(0, -1).split('+').map(Number);
    let carries = 0;
    for (let x = a, y = b, c = 0; x > 0 || y > 0; x = Math.floor(x / 10), y = Math.floor(y / 10)) {
      c = (x % 10) + (y % 10) + c >= 10 ? 1 : 0;
      carries += c;
    }
    return carries;
  },
  multiplication: (p) => p.answer.length,
  modular: (p) => (p.prompt.match(/[+*]/g)?.length ?? 0) * 100 + Number(p.prompt.split('%')[1].slice(0, -1)),
  sorting: (p) => p.answer.length,
  reversal: (p) => p.answer.length,
  parity: (p) => p.prompt.length,
  countdown: (p) => (p.meta!.numbers as number[]).length * 10 + (reachableWithTwo(p.meta!.numbers as number[], p.meta!.target as number) ? 0 : 5),
  program: (p) => p.meta!.steps as number,
};

describe('difficulty arms', () => {
  it.each(TASKS.map((t) => [t.id, t] as const))('%s: harder arms score higher on the difficulty measure', (id, task) => {
    const rng = createRng(31);
    const scores = task.arms.map((arm) => mean(Array.from({ length: 400 }, () => DIFFICULTY[id](task.generate(arm.id, rng)))));
    for (let i = 1; i < scores.length; i++) expect(scores[i], `${task.arms[i].id} vs ${task.arms[i - 1].id}`).toBeGreaterThan(scores[i - 1]);
  });

  it('countdown: the "all needed" arms are never solvable with two numbers', () => {
    const countdown = getTask('countdown');
    const rng = createRng(4);
    for (const armId of ['n3', 'n4']) {
      for (let i = 0; i < 300; i++) {
        const p = countdown.generate(armId, rng);
        expect(reachableWithTwo(p.meta!.numbers as number[], p.meta!.target as number)).toBe(false);
      }
    }
  });
});
