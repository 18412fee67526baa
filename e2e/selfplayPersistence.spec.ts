// Self-play runs survive a reload like RL runs do: a self-play preset's run draws its plots, and after a
// reload they show the same points again (they come from IndexedDB, not from the old page's memory);
// deleting the run deletes its stored points too. And a user whose runs were saved by the previous
// storage version (no self-play store yet) keeps them: the database upgrades in place.
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';

const link = (payload: object) => `/#v=1&x=${LZString.compressToEncodedURIComponent(JSON.stringify(payload))}`;

const DB = 'rlvr-lab-runs';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** data-points of every self-play chart, by test id. */
async function selfplayPoints(page: Page): Promise<Record<string, number>> {
  const charts = page.getByTestId('selfplay-plots').locator('[data-testid^="selfplay-plot-"]');
  const pairs = await charts.evaluateAll((els) => els.map((el) => [el.getAttribute('data-testid'), Number(el.getAttribute('data-points'))] as const));
  return Object.fromEntries(pairs);
}

/** Rows of one run in a [runId, …]-keyed store, read straight from IndexedDB (-1: no such store). */
function storedRows(page: Page, store: string, runId: string): Promise<number> {
  return page.evaluate(
    async ({ db: name, store, runId }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        if (!db.objectStoreNames.contains(store)) return -1;
        const count = db.transaction(store).objectStore(store).count(IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]));
        return await new Promise<number>((resolve, reject) => {
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        });
      } finally {
        db.close();
      }
    },
    { db: DB, store, runId },
  );
}

test('a self-play run keeps its plotted points across a reload, and deleting it deletes them', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  // The SPIN preset, shrunk (as in selfplay.spec.ts) so its two iterations take well under a minute.
  await page.goto(link({ preset: 'selfplay-spin', algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalPrompts: 1 }, selfplay: { iterations: 2, spin: { datasetSize: 4 } } }));
  await expect(page.getByTestId('config-field-selfplay-loop')).toHaveValue('spin');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('backend-chip')).toHaveAttribute('data-worker-backend', 'webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-step', '2', { timeout: 150_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'stopped', { timeout: 30_000 });
  const plot = page.getByTestId('selfplay-plot-rewards');
  await expect.poll(async () => Number(await plot.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  const before = await selfplayPoints(page);
  expect(Object.keys(before).length).toBeGreaterThanOrEqual(4);
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row.locator('.run-steps')).toHaveText('2 iterations');
  const runId = (await row.getAttribute('data-run-id'))!;

  await page.waitForTimeout(1000); // the runs store writes a few times a second
  await page.reload();
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-run-id', runId);
  await expect(page.getByTestId('selfplay-plots')).toHaveAttribute('data-loop', 'spin');
  // The same points on every chart, the one the brief names first.
  await expect(plot).toHaveAttribute('data-points', String(before['selfplay-plot-rewards']));
  expect(await selfplayPoints(page)).toEqual(before);
  await expect(row.locator('.run-steps')).toHaveText('2 iterations');

  // Deleting the run removes its self-play points from storage, not just from the page.
  expect(await storedRows(page, 'selfplay', runId)).toBeGreaterThanOrEqual(before['selfplay-plot-rewards']);
  page.once('dialog', (d) => void d.accept());
  await row.getByTestId('run-delete').click();
  await expect(row).toHaveCount(0);
  await expect.poll(() => storedRows(page, 'selfplay', runId)).toBe(0);
  await page.reload();
  await expect(page.getByText('No runs yet.').first()).toBeVisible({ timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('runs saved by the previous storage version (no self-play store) load after the upgrade', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  // A real RL run's record and step, saved by this version...
  await page.goto(link({ seed: 4, algorithm: { promptsPerStep: 2, samplesPerPrompt: 4 }, run: { evalEvery: 0 } }));
  await page.getByTestId('step-once').click();
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-step', '1', { timeout: 150_000 });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const row = page.getByTestId('run-row');
  const runId = (await row.getAttribute('data-run-id'))!;
  await page.waitForTimeout(1000);
  await expect.poll(() => storedRows(page, 'metrics', runId)).toBe(1);

  // ...put back into a database exactly as version 1 made it (three stores), from a page of the same
  // origin that is not the app, so nothing holds the database open.
  await page.goto('/favicon.svg');
  const version = await page.evaluate(async (name) => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const open = (version?: number, upgrade?: (db: IDBDatabase) => void) => {
      const r = indexedDB.open(name, version);
      if (upgrade) r.onupgradeneeded = () => upgrade(r.result);
      return request(r);
    };
    const current = await open();
    const stores = ['runs', 'metrics', 'evaluations'];
    const tx = current.transaction(stores);
    const saved = await Promise.all(stores.map((s) => request(tx.objectStore(s).getAll())));
    const upgraded = current.version;
    current.close();
    await request(indexedDB.deleteDatabase(name));
    const v1 = await open(1, (db) => {
      db.createObjectStore('runs', { keyPath: 'id' });
      db.createObjectStore('metrics', { keyPath: ['runId', 'step'] });
      db.createObjectStore('evaluations', { keyPath: ['runId', 'step'] });
    });
    const write = v1.transaction(stores, 'readwrite');
    stores.forEach((s, i) => saved[i].forEach((value) => write.objectStore(s).put(value)));
    await new Promise<void>((resolve, reject) => {
      write.oncomplete = () => resolve();
      write.onerror = () => reject(write.error);
    });
    v1.close();
    return upgraded;
  }, DB);
  expect(version).toBe(2);

  await page.goto('/');
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-run-id', runId);
  await expect(row).toHaveAttribute('data-steps', '1');
  await expect(page.getByTestId('plot-reward')).toHaveAttribute('data-points', '1');
  // The upgrade added the self-play store (empty for this run) and kept the run's step.
  expect(await storedRows(page, 'selfplay', runId)).toBe(0);
  expect(await storedRows(page, 'metrics', runId)).toBe(1);
  expect(errors).toEqual([]);
});
