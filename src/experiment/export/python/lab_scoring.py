"""The experiment's reward, whatever its kind, behind one call: reward_settings.json (written by the
exporter next to this file) says whether it is the lab's built-in weighted reward (scored in Python by
lab_reward.py) or the user's JavaScript (run under Node by js_reward_adapter.py). Each engine's
reward.py adapts this to the engine's signature."""
import json
import os

from lab_exprlang import utf16_length
from lab_reward import score_builtin

HERE = os.path.dirname(os.path.abspath(__file__))


def load_settings(path=None):
    with open(path or os.path.join(HERE, 'reward_settings.json'), encoding='utf-8') as f:
        return json.load(f)


class Scorer:
    def __init__(self, settings=None):
        self.settings = settings or load_settings()
        self.kind = self.settings['kind']
        if self.kind == 'code':
            from js_reward_adapter import JsReward
            self.js = JsReward(os.path.join(HERE, self.settings['codeFile']), timeout_ms=self.settings.get('timeoutMs', 2000))
        elif self.kind != 'builtin':
            raise ValueError(f'unknown reward kind {self.kind!r} in reward_settings.json')

    def score(self, problems, completions, completion_tokens=None):
        """(rewards, correctness) for parallel lists. problems: {task, prompt, answer, arm, meta?} dicts;
        completion_tokens: tokens the engine generated per completion (EOS included), or None to count
        the characters plus one EOS, as the lab counts a completion that ended with EOS."""
        if completion_tokens is None:
            completion_tokens = [utf16_length(c) + 1 for c in completions]
        if self.kind == 'code':
            samples = [{'prompt': p['prompt'], 'completion': c, 'answer': p['answer'], 'task': p['task'], 'arm': p.get('arm', 'custom')}
                       for p, c in zip(problems, completions)]
            rewards = [float(r) for r in self.js.score(samples)]
            correctness = [float(score_builtin({'correctness': 1}, p, c)[0]) for p, c in zip(problems, completions)]
            return rewards, correctness
        rewards, correctness = [], []
        for p, c, n in zip(problems, completions, completion_tokens):
            reward, components = score_builtin(self.settings['weights'], p, c, n, self.settings.get('overlong'))
            rewards.append(float(reward))
            correctness.append(float(components.get('correctness', 0)))
        return rewards, correctness


def problem_from_row(task, lab_prompt, ground_truth, arm=None, meta=None):
    problem = {'task': task, 'prompt': lab_prompt, 'answer': ground_truth, 'arm': arm or 'custom'}
    if meta is not None:
        problem['meta'] = meta
    return problem
