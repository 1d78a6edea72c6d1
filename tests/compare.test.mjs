// Strategy comparison panel: a compare= link opens it, Run fills the curves in workers while the
// live experiment keeps stepping, Stop and a new experiment end a run, embeds hide it unless linked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, byTestId, step, summary, hashParams, setInput, text, poll, screenshot } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 90_000 };
const LINK = '#dataset=xor&population=10&batch=5&steps=20&compare=neat,aging&seeds=2&budget=60';

/** The chart's pixels drawn in a strategy colour (saturated, unlike the axes and text). */
function colouredPixels(page) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 80) n += 1;
    }
    return n;
  }, byTestId('compare-chart'));
}

const checked = (page, name) => page.locator(byTestId(`compare-${name}`)).isChecked();

test('a compare link runs its strategies in workers and charts mean accuracy with bands', T, async () => {
  await withPage(env.browser, env.baseUrl, LINK, 'compare', async ({ page, errors }) => {
    assert.ok(await page.locator(`${byTestId('compare')} details`).evaluate((d) => d.open), 'the panel opens for a compare= link');
    assert.deepEqual(
      await Promise.all(['neat', 'aging', 'aging-worst', 'pareto'].map((name) => checked(page, name))),
      [true, true, false, false],
    );
    assert.equal(await page.locator(byTestId('compare-seeds')).inputValue(), '2');
    assert.equal(await page.locator(byTestId('compare-budget')).inputValue(), '60');
    assert.equal(await colouredPixels(page), 0, 'nothing is charted before Run');

    await page.locator(byTestId('compare-run')).click();
    // The live experiment keeps stepping while the comparison runs.
    const first = await step(page, 1);
    assert.equal(first.generation, 1);
    await poll(async () => (await text(page, 'compare-progress')).startsWith('4 of 4'), {
      timeout: 45_000, message: 'the progress to read "4 of 4"',
    });

    const curves = await page.evaluate(() => window.evonas.compare());
    assert.deepEqual(curves.map((c) => c.strategy), ['neat', 'aging']);
    for (const c of curves) {
      assert.equal(c.trained.at(-1), 60, `${c.strategy} ends at the budget`);
      assert.equal(c.traces.length, 2, `${c.strategy} has one trace per seed`);
      assert.deepEqual(c.traces.map((t) => t.seed), [1, 2]);
      c.trained.forEach((_, i) => {
        const [low, mean, high] = [c.low[i], c.mean_test_accuracy[i], c.high[i]];
        assert.ok(low >= 0 && low <= mean + 1e-6 && mean <= high + 1e-6 && high <= 1, `${c.strategy} band at ${c.trained[i]}: ${low}, ${mean}, ${high}`);
      });
      assert.ok(c.mean_connections.at(-1) > 0, `${c.strategy} champions have connections`);
    }
    assert.ok(await colouredPixels(page) > 500, 'the chart draws the curves');
    assert.equal(await page.locator(`${byTestId('compare-table')} tbody tr`).count(), 2);
    await page.locator(byTestId('compare')).scrollIntoViewIfNeeded();
    await screenshot(page, 'compare');

    // Unticking a strategy rewrites the link, and the live run goes on where it was.
    await page.locator(byTestId('compare-aging')).uncheck();
    await poll(async () => (await hashParams(page)).get('compare') === 'neat', { timeout: 10_000, message: 'compare=neat in the hash' });
    assert.equal((await summary(page)).generation, 1, 'changing the comparison keeps the live run');
    assert.equal((await step(page, 1)).generation, 2);
    assert.match(await text(page, 'compare-progress'), /settings changed/);

    // Stop ends a run at once; a new experiment ends one and clears the chart.
    await setInput(page, 'compare-budget', 3000);
    await poll(async () => (await hashParams(page)).get('budget') === '3000', { timeout: 10_000, message: 'budget=3000 in the hash' });
    await page.locator(byTestId('compare-run')).click();
    await page.locator(byTestId('compare-stop')).click();
    assert.match(await text(page, 'compare-progress'), /^Stopped at 0 of 2 runs/);
    assert.ok(await page.locator(byTestId('compare-run')).isEnabled());
    await page.locator(byTestId('compare-run')).click();
    await page.locator(`${byTestId('dataset')} [data-value="circle"]`).click();
    await poll(async () => /experiment changed/.test(await text(page, 'compare-progress')), { timeout: 10_000, message: 'the run to stop' });
    assert.equal(await colouredPixels(page), 0, 'the old experiment\'s curves are gone');
    assert.equal((await step(page, 1)).generation, 1);
    assert.deepEqual(errors, []);
  });
});

test('an embed shows the panel only where show= names it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&embed=1&compare=pareto', 'compare-embed', async ({ page }) => {
    assert.equal(await page.locator(byTestId('compare')).isVisible(), false);
  });
  await withPage(env.browser, env.baseUrl, '#dataset=xor&embed=1&show=compare&compare=pareto&seeds=1&budget=20', 'compare-embed-linked', async ({ page }) => {
    assert.ok(await page.locator(byTestId('compare-run')).isVisible());
    assert.equal(await page.locator(byTestId('compare-pareto')).isVisible(), false, 'no settings in an embed');
    const curves = await page.evaluate(() => window.evonas.compare());
    assert.equal(curves.length, 1);
    assert.equal(await text(page, 'compare-progress').then((t) => t.startsWith('1 of 1')), true);
  });
});
