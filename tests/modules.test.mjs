// The modules scene (scene=modules): a link runs in workers and agrees with the CLI, the views
// draw the assembled network, the species, the curves, the front, the confusion matrix and the
// digits; a network is on show within seconds of opening the default link; Stop holds a
// generation between networks; settings live in the link, bad links are named, embeds show
// their views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, byTestId, text, link, linkSettings, setInput, poll, cliRun, steppedFrame, sameF32 } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };
/** A small run on MNIST-1D: two blueprints, four modules, one epoch (about 0.3 s a generation natively). */
const TINY = 'scene=modules&blueprints=2&modules=4&species=2&networks=1&epochs=1&validation=100&seed=3';
/** The 2-D quick demo. */
const XOR = 'scene=modules&dataset=xor&blueprints=2&modules=4&species=2&networks=1&epochs=2&seed=3';
/** The first network of the default link is on show within this many ms of the page opening. */
const FIRST_NETWORK_MS = 10_000;

/** The page's summary equals the CLI's line: generation, networks trained, the best and the baselines. */
function assertSameRun(summary, cli) {
  assert.equal(summary.generation, cli.generation);
  assert.equal(summary.trained, cli.trained);
  assert.equal(summary.species, cli.species);
  assert.equal(summary.front, cli.front);
  for (const key of ['test_accuracy', 'validation_accuracy', 'lr']) assert.ok(sameF32(summary.best[key], cli.best[key]), `best ${key}: ${summary.best[key]} vs CLI ${cli.best[key]}`);
  for (const key of ['parameters', 'cost', 'generation', 'batch', 'epochs', 'blueprint']) assert.equal(summary.best[key], cli.best[key], `best ${key}`);
  assert.deepEqual(summary.best.modules, cli.best.modules);
  assert.deepEqual(Object.keys(summary.baselines).sort(), Object.keys(cli.baselines).sort());
  for (const [name, b] of Object.entries(cli.baselines)) {
    const mine = summary.baselines[name];
    for (const key of ['test_accuracy', 'validation_accuracy']) assert.ok(sameF32(mine[key], b[key]), `${name} ${key}: ${mine[key]} vs CLI ${b[key]}`);
    assert.equal(mine.parameters, b.parameters, `${name} parameters`);
    assert.equal(mine.published == null, b.published == null, `${name} published`);
    if (b.published != null) assert.ok(sameF32(mine.published, b.published));
  }
}

test('a modules link trains in workers, draws its views and agrees with the CLI bit for bit', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${TINY}`, 'modules-run', async ({ page, errors }) => {
    assert.ok(await page.locator(byTestId('modules')).isVisible(), 'the modules scene is on show');
    assert.equal(await page.title(), 'evonas \u00B7 modules and blueprints');
    assert.equal(await page.locator(byTestId('scene-modules')).getAttribute('aria-pressed'), 'true');
    // The run plays from the start: step() stops it at least 2 generations in.
    const frame = await steppedFrame(page, 2);
    const { summary } = frame;
    assert.ok(summary.generation >= 2, `generation ${summary.generation}`);
    assertSameRun(summary, cliRun(TINY, summary.generation).at(-1));
    assert.deepEqual(Object.keys(summary.baselines).sort(), ['cnn', 'logistic', 'mlp']);
    // The assembled network: a tile per tile of the drawing, a box per blueprint node.
    const tiles = await page.locator(`${byTestId('modules-assembled')} .module-tile`).count();
    assert.equal(tiles, frame.shown.tiles.length);
    const groups = new Set(frame.shown.tiles.filter((t) => t.group != null).map((t) => t.group));
    assert.equal(await page.locator(`${byTestId('modules-assembled')} .module-group`).count(), groups.size);
    assert.match(await text(page, 'modules-assembled-caption'), new RegExp(`best network after ${summary.generation} generations`));
    // The species, each with its members.
    assert.equal(await page.locator(`${byTestId('modules-species-list')} .modules-species-group`).count(), frame.species.length);
    const members = frame.species.reduce((n, s) => n + s.members.length, 0);
    assert.equal(await page.locator(`${byTestId('modules-species-list')} tbody tr`).count(), members);
    // The front: every network trained is a point; the front's indices are among them.
    assert.equal(frame.front.points.length, summary.trained);
    assert.equal(frame.front.front.length, summary.front);
    assert.ok(frame.front.front.every((k) => k < frame.front.points.length));
    // The curves: one record per generation; the results table: the best and three baselines.
    assert.equal(frame.history.length, summary.generation);
    const rows = await page.locator(`${byTestId('modules-results')} tbody tr`).allTextContents();
    assert.equal(rows.length, 4, rows.join(' | '));
    assert.match(rows[0], /^best evolved/);
    assert.ok(rows.some((r) => r.startsWith('CNN') && r.endsWith('94%')), rows.join(' | '));
    // The confusion matrix counts every test sequence, its diagonal the best's test accuracy.
    const cells = await page.locator(`${byTestId('modules-confusion')} .confusion-cell`).evaluateAll((els) => els.map((el) => [Number(el.dataset.count), el.dataset.truth === el.dataset.predicted]));
    assert.equal(cells.length, 100);
    assert.equal(cells.reduce((n, [c]) => n + c, 0), 1000);
    assert.ok(sameF32(cells.filter(([, diagonal]) => diagonal).reduce((n, [c]) => n + c, 0) / 1000, summary.best.test_accuracy));
    // The digits: 8 test sequences of 40 values, labelled, with the best's predictions.
    assert.equal(frame.digits.length, 8);
    assert.ok(frame.digits.every((d) => d.x.length === 40 && d.predicted != null));
    assert.equal(await page.locator(`${byTestId('modules-digits')} [data-testid="modules-digit"]`).count(), 8);
    // The charts are drawn.
    for (const id of ['modules-accuracy', 'modules-front']) {
      const inked = await page.evaluate((sel) => {
        const canvas = document.querySelector(sel);
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) ink += data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200) ? 1 : 0;
        return ink;
      }, byTestId(id));
      assert.ok(inked > 500, `${id} is drawn (${inked} inked pixels)`);
    }
    assert.match(await text(page, 'modules-progress'), /^generation \d+ · \d+ networks trained · [\d.]+ networks\/s · [\d.]+ s per network · last generation [\d.]+ s/);
    assert.match(await text(page, 'embed-words'), /modules and blueprints.*generation \d+.*best [\d.]+% test vs CNN/);
    assert.deepEqual(errors, []);
  });
});

test('a 2-D quick demo (dataset=xor) agrees with the CLI: two classes, no CNN, no published figures', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${XOR}`, 'modules-xor', async ({ page, errors }) => {
    const frame = await steppedFrame(page, 1);
    assertSameRun(frame.summary, cliRun(XOR, frame.summary.generation).at(-1));
    assert.deepEqual(Object.keys(frame.summary.baselines).sort(), ['logistic', 'mlp']);
    assert.equal(frame.confusion.length, 2);
    assert.equal(await page.locator(`${byTestId('modules-confusion')} .confusion-cell`).count(), 4);
    assert.equal(await page.locator(byTestId('modules-validation')).isVisible(), false, 'MNIST-1D settings hide on a 2-D set');
    assert.ok(await page.locator(byTestId('modules-points')).isVisible());
    assert.deepEqual(errors, []);
  });
});

test('the first network of the default link is on show within 10 s of opening; Stop holds a generation between networks', T, async (t) => {
  await withPage(env.browser, env.baseUrl, '#scene=modules', 'modules-first', async ({ page, errors }) => {
    const shown = await poll(() => page.evaluate(() => window.evonas.firstShown()), { timeout: 60_000, interval: 100, message: 'a network on show' });
    t.diagnostic(`the default link's first network on show ${(shown / 1000).toFixed(2)} s after the page opened`);
    assert.ok(shown <= FIRST_NETWORK_MS, `the first network showed after ${shown.toFixed(0)} ms`);
    const latest = await page.evaluate(() => window.evonas.latest());
    assert.equal(latest.generation, 1);
    assert.equal(latest.baseline, null, 'an assembled network, not a baseline, is on show first');
    assert.equal(await page.locator(`${byTestId('modules-assembled')} .module-tile`).count(), latest.drawing.tiles.length);
    assert.match(await text(page, 'modules-assembled-caption'), /^generation 1, network \d+ of \d+, just trained: [\d.]+% validation/);
    // Stop: the workers finish the networks in training, then wait.
    await page.click(byTestId('modules-stop'));
    const held = async () => (await page.evaluate(() => window.evonas.latest())).index;
    await poll(async () => (await text(page, 'modules-progress')).endsWith('(stopped)'), { timeout: 10_000, message: 'the generation held' });
    const done = (await text(page, 'modules-progress')).match(/(\d+) of (\d+) trained/);
    await page.waitForTimeout(6000); // a network of the default link takes 1-3 s here
    const before = await held();
    await page.waitForTimeout(3000);
    assert.equal(await held(), before, 'no network trained while stopped');
    assert.equal(await text(page, 'modules-stop'), 'Resume');
    const after = (await text(page, 'modules-progress')).match(/(\d+) of (\d+) trained/);
    assert.ok(Number(after[1]) <= Number(done[1]) + 2 && Number(after[1]) < Number(after[2]), `held at ${after[0]} (stopped at ${done[0]})`);
    // Resume goes on with the same generation.
    await page.click(byTestId('modules-stop'));
    await poll(async () => (await text(page, 'modules-progress')).match(/(\d+) of \d+ trained/)?.[1] > after[1], { timeout: 30_000, message: 'training again' });
    assert.equal((await page.evaluate(() => window.evonas.frame())).generation, 0, 'the same generation');
    await page.evaluate(() => window.evonas.setPlaying(false));
    assert.deepEqual(errors, []);
  });
});

test('modules settings live in the link; a bad one is named and undone; a bad link runs the defaults', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${TINY}`, 'modules-settings', async ({ page, errors }) => {
    await setInput(page, 'modules-networks', '3');
    await poll(async () => (await linkSettings(page)).networks === 3, { timeout: 10_000, message: 'networks=3 in the link' });
    assert.match(await link(page), /networks=3/);
    await setInput(page, 'modules-species', '0');
    assert.match(await text(page, 'error'), /species: 0 is out of range/);
    assert.equal((await linkSettings(page)).species, 2, 'the refused value is undone');
    assert.equal(await page.locator(byTestId('modules-species')).inputValue(), '2');
    await page.check(byTestId('modules-shuffled'));
    await poll(async () => (await linkSettings(page)).shuffled === true, { timeout: 10_000, message: 'shuffled=1 in the link' });
    const frame = await steppedFrame(page, 1);
    assert.equal(frame.summary.trained, 6, 'two blueprints, three networks each');
    assert.ok(sameF32(frame.summary.baselines.cnn.published, 0.56), 'the shuffled CNN\'s published figure');
    assert.deepEqual(errors, []);
  });
  for (const [hash, says] of [
    ['#scene=modules&bogus=1', "unknown key 'bogus'"],
    ['#scene=modules&dataset=cifar', "dataset: 'cifar' is not one of mnist1d, circle, xor, gauss, spiral"],
    ['#scene=modules&dataset=xor&shuffled=1', "shuffled: only MNIST-1D's positions can be shuffled"],
  ]) {
    await withPage(env.browser, env.baseUrl, hash, 'modules-bad', async ({ page, errors }) => {
      await page.evaluate(() => window.evonas.setPlaying(false));
      assert.ok((await text(page, 'error')).includes(says), `banner: ${await text(page, 'error')}`);
      assert.ok(await page.locator(byTestId('modules')).isVisible(), 'a refused modules link still opens its scene');
      assert.equal(await link(page), 'v=2&scene=modules', 'the defaults, nothing of the bad link');
      assert.deepEqual(errors, []);
    });
  }
});

test('the scene tabs switch to the modules and back; an embed shows its views and its strip', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor', 'modules-tabs', async ({ page, errors }) => {
    await page.click(byTestId('scene-modules'));
    await poll(async () => (await linkSettings(page)).scene === 'modules', { timeout: 20_000, message: 'the modules link' });
    assert.ok(await page.locator(byTestId('modules')).isVisible());
    assert.equal(await page.locator('main[data-scene="neat"]').isVisible(), false);
    await page.evaluate(() => window.evonas.ready.then(() => window.evonas.setPlaying(false)));
    await page.click(byTestId('scene-neat'));
    await poll(async () => (await linkSettings(page)).dataset === 'xor', { timeout: 20_000, message: 'back to the xor run' });
    assert.ok(await page.locator('main[data-scene="neat"]').isVisible());
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, `#${TINY}&embed=1&show=front,assembled&theme=projector`, 'modules-embed', async ({ page, errors }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await steppedFrame(page, 1);
    const visible = await page.evaluate(() => [...document.querySelectorAll('.modules-views > [data-view]')].filter((el) => el.checkVisibility()).map((el) => [el.dataset.view, el.style.order]));
    assert.deepEqual(visible, [['assembled', '1'], ['front', '0']]);
    assert.ok(await page.evaluate(() => document.body.classList.contains('theme-projector')));
    assert.match(await text(page, 'embed-words'), /modules and blueprints.*generation 1/);
    const scroll = await page.evaluate(() => [document.documentElement.scrollHeight, innerHeight]);
    assert.ok(scroll[0] <= scroll[1] + 1, `the embed fits its frame: ${scroll}`);
    const snippet = await page.evaluate(async (l) => (await import('./www/app/embed.js')).embedSnippet(l, { show: ['assembled'] }), TINY);
    assert.match(snippet.snippet, /title="evonas: modules and blueprints on MNIST-1D"/);
    assert.match(snippet.src, /embed=1&show=assembled/);
    assert.deepEqual(errors, []);
  });
});
