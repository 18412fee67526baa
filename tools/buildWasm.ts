// `npm run build:wasm`: assembles the CPU backend's .wat kernels into their generated TypeScript
// modules (see wasmAssemble.ts). Run it after editing a .wat file and commit both.
import { writeFileSync } from 'node:fs';
import { generated } from './wasmAssemble';

for (const { path, text } of await generated()) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
