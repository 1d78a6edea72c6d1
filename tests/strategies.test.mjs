// Browser tests of the search strategies: the strategy controls, aging evolution's budget, and the Pareto view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, withPage, byTestId, text, step, setInput, hashParams, poll, screenshot,
} from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };
const AGING = ['removal', 'sample', 'batch'];

const visible = (page, id) => page.locator(byTestId(id)).isVisible();
const paretoState = (page) => page.locator(byTestId('pareto')).evaluate((el) => ({
  points: Number(el.dataset.points),
  front: Number(el.dataset.front),
  selected: el.dataset.selected,
  frontPoints: JSON.parse(el.dataset.frontPoints || '[]'),
}));

/** Picks a strategy in the select (firing input and change, as a user does) and waits for the link. */
async function chooseStrategy(page, name) {
  await page.selectOption(byTestId('strategy'), name);
  await poll(async () => {
    const strategy = (await hashParams(page)).get('strategy') ?? 'neat';
    return strategy === name;
  }, { timeout: 10_000, message: `strategy=${name} in the link` });
}

test('strategy controls, aging budget and the Pareto view', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1&population=20&steps=30', 'strategies', async ({ page, errors }) => {
    assert.equal(await page.locator(byTestId('strategy')).inputValue(), 'neat');
    for (const id of AGING) assert.equal(await visible(page, id), false, `${id} is shown for NEAT`);

    // Aging evolution: the population is a queue; each step after the first trains `batch` children.
    await chooseStrategy(page, 'aging');
    for (const id of AGING) assert.ok(await visible(page, id), `${id} is hidden for aging evolution`);
    assert.equal(await page.locator(byTestId('sample')).inputValue(), '10');
    assert.equal(await page.locator(byTestId('batch')).inputValue(), '10');
    assert.match(await text(page, 'strategy-note'), /queue/);
    let s = await step(page, 3);
    assert.equal(s.generation, 3);
    assert.equal(s.trained, 20 + 2 * 10, `trained after 3 aging steps of batch 10: ${JSON.stringify(s)}`);
    // The status is drawn on the next animation frame after the step.
    await poll(async () => /\b40 networks trained\b/.test(await text(page, 'status')), { timeout: 10_000, message: 'the status to read 40 networks trained' });
    assert.equal(await page.locator(`${byTestId('gallery')} [data-testid="gallery-item"]`).count(), 20, 'the queue keeps 20 members');

    // The batch control is wired: 5 children per step.
    await setInput(page, 'batch', 5);
    await poll(async () => (await hashParams(page)).get('batch') === '5', { timeout: 10_000, message: 'batch=5 in the link' });
    assert.equal((await hashParams(page)).get('strategy'), 'aging', 'changing batch kept the strategy');
    s = await step(page, 3);
    assert.equal(s.trained, 20 + 2 * 5, `trained after 3 aging steps of batch 5: ${JSON.stringify(s)}`);

    // Pareto search: its view shows every trained member, with a non-empty front 0.
    await chooseStrategy(page, 'pareto');
    for (const id of AGING) assert.equal(await visible(page, id), false, `${id} is shown for Pareto search`);
    s = await step(page, 3);
    assert.equal(s.generation, 3);
    const pareto = await poll(async () => {
      const state = await paretoState(page);
      return state.points === 20 && state.front >= 1 && state.frontPoints.length === state.front && state;
    }, { timeout: 10_000, message: 'the Pareto view to show 20 members with a front' });
    assert.equal(pareto.selected, String(s.best.index), 'the champion is the genome shown');

    // Clicking a front-0 point shows that genome (in the gallery and the Pareto view).
    const spaced = pareto.frontPoints.filter((p) => pareto.frontPoints.every((q) => q === p || Math.hypot(p.x - q.x, p.y - q.y) > 12));
    assert.ok(spaced.length, `no front-0 point stands apart: ${JSON.stringify(pareto.frontPoints)}`);
    const target = spaced.find((p) => String(p.index) !== pareto.selected) ?? spaced[0];
    if (String(target.index) === pareto.selected) {
      // The champion is the only point apart: show another genome first, so the click must change it.
      const other = page.locator(`${byTestId('gallery')} [data-testid="gallery-item"]:not(.selected)`).first();
      await other.click();
      await poll(async () => (await paretoState(page)).selected !== pareto.selected, { timeout: 10_000, message: 'another genome shown' });
    }
    const canvas = page.locator(`${byTestId('pareto')} canvas`);
    await canvas.hover({ position: { x: target.x, y: target.y } });
    const tooltip = page.locator('.pareto-tooltip');
    await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
    assert.match(await tooltip.textContent(), new RegExp(`^genome ${target.index}(?!\\d).*test accuracy \\d+\\.\\d%.*\\d+ connections`));
    await canvas.click({ position: { x: target.x, y: target.y } });
    await poll(async () => (await paretoState(page)).selected === String(target.index), {
      timeout: 10_000, message: `the Pareto view to ring genome ${target.index}`,
    });
    await poll(async () => (await page.locator(`${byTestId('gallery')} .thumb.selected`).getAttribute('data-index')) === String(target.index), {
      timeout: 10_000, message: `gallery item ${target.index} to be selected`,
    });
    await page.mouse.move(0, 0);
    await page.locator(byTestId('pareto')).scrollIntoViewIfNeeded();
    await screenshot(page, 'pareto-view');

    // Back to NEAT: aging's settings hide, and the link names no other strategy.
    await chooseStrategy(page, 'neat');
    for (const id of AGING) assert.equal(await visible(page, id), false, `${id} is still shown after going back to NEAT`);
    assert.match(await text(page, 'strategy-note'), /[Ss]pecies/);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('an embed shows the Pareto view where show= puts it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=2&population=20&steps=30&embed=1&show=pareto,boundary', 'pareto-embed', async ({ page, errors }) => {
    await page.setViewportSize({ width: 800, height: 500 });
    assert.ok(await visible(page, 'pareto'), 'the Pareto view is hidden although show= names it');
    assert.equal(await page.locator('.views > .charts').isVisible(), false, 'charts shown although show= leaves them out');
    // In link order: the embed orders its views by show=, whatever the page's order.
    const order = (selector) => page.locator(selector).evaluate((el) => Number(getComputedStyle(el).order));
    assert.ok(await order('.views > .pareto-view') < await order('.views > .boundary-view'), 'show=pareto,boundary puts the Pareto view first');
    const box = await page.locator(`${byTestId('pareto')} canvas`).boundingBox();
    assert.ok(box.width >= 300 && box.height >= 200, `the Pareto canvas fills its cell: ${JSON.stringify(box)}`);
    await step(page, 2);
    const state = await poll(async () => {
      const st = await paretoState(page);
      return st.points === 20 && st;
    }, { timeout: 10_000, message: 'the Pareto view to show 20 members' });
    assert.ok(state.front >= 1 && state.front <= 20);
    await screenshot(page, 'pareto-embed');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('evolved learning rates and steps: the slider, the views and the link', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=2&population=16&steps=30', 'hyper', async ({ page, errors }) => {
    // Off by default: nothing about own settings anywhere.
    await step(page, 1);
    assert.equal(await text(page, 'hyper-caption'), '');
    assert.doesNotMatch(await text(page, 'status'), /\blr\b/);

    await setInput(page, 'hyper', 0.5);
    await poll(async () => (await hashParams(page)).get('hyper') === '0.5', { timeout: 10_000, message: 'hyper=0.5 in the link' });
    const s = await step(page, 6);
    assert.equal(s.generation, 6);
    const best = s.best;
    assert.ok(best.lr > 0 && best.steps >= 1, `the champion's own settings: ${JSON.stringify(best)}`);
    // The views draw on the next frame after a step resolves.
    await poll(async () => /learning rate [\d.e-]+, \d+ steps/.test(await text(page, 'hyper-caption')), { timeout: 10_000, message: 'the caption' });
    const status = new RegExp(`lr [\\d.e-]+, ${best.steps} steps`);
    await poll(async () => status.test(await text(page, 'status')), { timeout: 10_000, message: `the status naming ${best.steps} steps` });
    const titles = await page.locator(`${byTestId('gallery')} [data-testid="gallery-item"]`).evaluateAll(
      (items) => items.map((item) => item.title));
    assert.ok(titles.length === 16 && titles.every((t) => /lr [\d.e-]+, \d+ steps/.test(t)), `gallery titles: ${titles[0]}`);
    // Mutation spread them: the population no longer shares one learning rate.
    const lrs = new Set(titles.map((t) => t.match(/lr ([\d.e-]+)/)[1]));
    assert.ok(lrs.size > 1, `one learning rate in the whole population: ${[...lrs]}`);
    await screenshot(page, 'hyper');

    // The champion link carries them (genome format 2) and shows them when opened.
    const champion = await page.evaluate(() => window.evonas.championLink());
    const fresh = await page.context().newPage();
    try {
      await fresh.goto(`${env.baseUrl}/index.html#${champion}`);
      await fresh.evaluate(() => window.evonas.ready);
      await poll(async () => /learning rate/.test(await text(fresh, 'hyper-caption')), { timeout: 20_000, message: 'the shared champion\'s settings' });
      assert.match(await text(fresh, 'hyper-caption'), new RegExp(`${best.steps} steps`));
    } finally {
      await fresh.close();
    }
    assert.deepEqual(errors, []);
  });
});
