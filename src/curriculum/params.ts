// A curriculum's numeric parameters, described once beside the sampler that uses them: range, default,
// label and help. The experiment schema (src/experiment/schema.ts), the config panel and the factory's
// range check all read these descriptors, so a parameter is never written down in two places.

/** One numeric parameter. */
export interface NumberParam {
  min: number;
  max: number;
  default: number;
  integer: boolean;
  /** When true, min itself is not allowed (e.g. a temperature of 0). */
  exclusiveMin?: boolean;
  /** The config panel's label. */
  label: string;
  /** The panel's tooltip: what the parameter does and whose definition it follows. */
  help: string;
}

/** The range part of a NumberParam (what the factory checks). */
export type ParamRange = Pick<NumberParam, 'min' | 'max' | 'default' | 'integer' | 'exclusiveMin'>;

export type NumberParams = Record<string, NumberParam>;

/** What a sampler file says about itself: its kind's label and one-line description for the panel,
 *  and its numeric parameters (none for uniform; the mixture's weights are per arm, see mixture.ts). */
export interface CurriculumDescriptor<K extends string = string> {
  kind: K;
  label: string;
  about: string;
  params: NumberParams;
  /** Labels and help of a kind's non-numeric settings (their values live in the schema as enums). */
  choices?: Record<string, { label: string; help: string }>;
}

/** The parameter's value, or its default; throws a RangeError naming it when out of range. */
export function param(kind: string, name: string, value: number | undefined, range: ParamRange): number {
  const v = value ?? range.default;
  const low = range.exclusiveMin ? v <= range.min : v < range.min;
  if (typeof v !== 'number' || !Number.isFinite(v) || low || v > range.max || (range.integer && !Number.isInteger(v))) {
    const lo = range.exclusiveMin ? `(${range.min}` : `[${range.min}`;
    throw new RangeError(`curriculum ${kind}: ${name} must be ${range.integer ? 'an integer ' : ''}in ${lo}, ${range.max}], got ${v}`);
  }
  return v;
}
