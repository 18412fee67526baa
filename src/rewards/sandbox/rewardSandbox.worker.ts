// The reward sandbox: the only place user-written reward code runs. Created by RewardSandbox (host side)
// as a module worker; one request per batch, one reply per request.
//
// Security model — what the code can and cannot do, and why.
//
// • Its own thread and realm. A worker has no DOM, no access to the page's objects, and its own copies of
//   every built-in: overriding Math.random or Array.prototype.map here changes nothing on the page. The
//   host spawns a fresh worker whenever the code text changes, so one piece of code cannot leave traps
//   (polluted prototypes, listeners) for the next.
// • No network, no storage, no other threads. Before any user code exists, this file deletes from the
//   global object and its whole prototype chain: fetch, XMLHttpRequest, WebSocket, EventSource,
//   WebTransport, importScripts, indexedDB, caches, BroadcastChannel, Worker, SharedWorker, navigator
//   (navigator.storage is the origin-private file system; sendBeacon lives there in pages), the old
//   file-system APIs, timers (a string handler is eval) and close. Deleting them — rather than
//   shadowing them — matters, because strict code can still reach the global object in roundabout ways;
//   a deleted API is gone from the realm, and no second realm can be made (no iframes in a worker, and
//   Worker is deleted). If any of them survives deletion the worker reports `fatal` and refuses to run
//   code. Inside the compiled function the same names (plus self and globalThis) are also shadowed by
//   parameters bound to undefined, so `typeof fetch === 'undefined'` reads naturally.
// • No code from strings and no modules: `import(...)` would fetch a module over the network, so code
//   containing the word `import` is rejected before compiling, and every way to build code from a string
//   after that is closed — eval is deleted, and the constructor of every function kind (Function,
//   AsyncFunction, GeneratorFunction, AsyncGeneratorFunction) is replaced by one that throws. This file
//   keeps the real Function constructor to itself, captured at load.
// • No forged replies. The host talks to this file over a private MessagePort it transfers in the first
//   message, before any user code exists; the port lives only in this module's closure, so user code
//   cannot post on it, and a synthetic `MessageEvent` it dispatches on the global object reaches no
//   listener (the one listener that took the port removed itself, and also ignores untrusted events).
//   The global postMessage is deleted too. Replies are tagged with the request id and re-validated by
//   the host (validate.ts), which ignores anything that is not a well-formed reply to the request in
//   flight. Built-ins this file and validate.ts use after user code has run are captured at load, so
//   overriding them (Number.isFinite, Object.keys …) cannot falsify a reply either.
// • No GPU. OffscreenCanvas (the worker's only route to WebGL / WebGL2 / 2D contexts), the WebGL and
//   WebGPU interfaces and WebAssembly are deleted as well: reward code is string work, and untrusted code
//   driving the GPU or allocating wasm memory outside the JS heap has no business here.
// • Memory is bounded by the host: it terminates this worker after every batch (RewardSandbox), so what
//   reward code keeps between calls is at most one batch's worth, freed when the batch ends. Where the
//   browser exposes this realm's heap (`performance.memory`), each sample is also checked against
//   HEAP_BUDGET_BYTES; Chromium exposes it only to pages, so there the batch's time limit is the bound
//   within a batch (see SECURITY.md for the figures).
// • Results are checked: each must be a finite number or {reward: finite, components?: {name: finite}},
//   read inside try (a throwing getter or Proxy trap fails that sample, with a message naming it).
// • Time is bounded by the host, not here: a worker cannot stop a determined attacker from burning CPU
//   (or allocating memory) until the host's watchdog fires; it then terminates this worker and spawns a
//   fresh one for the next call. The page never blocks — only this thread spins.
// • Defence in depth for the network: the page's Content-Security-Policy (to be set with the deployment)
//   will forbid network for workers — `connect-src 'none'` (and a `script-src` without remote origins,
//   which also governs import()) in the CSP delivered with this worker script; this worker needs
//   'unsafe-eval' for its own `new Function`, and nothing else does.
//
// User code is compiled once per worker as the body of a strict-mode function:
//   "use strict"; <code> ; return typeof reward === 'function' ? reward : undefined
// Being a function body, unbalanced braces cannot escape the wrapper; being strict, `this` in a plain call
// is undefined rather than the global object.
import type { EvaluateRequest, RewardInput, SandboxReply, WorkerErrorKind } from './protocol';
import { checkRewardValue, describeThrown } from './validate';

declare const self: DedicatedWorkerGlobalScope;

// ---- captured before any user code can exist ------------------------------------------------------
const FunctionConstructor = Function;
const reflectApply = Reflect.apply;
const defineProperty = Reflect.defineProperty;
const getPrototypeOf = Reflect.getPrototypeOf;
const ownKeys = Reflect.ownKeys;
const deleteProperty = Reflect.deleteProperty;
const Float64ArrayConstructor = Float64Array;
const ArrayConstructor = Array;
const IMPORT_WORD = /\bimport\b/;
const regExpTest = RegExp.prototype.test;
/** The private port to the host (set by the first, trusted message); null until then. */
let port: MessagePort | null = null;
const portPostMessage = MessagePort.prototype.postMessage;
const post = (reply: SandboxReply): void => {
  if (port) reflectApply(portPostMessage, port, [reply]);
};

/** What one batch's code may hold in the worker's JS heap, where the browser lets the worker measure it. */
const HEAP_BUDGET_BYTES = 256 * 1024 * 1024;
type MemoryInfo = { usedJSHeapSize?: unknown };
const memoryInfo = (performance as Performance & { memory?: MemoryInfo }).memory;
const usedHeapGetter = memoryInfo ? Reflect.getOwnPropertyDescriptor(Reflect.getPrototypeOf(memoryInfo) ?? {}, 'usedJSHeapSize')?.get : undefined;
/** The worker's used JS heap in bytes, or null where it cannot be measured (Chromium exposes it to pages only). */
const measureHeap = (): number | null => {
  if (!memoryInfo || !usedHeapGetter) return null;
  const used: unknown = reflectApply(usedHeapGetter, memoryInfo, []);
  return typeof used === 'number' ? used : null;
};

/** Globals deleted from the realm (and shadowed in user code). */
const BLOCKED_GLOBALS = [
  'postMessage', 'fetch', 'fetchLater', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport',
  'importScripts', 'indexedDB', 'caches', 'BroadcastChannel', 'Worker', 'SharedWorker', 'navigator',
  'requestFileSystem', 'webkitRequestFileSystem', 'webkitRequestFileSystemSync', 'webkitResolveLocalFileSystemURL',
  'webkitResolveLocalFileSystemSyncURL', 'setTimeout', 'setInterval', 'close', 'onmessage', 'onmessageerror', 'eval',
  // No GPU and no memory outside the JS heap: OffscreenCanvas is a worker's way to WebGL, 2D and bitmap
  // contexts; navigator.gpu (WebGPU) is gone with navigator, its interfaces go too.
  'OffscreenCanvas', 'OffscreenCanvasRenderingContext2D', 'ImageBitmapRenderingContext', 'WebGLRenderingContext',
  'WebGL2RenderingContext', 'GPU', 'GPUAdapter', 'GPUDevice', 'GPUCanvasContext', 'WebAssembly', 'MessageChannel',
  'createImageBitmap',
] as const;
/** Shadowed in user code too (parameter names; eval cannot be one in strict mode, and is deleted). */
const SHADOWED = [...BLOCKED_GLOBALS.filter((name) => name !== 'eval'), 'self', 'globalThis', 'Function'];

function blockedCodeGeneration(): never {
  throw new Error('the reward sandbox does not allow building code from strings');
}

/** Deletes the dangerous APIs and string-to-code paths; returns what survived (should be nothing). */
function harden(): string[] {
  const survivors: string[] = [];
  for (const name of BLOCKED_GLOBALS) {
    for (let o: object | null = self; o !== null; o = getPrototypeOf(o)) {
      if (ownKeys(o).includes(name)) deleteProperty(o, name);
    }
    if (name in self) survivors.push(name);
  }
  // Code from strings: every function kind's constructor, reachable as (function(){}).constructor etc.
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const fn of kinds) {
    const proto = getPrototypeOf(fn);
    if (proto === null || !defineProperty(proto, 'constructor', { value: blockedCodeGeneration, writable: false, configurable: false })) {
      survivors.push(`${typeof fn} constructor`);
    }
  }
  if (!deleteProperty(self, 'Function')) survivors.push('Function');
  return survivors;
}

type Reward = (input: RewardInput) => unknown;
let compiled: { code: string; reward: Reward } | null = null;

function fail(id: number, kind: WorkerErrorKind, detail: string, sampleIndex: number | null): void {
  post({ type: 'failure', id, kind, detail, sampleIndex });
}

/** Compiles and loads the code, or posts why it cannot and returns null. */
function compile(id: number, code: string): Reward | null {
  if (compiled?.code === code) return compiled.reward;
  if (reflectApply(regExpTest, IMPORT_WORD, [code])) {
    fail(id, 'compile', 'the code mentions `import`, which the reward sandbox does not allow (no modules, no network)', null);
    return null;
  }
  let factory: (...args: unknown[]) => unknown;
  try {
    factory = new FunctionConstructor(...SHADOWED, `"use strict";\n${code}\n;return typeof reward === 'function' ? reward : undefined;`) as typeof factory;
  } catch (e) {
    fail(id, 'compile', describeThrown(e), null);
    return null;
  }
  let reward: unknown;
  try {
    reward = reflectApply(factory, undefined, new ArrayConstructor(SHADOWED.length));
  } catch (e) {
    fail(id, 'throw', describeThrown(e), null);
    return null;
  }
  if (typeof reward !== 'function') {
    fail(id, 'compile', 'the code must define a function named reward, e.g. function reward({ completion, answer }) { return completion === answer ? 1 : 0; }', null);
    return null;
  }
  compiled = { code, reward: reward as Reward };
  return compiled.reward;
}

function evaluate({ id, code, samples }: EvaluateRequest): void {
  const reward = compile(id, code);
  if (!reward) return;
  const n = samples.length;
  const rewards = new Float64ArrayConstructor(n);
  const components = new ArrayConstructor<Record<string, number>>(n);
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    // A fresh object per call: user code may mutate its argument.
    const input: RewardInput = { prompt: s.prompt, completion: s.completion, answer: s.answer, task: s.task, arm: s.arm };
    let value: unknown;
    try {
      value = reflectApply(reward, undefined, [input]);
    } catch (e) {
      fail(id, 'throw', describeThrown(e), i);
      return;
    }
    const check = checkRewardValue(value);
    if (!check.ok) {
      fail(id, 'invalid', check.detail, i);
      return;
    }
    rewards[i] = check.reward;
    defineProperty(components, i, { value: check.components, writable: true, enumerable: true, configurable: true });
    const heap = measureHeap();
    if (heap !== null && heap > HEAP_BUDGET_BYTES) {
      fail(id, 'invalid', `made the sandbox hold ${Math.round(heap / 2 ** 20)} MiB (at most ${HEAP_BUDGET_BYTES / 2 ** 20} MiB): keep less between calls`, i);
      return;
    }
  }
  post({ type: 'result', id, rewards, components });
}

function onRequest(event: MessageEvent<EvaluateRequest>): void {
  // Only the host posts on the port, and user code cannot reach the port; checked anyway.
  if (!event.isTrusted) return;
  const request = event.data;
  if (request?.type !== 'evaluate') return;
  try {
    evaluate(request);
  } catch (e) {
    // Only reachable if user code broke this file's own machinery; the host restarts on a timeout anyway.
    fail(request.id, 'throw', `the sandbox failed: ${describeThrown(e)}`, null);
  }
}

/** The host's first message transfers the private port; nothing else is ever read from the global scope. */
function onConnect(event: MessageEvent): void {
  const transferred = event.ports[0];
  if (!event.isTrusted || port !== null || !transferred || event.data?.type !== 'connect') return;
  self.removeEventListener('message', onConnect);
  port = transferred;
  port.addEventListener('message', onRequest);
  port.start();
  const survivors = harden();
  if (survivors.length > 0) {
    post({ type: 'fatal', message: `the reward sandbox could not remove ${survivors.join(', ')} from its worker; refusing to run reward code` });
  } else {
    post({ type: 'ready' });
  }
}

self.addEventListener('message', onConnect);
