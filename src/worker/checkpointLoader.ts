// Loading a task's base policy: public/checkpoints/manifest.json says which file holds it and which
// arms its RL runs train on; the file is an RLVR Lab safetensors checkpoint. Every failure is a
// CheckpointError with a sentence the page can show as is.
import type { CheckpointLoader } from '../experiment/runBuilder';
import { CheckpointError, parseCheckpoint, type Checkpoint } from '../model/checkpoint';
import { VOCAB_SIZE } from '../tasks/tokenizer';

export type { BaseCheckpoint, CheckpointLoader } from '../experiment/runBuilder';

/** What the worker reads of a manifest entry (the file carries more: recipe, scores per arm …). */
interface ManifestEntry {
  file: string;
  rlArms?: string[];
}

export class CheckpointLoadError extends CheckpointError {
  constructor(
    message: string,
    readonly url?: string,
  ) {
    super(message);
  }
}

async function fetchBytes(fetchFn: typeof fetch, url: string, what: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (e) {
    throw new CheckpointLoadError(`Could not download the ${what} (${url}): ${(e as Error).message}`, url);
  }
  if (!response.ok) throw new CheckpointLoadError(`Could not download the ${what} (${url}): HTTP ${response.status}.`, url);
  return new Uint8Array(await response.arrayBuffer());
}

/** Reads `<baseUrl>manifest.json` and the task's file from it. `baseUrl` ends with '/'. */
export function fetchCheckpointLoader(baseUrl: string, fetchFn: typeof fetch = (...args) => fetch(...args)): CheckpointLoader {
  return async (taskId) => {
    const manifestUrl = new URL('manifest.json', baseUrl).href;
    const manifestBytes = await fetchBytes(fetchFn, manifestUrl, 'checkpoint manifest');
    let manifest: Record<string, ManifestEntry>;
    try {
      manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
    } catch {
      throw new CheckpointLoadError(`The checkpoint manifest (${manifestUrl}) is not valid JSON.`, manifestUrl);
    }
    const entry = manifest?.[taskId];
    if (!entry || typeof entry.file !== 'string' || !/^[\w.-]+\.safetensors$/.test(entry.file)) {
      throw new CheckpointLoadError(`There is no base checkpoint for the task "${taskId}" yet. Choose "random" as the model's initialisation, or another task.`, manifestUrl);
    }
    const url = new URL(entry.file, baseUrl).href;
    const bytes = await fetchBytes(fetchFn, url, `base checkpoint of "${taskId}"`);
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseCheckpoint(bytes);
    } catch (e) {
      throw new CheckpointLoadError(`The base checkpoint of "${taskId}" (${url}) is damaged: ${(e as Error).message}`, url);
    }
    if (checkpoint.config.vocabSize !== VOCAB_SIZE) {
      throw new CheckpointLoadError(`The base checkpoint of "${taskId}" has a vocabulary of ${checkpoint.config.vocabSize} tokens; this version of the lab uses ${VOCAB_SIZE}.`, url);
    }
    const rlArms = Array.isArray(entry.rlArms) ? entry.rlArms.filter((a): a is string => typeof a === 'string') : [];
    return { checkpoint, rlArms, url };
  };
}
