// Runs an RLVR Lab reward written in JavaScript, for a Python training job (js_reward_adapter.py).
// A long-lived Node process speaking JSON lines: each request line {"id", "samples": [{prompt, completion,
// answer, task, arm}, ...]} gets one reply line {"id", "rewards": [...], "components": [...]} or
// {"id", "error", "sample"?}. The code runs in a fresh `vm` context — no require, process or file system
// in scope, a time limit per batch — like the lab's sandbox worker. A vm context is not a security
// boundary: review code from others before running it.
//
// usage: node js_reward_host.mjs reward.js [--timeout-ms 2000]
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import vm from 'node:vm';

const [codePath, ...rest] = process.argv.slice(2);
if (!codePath) {
  console.error('usage: node js_reward_host.mjs reward.js [--timeout-ms 2000]');
  process.exit(2);
}
const timeoutAt = rest.indexOf('--timeout-ms');
const timeoutMs = timeoutAt >= 0 ? Number(rest[timeoutAt + 1]) : 2000;
const MAX_COMPONENTS = 32;

const context = vm.createContext(Object.create(null));
let compileError = null;
try {
  vm.runInContext(
    `"use strict";\n${readFileSync(codePath, 'utf8')}\n;globalThis.__reward = typeof reward === 'function' ? reward : undefined;`,
    context,
    { filename: 'reward.js', timeout: timeoutMs },
  );
  if (typeof context.__reward !== 'function') compileError = 'the code defines no function named reward';
} catch (e) {
  compileError = `the code does not compile: ${e && e.message ? e.message : String(e)}`;
}

// Runs inside the context: every sample through reward(), results checked there, the outcome returned
// as JSON text (so a hostile value never reaches this side as anything but plain data).
const BATCH = `JSON.stringify((() => {
  const __samples = JSON.parse(__json);
  const isFiniteNumber = (x) => typeof x === 'number' && x - x === 0;
  const out = { rewards: [], components: [] };
  for (let i = 0; i < __samples.length; i++) {
    let value;
    try { value = __reward(__samples[i]); } catch (e) { return { error: 'reward() threw: ' + (e && e.message ? e.message : String(e)), sample: i }; }
    if (isFiniteNumber(value)) { out.rewards.push(value); out.components.push({}); continue; }
    if (value === null || typeof value !== 'object' || !isFiniteNumber(value.reward)) {
      return { error: 'reward() must return a finite number or {reward, components}, got ' + (value === null ? 'null' : typeof value), sample: i };
    }
    const components = {};
    const c = value.components;
    if (c !== undefined && c !== null) {
      const keys = Object.keys(c);
      if (keys.length > ${MAX_COMPONENTS}) return { error: 'reward() returned more than ${MAX_COMPONENTS} components', sample: i };
      for (const k of keys) {
        if (!isFiniteNumber(c[k])) return { error: 'component ' + JSON.stringify(k) + ' is not a finite number', sample: i };
        components[k] = c[k];
      }
    }
    out.rewards.push(value.reward);
    out.components.push(components);
  }
  return out;
})())`;

const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    reply({ id: null, error: 'the request is not JSON' });
    continue;
  }
  const id = request.id ?? null;
  if (compileError) {
    reply({ id, error: compileError });
    continue;
  }
  if (!Array.isArray(request.samples)) {
    reply({ id, error: 'the request has no samples array' });
    continue;
  }
  // Only a string crosses into the context and only a string comes back: no object of this realm is
  // reachable from the reward code (a vm context is still not a security boundary).
  context.__json = JSON.stringify(request.samples);
  try {
    const result = JSON.parse(vm.runInContext(BATCH, context, { timeout: timeoutMs }));
    reply({ id, ...result });
  } catch (e) {
    const timedOut = e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    reply({ id, error: timedOut ? `reward() took longer than ${timeoutMs} ms for the batch` : `reward() failed: ${e && e.message ? e.message : String(e)}` });
  }
}
