// What kind of input a schema field needs, read from the zod schema itself (so a new schema field
// gets an input without UI code): numbers with their range, enums with their choices, booleans.
import type { z } from 'zod';

export type FieldKind =
  | { kind: 'number'; min: number; max: number; int: boolean; nullable: boolean }
  | { kind: 'enum'; options: string[] }
  | { kind: 'boolean' }
  | { kind: 'other' };

interface Introspectable {
  def: { type: string; innerType?: Introspectable };
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  options?: unknown[];
}

export function fieldKind(schema: z.ZodType): FieldKind {
  let t = schema as unknown as Introspectable;
  let nullable = false;
  for (let i = 0; i < 5; i++) {
    const type = t.def.type;
    if ((type === 'default' || type === 'optional' || type === 'nullable') && t.def.innerType) {
      if (type === 'nullable') nullable = true;
      t = t.def.innerType;
      continue;
    }
    break;
  }
  switch (t.def.type) {
    case 'number':
      return { kind: 'number', min: t.minValue ?? -Infinity, max: t.maxValue ?? Infinity, int: !!t.isInt, nullable };
    case 'enum':
      return { kind: 'enum', options: (t.options ?? []).map(String) };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return { kind: 'other' };
  }
}
