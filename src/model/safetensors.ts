// The safetensors checkpoint format (https://github.com/huggingface/safetensors):
//   8 bytes   N, the header length, little-endian u64
//   N bytes   UTF-8 JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { str: str } }
//             padded with spaces to a multiple of 8, as the reference writer does (keeps data aligned)
//   rest      the tensors' raw little-endian bytes; offsets are relative to the start of this section
// Checkpoints come from files and URLs, so the reader trusts nothing: every way a file can be wrong
// ends in a SafetensorsError that says what is wrong, never in a garbage tensor.

export type SafetensorsDType = 'F32' | 'I32';

export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface ParsedSafetensors {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/** Larger headers are refused before reading them: a corrupt length must not allocate gigabytes. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const BYTES_PER_ELEMENT: Record<SafetensorsDType, number> = { F32: 4, I32: 4 };
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const elementCount = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function serializeSafetensors(
  tensors: Record<string, SafetensorsTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const headerEntries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new SafetensorsError(`metadata ${JSON.stringify(key)} is not a string`);
  }
  if (Object.keys(metadata).length > 0) headerEntries.push([METADATA_KEY, metadata]);

  let offset = 0;
  for (const name of names) {
    const { dtype, shape, data } = tensors[name];
    if (name.length === 0 || name === METADATA_KEY) throw new SafetensorsError(`invalid tensor name ${JSON.stringify(name)}`);
    if (!(dtype in BYTES_PER_ELEMENT)) throw new SafetensorsError(`tensor ${name}: unsupported dtype ${JSON.stringify(dtype)}`);
    const expectedArray = dtype === 'F32' ? Float32Array : Int32Array;
    if (!(data instanceof expectedArray)) {
      throw new SafetensorsError(`tensor ${name}: dtype ${dtype} needs a ${expectedArray.name}, got ${data?.constructor?.name}`);
    }
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SafetensorsError(`tensor ${name}: invalid shape ${formatShape(shape)}`);
    }
    if (elementCount(shape) !== data.length) {
      throw new SafetensorsError(`tensor ${name}: shape ${formatShape(shape)} holds ${elementCount(shape)} elements but data has ${data.length}`);
    }
    const size = data.length * BYTES_PER_ELEMENT[dtype];
    headerEntries.push([name, { dtype, shape: [...shape], data_offsets: [offset, offset + size] }]);
    offset += size;
  }

  let headerBytes = new TextEncoder().encode(JSON.stringify(Object.fromEntries(headerEntries)));
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    const withPadding = new Uint8Array(padded).fill(0x20); // spaces
    withPadding.set(headerBytes);
    headerBytes = withPadding;
  }

  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors[name];
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    } else {
      for (let i = 0; i < data.length; i++) {
        if (data instanceof Float32Array) view.setFloat32(at + 4 * i, data[i], true);
        else view.setInt32(at + 4 * i, data[i], true);
      }
    }
    at += data.byteLength;
  }
  return out;
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, value: unknown, dataLength: number): Entry {
  if (!isPlainObject(value)) throw new SafetensorsError(`tensor ${name}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) {
    throw new SafetensorsError(`tensor ${name}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(BYTES_PER_ELEMENT).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(`tensor ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new SafetensorsError(`tensor ${name}: data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    throw new SafetensorsError(`tensor ${name}: data_offsets [${begin}, ${end}] out of range of the ${dataLength}-byte data section`);
  }
  const size = elementCount(shape) * BYTES_PER_ELEMENT[dtype as SafetensorsDType];
  if (end - begin !== size) {
    throw new SafetensorsError(
      `tensor ${name}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype} ${formatShape(shape)} needs ${size}`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

function readTensor(bytes: Uint8Array, dataStart: number, entry: Entry): Float32Array | Int32Array {
  const count = elementCount(entry.shape);
  const data = entry.dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
  const start = bytes.byteOffset + dataStart + entry.begin;
  if (LITTLE_ENDIAN_HOST) {
    // Copy (the source may be unaligned, and the caller may reuse its buffer).
    new Uint8Array(data.buffer).set(new Uint8Array(bytes.buffer, start, entry.end - entry.begin));
  } else {
    const view = new DataView(bytes.buffer, start, entry.end - entry.begin);
    for (let i = 0; i < count; i++) data[i] = entry.dtype === 'F32' ? view.getFloat32(4 * i, true) : view.getInt32(4 * i, true);
  }
  return data;
}

/**
 * Reads and validates a safetensors file. With `expected` (name → shape), the file must hold exactly
 * those tensors with exactly those shapes.
 */
export function parseSafetensors(bytes: Uint8Array, expected?: Record<string, number[]>): ParsedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new SafetensorsError('input is not a Uint8Array');
  if (bytes.length < 8) throw new SafetensorsError(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`);
  }
  if (headerLength > BigInt(bytes.length - 8)) {
    throw new SafetensorsError(`header length ${headerLength} is larger than the rest of the file (${bytes.length - 8} bytes): truncated or not safetensors`);
  }
  const n = Number(headerLength);
  let headerText: string;
  try {
    headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    throw new SafetensorsError(`header is not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(header)) throw new SafetensorsError('header is not a JSON object');

  // Object.fromEntries (not obj[key] = …) so a key such as "__proto__" stays an ordinary key.
  let metadata: Record<string, string> = {};
  const rawMetadata = header[METADATA_KEY];
  if (rawMetadata !== undefined) {
    if (!isPlainObject(rawMetadata)) throw new SafetensorsError('__metadata__ is not an object');
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value !== 'string') throw new SafetensorsError(`__metadata__.${key} is not a string`);
    }
    metadata = Object.fromEntries(Object.entries(rawMetadata)) as Record<string, string>;
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseEntry(name, value, dataLength));

  // Tensors must tile the data section exactly, as the reference reader demands: no overlaps, no holes.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of byOffset) {
    if (entry.begin < cursor) {
      const other = byOffset.find((e) => e !== entry && e.begin < entry.end && entry.begin < e.end)?.name ?? 'another tensor';
      throw new SafetensorsError(`tensor ${entry.name}: data_offsets [${entry.begin}, ${entry.end}] overlap ${other}`);
    }
    if (entry.begin > cursor) throw new SafetensorsError(`data section has a gap of unused bytes at [${cursor}, ${entry.begin})`);
    cursor = entry.end;
  }
  if (cursor !== dataLength) throw new SafetensorsError(`data section has ${dataLength - cursor} trailing bytes no tensor covers`);

  if (expected) {
    const present = new Set(entries.map((e) => e.name));
    const missing = Object.keys(expected).filter((name) => !present.has(name));
    if (missing.length > 0) throw new SafetensorsError(`missing tensors: ${missing.join(', ')}`);
    const unexpected = entries.map((e) => e.name).filter((name) => !Object.hasOwn(expected, name));
    if (unexpected.length > 0) throw new SafetensorsError(`unexpected tensors: ${unexpected.join(', ')}`);
    for (const entry of entries) {
      const want = expected[entry.name];
      if (want.length !== entry.shape.length || want.some((d, i) => d !== entry.shape[i])) {
        throw new SafetensorsError(`tensor ${entry.name}: expected shape ${formatShape(want)}, file has ${formatShape(entry.shape)}`);
      }
    }
  }

  const tensors: Record<string, SafetensorsTensor> = Object.fromEntries(
    entries.map((entry) => [entry.name, { dtype: entry.dtype, shape: entry.shape, data: readTensor(bytes, dataStart, entry) }]),
  );
  return { tensors, metadata };
}
