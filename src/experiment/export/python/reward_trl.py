"""The experiment's reward for TRL's GRPOTrainer: `reward(prompts, completions, **kwargs) -> list[float]`.
TRL passes the dataset's other columns (task, arm, lab_prompt, ground_truth, meta) as lists in kwargs,
and the completion token ids as `completion_ids`, which the length terms count."""
from lab_scoring import Scorer, problem_from_row

_scorer = None


def _text(completion):
    # Conversational datasets give a list of messages; this export's prompts are plain text.
    return completion[-1]['content'] if isinstance(completion, list) else completion


def reward(prompts, completions, **kwargs):
    global _scorer
    _scorer = _scorer or Scorer()
    n = len(completions)
    metas = kwargs.get('meta') or [None] * n
    problems = [problem_from_row(kwargs['task'][i], kwargs['lab_prompt'][i], kwargs['ground_truth'][i], kwargs['arm'][i], metas[i]) for i in range(n)]
    ids = kwargs.get('completion_ids')
    tokens = [len(x) for x in ids] if ids is not None else None
    rewards, _ = _scorer.score(problems, [_text(c) for c in completions], tokens)
    return rewards
