// Shared by generateFused.test.ts (CPU) and generateFused.gpu.test.ts (WebGPU): the fused decode path
// against the unfused ops on the same backend, on awkward model shapes.
import type { GptConfig } from './config';
import { generate, type GenerateOptions, type GenerateResult } from './generate';
import { randomValues } from './generateTestUtil';
import { createParams, disposeParams } from './params';

/** Widths that are not powers of two, a vocabulary of 17. The first three and the last have every
 *  width a multiple of 4 (the WebGPU backend's vec4 decode layer, with 1, 4, 1 and 2 column blocks per
 *  thread pass); the fourth and fifth do not (its scalar one): an odd model width and head width, and a
 *  model width of 24 split into heads of 6. */
export const awkwardConfigs: GptConfig[] = [
  { vocabSize: 17, contextLength: 13, dModel: 12, nHeads: 3, nLayers: 1, mlpRatio: 3 },
  { vocabSize: 12, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 },
  { vocabSize: 65, contextLength: 20, dModel: 20, nHeads: 5, nLayers: 2, mlpRatio: 5 },
  { vocabSize: 11, contextLength: 12, dModel: 10, nHeads: 2, nLayers: 1, mlpRatio: 3 },
  { vocabSize: 9, contextLength: 16, dModel: 24, nHeads: 4, nLayers: 2, mlpRatio: 2 },
  { vocabSize: 13, contextLength: 14, dModel: 24, nHeads: 3, nLayers: 1, mlpRatio: 2 },
];

/** Prompts of lengths 1, 3 and 5 (BOS first) within the vocabulary. */
export function awkwardPrompts(config: GptConfig): number[][] {
  const V = config.vocabSize;
  return [[1], [1, 5 % V, 7 % V], [1, 3 % V, 9 % V, 4 % V, 6 % V]];
}

export interface FusedComparison {
  fused: GenerateResult;
  unfused: GenerateResult;
  /** max |Δlogit| / max |logit| over the steps both computed from identical prefixes. */
  logitError: number;
  /** max |Δ| of the sampled tokens' log-probs and entropies on those steps. */
  scoreError: number;
  /** Rows whose tokens differ anywhere. */
  rowsDiffering: number;
}

export async function compareFused(config: GptConfig, options: GenerateOptions, seed = 7): Promise<FusedComparison> {
  const params = createParams(config, randomValues(config, seed));
  try {
    const prompts = awkwardPrompts(config);
    const fused = await generate(config, params, prompts, { ...options, decode: 'fused', returnLogits: true });
    const unfused = await generate(config, params, prompts, { ...options, decode: 'unfused', returnLogits: true });
    const V = config.vocabSize;
    const T = options.maxNewTokens;
    let maxAbs = 0;
    let maxDiff = 0;
    let scoreError = 0;
    let rowsDiffering = 0;
    for (let r = 0; r < fused.rows; r++) {
      let same = true;
      for (let t = 0; t < T; t++) {
        const i = r * T + t;
        for (let j = 0; j < V; j++) {
          maxAbs = Math.max(maxAbs, Math.abs(unfused.logits![i * V + j]));
          maxDiff = Math.max(maxDiff, Math.abs(fused.logits![i * V + j] - unfused.logits![i * V + j]));
        }
        scoreError = Math.max(scoreError, Math.abs(fused.logProbs[i] - unfused.logProbs[i]), Math.abs(fused.entropies[i] - unfused.entropies[i]));
        if (fused.tokens[i] !== unfused.tokens[i]) {
          same = false;
          break; // later steps were fed different tokens
        }
      }
      if (!same) rowsDiffering++;
    }
    return { fused, unfused, logitError: maxDiff / maxAbs, scoreError, rowsDiffering };
  } finally {
    disposeParams(params);
  }
}
