// The policy's architecture. Small on purpose: it must train in a browser tab in minutes.

export interface GptConfig {
  vocabSize: number;
  /** Longest sequence (prompt + completion, BOS/EOS included) the position table covers. */
  contextLength: number;
  dModel: number;
  nHeads: number;
  nLayers: number;
  /** Hidden width of the MLP as a multiple of dModel. */
  mlpRatio: number;
}

/** The default policy: 3 layers, width 64, 4 heads — about 0.16 M parameters. */
export const defaultGptConfig: GptConfig = {
  vocabSize: 60, // = VOCAB_SIZE of src/tasks/tokenizer.ts (a test keeps them equal)
  contextLength: 48,
  dModel: 64,
  nHeads: 4,
  nLayers: 3,
  mlpRatio: 4,
};

export function validateGptConfig(c: GptConfig): void {
  const positive = ['vocabSize', 'contextLength', 'dModel', 'nHeads', 'nLayers', 'mlpRatio'] as const;
  for (const key of positive) {
    if (!Number.isInteger(c[key]) || c[key] < 1) throw new Error(`GPT config: ${key} must be a positive integer, got ${c[key]}.`);
  }
  if (c.dModel % c.nHeads !== 0) throw new Error(`GPT config: dModel ${c.dModel} is not divisible by nHeads ${c.nHeads}.`);
}

/** Names and shapes of every parameter, in a stable order (checkpoints and optimisers rely on it). */
export function parameterShapes(c: GptConfig): [string, number[]][] {
  const d = c.dModel;
  const f = d * c.mlpRatio;
  const shapes: [string, number[]][] = [
    ['tok_emb', [c.vocabSize, d]],
    ['pos_emb', [c.contextLength, d]],
  ];
  for (let l = 0; l < c.nLayers; l++) {
    shapes.push(
      [`h${l}.ln1.g`, [d]],
      [`h${l}.ln1.b`, [d]],
      [`h${l}.attn.wq`, [d, d]],
      [`h${l}.attn.wk`, [d, d]],
      [`h${l}.attn.wv`, [d, d]],
      [`h${l}.attn.wo`, [d, d]],
      [`h${l}.ln2.g`, [d]],
      [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, f]],
      [`h${l}.mlp.b1`, [f]],
      [`h${l}.mlp.w2`, [f, d]],
      [`h${l}.mlp.b2`, [d]],
    );
  }
  shapes.push(['ln_f.g', [d]], ['ln_f.b', [d]]);
  return shapes;
}

export function parameterCount(c: GptConfig): number {
  return parameterShapes(c).reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
}
