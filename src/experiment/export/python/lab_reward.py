"""RLVR Lab's built-in reward in Python (src/rewards/builtin.ts and overlong.ts): a weighted sum of the
task verifier's components plus length terms. score_builtin returns exactly what the lab's scoreBuiltin
returns (reward, components); a parity test holds the two implementations to identical scores.

weights: {'correctness': 1.0, 'format': 0.0, 'partial': 0.0, 'lengthPenalty': 0.0, 'overlong': ...}
         (an absent key weighs 0; any other name weighs the verifier component of that name)."""
import math

from lab_exprlang import utf16_length
from lab_tasks import get_task


def overlong_penalty(length, max_length, cache_length):
    """DAPO's soft overlong punishment: 0 up to L_max - L_cache, then a linear ramp down to -1 at L_max."""
    start = max_length - cache_length
    if length <= start:
        return 0
    if length > max_length:
        return -1
    return (start - length) / cache_length


def default_overlong(max_completion_length):
    max_length = max(1, max_completion_length)
    return {'maxLength': max_length, 'cacheLength': max(1, max_length // 4)}


def coin_flip(prompt, completion):
    """The lab's coinFlip: 0 or 1 from FNV-1a over the UTF-16 code units of prompt + NUL + completion, then
    an avalanche; a reward unrelated to correctness (the spurious-rewards study), the same every run."""
    text = prompt + '\u0000' + completion
    units = text.encode('utf-16-le', 'surrogatepass')  # lone surrogates too, as JS sees them
    h = 0x811c9dc5
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xffffffff
    h ^= h >> 15
    h = (h * 0x2c1b3c6d) & 0xffffffff
    h ^= h >> 12
    return h & 1


def score_builtin(weights, problem, completion, completion_tokens=None, overlong=None):
    """(reward, components) of one completion. completion_tokens is what the length terms count: the
    lab counts completion tokens with EOS (one character is one token); None = the completion's length."""
    for name, weight in weights.items():
        if weight is not None and not math.isfinite(weight):
            raise ValueError(f'reward weight {name!r} must be a finite number, got {weight}')
    task = get_task(problem['task'])
    tokens = utf16_length(completion) if completion_tokens is None else completion_tokens
    verdict = task.verify(problem, completion)
    components = {k: v for k, v in verdict.items() if isinstance(v, (int, float)) and math.isfinite(v)}
    if 'partial' not in components and 'partial' in weights:
        components['partial'] = components.get('correctness', 0)
    if 'lengthPenalty' in weights:
        components['lengthPenalty'] = -tokens
    if weights.get('coin'):
        components['coin'] = coin_flip(problem['prompt'], completion)
    if 'overlong' in weights:
        params = overlong or default_overlong(task.max_completion_length)
        components['overlong'] = overlong_penalty(tokens, params['maxLength'], params['cacheLength'])
    reward = 0
    for name, weight in weights.items():
        if not weight:  # 0 and None weigh nothing (NaN was refused above)
            continue
        reward += weight * components.get(name, 0)
    return reward, components
