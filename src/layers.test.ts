// The layering of DESIGN.md, checked on the real import graph of src/: no import cycles, and no
// import from a lower layer to a higher one. Test files (*.test.ts) are exempt from the layer order
// only (a test may drive its layer through a higher one, e.g. the default experiment config), never
// from the cycle check.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, findLayerViolations, readImportGraph, type ImportGraph } from '../tools/importGraph';

/** DESIGN.md's layers, bottom up: a layer imports only from the layers before it (and itself). */
const LAYERS = ['engine', 'model', 'tasks', 'rl', 'curriculum', 'selfplay', 'rewards', 'stats', 'experiment', 'lessons', 'worker', 'state', 'ui'] as const;

/** src/<layer>/… → layer; the entry point (src/main.tsx) and this test sit above every layer. */
function layerOf(file: string): string | null {
  const match = /^src\/([^/]+)\//.exec(file);
  return match ? match[1] : null;
}

const isTestFile = (file: string) => /\.test\.tsx?$/.test(file);

/**
 * Cycles known and owned elsewhere, each with what removes it. An entry that no longer matches a
 * cycle fails the test, so the list cannot outlive the cycle.
 */
const PENDING_CYCLES: { files: string[]; until: string }[] = [];

const root = fileURLToPath(new URL('..', import.meta.url));
const graph = readImportGraph(root, 'src');

describe('the import graph of src/', () => {
  it('reads the sources and resolves their relative imports', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('src/engine/tape.ts')).toContain('src/engine/tensor.ts');
    expect(graph.get('src/curriculum/curriculum.ts')).toContain('src/curriculum/dump.ts');
  });

  it('has no import cycle', () => {
    const cycles = findCycles(graph);
    const pending = PENDING_CYCLES.map((p) => [...p.files].sort().join(' ↔ '));
    const found = cycles.map((c) => c.join(' ↔ '));
    expect(found.filter((c) => !pending.includes(c))).toEqual([]);
    // A pending entry whose cycle is gone must be removed from the list.
    expect(pending.filter((p) => !found.includes(p))).toEqual([]);
  });

  it("imports only downwards through DESIGN.md's layers", () => {
    const layers = new Set(LAYERS as readonly string[]);
    for (const file of graph.keys()) {
      const layer = layerOf(file);
      if (layer !== null) expect(layers, `${file} is in a folder that is not a layer of DESIGN.md`).toContain(layer);
    }
    const violations = findLayerViolations(graph, LAYERS, (file) => (isTestFile(file) ? null : layerOf(file)));
    expect(violations.map((v) => `${v.from} (${v.fromLayer}) → ${v.to} (${v.toLayer})`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('find a cycle through a chain, and a file importing itself', () => {
    expect(findCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c']]);
    expect(findCycles(g({ a: ['a'], b: [] }))).toEqual([['a']]);
    expect(findCycles(g({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('find an upward import and allow downward and same-layer ones', () => {
    const order = ['low', 'high'];
    const layer = (f: string) => f.split('/')[0];
    const found = findLayerViolations(g({ 'low/a': ['high/b', 'low/c'], 'high/b': ['low/a'], 'low/c': [] }), order, layer);
    expect(found).toEqual([{ from: 'low/a', to: 'high/b', fromLayer: 'low', toLayer: 'high' }]);
  });
});
