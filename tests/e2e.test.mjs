// Browser end-to-end tests: load, solving xor through window.evonas, and a bad link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, withPage, byTestId, text, step, summary,
  waitForGenerationText, screenshot, poll,
} from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

test('the page loads cleanly, reports its backend and starts at generation 0', T, async () => {
  await withPage(env.browser, env.baseUrl, '', 'load', async ({ page, errors }) => {
    assert.deepEqual(errors, [], 'console errors or page errors while loading');
    const backend = await page.evaluate(() => window.evonas.backend);
    assert.ok(backend === 'cpu' || backend === 'webgpu', `window.evonas.backend is ${JSON.stringify(backend)}`);
    await waitForGenerationText(page, 0, 15_000);

    const s = await step(page, 5);
    assert.equal(s?.generation, 5, `step(5) resolved to ${JSON.stringify(s)}`);
    await waitForGenerationText(page, 5);
    assert.deepEqual(errors, [], 'console errors or page errors after stepping');
    const file = await screenshot(page, 'page');
    console.log(`# screenshot: ${file}`);
  });
});

test('20 generations on xor reach 95% test accuracy and the page shows it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1', 'xor', async ({ page }) => {
    const s = await step(page, 20);
    assert.ok(s && s.best, `step(20) resolved to ${JSON.stringify(s)}`);
    assert.equal(s.generation, 20);
    for (const k of ['train_accuracy', 'test_accuracy']) {
      assert.ok(s.best[k] >= 0 && s.best[k] <= 1, `best.${k} = ${s.best[k]} is not in [0, 1]`);
    }
    assert.ok(Number.isInteger(s.best.nodes) && Number.isInteger(s.best.connections), JSON.stringify(s.best));
    assert.ok(Array.isArray(s.species) && s.species.length > 0, `species: ${JSON.stringify(s.species)}`);
    for (const sp of s.species) assert.ok('id' in sp && 'size' in sp && 'best_fitness' in sp, JSON.stringify(sp));
    assert.ok(s.best.test_accuracy >= 0.95, `best.test_accuracy after 20 generations is ${s.best.test_accuracy}`);

    const latest = await summary(page);
    assert.equal(latest?.generation, 20, 'summary() after step(20)');
    await waitForGenerationText(page, 20);

    // The shown percentage agrees with the summary to the precision it is shown with.
    const want = latest.best.test_accuracy * 100;
    let shown = '';
    await poll(async () => {
      shown = await text(page, 'test-accuracy');
      const m = /(-?\d+(?:\.(\d+))?)\s*%/.exec(shown || '');
      if (!m) return false;
      const decimals = m[2] ? m[2].length : 0;
      return Math.abs(Number(m[1]) - want) <= 0.5 * 10 ** -decimals + 1e-6;
    }, { timeout: 15_000, message: 'test-accuracy text to match the summary' }).catch((err) => {
      err.message += `; shown ${JSON.stringify(shown)}, summary test_accuracy ${latest.best.test_accuracy}`;
      throw err;
    });
  });
});

test('a bad link shows an error naming the key and the page still runs', T, async () => {
  await withPage(env.browser, env.baseUrl, '#noise=banana', 'bad-link', async ({ page }) => {
    const banner = page.locator(byTestId('error'));
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    const msg = (await banner.textContent()) || '';
    assert.match(msg, /noise/i, `error banner text: ${JSON.stringify(msg)}`);

    const s = await step(page, 2);
    assert.equal(s?.generation, 2, `step(2) resolved to ${JSON.stringify(s)}`);
    await waitForGenerationText(page, 2);
  });
});

test('a pool of trainer workers gives exactly the results of one worker', T, async () => {
  const runs = [];
  for (const query of ['?workers=0', '?workers=3']) {
    await withPage(env.browser, env.baseUrl, `${query}#dataset=spiral&seed=5&population=24`, `pool${query.slice(-1)}`, async ({ page }) => {
      const status = await text(page, 'status');
      runs.push({ query, status, summary: await step(page, 6) });
    });
  }
  const [one, pool] = runs;
  assert.match(one.status, /one worker/, one.status);
  assert.match(pool.status, /3 trainer workers/, pool.status);
  assert.equal(pool.summary.generation, 6);
  assert.deepEqual(pool.summary, one.summary, 'the champion and species differ between one worker and a pool');
});
