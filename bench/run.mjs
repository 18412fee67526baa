#!/usr/bin/env node
// Benchmark runner: `npm run bench` runs every suite, `npm run bench -- kernels` only the named ones.
//
// Each suite is a page under bench/<suite>/index.html that calls registerSuite() (bench/harness.ts).
// The runner serves the repository with a Vite dev server on 127.0.0.1 (WebGPU needs a secure
// context), opens the page in headless Chromium with a WebGPU adapter (tools/chromium.ts), calls the
// suite's run(), prints its table and writes bench/results/<suite>.json. A Node suite (NODE_SUITES)
// is a module bench/<suite>/<suite>.ts exporting run(), loaded through the same Vite server and run in
// this process, without a browser.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { chromium } from 'playwright';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** name -> what the suite measures. Add a suite: a folder bench/<name>/ with index.html, and a line here. */
const SUITES = {
  kernels: 'our WebGPU matmul vs TF.js WebGPU tf.matMul on the same adapter',
  generation: 'a 16×8-row, 32-token rollout: our generate() vs the same GPT as a TF.js and a jax-js WebGPU KV-cache loop',
  trainstep: 'one GRPO train step (16×8 sequences, fwd + bwd + Adam): ours vs TF.js WebGPU vs jax-js WebGPU, profile',
  memory: 'live buffers and bytes held every 100 of 1000 of our train steps (a smaller batch): must stay flat',
  decode: 'our rollout alone, each decode loop (fused, unfused): time, dispatches per token, per-kernel GPU profile',
  trainprof: 'our train step alone (the trainstep workload): time, dispatches, per-kernel GPU profile',
  cpu: 'Node: a train step and a rollout on our CPU back end (WASM SIMD and JS kernels) vs TF.js wasm and TF.js CPU',
};
/** Suites that run in Node (bench/<name>/<name>.ts exports run()), not in a page. */
const NODE_SUITES = new Set(['cpu']);
const SUITE_TIMEOUT_MS = 15 * 60 * 1000;

function parseArgs(argv) {
  const names = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run bench [-- suite ...]\nsuites:');
    for (const [name, what] of Object.entries(SUITES)) console.log(`  ${name.padEnd(10)} ${what}`);
    process.exit(0);
  }
  for (const n of names) {
    if (!(n in SUITES)) {
      console.error(`Unknown suite "${n}". Known: ${Object.keys(SUITES).join(', ')}.`);
      process.exit(2);
    }
  }
  return names.length ? names : Object.keys(SUITES);
}

function printTable({ columns, rows }) {
  const cells = [columns, ...rows].map((r) => r.map(String));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(cells[0]));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of cells.slice(1)) console.log(line(r));
}

async function runSuite(browser, baseUrl, name) {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.text().startsWith('[bench]')) console.log(`  ${msg.text()}`);
  });
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
  try {
    await page.goto(`${baseUrl}/bench/${name}/index.html`);
    await page.waitForFunction((n) => window.__benchSuite?.name === n, name, { timeout: 120_000 });
    const hasGpu = await page.evaluate(() => Boolean(navigator.gpu));
    if (!hasGpu) throw new Error('navigator.gpu is missing in the benchmark page: no WebGPU adapter.');
    return await page.evaluate(() => window.__benchSuite.run());
  } finally {
    await page.close();
  }
}

async function main() {
  const names = parseArgs(process.argv.slice(2));
  const server = await createServer({
    root,
    logLevel: 'warn',
    // A cache of its own: a test run's Vite re-optimising the shared cache must not break a benchmark.
    cacheDir: 'node_modules/.vite-bench',
    server: { host: '127.0.0.1', port: 5190, strictPort: false, hmr: false },
    // Pre-bundle the pages' dependencies at start-up, so no mid-run re-optimisation reloads a page.
    optimizeDeps: { entries: names.filter((n) => !NODE_SUITES.has(n)).map((n) => `bench/${n}/index.html`) },
  });
  let browser;
  let failed = false;
  try {
    await server.listen();
    const baseUrl = server.resolvedUrls.local[0].replace(/\/$/, '');
    if (names.some((n) => !NODE_SUITES.has(n))) {
      // tools/chromium.ts is TypeScript: load it through Vite rather than duplicating it here.
      const { chromiumPath, chromiumWebGpuArgs } = await server.ssrLoadModule('/tools/chromium.ts');
      browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumWebGpuArgs, headless: true });
    }
    for (const name of names) {
      console.log(`\n== ${name}: ${SUITES[name]}`);
      const started = Date.now();
      try {
        const result = await Promise.race([
          NODE_SUITES.has(name) ? server.ssrLoadModule(`/bench/${name}/${name}.ts`).then((m) => m.run()) : runSuite(browser, baseUrl, name),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS)),
        ]);
        const file = join(root, 'bench', 'results', `${name}.json`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
        console.log(`adapter: ${JSON.stringify(result.environment?.adapter ?? {})}`);
        printTable(result.table);
        console.log(`wrote ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      } catch (e) {
        failed = true;
        console.error(`suite ${name} failed: ${e instanceof Error ? e.message : e}`);
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
