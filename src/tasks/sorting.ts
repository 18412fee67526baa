// Sort a list of digits ascending: `sort 3142=` → `1234`. Repeats allowed; arms set the list length.
import { defineTask, makeReward, positionalMatch, type TaskArm } from './task';

interface SortingArm extends TaskArm {
  length: number;
}

const LENGTHS = [3, 5, 8, 12];
const ARMS: SortingArm[] = LENGTHS.map((length, i) => ({
  id: `len${length}`,
  label: `${length} digits`,
  level: i + 1,
  length,
}));
const MAX_LENGTH = Math.max(...LENGTHS);

const sortDigits = (digits: string): string => [...digits].sort().join('');
const PROMPT = new RegExp(`^sort ([0-9]{1,${MAX_LENGTH}})=$`);

export const sortingTask = defineTask<SortingArm>({
  id: 'sorting',
  title: 'Sorting',
  description: 'Sort a list of digits ascending: `sort 3142=` → `1234`. Arms set the length of the list.',
  arms: ARMS,
  maxPromptLength: 'sort '.length + MAX_LENGTH + 1,
  maxCompletionLength: MAX_LENGTH,
  sample(arm, rng) {
    let digits = '';
    for (let i = 0; i < arm.length; i++) digits += String(rng.nextInt(0, 9));
    return { prompt: `sort ${digits}=`, answer: sortDigits(digits) };
  },
  score(problem, completion) {
    const want = problem.answer;
    const format = /^[0-9]+$/.test(completion) && completion.length === want.length;
    // A permutation of the input (the right multiset, maybe in the wrong order) is worth noting.
    const permutation = format && sortDigits(completion) === want ? 1 : 0;
    const partial = format ? positionalMatch(completion, want) : 0;
    const correct = completion === want;
    const detail = completion.length === 0 ? 'empty completion' : !format ? `expected ${want.length} digits` : correct ? undefined : `expected ${want}`;
    return makeReward(format, correct, { partial, permutation }, detail);
  },
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    return m ? { prompt, answer: sortDigits(m[1]) } : null;
  },
  armOf: (problem) => ARMS.find((arm) => arm.length === problem.answer.length)?.id,
});
