// The Python files the exporter ships, kept as real .py files (so they are linted, compiled and run by
// the tests) and imported as text with Vite's `?raw` (works in the app, vite-node and vitest alike).
import gpt2Numpy from './python/gpt2_numpy.py?raw';
import generate from './python/generate.py?raw';
import jsRewardAdapter from './python/js_reward_adapter.py?raw';
import jsRewardHost from './python/js_reward_host.mjs?raw';
import labExprlang from './python/lab_exprlang.py?raw';
import labReward from './python/lab_reward.py?raw';
import labScoring from './python/lab_scoring.py?raw';
import labTasks from './python/lab_tasks.py?raw';
import rewardOpenrlhf from './python/reward_openrlhf.py?raw';
import rewardTrl from './python/reward_trl.py?raw';
import rewardVerl from './python/reward_verl.py?raw';
import scoreJsonl from './python/score_jsonl.py?raw';

/** The lab's tasks, reward and tools in Python: copied into every export. */
export const PYTHON_SOURCES: Record<string, string> = {
  'lab_exprlang.py': labExprlang,
  'lab_tasks.py': labTasks,
  'lab_reward.py': labReward,
  'lab_scoring.py': labScoring,
  'generate.py': generate,
  'score_jsonl.py': scoreJsonl,
  'gpt2_numpy.py': gpt2Numpy,
};

/** Each engine's reward.py (the engine's signature around lab_reward.score_builtin). */
export const REWARD_TEMPLATES = { trl: rewardTrl, verl: rewardVerl, openrlhf: rewardOpenrlhf } as const;

/** A user's JavaScript reward: the Python adapter and the Node host it talks to over JSON lines. */
export const JS_REWARD_SOURCES: Record<string, string> = {
  'js_reward_adapter.py': jsRewardAdapter,
  'js_reward_host.mjs': jsRewardHost,
};
