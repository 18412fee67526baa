import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseSafetensors, SafetensorsError, serializeSafetensors, type SafetensorsTensor } from './safetensors';

/** An independent minimal reader (DataView + JSON.parse), sharing no code with the module under test. */
function referenceRead(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  const header = JSON.parse(headerText) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const tensors: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const values: number[] = [];
    for (let at = 8 + n + info.data_offsets[0]; at < 8 + n + info.data_offsets[1]; at += 4) {
      values.push(info.dtype === 'F32' ? view.getFloat32(at, true) : view.getInt32(at, true));
    }
    tensors[name] = { dtype: info.dtype, shape: info.shape, values };
  }
  return { n, headerText, header, tensors, metadata: (header as Record<string, unknown>).__metadata__ };
}

const sample = (): Record<string, SafetensorsTensor> => ({
  'wte.weight': { dtype: 'F32', shape: [3, 2], data: new Float32Array([0.5, -1.25, 3, 1e-8, -0, 65504]) },
  'h.0.ln.bias': { dtype: 'F32', shape: [5], data: new Float32Array([1, 2, 3, 4, 5]) },
  step: { dtype: 'I32', shape: [], data: new Int32Array([123456]) },
  ids: { dtype: 'I32', shape: [2, 2], data: new Int32Array([-1, 0, 2147483647, -2147483648]) },
  empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
});

/** Builds a file by hand around an arbitrary header (for the malformed cases). */
function rawFile(header: unknown, dataBytes: number, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const expectError = (fn: () => unknown, message: RegExp) => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(message);
};

describe('serializeSafetensors', () => {
  it('writes a file an independent reader understands', () => {
    const bytes = serializeSafetensors(sample(), { format: 'pt', recipe: 'base-v1' });
    const ref = referenceRead(bytes);
    expect(ref.n % 8).toBe(0); // header padded to a multiple of 8 ...
    expect(ref.headerText).toMatch(/^\{.*\} *$/); // ... with spaces
    expect(ref.metadata).toEqual({ format: 'pt', recipe: 'base-v1' });
    expect(ref.tensors['wte.weight']).toEqual({ dtype: 'F32', shape: [3, 2], values: [0.5, -1.25, 3, Math.fround(1e-8), -0, 65504] });
    expect(ref.tensors.step).toEqual({ dtype: 'I32', shape: [], values: [123456] });
    expect(ref.tensors.ids.values).toEqual([-1, 0, 2147483647, -2147483648]);
    expect(ref.tensors.empty).toEqual({ dtype: 'F32', shape: [0, 4], values: [] });
    // Offsets tile the data section exactly.
    const spans = Object.entries(ref.header)
      .filter(([k]) => k !== '__metadata__')
      .map(([, v]) => v.data_offsets)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let cursor = 0;
    for (const [begin, end] of spans) {
      expect(begin).toBe(cursor);
      cursor = end;
    }
    expect(8 + ref.n + cursor).toBe(bytes.length);
  });

  it('round-trips through parseSafetensors, bit for bit', () => {
    const original = sample();
    const parsed = parseSafetensors(serializeSafetensors(original, { a: 'b' }));
    expect(parsed.metadata).toEqual({ a: 'b' });
    expect(Object.keys(parsed.tensors).sort()).toEqual(Object.keys(original).sort());
    for (const [name, t] of Object.entries(original)) {
      expect(parsed.tensors[name].dtype).toBe(t.dtype);
      expect(parsed.tensors[name].shape).toEqual(t.shape);
      expect(parsed.tensors[name].data.constructor).toBe(t.data.constructor);
      expect(new Uint8Array(parsed.tensors[name].data.buffer)).toEqual(new Uint8Array(t.data.buffer));
    }
    expect(parseSafetensors(serializeSafetensors({})).tensors).toEqual({});
  });

  it('reads files whose bytes sit at an unaligned offset of a bigger buffer', () => {
    const bytes = serializeSafetensors(sample());
    const holder = new Uint8Array(bytes.length + 3);
    holder.set(bytes, 3);
    expect(Array.from(parseSafetensors(holder.subarray(3)).tensors['h.0.ln.bias'].data)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses inconsistent input', () => {
    expectError(() => serializeSafetensors({ x: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }), /shape \[2, 2\] holds 4 elements but data has 3/);
    expectError(() => serializeSafetensors({ x: { dtype: 'I32', shape: [1], data: new Float32Array(1) } }), /needs a Int32Array/);
    expectError(() => serializeSafetensors({ x: { dtype: 'F16' as 'F32', shape: [1], data: new Float32Array(1) } }), /unsupported dtype "F16"/);
    expectError(() => serializeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }), /invalid tensor name/);
    expectError(() => serializeSafetensors({ x: { dtype: 'F32', shape: [-1], data: new Float32Array(0) } }), /invalid shape/);
  });
});

describe('parseSafetensors rejects bad files with clear errors', () => {
  const good = () => serializeSafetensors(sample(), { v: '1' });

  it('too short, truncated, absurd header length', () => {
    expectError(() => parseSafetensors(new Uint8Array(5)), /5 bytes, shorter than the 8-byte header length/);
    const bytes = good();
    expectError(() => parseSafetensors(bytes.subarray(0, 20)), /larger than the rest of the file/);
    expectError(() => parseSafetensors(bytes.subarray(0, bytes.length - 4)), /out of range of the \d+-byte data section/);
    expectError(() => parseSafetensors(rawFile({}, 0, 2n ** 63n)), /exceeds the 104857600-byte limit/);
    expectError(() => parseSafetensors(rawFile({}, 0, BigInt(MAX_HEADER_BYTES + 1))), /exceeds/);
    // Wrong magic: something that is not safetensors at all, e.g. a PNG or a zip.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expectError(() => parseSafetensors(png), /header length .* (exceeds|larger than)/);
    expectError(() => parseSafetensors(new TextEncoder().encode('PK\u0003\u0004 hello world')), /header length/);
  });

  it('header not UTF-8, not JSON, not an object', () => {
    const bad = rawFile('{}', 0);
    bad[8] = 0xff;
    expectError(() => parseSafetensors(bad), /not valid UTF-8/);
    expectError(() => parseSafetensors(rawFile('{"a": ', 0)), /header is not JSON/);
    expectError(() => parseSafetensors(rawFile('[1,2]', 0)), /not a JSON object/);
    expectError(() => parseSafetensors(rawFile('null', 0)), /not a JSON object/);
    expectError(() => parseSafetensors(rawFile({ __metadata__: { a: 1 } }, 0)), /__metadata__.a is not a string/);
    expectError(() => parseSafetensors(rawFile({ x: 5 }, 0)), /tensor x: header entry is not an object/);
  });

  it('unknown dtype, bad shape, offsets out of range / mismatched / overlapping / leaving gaps', () => {
    const t = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
    expectError(() => parseSafetensors(rawFile({ x: t('F64', [1], [0, 8]) }, 8)), /tensor x: unsupported dtype "F64" \(supported: F32, I32\)/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [1.5], [0, 4]) }, 4)), /shape \[1\.5\] is not a list/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', 'big', [0, 4]) }, 4)), /shape "big"/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [1], [0]) }, 4)), /data_offsets \[0\] is not a pair/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [1], [4, 0]) }, 4)), /out of range/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [4], [0, 16]) }, 8)), /data_offsets \[0, 16\] out of range of the 8-byte data section/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [3], [0, 8]) }, 8)), /span 8 bytes but F32 \[3\] needs 12/);
    expectError(
      () => parseSafetensors(rawFile({ x: t('F32', [2], [0, 8]), y: t('I32', [2], [4, 12]) }, 12)),
      /tensor y: data_offsets \[4, 12\] overlap x/,
    );
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [1], [4, 8]) }, 8)), /gap of unused bytes at \[0, 4\)/);
    expectError(() => parseSafetensors(rawFile({ x: t('F32', [1], [0, 4]) }, 8)), /4 trailing bytes/);
  });

  it('checks names and shapes against what the model expects', () => {
    const expected = { 'wte.weight': [3, 2], 'h.0.ln.bias': [5], step: [], ids: [2, 2], empty: [0, 4] };
    expect(() => parseSafetensors(good(), expected)).not.toThrow();
    expectError(() => parseSafetensors(good(), { ...expected, 'wte.weight': [2, 3] }), /tensor wte.weight: expected shape \[2, 3\], file has \[3, 2\]/);
    expectError(() => parseSafetensors(good(), { ...expected, ids: [4] }), /expected shape \[4\], file has \[2, 2\]/);
    expectError(() => parseSafetensors(good(), { ...expected, 'lm_head.weight': [2, 3] }), /missing tensors: lm_head.weight/);
    const { step: _step, empty: _empty, ...fewer } = expected;
    expectError(() => parseSafetensors(good(), fewer), /unexpected tensors: .*step/);
    expectError(() => parseSafetensors(good(), { ...fewer, constructor: [1] } as Record<string, number[]>), /missing tensors: constructor/);
  });

  it('keeps hostile names as plain keys', () => {
    // Written as text: a JS object literal's __proto__ would set the prototype, not a key.
    const hostile = rawFile('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
    const parsed = parseSafetensors(hostile);
    expect(Object.getPrototypeOf(parsed.tensors)).toBe(Object.prototype);
    expect(Object.keys(parsed.tensors)).toEqual(['__proto__']);
  });
});
