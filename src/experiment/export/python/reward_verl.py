"""The experiment's reward for verl: `custom_reward_function.path=reward.py`, `.name=compute_score`.
verl calls compute_score(data_source, solution_str, ground_truth, extra_info) once per response, where
solution_str is the decoded response alone and extra_info is the row's extra_info (task, arm, lab_prompt,
meta). verl does not pass the response's token count: the length terms count its characters plus EOS."""
from lab_scoring import Scorer, problem_from_row

_scorer = None


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    global _scorer
    _scorer = _scorer or Scorer()
    info = extra_info or {}
    task = info.get('task') or str(data_source).split('/')[-1]
    problem = problem_from_row(task, info.get('lab_prompt', ''), ground_truth, info.get('arm'), info.get('meta'))
    rewards, _ = _scorer.score([problem], [solution_str])
    return rewards[0]
