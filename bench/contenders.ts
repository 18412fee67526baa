// Shared by the benchmark suites that race all three libraries on one adapter: start our WebGPU
// backend (made the engine's backend), TF.js's WebGPU backend and jax-js's WebGPU device in one page.
// A jax-js that cannot start is recorded, not fatal: the suite runs without it and says why.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setBackend } from '../src/engine';
import { WebGpuBackend } from '../src/engine/backend/webgpu/webgpuBackend';
import { log } from './harness';
import { startJaxWebGpu } from './trainstep/jaxTrain';

export async function startContenders(): Promise<{ ours: WebGpuBackend; jaxError: string | null }> {
  const ours = await WebGpuBackend.create();
  setBackend(ours);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its WebGPU backend.');
  await tf.ready();
  let jaxError: string | null = null;
  try {
    await startJaxWebGpu();
  } catch (e) {
    jaxError = `jax-js WebGPU start failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  log(`adapter: ${JSON.stringify(ours.adapterInfo)}; tfjs ${tf.version.tfjs} (${tf.getBackend()}); jax-js ${jaxError ?? 'webgpu'}`);
  return { ours, jaxError };
}
