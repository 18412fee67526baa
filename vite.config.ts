import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

/** The sandbox worker's script: `rewardSandbox.worker-<hash>.js` when built, `…/rewardSandbox.worker.ts?worker_file…` in dev. */
export const isSandboxWorkerPath = (url: string): boolean => /\/rewardSandbox\.worker[^/]*$/.test(url.split('?')[0]);

function contentSecurityPolicy(): Plugin {
  const headers =
    (policy: string[]): Connect.NextHandleFunction =>
    (req, res, next) => {
      res.setHeader('Content-Security-Policy', (isSandboxWorkerPath(req.url ?? '') ? sandboxPolicy : policy).join('; '));
      next();
    };
  // Per path, so a middleware (server.headers / preview.headers would give every response the same
  // policy). Registered directly, it runs before Vite's own middlewares for every response.
  return {
    name: 'rlvr-content-security-policy',
    configureServer: (server) => void server.middlewares.use(headers(devAppPolicy)),
    configurePreviewServer: (server) => void server.middlewares.use(headers(appPolicy)),
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
