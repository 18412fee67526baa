// Countdown: reach the target with + - * / and brackets, using each given number at most once.
// `3,5,7>22=` → `3*5+7`, or `5*3+7`, or `7+(5*3)`: any expression worth 22 from those numbers is right.
// The verifier parses the completion with its own small parser and evaluates it in exact rational
// arithmetic — never eval — so `7/2*4` counts as 14 and nothing in a completion can run code.
import { defineTask, makeReward, zeroReward, type Reward, type TaskArm } from './task';
import type { Rng } from './random';

interface CountdownArm extends TaskArm {
  count: number; // how many numbers are given
  minUse: number; // how many numbers the generated reference solution uses
  maxUse: number;
  maxNumber: number;
  maxTarget: number;
  ops: readonly Op[];
}

type Op = '+' | '-' | '*' | '/';

const ARMS: CountdownArm[] = [
  { id: 'n3-use2', label: '3 numbers, 2 needed', level: 1, count: 3, minUse: 2, maxUse: 2, maxNumber: 9, maxTarget: 99, ops: ['+', '-', '*'] },
  { id: 'n3', label: '3 numbers, all needed', level: 2, count: 3, minUse: 3, maxUse: 3, maxNumber: 9, maxTarget: 99, ops: ['+', '-', '*'] },
  { id: 'n4', label: '4 numbers, 3-4 needed', level: 3, count: 4, minUse: 3, maxUse: 4, maxNumber: 12, maxTarget: 199, ops: ['+', '-', '*', '/'] },
];

const MAX_COMPLETION = 20;
const MAX_DEPTH = 16;

// ---- exact rationals (values stay tiny: at most 4 numbers ≤ 99) ----

interface Rational {
  n: number;
  d: number; // > 0, gcd(n, d) = 1
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function rational(n: number, d = 1): Rational {
  if (d < 0) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1;
  return { n: n / g || 0, d: d / g };
}

/** null for division by zero. */
function apply(op: Op, a: Rational, b: Rational): Rational | null {
  switch (op) {
    case '+':
      return rational(a.n * b.d + b.n * a.d, a.d * b.d);
    case '-':
      return rational(a.n * b.d - b.n * a.d, a.d * b.d);
    case '*':
      return rational(a.n * b.n, a.d * b.d);
    case '/':
      return b.n === 0 ? null : rational(a.n * b.d, a.d * b.n);
  }
}

// ---- the completion parser: sum := prod (('+'|'-') prod)*; prod := atom (('*'|'/') atom)*;
//      atom := number | '(' sum ')'. No unary minus, no spaces (like every other task's answers). ----

class ParseError extends Error {}

interface Parsed {
  value: Rational | null; // null: divided by zero somewhere
  numbers: number[];
}

function parseExpression(text: string): Parsed {
  const src = text;
  let i = 0;
  let depth = 0;
  const numbers: number[] = [];
  let divByZero = false;

  const sum = (): Rational => {
    let left = prod();
    while (src[i] === '+' || src[i] === '-') {
      const op = src[i++] as Op;
      left = combine(op, left, prod());
    }
    return left;
  };
  const prod = (): Rational => {
    let left = atom();
    while (src[i] === '*' || src[i] === '/') {
      const op = src[i++] as Op;
      left = combine(op, left, atom());
    }
    return left;
  };
  const atom = (): Rational => {
    if (src[i] === '(') {
      if (++depth > MAX_DEPTH) throw new ParseError('brackets nested too deeply');
      i++;
      const inner = sum();
      if (src[i] !== ')') throw new ParseError(`expected ')' at ${i}`);
      i++;
      depth--;
      return inner;
    }
    const start = i;
    while (i < src.length && src[i] >= '0' && src[i] <= '9') i++;
    if (i === start) throw new ParseError(i < src.length ? `unexpected ${JSON.stringify(src[i])} at ${i}` : 'expression ends early');
    const digits = src.slice(start, i);
    if (digits.length > 1 && digits[0] === '0') throw new ParseError(`number with a leading zero: ${digits}`);
    numbers.push(Number(digits));
    return rational(Number(digits));
  };
  const combine = (op: Op, a: Rational, b: Rational): Rational => {
    const result = apply(op, a, b);
    if (result === null) {
      divByZero = true;
      return rational(0);
    }
    return result;
  };

  const value = sum();
  if (i !== src.length) throw new ParseError(`unexpected ${JSON.stringify(src[i])} at ${i}`);
  return { value: divByZero ? null : value, numbers };
}

/** Which of `used` is not available in `given` (each given number can be used once), or null. */
function overuse(used: number[], given: number[]): number | null {
  const left = new Map<number, number>();
  for (const n of given) left.set(n, (left.get(n) ?? 0) + 1);
  for (const n of used) {
    const k = left.get(n) ?? 0;
    if (k === 0) return n;
    left.set(n, k - 1);
  }
  return null;
}

const PROMPT = /^([1-9][0-9]?(?:,[1-9][0-9]?){1,4})>([1-9][0-9]{0,2})=$/;

function parsePrompt(prompt: string): { numbers: number[]; target: number } | null {
  const m = PROMPT.exec(prompt);
  return m ? { numbers: m[1].split(',').map(Number), target: Number(m[2]) } : null;
}

/** Scores any completion against a countdown prompt. Exported for the reward layer and tests. */
export function scoreCountdown(prompt: string, completion: string): Reward {
  const puzzle = parsePrompt(prompt);
  if (!puzzle) return zeroReward('not a countdown prompt');
  if (completion.trim().length === 0) return zeroReward('empty completion');
  let parsed: Parsed;
  try {
    parsed = parseExpression(completion);
  } catch (error) {
    return zeroReward(`malformed expression: ${(error as Error).message}`);
  }
  const bad = overuse(parsed.numbers, puzzle.numbers);
  if (bad !== null) {
    const given = puzzle.numbers.includes(bad);
    return zeroReward(given ? `uses ${bad} more often than given` : `uses ${bad}, which is not given`);
  }
  if (parsed.value === null) return makeReward(true, false, { partial: 0 }, 'divides by zero');
  const value = parsed.value.n / parsed.value.d;
  const correct = parsed.value.d === 1 && parsed.value.n === puzzle.target;
  const partial = Math.max(0, 1 - Math.abs(value - puzzle.target) / puzzle.target);
  const shown = parsed.value.d === 1 ? String(parsed.value.n) : `${parsed.value.n}/${parsed.value.d}`;
  return makeReward(true, correct, { partial }, correct ? undefined : `evaluates to ${shown}, not ${puzzle.target}`);
}

// ---- building expressions: a node remembers its precedence so it is printed with minimal brackets ----

interface Node {
  value: Rational;
  text: string;
  prec: number; // 3 number, 2 * /, 1 + -
}

function join(op: Op, a: Node, b: Node, value: Rational): Node {
  const wrap = (node: Node, when: boolean) => (when ? `(${node.text})` : node.text);
  switch (op) {
    case '+':
      return { value, text: `${a.text}+${b.text}`, prec: 1 };
    case '-':
      return { value, text: `${a.text}-${wrap(b, b.prec === 1)}`, prec: 1 };
    case '*':
      return { value, text: `${wrap(a, a.prec === 1)}*${wrap(b, b.prec === 1)}`, prec: 2 };
    case '/':
      return { value, text: `${wrap(a, a.prec === 1)}/${wrap(b, b.prec <= 2)}`, prec: 2 };
  }
}

const leaf = (n: number): Node => ({ value: rational(n), text: String(n), prec: 3 });

/** Some expression reaching `target` from `numbers` (each at most once), or null. Exhaustive, ≤ 5 numbers. */
export function solveCountdown(numbers: number[], target: number): string | null {
  const search = (pool: Node[]): string | null => {
    for (const node of pool) if (node.value.d === 1 && node.value.n === target) return node.text;
    for (let i = 0; i < pool.length; i++) {
      for (let j = 0; j < pool.length; j++) {
        if (i === j) continue;
        const rest = pool.filter((_, k) => k !== i && k !== j);
        for (const op of ['+', '-', '*', '/'] as const) {
          if ((op === '+' || op === '*') && j < i) continue; // commutative: one order is enough
          const value = apply(op, pool[i].value, pool[j].value);
          if (value === null) continue;
          const found = search([...rest, join(op, pool[i], pool[j], value)]);
          if (found !== null) return found;
        }
      }
    }
    return null;
  };
  return search(numbers.map(leaf));
}

/** Whether some `a op b` of two of the numbers equals the target. */
export function reachableWithTwo(numbers: number[], target: number): boolean {
  for (let i = 0; i < numbers.length; i++) {
    for (let j = 0; j < numbers.length; j++) {
      if (i === j) continue;
      for (const op of ['+', '-', '*', '/'] as const) {
        const v = apply(op, rational(numbers[i]), rational(numbers[j]));
        if (v && v.d === 1 && v.n === target) return true;
      }
    }
  }
  return false;
}

function sampleReference(arm: CountdownArm, numbers: number[], rng: Rng): Node | null {
  let pool = rng.shuffle(numbers).slice(0, rng.nextInt(arm.minUse, arm.maxUse)).map(leaf);
  while (pool.length > 1) {
    const [a, b, ...rest] = rng.shuffle(pool);
    const op = rng.pick(arm.ops);
    const value = apply(op, a.value, b.value);
    // Countdown rules: intermediate results stay positive integers; dividing by 1 is no step.
    if (!value || value.d !== 1 || value.n <= 0 || (op === '/' && b.value.n === 1)) return null;
    pool = [...rest, join(op, a, b, value)];
  }
  return pool[0];
}

export const countdownTask = defineTask<CountdownArm>({
  id: 'countdown',
  title: 'Countdown',
  description:
    'Reach the target using each number at most once with + - * / and brackets: `3,5,7>22=` → `3*5+7`. ' +
    'Many answers are right; the verifier evaluates yours exactly. Arms add numbers and steps.',
  arms: ARMS,
  maxPromptLength: '12,12,12,12>199='.length,
  maxCompletionLength: MAX_COMPLETION,
  sample(arm, rng) {
    for (;;) {
      const numbers = Array.from({ length: arm.count }, () => rng.nextInt(1, arm.maxNumber));
      const reference = sampleReference(arm, numbers, rng);
      if (!reference) continue;
      const target = reference.value.n;
      // A target that is one of the numbers needs no arithmetic at all.
      if (target > arm.maxTarget || numbers.includes(target)) continue;
      // An arm that claims to need 3+ numbers must not be solvable with two (e.g. `4*6*1`).
      if (arm.minUse > 2 && reachableWithTwo(numbers, target)) continue;
      return {
        prompt: `${numbers.join(',')}>${target}=`,
        answer: reference.text,
        meta: { numbers, target },
      };
    }
  },
  score: (problem, completion) => scoreCountdown(problem.prompt, completion),
  fromPrompt(prompt) {
    const puzzle = parsePrompt(prompt);
    if (!puzzle || puzzle.numbers.length > 4) return null;
    const answer = solveCountdown(puzzle.numbers, puzzle.target);
    return answer === null ? null : { prompt, answer, meta: { ...puzzle } };
  },
  armOf: (problem) => ((problem.meta?.numbers as number[]).length === 4 ? 'n4' : undefined),
});
