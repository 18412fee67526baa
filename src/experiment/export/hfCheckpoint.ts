// The lab's policy as a Hugging Face GPT-2 checkpoint: config.json, model.safetensors with GPT-2's tensor
// names, and tokenizer files for the lab's character vocabulary, so an engine can start from exactly the
// policy trained in the tab.
//
// Why the layout is exact (checked against src/model/forward.ts, params.ts, config.ts): the lab's GPT is
// pre-LayerNorm GPT-2 — learned token and position embeddings, causal attention scaled by 1/√d_head,
// GELU's tanh approximation (GPT-2's `gelu_new`), LayerNorm ε = 1e-5 (GPT-2's `layer_norm_epsilon`),
// a final LayerNorm, and an output head tied to the token embedding (`tie_word_embeddings`). The lab
// multiplies activations by weights stored [in, out], which is GPT-2's Conv1D layout, so weights copy
// across unchanged; q, k, v are concatenated along the output axis into c_attn. The lab's attention
// projections have no biases: GPT-2's c_attn / c_proj biases are exported as zeros. Dropout is 0.
// The one difference is position ids for left-padded batches (see README_NOTES below).
import { parameterShapes, type GptConfig } from '../../model/config';
import { serializeSafetensors, type SafetensorsTensor } from '../../model/safetensors';
import { SPECIAL_TOKENS, VOCAB, BOS_ID, EOS_ID, PAD_ID } from '../../tasks/tokenizer';
import type { ExportFiles } from './types';

export const BOS_TOKEN_TEXT = SPECIAL_TOKENS[BOS_ID];

/** What the README says about the checkpoint's one difference from a stock GPT-2 forward. */
export const CHECKPOINT_NOTES = [
  'The lab counts position ids from each row\'s first real token (prompts are left-padded). Stock GPT-2 ' +
    'numbers positions 0…T−1 unless it is given `position_ids`: pass `position_ids = attention_mask.cumsum(-1) - 1` ' +
    '(clamped at 0) for left-padded batches — `generate()` already does — or the padded rows\' logits differ.',
  'The attention and projection biases (`attn.c_attn.bias`, `attn.c_proj.bias`) are zeros: the lab\'s attention has none. ' +
    'They train from zero in the engine, which the lab\'s model cannot do.',
  `Sequences start with the BOS token \`${BOS_TOKEN_TEXT}\` (id ${BOS_ID}) and a completion ends with EOS (id ${EOS_ID}); ` +
    `the data's prompts carry the BOS token's text, which the tokenizer maps to its id.`,
];

function gpt2Config(c: GptConfig, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: c.vocabSize,
    n_positions: c.contextLength,
    n_ctx: c.contextLength,
    n_embd: c.dModel,
    n_layer: c.nLayers,
    n_head: c.nHeads,
    n_inner: c.dModel * c.mlpRatio,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true,
    initializer_range: 0.02,
    bos_token_id: BOS_ID,
    eos_token_id: EOS_ID,
    pad_token_id: PAD_ID,
    torch_dtype: 'float32',
    use_cache: true,
    rlvr_lab: extra,
  };
}

function concatColumns(d: number, parts: Float32Array[]): Float32Array {
  // [d, d] each → [d, parts·d]: row i of the result is row i of every part, side by side.
  const width = d * parts.length;
  const out = new Float32Array(d * width);
  for (let i = 0; i < d; i++) parts.forEach((p, k) => out.set(p.subarray(i * d, (i + 1) * d), i * width + k * d));
  return out;
}

/** GPT-2 tensors from the lab's parameter values (names of src/model/config.ts parameterShapes). */
export function gpt2Tensors(c: GptConfig, values: ReadonlyMap<string, Float32Array>): Record<string, SafetensorsTensor> {
  const get = (name: string): Float32Array => {
    const v = values.get(name);
    if (!v) throw new Error(`Cannot export the policy: parameter ${name} is missing.`);
    return v;
  };
  for (const [name, shape] of parameterShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (get(name).length !== n) throw new Error(`Cannot export the policy: parameter ${name} has ${get(name).length} values, expected ${n}.`);
  }
  const d = c.dModel;
  const f = d * c.mlpRatio;
  const t = (shape: number[], data: Float32Array): SafetensorsTensor => ({ dtype: 'F32', shape, data });
  const out: Record<string, SafetensorsTensor> = {
    'wte.weight': t([c.vocabSize, d], get('tok_emb')),
    'wpe.weight': t([c.contextLength, d], get('pos_emb')),
    'ln_f.weight': t([d], get('ln_f.g')),
    'ln_f.bias': t([d], get('ln_f.b')),
  };
  for (let l = 0; l < c.nLayers; l++) {
    const h = `h.${l}`;
    const p = (name: string) => get(`h${l}.${name}`);
    out[`${h}.ln_1.weight`] = t([d], p('ln1.g'));
    out[`${h}.ln_1.bias`] = t([d], p('ln1.b'));
    out[`${h}.attn.c_attn.weight`] = t([d, 3 * d], concatColumns(d, [p('attn.wq'), p('attn.wk'), p('attn.wv')]));
    out[`${h}.attn.c_attn.bias`] = t([3 * d], new Float32Array(3 * d));
    out[`${h}.attn.c_proj.weight`] = t([d, d], p('attn.wo'));
    out[`${h}.attn.c_proj.bias`] = t([d], new Float32Array(d));
    out[`${h}.ln_2.weight`] = t([d], p('ln2.g'));
    out[`${h}.ln_2.bias`] = t([d], p('ln2.b'));
    out[`${h}.mlp.c_fc.weight`] = t([d, f], p('mlp.w1'));
    out[`${h}.mlp.c_fc.bias`] = t([f], p('mlp.b1'));
    out[`${h}.mlp.c_proj.weight`] = t([f, d], p('mlp.w2'));
    out[`${h}.mlp.c_proj.bias`] = t([d], p('mlp.b2'));
  }
  return out;
}

/** tokenizer.json (Hugging Face `tokenizers`): a BPE model with no merges and no pre-tokenizer splits any
 *  text into single characters, each its own id; the special tokens are added tokens matched in text. */
function tokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  VOCAB.forEach((token, id) => (vocab[token] = id));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: [] },
  };
}

/** A chat template that is just BOS then the message text: verl applies a chat template to every prompt. */
export const CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ message['content'] }}{% endfor %}";

/** The checkpoint's files under `dir` (e.g. 'model/'). */
export function hfCheckpointFiles(c: GptConfig, values: ReadonlyMap<string, Float32Array>, provenance: Record<string, string>, dir = 'model/'): ExportFiles {
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  const special = { bos_token: SPECIAL_TOKENS[BOS_ID], eos_token: SPECIAL_TOKENS[EOS_ID], pad_token: SPECIAL_TOKENS[PAD_ID] };
  const files: ExportFiles = new Map();
  files.set(`${dir}config.json`, json(gpt2Config(c, provenance)));
  files.set(`${dir}generation_config.json`, json({ bos_token_id: BOS_ID, eos_token_id: EOS_ID, pad_token_id: PAD_ID }));
  files.set(`${dir}model.safetensors`, serializeSafetensors(gpt2Tensors(c, values), { format: 'pt' }));
  files.set(`${dir}tokenizer.json`, json(tokenizerJson()));
  files.set(`${dir}tokenizer_config.json`, json({
    tokenizer_class: 'PreTrainedTokenizerFast',
    ...special,
    model_max_length: c.contextLength,
    padding_side: 'left',
    clean_up_tokenization_spaces: false,
    chat_template: CHAT_TEMPLATE,
  }));
  files.set(`${dir}special_tokens_map.json`, json({ ...special, additional_special_tokens: SPECIAL_TOKENS.filter((_, id) => id > EOS_ID) }));
  return files;
}
