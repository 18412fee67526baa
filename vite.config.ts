import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

// Content-Security-Policy (SECURITY.md): the app may run only its own scripts (no eval, no inline
// script), talk only to its own origin, and start workers from its own scripts. A worker created
// from a URL gets the policy of its own response, so the reward sandbox worker — and it alone — is
// served with 'unsafe-eval' (it compiles user reward code with `new Function`) and no network at all.
// 'wasm-unsafe-eval' lets the CPU backend compile its own WASM SIMD kernels (bundled bytes, never
// strings from outside); it allows no JavaScript eval.
const APP_SCRIPTS = "script-src 'self' 'wasm-unsafe-eval'";
const appPolicy = [
  "default-src 'self'",
  APP_SCRIPTS,
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'", // React style props and Monaco's injected styles
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
// The dev server's index.html carries an inline module script (React Fast Refresh's preamble).
const devAppPolicy = appPolicy.map((d) => (d === APP_SCRIPTS ? `${APP_SCRIPTS} 'unsafe-inline'` : d));
const sandboxPolicy = ["default-src 'none'", "script-src 'self' 'unsafe-eval'", "connect-src 'none'", "worker-src 'none'"];

/** The sandbox worker's source path, as the dev server serves it (`…?worker_file&type=module`). */
const DEV_SANDBOX_PATH = '/src/rewards/sandbox/rewardSandbox.worker.ts';
/** The built sandbox worker's file name (Vite's `[name]-[hash].js`); see the preview server below. */
const BUILT_SANDBOX_FILE = /^rewardSandbox\.worker-[A-Za-z0-9_-]+\.js$/;

/**
 * Whether a request is for the sandbox worker's script — that exact script and nothing else, since its
 * policy allows eval and does not forbid framing. `sandboxPaths` are the exact paths the server has for
 * it. Any other path, even one that ends like it (`/x/rewardSandbox.worker`, which a single-page-app
 * server would answer with index.html), gets the app's policy.
 */
export function isSandboxWorkerRequest(url: string, sandboxPaths: ReadonlySet<string>): boolean {
  const [path, query = ''] = url.split('?', 2);
  if (path === DEV_SANDBOX_PATH) return sandboxPaths.has(path) && new URLSearchParams(query).has('worker_file');
  return sandboxPaths.has(path);
}

/** The built sandbox worker's path(s) under `outDir/assets`, read when the preview server starts. */
function builtSandboxPaths(outDir: string, base: string): Set<string> {
  const assets = resolve(outDir, 'assets');
  const files = existsSync(assets) ? readdirSync(assets).filter((f) => BUILT_SANDBOX_FILE.test(f)) : [];
  return new Set(files.map((f) => `${base.endsWith('/') ? base : `${base}/`}assets/${f}`));
}

function contentSecurityPolicy(): Plugin {
  const headers =
    (policy: string[], sandboxPaths: () => ReadonlySet<string>): Connect.NextHandleFunction =>
    (req, res, next) => {
      res.setHeader('Content-Security-Policy', (isSandboxWorkerRequest(req.url ?? '', sandboxPaths()) ? sandboxPolicy : policy).join('; '));
      next();
    };
  // Per path, so a middleware (server.headers / preview.headers would give every response the same
  // policy). Registered directly, it runs before Vite's own middlewares for every response.
  return {
    name: 'rlvr-content-security-policy',
    configureServer: (server) => void server.middlewares.use(headers(devAppPolicy, () => new Set([DEV_SANDBOX_PATH]))),
    configurePreviewServer: (server) => {
      const { root, build, base } = server.config;
      const paths = builtSandboxPaths(resolve(root, build.outDir), base);
      server.middlewares.use(headers(appPolicy, () => paths));
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
