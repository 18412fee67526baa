// The generated modules carry the binary of their .wat source: re-assemble with wabt and compare, so an
// edit to a .wat file without `npm run build:wasm` fails here instead of silently running old code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generated } from '../../../../../tools/wasmAssemble';

describe('generated WASM modules', () => {
  it('are up to date with their .wat sources', async () => {
    const files = await generated();
    expect(files.length).toBeGreaterThan(0);
    for (const { path, text } of files) {
      expect(readFileSync(path, 'utf8'), `${path} is stale: run npm run build:wasm`).toBe(text);
    }
  });
});
