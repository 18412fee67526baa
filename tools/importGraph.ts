// The import graph of the sources under src/, read with TypeScript's own pre-processor (so `import
// type`, `export … from` and dynamic `import()` all count: a type-only cycle still ties two files
// together for a reader, and it is one `import type` away from a runtime cycle). Only relative
// imports of our own .ts/.tsx files are edges; packages and `?raw`/`?worker` assets are not.
// Used by src/layers.test.ts to forbid cycles and upward imports between DESIGN.md's layers.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** file (repo-relative, forward slashes) → the files it imports (same form). */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|tsx)$/;

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The file a relative specifier names, as the bundler resolves it; null for an asset (`?raw`) or a non-source file. */
function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (specifier.includes('?')) return null;
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const toKey = (root: string, file: string): string => relative(root, file).split(sep).join('/');

/** Every .ts/.tsx file under `root/dir` and its relative imports. Throws on a relative import that names no file. */
export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of listSources(join(root, dir)).sort()) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveSpecifier(file, fileName);
      if (target === null) {
        if (fileName.includes('?') || /\.(json|css|wgsl|svg|png)$/.test(fileName)) continue;
        throw new Error(`${toKey(root, file)}: cannot resolve import ${JSON.stringify(fileName)}`);
      }
      targets.add(toKey(root, target));
    }
    graph.set(toKey(root, file), [...targets].sort());
  }
  return graph;
}

/** The import cycles: every strongly connected component of more than one file (or a file importing
 *  itself), each as its files sorted — Tarjan's algorithm, iterative so deep chains cannot overflow. */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && edges.includes(frame.node);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** An import from a lower layer to a higher one. */
export interface LayerViolation {
  from: string;
  to: string;
  fromLayer: string;
  toLayer: string;
}

/**
 * Imports that go up the layer order. `layerOf` names a file's layer (null: the file belongs to no
 * layer and is not checked, e.g. the entry point); `order` lists the layers bottom-up.
 */
export function findLayerViolations(
  graph: ImportGraph,
  order: readonly string[],
  layerOf: (file: string) => string | null,
): LayerViolation[] {
  const rank = new Map(order.map((layer, i) => [layer, i]));
  const violations: LayerViolation[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    if (fromLayer === null) continue;
    if (!rank.has(fromLayer)) throw new Error(`${from}: layer ${JSON.stringify(fromLayer)} is not in the layer order`);
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (toLayer === null) continue;
      if (!rank.has(toLayer)) throw new Error(`${to}: layer ${JSON.stringify(toLayer)} is not in the layer order`);
      if (rank.get(toLayer)! > rank.get(fromLayer)!) violations.push({ from, to, fromLayer, toLayer });
    }
  }
  return violations;
}
