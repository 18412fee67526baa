// Modular arithmetic: `47%6=` → `5`, `(47+38)%9=` → `4`, `(12*34)%7=` → `2`. The result is always in
// [0, m). Arms go from a plain remainder to the remainder of a product.
import { defineTask, scoreExact, type TaskArm } from './task';

type ModOp = 'none' | '+' | '*';

interface ModularArm extends TaskArm {
  op: ModOp;
  maxOperand: number;
  maxModulus: number;
}

const ARMS: ModularArm[] = [
  { id: 'rem', label: 'a % m', level: 1, op: 'none', maxOperand: 99, maxModulus: 9 },
  { id: 'sum', label: '(a + b) % m', level: 2, op: '+', maxOperand: 99, maxModulus: 12 },
  { id: 'prod', label: '(a × b) % m', level: 3, op: '*', maxOperand: 99, maxModulus: 19 },
];

const PROMPT = /^(?:(0|[1-9][0-9]{0,2})|\((0|[1-9][0-9]{0,2})([+*])(0|[1-9][0-9]{0,2})\))%([1-9][0-9]?)=$/;

export const modularTask = defineTask<ModularArm>({
  id: 'modular',
  title: 'Modular arithmetic',
  description: 'Reduce modulo m: `47%6=` → `5`, `(47+38)%9=` → `4`, `(12*34)%7=` → `2`. Arms add an operation before the remainder.',
  arms: ARMS,
  maxPromptLength: '(999*999)%99='.length,
  maxCompletionLength: 2,
  sample(arm, rng) {
    const a = rng.nextInt(0, arm.maxOperand);
    const m = rng.nextInt(2, arm.maxModulus);
    if (arm.op === 'none') return { prompt: `${a}%${m}=`, answer: String(a % m) };
    const b = rng.nextInt(0, arm.maxOperand);
    const value = arm.op === '+' ? a + b : a * b;
    return { prompt: `(${a}${arm.op}${b})%${m}=`, answer: String(value % m) };
  },
  score: (problem, completion) => scoreExact(completion, problem.answer),
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    if (!m) return null;
    const modulus = Number(m[5]);
    if (m[1] !== undefined) return { prompt, answer: String(Number(m[1]) % modulus) };
    const a = Number(m[2]);
    const b = Number(m[4]);
    return { prompt, answer: String((m[3] === '+' ? a + b : a * b) % modulus) };
  },
  armOf: (problem) => (problem.prompt.startsWith('(') ? (problem.prompt.includes('+') ? 'sum' : 'prod') : 'rem'),
});
