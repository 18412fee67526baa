"""Draws more problems of an RLVR Lab task, exactly as the lab draws them (same seed, same rows), in an
engine's data layout. The export's data/train.jsonl is the first `--n` rows of this stream; ask for more
rows (or another seed) to train longer.

usage: python3 generate.py --task addition --arms d1,d2 [--weights 1,3] --seed 1 --n 4800 \
           --split train|test --format trl|verl|openrlhf [--out data/more.jsonl]
       --split test: --n held-out problems per arm (the lab's evaluation set for that seed)."""
import argparse
import json
import sys

from lab_tasks import Rng, get_task

BOS = '<bos>'


def pick_weighted(rng, weights):
    total = sum(weights)
    u = rng.next_float() * total
    running = 0
    for i, w in enumerate(weights):
        running += w
        if u < running:
            return i
    return len(weights) - 1


def train_problems(task_id, arms, weights, seed, n):
    task = get_task(task_id)
    rng = Rng(seed)
    return [task.generate(arms[pick_weighted(rng, weights)], rng) for _ in range(n)]


def test_problems(task_id, arms, seed, per_arm):
    task = get_task(task_id)
    return [p for arm in arms for p in task.eval_set(arm, per_arm, seed)]


def engine_row(fmt, problem, split, index):
    lab = {'task': problem['task'], 'arm': problem['arm'], 'lab_prompt': problem['prompt']}
    if 'meta' in problem:
        lab['meta'] = problem['meta']
    if fmt == 'verl':
        return {
            'data_source': f'rlvr-lab/{problem["task"]}',
            'prompt': [{'role': 'user', 'content': problem['prompt']}],
            'ability': problem['task'],
            'reward_model': {'style': 'rule', 'ground_truth': problem['answer']},
            'extra_info': {'split': split, 'index': index, **lab},
            'ground_truth': problem['answer'],
        }
    row = {'prompt': BOS + problem['prompt'], 'ground_truth': problem['answer'], **lab}
    if fmt == 'openrlhf':
        label = {'task': problem['task'], 'arm': problem['arm'], 'prompt': problem['prompt'], 'answer': problem['answer']}
        if 'meta' in problem:
            label['meta'] = problem['meta']
        row['label'] = json.dumps(label, separators=(',', ':'))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--task', required=True)
    parser.add_argument('--arms', required=True, help='comma-separated arm ids')
    parser.add_argument('--weights', help='comma-separated arm weights for the train split (default: uniform)')
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--split', choices=['train', 'test'], default='train')
    parser.add_argument('--format', choices=['trl', 'verl', 'openrlhf'], required=True)
    parser.add_argument('--out', help='output file (default: stdout)')
    args = parser.parse_args()
    arms = args.arms.split(',')
    weights = [float(w) for w in args.weights.split(',')] if args.weights else [1.0] * len(arms)
    if len(weights) != len(arms) or min(weights) < 0 or sum(weights) <= 0:
        parser.error('--weights needs one non-negative weight per arm, not all zero')
    if args.split == 'train':
        problems = train_problems(args.task, arms, weights, args.seed, args.n)
    else:
        problems = test_problems(args.task, arms, args.seed, args.n)
    out = open(args.out, 'w') if args.out else sys.stdout
    for i, p in enumerate(problems):
        out.write(json.dumps(engine_row(args.format, p, args.split, i)) + '\n')
    if args.out:
        out.close()


if __name__ == '__main__':
    main()
