// The cell search scene (scene=cells): NAS-Bench-201 searches on recorded accuracies, their curves
// (equal to the CLI's), the cell view, a search's population, settings in the link, the scene
// tabs, refused links and embeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowser, withPage, byTestId, step, text, hashParams, linkSettings, setInput, poll, screenshot, waitForGenerationText } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 90_000 };
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.EVONAS_CLI ?? path.join(REPO, 'target', 'release', 'evonas');
const STRATEGIES = ['aging', 'aging-worst', 'random', 'local'];
const SHORT = { none: null, skip_connect: 'skip', nor_conv_1x1: '1x1 conv', nor_conv_3x3: '3x3 conv', avg_pool_3x3: '3x3 pool' };
const LANDSCAPE = { width: 800, height: 500 };

const reportsOf = (page) => page.evaluate(() => window.evonas.cells());
const shownCell = (page) => page.evaluate(() => window.evonas.shownCell());

/** Waits two animation frames, so that the latest state has been drawn. */
function drawn(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** The CLI's reports for the same comparison, one JSON object per line. */
function cliReports({ strategies, evaluations, seeds, dataset, population, sample }) {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: ./build.sh build first`);
  const out = execFileSync(CLI, [
    'cells', '--strategy', strategies.join(','), '--evaluations', String(evaluations), '--seeds', String(seeds),
    '--dataset', dataset, '--population', String(population), '--sample', String(sample), '--json',
  ], { cwd: REPO, encoding: 'utf8' });
  return out.trim().split('\n').map((line) => JSON.parse(line));
}

test('a cells link compares every search over its seeds, and the page agrees with the CLI', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=10&budget=300', 'cells', async ({ page, errors }) => {
    const reports = await reportsOf(page);
    assert.deepEqual(reports.map((r) => r.strategy), STRATEGIES);
    for (const r of reports) {
      assert.deepEqual(r.seeds, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `${r.strategy} seeds`);
      assert.equal(r.evaluations, 300);
      assert.equal(r.dataset, 'cifar10');
      assert.equal(r.curve.evaluated.at(-1), 300, `${r.strategy}'s curve ends at the budget`);
      r.curve.evaluated.forEach((x, i) => {
        const [low, mean, high] = [r.curve.low[i], r.curve.mean_test_accuracy[i], r.curve.high[i]];
        assert.ok(low <= mean + 1e-4 && mean <= high + 1e-4 && high <= 100, `${r.strategy} band at ${x}: ${low} ${mean} ${high}`);
      });
    }
    const params = await hashParams(page);
    assert.equal(params.get('scene'), 'cells');
    const cli = cliReports({
      strategies: STRATEGIES, evaluations: 300, seeds: 10, dataset: 'cifar10',
      population: (await linkSettings(page)).population, sample: (await linkSettings(page)).sample,
    });
    assert.deepEqual(cli.map((r) => r.strategy), STRATEGIES);
    reports.forEach((r, i) => {
      assert.ok(Math.abs(r.mean_test_accuracy - cli[i].mean_test_accuracy) < 1e-3,
        `${r.strategy}: the page's ${r.mean_test_accuracy} against the CLI's ${cli[i].mean_test_accuracy}`);
      assert.ok(Math.abs(r.mean_regret - cli[i].mean_regret) < 1e-3, `${r.strategy} regret`);
    });
    const [aging, random] = [reports[0], reports[2]];
    assert.ok(aging.mean_test_accuracy > random.mean_test_accuracy,
      `regularized evolution ${aging.mean_test_accuracy} does not beat random search ${random.mean_test_accuracy}`);

    await drawn(page);
    const chart = page.locator(byTestId('cells-curves'));
    assert.equal(await chart.getAttribute('data-oracle'), '89.16', 'the oracle line is cifar10\'s best test accuracy');
    assert.equal(Number(await chart.getAttribute('data-oracle')), Number(reports[0].oracle_test_accuracy.toFixed(2)));
    assert.ok(Number(await chart.getAttribute('data-best-validation')) <= 89.16);
    assert.equal(await text(page, 'cells-progress').then((t) => t.split(' \u00B7 ')[0]), '40 of 40 searches');
    assert.equal(await page.locator(byTestId('cells-stop')).isDisabled(), true, 'Stop is off once all have run');
    const rows = page.locator(`${byTestId('cells-table')} tbody tr`);
    assert.equal(await rows.count(), 4);
    assert.match(await rows.first().textContent(), new RegExp(`regularized evolution\\s*${aging.mean_test_accuracy.toFixed(2)}%`));
    // The NEAT page stays out of the way, and its engine never starts.
    for (const id of ['status', 'play', 'step', 'generation', 'dataset']) {
      assert.equal(await page.locator(byTestId(id)).isVisible(), false, `${id} is shown in the cell search`);
    }
    assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/www/workers/run.js'))), false,
      'the NEAT worker started');
    assert.match(await page.title(), /cell search/);
    assert.equal(await page.locator(byTestId('scene-cells')).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => window.evonas.summary()), null);
    assert.match(await page.evaluate(() => window.evonas.step(1).then(() => 'stepped', (e) => e.message)), /no NEAT run/);
    await screenshot(page, 'cells');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('the cell view draws the cell on show; the population holds P cells and a click shows one', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=3&budget=300', 'cells-cell', async ({ page, errors }) => {
    await reportsOf(page);
    await drawn(page);
    const shown = await shownCell(page);
    assert.match(shown.source, /regularized evolution, seed 1/);
    const labels = () => page.locator(`${byTestId('cells-cell')} [data-testid="cell-edge-label"]`).allTextContents();
    assert.deepEqual(await labels(), shown.cell.ops.map((op) => SHORT[op]).filter(Boolean), 'the edge labels are the cell\'s operations');
    assert.deepEqual(await page.locator(`${byTestId('cells-cell')} .cell-edge`).evaluateAll((edges) => edges.map((e) => e.dataset.op)),
      shown.cell.ops, 'one edge per operation, none included (dashed)');
    assert.match(await text(page, 'cells-cell-caption'), new RegExp(shown.cell.text.replace(/[|+]/g, '\\$&')));
    assert.match(shown.cell.text, /^\|\w+~0\|\+\|\w+~0\|\w+~1\|\+\|\w+~0\|\w+~1\|\w+~2\|$/);

    const { population } = await linkSettings(page);
    const items = page.locator(byTestId('cell-item'));
    assert.equal(await items.count(), population, 'the grid holds the whole population');
    const values = (await page.locator('.cell-item-value').allTextContents()).map(Number);
    assert.deepEqual(values, [...values].sort((a, b) => b - a), 'best validation accuracy first');
    assert.match(await items.first().getAttribute('title'), /^\|.*\|\nvalidation [\d.]+% · test [\d.]+%/);

    const fifth = items.nth(4);
    const code = Number(await fifth.getAttribute('data-code'));
    await fifth.click();
    await drawn(page);
    const picked = await shownCell(page);
    assert.equal(picked.cell.code, code, 'the clicked cell is on show');
    assert.equal(await page.locator(byTestId('cells-cell')).getAttribute('data-code'), String(code));
    assert.match(await text(page, 'cells-cell-caption'), new RegExp(picked.cell.text.replace(/[|+]/g, '\\$&')));
    assert.deepEqual(await labels(), picked.cell.ops.map((op) => SHORT[op]).filter(Boolean));
    assert.equal(await page.locator(`${byTestId('cell-item')}[aria-pressed="true"]`).getAttribute('data-code'), String(code));

    // Another search's population: random search, seed 2 (its latest P cells).
    await page.selectOption(byTestId('cells-population-strategy'), 'random');
    await page.selectOption(byTestId('cells-population-seed'), '2');
    await poll(async () => (await text(page, 'cells-population-note')).includes('evaluated last'), { timeout: 5000, message: 'random search\'s population' });
    assert.equal(await items.count(), population);
    await screenshot(page, 'cells-population');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('the settings rewrite the link and rerun: another dataset, a strategy unticked, more seeds', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=3&budget=200', 'cells-settings', async ({ page, errors }) => {
    await reportsOf(page);
    await drawn(page);
    const chart = page.locator(byTestId('cells-curves'));
    assert.equal(await chart.getAttribute('data-oracle'), '89.16');

    await page.selectOption(byTestId('cells-dataset'), 'cifar100');
    assert.equal((await hashParams(page)).get('dataset'), 'cifar100');
    const hundred = await reportsOf(page);
    assert.deepEqual(hundred.map((r) => r.dataset), Array(4).fill('cifar100'));
    await drawn(page);
    const oracle = await chart.getAttribute('data-oracle');
    assert.notEqual(oracle, '89.16', 'the oracle is cifar100\'s');
    assert.equal(Number(oracle), Number(hundred[0].oracle_test_accuracy.toFixed(2)));

    await page.uncheck(byTestId('cells-random'));
    assert.equal((await hashParams(page)).get('compare'), 'aging,aging-worst,local');
    const three = await reportsOf(page);
    assert.deepEqual(three.map((r) => r.strategy), ['aging', 'aging-worst', 'local']);
    await drawn(page);
    assert.equal(await page.locator(`${byTestId('cells-table')} tbody tr`).count(), 3);

    await setInput(page, 'cells-seeds', 4);
    assert.equal((await hashParams(page)).get('seeds'), '4');
    const four = await reportsOf(page);
    assert.ok(four.every((r) => r.seeds.length === 4));
    assert.equal(await text(page, 'cells-progress').then((t) => t.split(' \u00B7 ')[0]), '12 of 12 searches');

    await setInput(page, 'cells-noise', 1.5);
    assert.equal((await hashParams(page)).get('eval_noise'), '1.5');
    assert.ok((await reportsOf(page)).every((r) => r.noise === 1.5));
    assert.equal(await text(page, 'error'), '');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('Stop pauses a long comparison where it is; Resume finishes it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=50&budget=20000', 'cells-stop', async ({ page, errors }) => {
    const stop = page.locator(byTestId('cells-stop'));
    await stop.click();
    await poll(async () => (await text(page, 'cells-progress')).includes('stopped'), { timeout: 5000, message: 'the run to stop' });
    const stopped = await text(page, 'cells-progress');
    const [done, runs] = stopped.match(/^(\d+) of (\d+) searches/).slice(1).map(Number);
    assert.equal(runs, 200);
    assert.ok(done < runs, stopped);
    await page.waitForTimeout(500);
    assert.equal(await text(page, 'cells-progress'), stopped, 'a stopped run stays where it is');
    assert.equal(await stop.textContent(), 'Resume');
    await stop.click();
    const reports = await page.evaluate(() => window.evonas.cells());
    assert.ok(reports.every((r) => r.seeds.length === 50));
    assert.match(await text(page, 'cells-progress'), /^200 of 200 searches/);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('a heavy comparison runs in a worker: the page keeps answering while it runs', T, async (t) => {
  // The largest searches a link allows (P 2000, 100,000 evaluations): each takes about a second,
  // and on the main thread each was one long task (0.9-1.7 s). In the worker the page's own tasks
  // (drawing, the grid filling) take under 50 ms of CPU each; the bound is loose because a machine
  // busy with other work leaves the page a fraction of a core, which stretches every task.
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=1&budget=100000&population=2000&sample=10', 'cells-heavy', async ({ page, errors }) => {
    await page.evaluate(() => {
      window.longestTask = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longestTask = Math.max(window.longestTask, entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const reports = await reportsOf(page);
    assert.ok(reports.every((r) => r.seeds.length === 1 && r.evaluations === 100_000));
    // The grid of 2000 fills a batch a frame; those frames count too.
    await poll(() => page.evaluate(() => document.querySelectorAll('[data-testid="cell-item"]').length === 2000), { message: 'the population of 2000' });
    await drawn(page);
    const longest = await page.evaluate(() => window.longestTask);
    t.diagnostic(`longest task: ${longest.toFixed(0)} ms`);
    assert.ok(longest < 500, `the main thread was busy for ${longest.toFixed(0)} ms at a time`);
    assert.ok(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/www/workers/compare.js'))), 'no comparison worker');
    assert.match(await text(page, 'cells-progress'), /^4 of 4 searches/);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('a refused cells link is named on the banner, and the cell search still runs', T, async () => {
  for (const [hash, key] of [['#scene=cells&dataset=spiral', /dataset/], ['#scene=cells&sample=80&population=20', /sample/]]) {
    await withPage(env.browser, env.baseUrl, hash, 'cells-refused', async ({ page, errors }) => {
      assert.match(await text(page, 'error'), key, hash);
      const reports = await reportsOf(page);
      assert.deepEqual(reports.map((r) => r.strategy), STRATEGIES, `${hash}: the defaults run`);
      assert.equal(await page.evaluate(() => window.evonas.link()), 'v=2&scene=cells', `${hash}: the defaults' link`);
      await drawn(page);
      assert.ok(await page.locator(byTestId('cell-item')).count() > 0, `${hash}: no population`);
      // A refused value from a control is named and undone; the next good one clears the banner.
      const before = await page.evaluate(() => window.evonas.link());
      await setInput(page, 'cells-sample', 999);
      assert.match(await text(page, 'error'), /sample: 999 is more than the population/);
      assert.equal(await page.evaluate(() => window.evonas.link()), before);
      assert.equal(await page.locator(byTestId('cells-sample')).inputValue(), String((await linkSettings(page, before)).sample));
      await setInput(page, 'cells-budget', 100);
      assert.equal(await text(page, 'error'), '');
      assert.ok((await reportsOf(page)).every((r) => r.evaluations === 100));
      assert.deepEqual(errors, [], `${hash}: console errors or page errors`);
    });
  }
});

test('the scene tabs switch both ways; the NEAT run is kept, and steps after', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3&population=12&steps=20', 'cells-tabs', async ({ page, errors, context }) => {
    const neatLink = await page.evaluate(() => window.evonas.link());
    assert.equal((await step(page, 1)).generation, 1);
    assert.equal(await page.locator(byTestId('scene-neat')).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator(byTestId('cells')).isVisible(), false);

    await page.click(byTestId('scene-cells'));
    await page.evaluate(() => window.evonas.ready);
    assert.equal(await page.locator(byTestId('scene-cells')).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator(byTestId('scene-neat')).getAttribute('aria-pressed'), 'false');
    assert.ok(await page.locator(byTestId('cells')).isVisible());
    assert.equal(await page.locator(byTestId('boundary')).isVisible(), false);
    assert.equal((await hashParams(page)).get('scene'), 'cells');
    assert.equal((await reportsOf(page)).length, 4);
    assert.match(await page.title(), /cell search/);

    // Share and Embed give the cell search's link.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.baseUrl });
    await page.click(byTestId('share'));
    const shared = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(shared, `${env.baseUrl}/index.html#${await page.evaluate(() => window.evonas.link())}`);
    await page.click(byTestId('embed-code'));
    // The snippet is written on the panel's toggle event, a task after the click.
    await page.waitForFunction((sel) => document.querySelector(sel).value !== '', byTestId('embed-snippet'));
    for (const name of ['curves', 'cell', 'population']) assert.ok(await page.locator(byTestId(`embed-show-${name}`)).isVisible(), name);
    assert.equal(await page.locator(byTestId('embed-show-boundary')).isVisible(), false);
    assert.equal(await page.locator(byTestId('embed-autoplay')).isVisible(), false);
    const snippet = () => page.locator(byTestId('embed-snippet')).inputValue();
    assert.match(await snippet(), /#v=2&amp;scene=cells&amp;(?:[^"]*&amp;)?embed=1" width="800" height="450" style="border:0" title="evonas: cell search on cifar10"/);
    await page.check(byTestId('embed-show-population'));
    await page.uncheck(byTestId('embed-show-cell'));
    assert.match(await snippet(), /&amp;embed=1&amp;show=curves,population"/);
    await screenshot(page, 'cells-embed-code');
    await page.keyboard.press('Escape');

    const cellsLink = await page.evaluate(() => window.evonas.link());
    await page.click(byTestId('scene-neat'));
    await page.evaluate(() => window.evonas.ready);
    assert.equal(await page.evaluate(() => window.evonas.link()), neatLink, 'back to the NEAT link the page had');
    assert.equal((await hashParams(page)).get('dataset'), 'xor');
    assert.match(await page.title(), /Backprop NEAT/);
    assert.ok(await page.locator(byTestId('boundary')).isVisible());
    assert.equal(await page.locator(byTestId('cells')).isVisible(), false);
    assert.equal((await step(page, 1)).generation, 2, 'the NEAT run carries on where it was');

    await page.click(byTestId('scene-cells'));
    await page.evaluate(() => window.evonas.ready);
    assert.equal(await page.evaluate(() => window.evonas.link()), cellsLink, 'back to the cell search left');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('a page opened on the cell search starts the NEAT page from its tab', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=2&budget=100', 'cells-to-neat', async ({ page, errors }) => {
    await reportsOf(page);
    await page.click(byTestId('scene-neat'));
    await page.evaluate(() => window.evonas.ready);
    const settings = await linkSettings(page);
    assert.deepEqual([settings.scene, settings.dataset], ['neat', 'circle'], 'the default NEAT page');
    assert.equal((await step(page, 1)).generation, 1);
    await waitForGenerationText(page, 1, 10_000); // drawn on the frame after the step resolves
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

/** What an embed shows: the cell views' boxes, visible controls, scrolling, canvas stores. */
function measure(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el || !el.checkVisibility()) return null;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height } : null;
    };
    const q = (sel) => document.querySelector(sel);
    const canvas = q('[data-testid="cells-curves"]');
    const grid = q('[data-testid="cells-population-grid"]');
    return {
      curves: box(q('.cells-curves-view')),
      cell: box(q('.cells-cell-view')),
      population: box(q('.cells-population-view')),
      controls: [...document.querySelectorAll('button, input, select, textarea, summary, a, [role="button"]')]
        .filter((el) => box(el) && !el.matches('.cell-item, [data-testid="embed-open"]') && !el.closest('[data-testid="embed-status"]'))
        .map((el) => el.dataset.testid || el.className || el.tagName),
      topbar: box(q('.topbar')),
      scroll: { width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight },
      viewport: { width: innerWidth, height: innerHeight },
      canvas: { css: [canvas.clientWidth, canvas.clientHeight], store: [canvas.width, canvas.height], shown: canvas.checkVisibility() },
      dpr: devicePixelRatio,
      grid: { scrollHeight: grid.scrollHeight, clientHeight: grid.clientHeight, items: grid.children.length },
    };
  });
}

function assertEmbed(m, shown, label) {
  for (const name of ['curves', 'cell', 'population']) {
    if (shown.includes(name)) assert.ok(m[name], `${label}: ${name} is not shown`);
    else assert.equal(m[name], null, `${label}: ${name} is shown`);
  }
  assert.deepEqual(m.controls, [], `${label}: controls are visible`);
  assert.equal(m.topbar, null, `${label}: the title bar is visible`);
  assert.ok(m.scroll.width <= m.viewport.width && m.scroll.height <= m.viewport.height, `${label}: the page scrolls ${JSON.stringify(m.scroll)}`);
  for (const name of shown) {
    const b = m[name];
    assert.ok(b.left >= 0 && b.top >= 0 && b.right <= m.viewport.width + 0.5 && b.bottom <= m.viewport.height + 0.5, `${label}: ${name} leaves the viewport`);
  }
  if (m.canvas.shown) assert.deepEqual(m.canvas.store, m.canvas.css.map((v) => Math.round(v * m.dpr)), `${label}: the chart's backing store`);
}

test('embed=1&scene=cells shows the curves and the cell side by side, filling 800x500', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells&embed=1&seeds=3&budget=200', 'cells-embed', async ({ page, errors }) => {
    await page.setViewportSize(LANDSCAPE);
    await reportsOf(page);
    await drawn(page);
    await page.mouse.move(400, 250);
    await screenshot(page, 'cells-embed');
    const m = await measure(page);
    assertEmbed(m, ['curves', 'cell'], 'curves and cell');
    assert.ok(Math.abs(m.curves.top - m.cell.top) < 1 && m.cell.left >= m.curves.right - 0.5, 'not side by side');
    assert.ok(m.curves.height >= 0.85 * m.viewport.height, `the views get ${m.curves.height}px of ${m.viewport.height}px`);
    assert.ok(await page.locator(`${byTestId('cells-cell')} [data-testid="cell-edge-label"]`).count() > 0, 'the cell is drawn');
    const open = await page.locator(byTestId('embed-open')).getAttribute('href');
    assert.equal(open, `${env.baseUrl}/index.html#${(await page.evaluate(() => window.evonas.link())).replace('&embed=1', '')}`);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
  await withPage(env.browser, env.baseUrl, '#scene=cells&embed=1&seeds=3&budget=200&show=population', 'cells-embed-population', async ({ page, errors }) => {
    await page.setViewportSize(LANDSCAPE);
    await reportsOf(page);
    await drawn(page);
    await poll(() => page.evaluate(() => document.querySelectorAll('[data-testid="cell-item"]').length > 0), { timeout: 5000, message: 'the population' });
    await drawn(page);
    await screenshot(page, 'cells-embed-population');
    const m = await measure(page);
    assertEmbed(m, ['population'], 'population');
    assert.ok(m.population.width >= 0.9 * m.viewport.width && m.population.height >= 0.85 * m.viewport.height, 'the population fills the embed');
    assert.equal(m.grid.items, (await linkSettings(page)).population);
    assert.ok(m.grid.scrollHeight <= m.grid.clientHeight + 1, `the population overflows its box ${JSON.stringify(m.grid)}`);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
  await withPage(env.browser, env.baseUrl, '#scene=cells&embed=1&seeds=3&budget=200&show=curves,cell,population', 'cells-embed-three', async ({ page, errors }) => {
    await page.setViewportSize({ width: 1024, height: 576 });
    await reportsOf(page);
    await drawn(page);
    await screenshot(page, 'cells-embed-three');
    const m = await measure(page);
    assertEmbed(m, ['curves', 'cell', 'population'], 'three views');
    assert.ok(m.curves.height >= 0.9 * m.viewport.height && m.cell.left >= m.curves.right - 0.5, 'the curves take the left half');
    assert.ok(m.population.top >= m.cell.bottom - 0.5 && Math.abs(m.population.left - m.cell.left) < 1, 'the cell over the population');
    assert.ok(m.grid.scrollHeight <= m.grid.clientHeight + 1, `the population overflows its box ${JSON.stringify(m.grid)}`);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});
