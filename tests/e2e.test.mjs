// Browser end-to-end tests: load, solving xor through window.evonas, a bad link, the pool, and
// the run's history as the page holds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
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

test('the transport buttons are drawn icons, not a font\'s glyphs, and play shows pause while it plays', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&population=12&steps=10', 'icons', async ({ page, errors }) => {
    // What each button shows: its text (none: a machine without an emoji font would draw a box)
    // and the drawn icons visible in it.
    const shown = (id) => page.evaluate((sel) => {
      const button = document.querySelector(sel);
      const icons = [...button.querySelectorAll('svg')].filter((svg) => svg.getBoundingClientRect().width > 0);
      return { text: button.textContent.trim(), icons: icons.map((svg) => svg.getAttribute('class')), label: button.getAttribute('aria-label') };
    }, byTestId(id));
    for (const id of ['reset', 'step']) assert.deepEqual({ ...(await shown(id)), label: null }, { text: '', icons: ['icon'], label: null }, id);
    assert.deepEqual(await shown('play'), { text: '', icons: ['icon icon-play'], label: 'Play' });
    await page.click(byTestId('play'));
    await poll(async () => (await shown('play')).label === 'Pause', { message: 'the play button to turn into pause' });
    assert.deepEqual(await shown('play'), { text: '', icons: ['icon icon-pause'], label: 'Pause' });
    await page.click(byTestId('play'));
    assert.deepEqual(await shown('play'), { text: '', icons: ['icon icon-play'], label: 'Play' });
    assert.deepEqual(errors, [], 'console errors or page errors');
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

/** The history entries `evonas run` gives for `generations` generations of a link, from its
 *  per-generation summaries (what the run's history records of each). */
function cliHistory(linkText, generations) {
  const out = execFileSync(path.resolve(process.env.EVONAS_CLI ?? 'target/release/evonas'), ['run', '--link', linkText, '--generations', String(generations), '--backend', 'cpu', '--json']);
  return out.toString().trim().split('\n').map((line) => JSON.parse(line)).map((s) => ({
    generation: s.generation,
    best_fitness: s.best.fitness,
    mean_fitness: s.mean_fitness,
    best_train_accuracy: s.best.train_accuracy,
    best_test_accuracy: s.best.test_accuracy,
    species: s.species.map((sp) => [sp.id, sp.size]),
  }));
}

/** Compares the page's history with the CLI's (the CLI writes f32 in its shortest form). */
function assertSameHistory(page, cli) {
  const f32 = (v) => (v === null ? NaN : Math.fround(v));
  assert.equal(page.length, cli.length, 'entries');
  page.forEach((entry, i) => {
    assert.equal(entry.generation, cli[i].generation, `entry ${i}: generation`);
    for (const key of ['best_fitness', 'mean_fitness', 'best_train_accuracy', 'best_test_accuracy']) {
      assert.equal(f32(entry[key]), f32(cli[i][key]), `generation ${entry.generation}: ${key}`);
    }
    assert.deepEqual(entry.species, cli[i].species, `generation ${entry.generation}: species`);
  });
}

test('the page holds the run history (frames bring the new entries): as evonas run gives it; a reset clears it', T, async () => {
  const linkText = 'dataset=spiral&seed=5&population=20&steps=20&backend=cpu';
  const cli = cliHistory(linkText, 12);
  await withPage(env.browser, env.baseUrl, `#${linkText}`, 'history', async ({ page, errors }) => {
    const history = () => page.evaluate(() => window.evonas.history());
    assert.deepEqual(await history(), []);
    await step(page, 1);
    await step(page, 4);
    // A frame with no new generation (a gallery click) adds nothing.
    await page.locator(byTestId('gallery-item')).nth(1).click();
    await page.locator(byTestId('step')).click();
    await waitForGenerationText(page, 6);
    assert.equal((await step(page, 6)).generation, 12);
    assert.equal((await summary(page)).generation, 12);
    assertSameHistory(await history(), cli);

    await page.locator(byTestId('reset')).click();
    await waitForGenerationText(page, 0);
    assert.deepEqual(await history(), [], 'a reset clears the history');
    await step(page, 3);
    assertSameHistory(await history(), cli.slice(0, 3));
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});
