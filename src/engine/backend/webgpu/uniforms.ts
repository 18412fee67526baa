// Builds a uniform block of 4-byte scalars in declaration order. WGSL lays out a struct made only of
// u32/i32/f32 scalars with no padding, so the TypeScript call order must equal the WGSL field order.
// (Arrays in the uniform address space need a 16-byte element stride: pack them as vec4<u32>.)
export class Uniforms {
  private values: { kind: 'u32' | 'i32' | 'f32'; value: number }[] = [];

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`u32 uniform out of range: ${value}`);
    this.values.push({ kind: 'u32', value });
    return this;
  }

  i32(value: number): this {
    if (!Number.isInteger(value)) throw new Error(`i32 uniform must be an integer: ${value}`);
    this.values.push({ kind: 'i32', value });
    return this;
  }

  f32(value: number): this {
    this.values.push({ kind: 'f32', value });
    return this;
  }

  /** Pads vec4-aligned arrays: pushes `values` then zeros up to a multiple of 4 entries. */
  u32Vec4Array(values: number[], length: number): this {
    if (values.length > length * 4) throw new Error(`array of ${values.length} does not fit ${length} vec4`);
    for (let i = 0; i < length * 4; i++) this.u32(values[i] ?? 0);
    return this;
  }

  build(): ArrayBuffer {
    const bytes = Math.max(16, Math.ceil((this.values.length * 4) / 16) * 16);
    const buffer = new ArrayBuffer(bytes);
    const view = new DataView(buffer);
    this.values.forEach(({ kind, value }, i) => {
      if (kind === 'u32') view.setUint32(i * 4, value, true);
      else if (kind === 'i32') view.setInt32(i * 4, value, true);
      else view.setFloat32(i * 4, value, true);
    });
    return buffer;
  }
}
