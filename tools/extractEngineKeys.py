#!/usr/bin/env python3
"""Regenerates src/experiment/export/keys/*.json: the configuration keys each engine accepts, read from
the engine's own sources (git checkouts). The exporter's tests check every key it emits against these
lists, so a renamed key in a new engine version shows up as a failing test after regeneration.

usage: python3 tools/extractEngineKeys.py --trl DIR --verl DIR --openrlhf DIR
(each DIR a git checkout or bare mirror; HEAD is read with `git show`, nothing is imported or run)."""
import argparse, json, re, subprocess, sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / 'src/experiment/export/keys'

# The transformers.TrainingArguments fields the TRL script sets (GRPOConfig inherits them). Checked by
# hand against transformers' src/transformers/training_args.py (commit 00349ae8); not extracted.
TRAINING_ARGUMENTS_USED = [
    'output_dir', 'per_device_train_batch_size', 'gradient_accumulation_steps', 'max_steps', 'learning_rate',
    'lr_scheduler_type', 'warmup_steps', 'weight_decay', 'adam_beta1', 'adam_beta2', 'adam_epsilon',
    'max_grad_norm', 'seed', 'logging_steps', 'bf16', 'report_to',
]


def git(repo, *args):
    return subprocess.run(['git', '-C', repo, *args], check=True, capture_output=True, text=True).stdout


def describe(repo):
    commit = git(repo, 'rev-parse', 'HEAD').strip()
    try:
        tag = git(repo, 'describe', '--tags', '--abbrev=0').strip()
    except subprocess.CalledProcessError:
        tag = ''
    return {'commit': commit, 'lastTag': tag}


def trl(repo):
    text = git(repo, 'show', 'HEAD:trl/trainer/grpo_config.py')
    body = text[text.index('class GRPOConfig'):]
    fields = re.findall(r'^    ([a-z_][a-z0-9_]*): [^=\n]+= field\(', body, re.M)
    return {'source': {'repo': 'huggingface/trl', 'files': ['trl/trainer/grpo_config.py'], **describe(repo),
                       'plus': 'transformers.TrainingArguments fields used by the script (checked by hand)'},
            'keys': sorted(set(fields) | set(TRAINING_ARGUMENTS_USED))}


def flatten(prefix, node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith('_'):
                continue
            flatten(f'{prefix}.{key}' if prefix else key, value, out)
            out.add(f'{prefix}.{key}' if prefix else key)
    else:
        out.add(prefix)


def verl(repo):
    import yaml
    text = git(repo, 'show', 'HEAD:verl/trainer/config/_generated_ppo_trainer.yaml')
    keys = set()
    flatten('', yaml.safe_load(text), keys)
    return {'source': {'repo': 'volcengine/verl', 'files': ['verl/trainer/config/_generated_ppo_trainer.yaml'], **describe(repo)},
            'keys': sorted(keys)}


def openrlhf(repo):
    text = git(repo, 'show', 'HEAD:openrlhf/cli/train_ppo_ray.py')
    flags = set(re.findall(r'"(--[a-zA-Z0-9_.]+)"', text))
    for templated in re.findall(r'f"--\{prefix\}(\.[a-zA-Z0-9_.]+)"', text):
        for prefix in ('actor', 'critic'):
            flags.add(f'--{prefix}{templated}')
    return {'source': {'repo': 'OpenRLHF/OpenRLHF', 'files': ['openrlhf/cli/train_ppo_ray.py'], **describe(repo)},
            'keys': sorted(flags)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--trl', required=True)
    parser.add_argument('--verl', required=True)
    parser.add_argument('--openrlhf', required=True)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fn, repo in (('trl', trl, args.trl), ('verl', verl, args.verl), ('openrlhf', openrlhf, args.openrlhf)):
        data = fn(repo)
        (OUT / f'{name}.json').write_text(json.dumps(data, indent=1) + '\n')
        print(f'{name}: {len(data["keys"])} keys from {data["source"]["repo"]} {data["source"]["commit"][:10]}', file=sys.stderr)


if __name__ == '__main__':
    main()
