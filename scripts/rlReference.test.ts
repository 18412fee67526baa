// The project's own RL reference (docs/rl-reference.md) is what source comments and UI tooltips cite:
// every section they name must exist there, and nothing may cite the file a clone does not contain.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const reference = readFileSync(join(root, 'docs/rl-reference.md'), 'utf8');
const headings = new Set([...reference.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1].trim()));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'results' ? [] : sources(full);
    return /\.(ts|tsx|wgsl|mjs)$/.test(name) ? [full] : [];
  });
}

// This file itself holds examples of citations, not citations.
const files = ['src', 'scripts', 'bench', 'shaders', 'e2e'].flatMap((d) => sources(join(root, d))).filter((f) => !f.endsWith('rlReference.test.ts'));

/** The sections a text cites: `docs/rl-reference.md, "Section"` (a comment may wrap it over lines) or,
 *  in UI strings, `(docs/rl-reference.md, Section)`. */
function citedSections(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/docs\/rl-reference\.md,? "([^"]+)"/g)) out.push(m[1].replace(/\s*\n\s*(\/\/|\*)?\s*/g, ' ').trim());
  for (const m of text.matchAll(/\(docs\/rl-reference\.md, ([A-Z][\w -]*)\)/g)) out.push(m[1].trim());
  return out;
}

describe('docs/rl-reference.md', () => {
  it('reads the citations of both forms, a wrapped one included', () => {
    expect(citedSections('// (docs/rl-reference.md, "Loss\n// aggregation"). x (docs/rl-reference.md, Self-play) docs/rl-reference.md "Entropy"')).toEqual([
      'Loss aggregation',
      'Entropy',
      'Self-play',
    ]);
  });

  it('has every section the sources cite', () => {
    const missing: string[] = [];
    let citations = 0;
    for (const file of files) {
      for (const section of citedSections(readFileSync(file, 'utf8'))) {
        citations++;
        if (!headings.has(section)) missing.push(`${relative(root, file)}: "${section}"`);
      }
    }
    expect(citations).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  it('is the only reference cited: nothing names RL_REFERENCE.md', () => {
    const dangling = files.filter((f) => readFileSync(f, 'utf8').includes('RL_REFERENCE')).map((f) => relative(root, f));
    expect(dangling).toEqual([]);
  });
});
