// Shared shapes of the exporter: what one target (TRL, verl, OpenRLHF) makes of an experiment.

export const EXPORT_TARGETS = ['trl', 'verl', 'openrlhf'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** A lab setting the target expresses: the engine keys (with values) that carry it. */
export interface MappedSetting {
  lab: string;
  value: string;
  keys: { key: string; value: string }[];
  /** A difference worth knowing even though the keys exist (e.g. another std epsilon). */
  note?: string;
}

/** A lab setting the target cannot express: why, and what to do instead. */
export interface UnmappedSetting {
  lab: string;
  value: string;
  why: string;
  instead: string;
}

export interface TargetMapping {
  mapped: MappedSetting[];
  unmapped: UnmappedSetting[];
}

/** Where an entry of the target's configuration goes: TRL GRPOConfig kwargs, verl Hydra overrides,
 *  OpenRLHF command-line flags. Values are already rendered in the target's syntax. */
export interface ConfigEntry {
  key: string;
  value: string;
}

export type ExportFiles = Map<string, string | Uint8Array>;
