// A GPT's parameters: seeded GPT-2-style initialisation, and the plain-array form checkpoints use.
import { parameter, type Tensor } from '../engine';
import { mulberry32, normalArray } from '../engine/random';
import { parameterShapes, validateGptConfig, type GptConfig } from './config';

export type GptParams = Map<string, Tensor>;

/** Initial values: N(0, 0.02²) weights, residual output projections scaled by 1/√(2·layers) (GPT-2),
 *  LayerNorm gains 1 and biases 0. Same seed ⇒ same weights on every backend and machine. */
export function initialValues(config: GptConfig, seed: number): Map<string, Float32Array> {
  validateGptConfig(config);
  const uniform = mulberry32(seed);
  const values = new Map<string, Float32Array>();
  const residualStd = 0.02 / Math.sqrt(2 * config.nLayers);
  for (const [name, shape] of parameterShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (name.endsWith('.g')) data = new Float32Array(n).fill(1);
    else if (/\.(b|b1|b2)$/.test(name)) data = new Float32Array(n);
    else data = normalArray(n, /attn\.wo|mlp\.w2/.test(name) ? residualStd : 0.02, uniform);
    values.set(name, data);
  }
  return values;
}

/** Uploads values as trainable parameters on the current backend. */
export function createParams(config: GptConfig, values: Map<string, Float32Array>): GptParams {
  const params: GptParams = new Map();
  for (const [name, shape] of parameterShapes(config)) {
    const data = values.get(name);
    if (!data) throw new Error(`Missing parameter ${name}.`);
    params.set(name, parameter(data, shape, name));
  }
  return params;
}

export function initGptParams(config: GptConfig, seed: number): GptParams {
  return createParams(config, initialValues(config, seed));
}

export async function readParams(params: GptParams): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of params) out.set(name, Float32Array.from(await t.data()));
  return out;
}

export function disposeParams(params: GptParams): void {
  for (const t of params.values()) t.dispose();
}
