"""The experiment's reward for OpenRLHF: `--reward.remote_url reward.py` with `--data.label_key label`.
OpenRLHF calls reward_func(queries, prompts, labels) with the full decoded sequences (prompt + response),
the prompts, and each row's label — here the lab problem as JSON (task, arm, prompt, answer, meta).
Returns rewards (what the advantage sees), scores in [0, 1] (correctness; dynamic filtering reads them)."""
import json

from lab_scoring import Scorer

SPECIALS = ['<pad>', '<bos>', '<eos>', '<sep>', '<propose>', '<solve>']
_scorer = None


def completion_of(query, prompt):
    """The response text: the query after its prompt, up to the first EOS, without padding (BOS is
    dropped from both first: the query may have been decoded with or without special tokens)."""
    query, prompt = query.replace('<bos>', ''), prompt.replace('<bos>', '')
    query = query.replace('<pad>', '')
    text = query[len(prompt):] if query.startswith(prompt) else query.split(prompt, 1)[-1]
    text = text.split('<eos>', 1)[0]
    return text.replace('<pad>', '')


def reward_func(queries, prompts, labels, **kwargs):
    global _scorer
    _scorer = _scorer or Scorer()
    problems = [json.loads(label) for label in labels]
    completions = [completion_of(q, p) for q, p in zip(queries, prompts)]
    rewards, correctness = _scorer.score(problems, completions)
    try:
        import torch
        as_tensor = torch.tensor
    except ImportError:  # lets the file be tried without torch; OpenRLHF itself always has it
        as_tensor = list
    return {
        'rewards': as_tensor(rewards),
        'scores': as_tensor(correctness),
        'extra_logs': {'correctness': as_tensor(correctness)},
    }
