// The Content-Security-Policy (SECURITY.md) of the built app served by `vite preview`: the page
// cannot eval or run injected inline script, and the reward sandbox worker — the one script served
// with 'unsafe-eval' — still compiles and runs reward code.
import { expect, test } from '@playwright/test';

test('the page cannot eval or run an injected inline script', async ({ page }) => {
  const response = await page.goto('/');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain("'unsafe-eval'"); // 'wasm-unsafe-eval' (WebAssembly only) is allowed
  await expect(page.getByRole('heading', { level: 1, name: 'RLVR Lab' })).toBeVisible();

  const result = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const attempt = (code: () => unknown) => {
      try {
        code();
        return 'ran';
      } catch (e) {
        return (e as Error).name;
      }
    };
    const script = document.createElement('script');
    script.textContent = '(0, eval)("window.__injected = true")';
    document.head.append(script);
    // In a later task: code that page.evaluate runs directly is exempt from the policy (DevTools).
    const later = <T>(f: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(f()), 0));
    const outcome = {
      eval: await later(() => attempt(() => (0, eval)('1 + 1'))),
      newFunction: await later(() => attempt(() => new Function('return 1')())),
      // The CPU backend's WASM kernels compile ('wasm-unsafe-eval'): the smallest valid module.
      wasm: await later(() => attempt(() => new WebAssembly.Module(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0)))),
      injected: false,
      violations,
    };
    await new Promise((resolve) => setTimeout(resolve, 200)); // violation events are queued
    outcome.injected = (window as { __injected?: boolean }).__injected === true;
    return outcome;
  });
  expect(result.eval).toBe('EvalError');
  expect(result.newFunction).toBe('EvalError');
  expect(result.wasm).toBe('ran');
  expect(result.injected).toBe(false);
  expect(result.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src']));
});

test('reward code still runs in the sandbox worker, which alone may eval and has no network', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sandboxPolicy = page
    .waitForResponse((r) => /rewardSandbox\.worker[^/]*\.js$/.test(new URL(r.url()).pathname), { timeout: 90_000 })
    .then((r) => r.headers()['content-security-policy'])
    .catch(() => null); // workers' requests are not always visible to the page: checked with a fetch below
  await page.goto('/');
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-editor').locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('reward-template-short-answers').click();
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('test-reward-row')).toHaveCount(5);

  const seen = await sandboxPolicy;
  const policy =
    seen ??
    (await page.evaluate(async () => {
      const url = performance.getEntriesByType('resource').find((e) => /rewardSandbox\.worker/.test(e.name))?.name;
      return url ? (await fetch(url)).headers.get('content-security-policy') : null;
    }));
  expect(policy).toContain("'unsafe-eval'");
  expect(policy).toContain("connect-src 'none'");
  expect(errors).toEqual([]);
});

test('only the sandbox worker\'s exact script gets the sandbox policy (issue 20, class 6)', async ({ page, request }) => {
  await page.goto('/');
  // The real script's path, from the built assets the page can see.
  await page.getByTestId('config-field-reward-code').check();
  await expect(page.getByTestId('reward-editor').locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('reward-template-short-answers').click();
  await page.getByTestId('test-reward').click();
  await expect(page.getByTestId('test-reward-output')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  const real = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).find((p) => /rewardSandbox\.worker/.test(p)));
  expect(real).toMatch(/^\/assets\/rewardSandbox\.worker-[A-Za-z0-9_-]+\.js$/);
  const policyOf = async (path: string) => (await request.get(path)).headers()['content-security-policy'] ?? '';
  expect(await policyOf(real!)).toContain("'unsafe-eval'");
  // Look-alike paths — served the app's index.html by the single-page-app fallback, or 404 — keep the
  // app's policy: no eval, and no framing.
  for (const path of ['/rewardSandbox.worker', '/x/rewardSandbox.worker', '/assets/rewardSandbox.worker-AAAAAAAA.js', `${real}.map`, `/x${real}`]) {
    const policy = await policyOf(path);
    expect(policy, path).not.toContain("'unsafe-eval'"); // 'wasm-unsafe-eval' (WebAssembly only) is the app's
    expect(policy, path).toContain("frame-ancestors 'none'");
  }
});
