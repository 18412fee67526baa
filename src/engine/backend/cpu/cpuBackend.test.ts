import { describe, expect, it } from 'vitest';
import type { Storage } from '../../backend';
import { CpuBackend } from './cpuBackend';

describe('CpuBackend memory and counters', () => {
  it('zeros, fill and upload make f32 / i32 storages; upload copies', async () => {
    const b = new CpuBackend();
    expect(b.name).toBe('cpu');
    const z = b.zeros(3, 'i32');
    expect(z.dtype).toBe('i32');
    expect(z.size).toBe(3);
    expect(await b.read(z)).toEqual(Int32Array.of(0, 0, 0));
    expect(await b.read(b.fill(2, 1.5, 'f32'))).toEqual(Float32Array.of(1.5, 1.5));
    expect(await b.read(b.fill(2, -7, 'i32'))).toEqual(Int32Array.of(-7, -7));
    const src = Float32Array.of(1, 2);
    const u = b.upload(src);
    src[0] = 99;
    expect(await b.read(u)).toEqual(Float32Array.of(1, 2));
  });

  it('read returns a copy the caller may keep and modify', async () => {
    const b = new CpuBackend();
    const s = b.upload(Float32Array.of(1, 2));
    const r = await b.read(s);
    r[0] = 42;
    expect(await b.read(s)).toEqual(Float32Array.of(1, 2));
  });

  it('counts dispatches per primitive, readbacks per read/readMany, live buffers and bytes', async () => {
    const b = new CpuBackend();
    const x = b.upload(Float32Array.of(1, 2, 3, 4));
    const ids = b.zeros(2, 'i32');
    expect(b.counters()).toEqual({ dispatches: 0, submits: 0, readbacks: 0, liveBuffers: 2, pooledBuffers: 0, bytesAllocated: 24 });
    const y = b.unary('exp', x);
    const ln = b.layerNorm(x, b.fill(4, 1, 'f32'), b.zeros(4, 'f32'), 1, 4, 1e-5); // 1 dispatch, 3 outputs
    b.flush();
    let c = b.counters();
    expect(c.dispatches).toBe(2);
    expect(c.liveBuffers).toBe(2 + 1 + 2 + 3);
    expect(c.bytesAllocated).toBe(24 + 16 + 32 + 16 + 4 + 4);
    await b.read(y);
    await b.readMany([ln.y, ln.mean, ln.rstd, ids]);
    c = b.counters();
    expect(c.readbacks).toBe(2);
    expect(c.submits).toBe(0);
    b.free(y);
    b.free(ln.y);
    c = b.counters();
    expect(c.liveBuffers).toBe(6);
    expect(c.bytesAllocated).toBe(24 + 32 + 4 + 4);
    b.resetCounters();
    c = b.counters();
    expect(c.dispatches).toBe(0);
    expect(c.readbacks).toBe(0);
    expect(c.liveBuffers).toBe(6); // state, not an event counter
  });

  it('a step-shaped loop that frees its intermediates holds a flat buffer count', () => {
    const b = new CpuBackend();
    const w = b.upload(Float32Array.of(0.5, -0.5, 1, 2));
    const start = b.counters().liveBuffers;
    for (let i = 0; i < 5; i++) {
      const y = b.matmul(w, w, { batch: 1, m: 2, n: 2, k: 2, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 });
      const s = b.softmax(y, 2, 2, null, false);
      b.free(y);
      b.free(s);
    }
    expect(b.counters().liveBuffers).toBe(start);
  });

  it('freeing twice throws a clear error; a freed storage cannot be used or read', async () => {
    const b = new CpuBackend();
    const s = b.upload(Float32Array.of(1));
    b.free(s);
    expect(() => b.free(s)).toThrow(/already freed/);
    expect(() => b.unary('neg', s)).toThrow(/freed/);
    await expect(b.read(s)).rejects.toThrow(/freed/);
    expect(b.counters().liveBuffers).toBe(0);
  });

  it('rejects storages from elsewhere', () => {
    const b = new CpuBackend();
    const foreign: Storage = { size: 1, dtype: 'f32' };
    expect(() => b.unary('neg', foreign)).toThrow(/CPU backend/);
    expect(() => b.free(foreign)).toThrow(/CPU backend/);
  });
});
