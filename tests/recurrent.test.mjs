// The recurrent-cell scene (scene=recurrent): a link runs in workers and agrees with the CLI,
// the views draw the cell, the curves, the losses with their bands, the sequences and the
// population; settings live in the link, bad links are named, embeds show their views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, byTestId, text, link, linkSettings, setInput, poll, cliRun, steppedFrame, sameF32 } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };
/** A small run: a few cells, short sequences, a short budget. */
const SMALL = 'scene=recurrent&task=adding&length=12&hidden=4&steps=25&population=4&children=2&sample=2&seed=3';

test('a recurrent link trains in workers, draws its views and agrees with the CLI bit for bit', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${SMALL}`, 'recurrent-run', async ({ page, errors }) => {
    assert.ok(await page.locator(byTestId('recurrent')).isVisible(), 'the recurrent scene is on show');
    assert.equal(await page.title(), 'evonas \u00B7 evolved recurrent cells');
    // The run plays from the start: step() stops it at least 3 generations in.
    const frame = await steppedFrame(page, 3);
    const { summary } = frame;
    assert.ok(summary.generation >= 3, `generation ${summary.generation}`);
    const cli = cliRun(SMALL, summary.generation).at(-1);
    assert.equal(cli.generation, summary.generation);
    assert.equal(summary.trained, cli.trained);
    assert.equal(summary.best.cell, cli.best.cell, 'the same best cell');
    assert.ok(sameF32(summary.best.test_loss, cli.best.test_loss), `best ${summary.best.test_loss} vs CLI ${cli.best.test_loss}`);
    for (const name of ['lstm', 'gru', 'rnn', 'nascell']) {
      assert.ok(sameF32(summary.baselines[name].test_loss, cli.baselines[name].test_loss), `${name}: ${summary.baselines[name].test_loss} vs ${cli.baselines[name].test_loss}`);
      const band = summary.baselines[name].band;
      assert.equal(band.test_losses.length, 5, `${name} has a band over 5 weight seeds`);
      assert.ok(sameF32(band.test_losses[0], cli.baselines[name].test_loss), 'the band starts with the run\'s own training');
    }
    // The tree: one drawn node per node of the drawing, the roots labelled.
    const nodes = await page.locator(`${byTestId('recurrent-tree')} .memory-node`).count();
    assert.equal(nodes, frame.shown.drawing.nodes.length);
    assert.ok((await page.locator(byTestId('recurrent-tree')).textContent()).includes('h(t)'));
    assert.match(await text(page, 'recurrent-tree-caption'), new RegExp(`best evolved cell after ${summary.generation} generations`));
    // Losses: the evolved cell, the four named cells and chance, each banded.
    const rows = await page.locator(`${byTestId('recurrent-losses')} tbody tr`).allTextContents();
    assert.equal(rows.length, 6, rows.join(' | '));
    assert.match(rows[0], /^best evolved/);
    assert.ok(rows.slice(0, 5).every((r) => /\[.*,.*\]/.test(r)), `bands: ${rows.join(' | ')}`);
    // Sequences: three adding-problem sequences, each with two marked numbers and the cells' readouts.
    assert.equal(frame.examples.length, 3);
    for (const e of frame.examples) {
      assert.equal(e.values.length, 12);
      assert.equal(e.marked.length, 2);
      assert.equal((e.values[e.marked[0]] + e.values[e.marked[1]]).toFixed(3), e.target);
      assert.deepEqual(e.readouts.map((r) => r.cell), ['evolved', 'lstm']);
    }
    assert.equal(await page.locator(`${byTestId('recurrent-sequences')} [data-testid="recurrent-sequence"]`).count(), 3);
    // The population, and the learning curves drawn.
    assert.equal(await page.locator(`${byTestId('recurrent-members')} tbody tr`).count(), 4);
    assert.deepEqual(frame.curves.map((c) => c.name), ['evolved', 'lstm', 'gru', 'rnn', 'nascell']);
    assert.ok(frame.curves.every((c) => c.curve.length === 25));
    const inked = await page.evaluate((sel) => {
      const canvas = document.querySelector(sel);
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) ink += data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200) ? 1 : 0;
      return ink;
    }, byTestId('recurrent-learning'));
    assert.ok(inked > 500, `the learning chart is drawn (${inked} inked pixels)`);
    assert.match(await text(page, 'recurrent-progress'), /generation \d+ · \d+ cells trained · [\d.]+ cells\/s · last generation [\d.]+ s/);
    assert.deepEqual(errors, []);
  });
});

test('a picked population member is shown; cell=lstm shows the LSTM with its one memory path', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${SMALL}&cell=lstm`, 'recurrent-pick', async ({ page, errors }) => {
    const frame = await steppedFrame(page, 1);
    assert.equal(frame.shown.name, 'lstm');
    assert.match(await text(page, 'recurrent-tree-caption'), /LSTM \(named in the link\), 1 memory cell/);
    const path = frame.shown.drawing.nodes.filter((n) => n.paths.includes(0)).map((n) => n.label).sort();
    assert.deepEqual(path, ['+', 'c0(t-1)', '\u00D7']);
    await page.locator(`${byTestId('recurrent-members')} tbody tr`).nth(1).click();
    await poll(async () => (await text(page, 'recurrent-tree-caption')).startsWith('population member'), { timeout: 10_000, message: 'the picked member on show' });
    const picked = await page.evaluate(() => window.evonas.frame());
    const row = await page.locator(`${byTestId('recurrent-members')} tbody tr.shown`).getAttribute('data-member');
    assert.equal(Number(row), picked.member);
    assert.equal(picked.shown.drawing.text, picked.members[picked.member].cell);
    assert.deepEqual(picked.examples[0].readouts.map((r) => r.cell), ['member', 'lstm']);
    assert.deepEqual(errors, []);
  });
});

test('recurrent settings live in the link; a bad one is named and undone; a bad link runs the defaults', T, async () => {
  await withPage(env.browser, env.baseUrl, `#${SMALL}`, 'recurrent-settings', async ({ page, errors }) => {
    await setInput(page, 'recurrent-population', '5');
    await poll(async () => (await linkSettings(page)).population === 5, { timeout: 10_000, message: 'population=5 in the link' });
    assert.match(await link(page), /population=5/);
    await setInput(page, 'recurrent-sample', '9');
    assert.match(await text(page, 'error'), /sample: 9 is more than the population 5/);
    assert.equal((await linkSettings(page)).sample, 2, 'the refused value is undone');
    assert.equal(await page.locator(byTestId('recurrent-sample')).inputValue(), '2');
    const frame = await steppedFrame(page, 1);
    assert.equal(frame.members.length, 5);
    assert.deepEqual(errors, []);
  });
  for (const [hash, says] of [['#scene=recurrent&task=copy', "task: 'copy' is not one of adding, order, reber, text"], ['#scene=recurrent&hidden=0', 'hidden']]) {
    await withPage(env.browser, env.baseUrl, hash, 'recurrent-bad', async ({ page, errors }) => {
      assert.ok((await text(page, 'error')).includes(says), `banner: ${await text(page, 'error')}`);
      assert.ok(await page.locator(byTestId('recurrent')).isVisible(), 'a refused recurrent link still opens its scene');
      assert.equal(await link(page), 'v=2&scene=recurrent', 'the defaults, nothing of the bad link');
      await page.evaluate(() => window.evonas.setPlaying(false));
      assert.deepEqual(errors, []);
    });
  }
});

test('the scene tabs switch to the recurrent cells and back; an embed shows its views and its strip', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor', 'recurrent-tabs', async ({ page, errors }) => {
    await page.click(byTestId('scene-recurrent'));
    await poll(async () => (await linkSettings(page)).scene === 'recurrent', { timeout: 20_000, message: 'the recurrent link' });
    assert.ok(await page.locator(byTestId('recurrent')).isVisible());
    assert.equal(await page.locator('main[data-scene="neat"]').isVisible(), false);
    await page.evaluate(() => window.evonas.setPlaying(false));
    await page.click(byTestId('scene-neat'));
    await poll(async () => (await linkSettings(page)).dataset === 'xor', { timeout: 20_000, message: 'back to the xor run' });
    assert.ok(await page.locator('main[data-scene="neat"]').isVisible());
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, `#${SMALL}&embed=1&show=learning,tree&theme=projector`, 'recurrent-embed', async ({ page, errors }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await steppedFrame(page, 1);
    const visible = await page.evaluate(() => [...document.querySelectorAll('.recurrent-views > [data-view]')].filter((el) => el.checkVisibility()).map((el) => [el.dataset.view, el.style.order]));
    assert.deepEqual(visible, [['tree', '1'], ['learning', '0']]);
    assert.match(await text(page, 'embed-words'), /recurrent cells.*generation 1/);
    const scroll = await page.evaluate(() => [document.documentElement.scrollHeight, innerHeight]);
    assert.ok(scroll[0] <= scroll[1] + 1, `the embed fits its frame: ${scroll}`);
    const snippet = await page.evaluate(async (l) => (await import('./www/app/embed.js')).embedSnippet(l, { show: ['tree'] }), SMALL);
    assert.match(snippet.snippet, /title="evonas: recurrent cells evolved on adding"/);
    assert.deepEqual(errors, []);
  });
});

test('the next-character task: bits per character, and text each cell writes after a test window', T, async () => {
  const TEXT = 'scene=recurrent&task=text&length=20&hidden=6&steps=15&population=2&children=1&sample=1&seed=2';
  await withPage(env.browser, env.baseUrl, `#${TEXT}`, 'recurrent-text', async ({ page, errors }) => {
    const frame = await steppedFrame(page, 1);
    const cli = cliRun(TEXT, frame.summary.generation).at(-1);
    assert.ok(sameF32(frame.summary.best.test_loss, cli.best.test_loss), `${frame.summary.best.test_loss} vs ${cli.best.test_loss}`);
    assert.ok(Math.abs(cli.best.test_bits_per_char - cli.best.test_loss / Math.LN2) < 1e-5);
    assert.equal(await text(page, 'recurrent-losses').then((t) => t.includes('test bits/char')), true);
    for (const e of frame.examples) {
      assert.equal(e.symbols.length, 20);
      for (const r of e.readouts) assert.equal([...r.answer].length, 40, `a sample of 40 characters: '${r.answer}'`);
    }
    const rows = await page.locator(`${byTestId('recurrent-sequences')} [data-testid="recurrent-sequence"]`).allTextContents();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.includes('bits/char') && r.includes('lstm: ')), rows.join(' | '));
    assert.deepEqual(errors, []);
  });
});
