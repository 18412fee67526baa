// Parity of a bit string: `par 10110=` → `1` (an odd number of ones). Arms set the length; parity is
// the textbook case where a transformer must attend to every position, so longer strings are harder.
import { defineTask, scoreExact, type TaskArm } from './task';

interface ParityArm extends TaskArm {
  length: number;
}

const LENGTHS = [6, 10, 14, 18];
const ARMS: ParityArm[] = LENGTHS.map((length, i) => ({
  id: `len${length}`,
  label: `${length} bits`,
  level: i + 1,
  length,
}));
const MAX_LENGTH = Math.max(...LENGTHS);

const parityOf = (bits: string): string => String([...bits].filter((b) => b === '1').length % 2);
const PROMPT = new RegExp(`^par ([01]{1,${MAX_LENGTH}})=$`);

export const parityTask = defineTask<ParityArm>({
  id: 'parity',
  title: 'Parity',
  description: 'Say whether a bit string has an odd number of ones: `par 10110=` → `1`. Arms set the length.',
  arms: ARMS,
  maxPromptLength: 'par '.length + MAX_LENGTH + 1,
  maxCompletionLength: 1,
  sample(arm, rng) {
    let bits = '';
    for (let i = 0; i < arm.length; i++) bits += rng.nextInt(0, 1) ? '1' : '0';
    return { prompt: `par ${bits}=`, answer: parityOf(bits) };
  },
  score: (problem, completion) => scoreExact(completion, problem.answer, { format: /^[01]$/ }),
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    return m ? { prompt, answer: parityOf(m[1]) } : null;
  },
  armOf: (problem) => ARMS.find((arm) => `par `.length + arm.length + 1 === problem.prompt.length)?.id,
});
