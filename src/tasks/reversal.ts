// Reverse a string of lowercase letters: `rev abcd=` → `dcba`. Arms set the length.
import { defineTask, positionalMatch, scoreExact, type TaskArm } from './task';

interface ReversalArm extends TaskArm {
  length: number;
}

const LENGTHS = [3, 5, 8, 12];
const ARMS: ReversalArm[] = LENGTHS.map((length, i) => ({
  id: `len${length}`,
  label: `${length} letters`,
  level: i + 1,
  length,
}));
const MAX_LENGTH = Math.max(...LENGTHS);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const reverse = (text: string): string => [...text].reverse().join('');
const PROMPT = new RegExp(`^rev ([a-z]{1,${MAX_LENGTH}})=$`);

export const reversalTask = defineTask<ReversalArm>({
  id: 'reversal',
  title: 'String reversal',
  description: 'Reverse a string of lowercase letters: `rev abcd=` → `dcba`. Arms set the length.',
  arms: ARMS,
  maxPromptLength: 'rev '.length + MAX_LENGTH + 1,
  maxCompletionLength: MAX_LENGTH,
  sample(arm, rng) {
    let text = '';
    for (let i = 0; i < arm.length; i++) text += rng.pick([...LETTERS]);
    return { prompt: `rev ${text}=`, answer: reverse(text) };
  },
  score: (problem, completion) =>
    scoreExact(completion, problem.answer, { format: /^[a-z]+$/, partial: positionalMatch }),
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    return m ? { prompt, answer: reverse(m[1]) } : null;
  },
  armOf: (problem) => ARMS.find((arm) => arm.length === problem.answer.length)?.id,
});
