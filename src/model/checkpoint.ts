// Checkpoints in the safetensors format: every parameter as F32, the model config (and anything else
// the caller records: recipe, scores) as string metadata. Loading validates names, shapes and sizes.
import { parameterShapes, validateGptConfig, type GptConfig } from './config';
import { parseSafetensors, serializeSafetensors } from './safetensors';

export interface Checkpoint {
  config: GptConfig;
  values: Map<string, Float32Array>;
  /** Free-form string metadata (e.g. "task", "recipe", "pass@1"). */
  metadata: Record<string, string>;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export function serializeCheckpoint(c: Checkpoint): Uint8Array {
  const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
  for (const [name, shape] of parameterShapes(c.config)) {
    const data = c.values.get(name);
    if (!data) throw new CheckpointError(`Cannot save: parameter ${name} is missing.`);
    tensors[name] = { dtype: 'F32', shape, data };
  }
  return serializeSafetensors(tensors, { ...c.metadata, gpt_config: JSON.stringify(c.config), format: 'rlvr-lab-gpt/1' });
}

function readConfig(metadata: Record<string, string> | undefined): GptConfig {
  const raw = metadata?.gpt_config;
  if (!raw) throw new CheckpointError('This file has no "gpt_config" metadata: it is not an RLVR Lab checkpoint.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CheckpointError('The checkpoint\'s "gpt_config" metadata is not valid JSON.');
  }
  const keys = ['vocabSize', 'contextLength', 'dModel', 'nHeads', 'nLayers', 'mlpRatio'] as const;
  const obj = parsed as Record<string, unknown>;
  const config = Object.fromEntries(keys.map((k) => [k, obj?.[k]])) as unknown as GptConfig;
  try {
    validateGptConfig(config);
  } catch (e) {
    throw new CheckpointError(`The checkpoint's model config is invalid: ${(e as Error).message}`);
  }
  return config;
}

export function parseCheckpoint(bytes: Uint8Array): Checkpoint {
  let parsed: ReturnType<typeof parseSafetensors>;
  try {
    parsed = parseSafetensors(bytes);
  } catch (e) {
    throw new CheckpointError(`Not a readable checkpoint: ${(e as Error).message}`);
  }
  const config = readConfig(parsed.metadata);
  const expected = Object.fromEntries(parameterShapes(config));
  try {
    parsed = parseSafetensors(bytes, expected);
  } catch (e) {
    throw new CheckpointError(`The checkpoint does not match its model config: ${(e as Error).message}`);
  }
  const values = new Map<string, Float32Array>();
  for (const [name] of parameterShapes(config)) {
    const t = parsed.tensors[name];
    if (t.dtype !== 'F32') throw new CheckpointError(`Parameter ${name} is ${t.dtype}, expected F32.`);
    values.set(name, t.data as Float32Array);
  }
  const metadata = { ...(parsed.metadata ?? {}) };
  delete metadata.gpt_config;
  delete metadata.format;
  return { config, values, metadata };
}
