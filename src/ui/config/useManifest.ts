// The base checkpoints' manifest (public/checkpoints/manifest.json): which tasks have a base policy,
// its RL arms, and how good it is per arm (pass@1, pass@16). Fetched once; only read as data.
import { useEffect, useState } from 'react';

export interface ManifestArm {
  arm: string;
  passAtK: Record<string, number>;
}

export interface ManifestEntry {
  task: string;
  rlArms: string[];
  arms: ManifestArm[];
  steps?: number;
  made?: string;
}

export type Manifest = Record<string, ManifestEntry>;

let cached: Promise<Manifest | null> | null = null;

function readManifest(data: unknown): Manifest {
  const out: Manifest = {};
  if (typeof data !== 'object' || data === null) return out;
  for (const [task, raw] of Object.entries(data as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const arms = Array.isArray(e.arms)
      ? e.arms.flatMap((a) => {
          const r = a as Record<string, unknown>;
          return typeof r?.arm === 'string' && typeof r.passAtK === 'object' && r.passAtK !== null ? [{ arm: r.arm, passAtK: r.passAtK as Record<string, number> }] : [];
        })
      : [];
    out[task] = {
      task,
      rlArms: Array.isArray(e.rlArms) ? e.rlArms.filter((a): a is string => typeof a === 'string') : [],
      arms,
      steps: typeof e.steps === 'number' ? e.steps : undefined,
      made: typeof e.made === 'string' ? e.made : undefined,
    };
  }
  return out;
}

export function loadManifest(): Promise<Manifest | null> {
  cached ??= fetch(`${import.meta.env.BASE_URL}checkpoints/manifest.json`)
    .then((r) => (r.ok ? r.json() : null))
    .then((d) => (d === null ? null : readManifest(d)))
    .catch(() => null);
  return cached;
}

/** undefined while loading, null when there is no manifest. */
export function useManifest(): Manifest | null | undefined {
  const [manifest, setManifest] = useState<Manifest | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void loadManifest().then((m) => live && setManifest(m));
    return () => {
      live = false;
    };
  }, []);
  return manifest;
}
