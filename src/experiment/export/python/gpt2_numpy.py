"""A GPT-2 forward pass in numpy, from an exported checkpoint folder alone (config.json, model.safetensors,
tokenizer.json): no torch, no transformers. It checks that the export is a faithful GPT-2 — the lab's
tests run it and compare its logits with the lab's own forward pass — and shows the maths in one page.

usage: python3 gpt2_numpy.py MODEL_DIR PROMPT [PROMPT ...]   prints one JSON line per prompt:
       {"prompt": ..., "ids": [...], "logits": [[...] per position]}  (the prompt is encoded as BOS + characters)"""
import json
import struct
import sys
from pathlib import Path

import numpy as np


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        if info['dtype'] != 'F32':
            raise ValueError(f'{name}: only F32 tensors are expected, got {info["dtype"]}')
        begin, end = info['data_offsets']
        tensors[name] = np.frombuffer(data[begin:end], dtype='<f4').reshape(info['shape']).astype(np.float64)
    return tensors


def encode(tokenizer, prompt):
    """BOS, then one id per character (the tokenizer is a character vocabulary)."""
    vocab = tokenizer['model']['vocab']
    bos = next(t['id'] for t in tokenizer['added_tokens'] if t['content'] == '<bos>')
    return [bos] + [vocab[ch] for ch in prompt]


def layer_norm(x, g, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def forward(cfg, w, ids):
    """Logits [T, vocab] of one sequence (positions 0..T-1)."""
    if cfg['activation_function'] != 'gelu_new':
        raise ValueError('this checker implements gelu_new only')
    T = len(ids)
    d, H, eps = cfg['n_embd'], cfg['n_head'], cfg['layer_norm_epsilon']
    dh = d // H
    x = w['wte.weight'][ids] + w['wpe.weight'][np.arange(T)]
    causal = np.triu(np.full((T, T), -np.inf), 1)
    for l in range(cfg['n_layer']):
        p = lambda name: w[f'h.{l}.{name}']
        h = layer_norm(x, p('ln_1.weight'), p('ln_1.bias'), eps)
        qkv = h @ p('attn.c_attn.weight') + p('attn.c_attn.bias')  # Conv1D: x @ W[in, out] + b
        q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(T, H, dh).transpose(1, 0, 2) for i in range(3))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(dh) + causal
        scores -= scores.max(-1, keepdims=True)
        att = np.exp(scores)
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(T, d)
        x = x + ctx @ p('attn.c_proj.weight') + p('attn.c_proj.bias')
        h2 = layer_norm(x, p('ln_2.weight'), p('ln_2.bias'), eps)
        x = x + gelu_new(h2 @ p('mlp.c_fc.weight') + p('mlp.c_fc.bias')) @ p('mlp.c_proj.weight') + p('mlp.c_proj.bias')
    x = layer_norm(x, w['ln_f.weight'], w['ln_f.bias'], eps)
    head = w['wte.weight'] if cfg.get('tie_word_embeddings', True) else w['lm_head.weight']
    return x @ head.T


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    model_dir = Path(sys.argv[1])
    cfg = json.loads((model_dir / 'config.json').read_text())
    tokenizer = json.loads((model_dir / 'tokenizer.json').read_text())
    weights = load_safetensors(model_dir / 'model.safetensors')
    for prompt in sys.argv[2:]:
        ids = encode(tokenizer, prompt)
        print(json.dumps({'prompt': prompt, 'ids': ids, 'logits': forward(cfg, weights, ids).tolist()}))


if __name__ == '__main__':
    main()
