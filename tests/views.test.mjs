// Browser end-to-end tests: drawn points, the gallery and the network view's tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, withPage, byTestId, text, step, waitForGenerationText, poll, sleep,
} from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

const NETWORK_SVG = `${byTestId('network')} svg`;
const stepOutcome = (page, n) => page.evaluate(async (k) => {
  try {
    return { ok: true, summary: await window.evonas.step(k) };
  } catch (err) {
    return { ok: false, error: String((err && err.message) || err) };
  }
}, n);
const networkSvg = (page) =>
  page.evaluate((sel) => document.querySelector(sel)?.outerHTML ?? null, NETWORK_SVG);

/** Waits until the error banner is empty: a restart with at least two drawn points landed. */
async function bannerClears(page) {
  let banner = null;
  await poll(async () => (banner = await text(page, 'error')) === '', {
    timeout: 30_000, message: 'the error banner to clear once points are drawn',
  }).catch((err) => {
    err.message += `; banner ${JSON.stringify(banner)}`;
    throw err;
  });
}

test('drawn points become the training data; clearing them is reported', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=custom', 'custom-points', async ({ page }) => {
    const canvas = page.locator(byTestId('boundary'));
    await canvas.waitFor({ state: 'visible' });
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 20 && box.height > 20, `boundary canvas box ${JSON.stringify(box)}`);

    for (let i = 0; i < 8; i++) {
      const y = box.height * (0.15 + 0.1 * i);
      await canvas.click({ position: { x: box.width * 0.12, y } });
      await canvas.click({ position: { x: box.width * 0.88, y }, modifiers: ['Shift'] });
    }
    // Every click restarts the run. The banner names the missing points until a restart with at
    // least two points lands; waiting for it to clear keeps step() from racing a failed restart
    // (later restarts and the step queue behind it in the worker, in order).
    await bannerClears(page);

    const s = await step(page, 10);
    assert.equal(s?.generation, 10, `step(10) resolved to ${JSON.stringify(s)}`);
    await waitForGenerationText(page, 10);
    assert.ok(s.best.train_accuracy >= 0.9,
      `two separable clusters of drawn points: best.train_accuracy ${s.best.train_accuracy}`);

    // Clearing restarts the run with no points: the plot asks for them (no error: this is where
    // drawing starts), and stepping then fails naming them on the banner.
    const clear = page.locator(byTestId('clear-points'));
    await clear.waitFor({ state: 'visible' });
    await clear.click();
    await poll(async () => page.locator(byTestId('draw-prompt')).isVisible(), { timeout: 20_000, message: 'the plot to ask for points' });
    assert.match(await text(page, 'draw-prompt'), /two points/);
    assert.equal(await text(page, 'error'), '', 'clearing the points is no error');
    const outcome = await stepOutcome(page, 1);
    assert.ok(!outcome.ok || outcome.summary?.generation === 0,
      `step(1) with no points gave ${JSON.stringify(outcome)}`);
    const banner = await text(page, 'error');
    assert.match(banner || '', /points/i, `banner after stepping with no points: ${JSON.stringify(banner)}`);
    assert.ok(await page.locator(byTestId('error')).isVisible(), 'the error banner is not visible');
  });
});

test('stepping right after clearing the points still names the points', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=custom', 'clear-then-step', async ({ page }) => {
    const canvas = page.locator(byTestId('boundary'));
    await canvas.waitFor({ state: 'visible' });
    const box = await canvas.boundingBox();
    for (const [fx, fy, shift] of [[0.2, 0.3, false], [0.2, 0.7, false], [0.8, 0.3, true], [0.8, 0.7, true]]) {
      await canvas.click({ position: { x: box.width * fx, y: box.height * fy }, modifiers: shift ? ['Shift'] : [] });
    }
    await bannerClears(page);
    // A user who clears and steps at once (or a script): the step is asked for while the
    // restart without points is still in flight. Whatever the step does, the banner must end up
    // naming the real problem, the missing points.
    const outcome = await page.evaluate(async (sel) => {
      document.querySelector(sel).click();
      try {
        return { ok: true, summary: await window.evonas.step(1) };
      } catch (err) {
        return { ok: false, error: String((err && err.message) || err) };
      }
    }, byTestId('clear-points'));
    await sleep(1_000);
    const banner = await text(page, 'error');
    assert.match(banner || '', /points/i,
      `banner after clearing and stepping at once: ${JSON.stringify(banner)}; step(1) gave ${JSON.stringify(outcome)}`);
  });
});

test('clicking a gallery thumbnail shows that network', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral&seed=2', 'gallery', async ({ page }) => {
    await step(page, 8);
    await waitForGenerationText(page, 8);
    const items = page.locator(`${byTestId('gallery')} [data-testid="gallery-item"][data-index]`);
    await poll(async () => (await items.count()) >= 2, {
      timeout: 15_000, message: 'at least two gallery items',
    });

    // Let the network view settle: two equal reads in a row.
    let before = null;
    await poll(async () => {
      const a = await networkSvg(page);
      await sleep(300);
      const b = await networkSvg(page);
      before = b;
      return a !== null && a === b;
    }, { timeout: 15_000, message: 'a stable network <svg>' });

    const info = await items.evaluateAll((els) =>
      els.map((e) => ({ index: e.dataset.index, selected: e.classList.contains('selected') })));
    const selected = info.find((x) => x.selected)?.index;
    const target = [...info].reverse().find((x) => x.index !== selected);
    assert.ok(target, `no gallery item other than the selected one: ${JSON.stringify(info)}`);

    const item = page.locator(
      `${byTestId('gallery')} [data-testid="gallery-item"][data-index="${target.index}"]`).first();
    await item.click();
    await poll(async () => (await item.getAttribute('class') || '').split(/\s+/).includes('selected'), {
      timeout: 10_000, message: `gallery item ${target.index} to get class "selected"`,
    });
    await poll(async () => {
      const now = await networkSvg(page);
      return now !== null && now !== before;
    }, { timeout: 10_000, message: 'the network <svg> to change after clicking a thumbnail' }).catch((err) => {
      err.message += `; items ${JSON.stringify(info)}, clicked ${target.index}`;
      throw err;
    });
  });
});

test('hovering a hidden node shows its activation tooltip', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1', 'tooltip', async ({ page }) => {
    const hidden = page.locator(`${NETWORK_SVG} g.node[data-role="hidden"]`);
    let generation = 0;
    let found = false;
    for (let i = 0; i < 6 && !found; i++) {
      const s = await step(page, 5);
      generation += 5;
      assert.equal(s?.generation, generation, `step(5) resolved to ${JSON.stringify(s)}`);
      await waitForGenerationText(page, generation);
      found = await poll(async () => (await hidden.count()) > 0, { timeout: 3_000 }).then(() => true, () => false);
    }
    assert.ok(found, `no g.node[data-role=hidden] in the network view after ${generation} generations`);

    const node = hidden.first();
    assert.ok(await node.getAttribute('data-node-id') !== null, 'hidden node without data-node-id');
    assert.ok(await node.getAttribute('data-activation'), 'hidden node without data-activation');
    await node.hover();
    await page.locator('.node-tooltip canvas').first().waitFor({ state: 'visible', timeout: 10_000 });
  });
});

/** A deep champion as a genome file: a chain of ten hidden nodes (every kind once or more)
 *  from x to the output, y and the bias joining along the way, and links skipping rows. */
function deepGenome() {
  const kinds = ['tanh', 'sine', 'gaussian', 'relu', 'abs', 'square', 'mult', 'add', 'sigmoid', 'tanh'];
  const nodes = [
    { id: 0, role: 'input', activation: 'identity' }, { id: 1, role: 'input', activation: 'identity' },
    { id: 2, role: 'bias', activation: 'identity' }, { id: 3, role: 'output', activation: 'sigmoid' },
    ...kinds.map((activation, i) => ({ id: 4 + i, role: 'hidden', activation })),
  ];
  const conns = [];
  const link = (from, to) => conns.push({ innovation: conns.length, from, to, weight: Math.sin(conns.length * 1.7) * 2, enabled: true });
  [[0, 4], [1, 4], [2, 5], ...kinds.slice(1).map((_, i) => [4 + i, 5 + i]), [13, 3], [1, 3], [0, 8], [2, 10], [6, 12], [1, 9]].forEach(([a, b]) => link(a, b));
  return JSON.stringify({ nodes, conns });
}

test('a deep champion is drawn with no node on another and no connection across a node it skips', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral', 'network-deep', async ({ page, errors }) => {
    const text = await page.evaluate(async (json) => (await import('./www/pkg/evonas.js')).importGenome(json), deepGenome());
    await page.evaluate((g) => { location.hash = `dataset=spiral&genome=${g}`; }, text);
    await page.reload();
    await page.evaluate(() => window.evonas.ready);
    await poll(() => page.locator(`${NETWORK_SVG} g.node`).count().then((n) => n === 14), { message: 'the 14 nodes of the deep champion' });
    // What the page drew: each node's circle on screen, and points along each drawn connection.
    const drawn = await page.evaluate((sel) => {
      const svg = document.querySelector(sel);
      const nodes = [...svg.querySelectorAll('g.node')].map((g) => {
        const box = g.querySelector('circle').getBoundingClientRect();
        return { id: Number(g.dataset.nodeId), x: box.x + box.width / 2, y: box.y + box.height / 2, r: box.width / 2 };
      });
      const scale = svg.getScreenCTM();
      const paths = [...svg.querySelectorAll('path.conn')].map((path) => {
        const length = path.getTotalLength();
        const points = Array.from({ length: 61 }, (_, k) => path.getPointAtLength((length * k) / 60).matrixTransform(scale));
        return { from: Number(path.dataset.from), to: Number(path.dataset.to), points: points.map((p) => ({ x: p.x, y: p.y })) };
      });
      return { nodes, paths };
    }, NETWORK_SVG);
    const { nodes, paths } = drawn;
    const r = nodes[0].r;
    assert.ok(r >= 7, `nodes ${r.toFixed(1)} px in radius are too small to read`);
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const d = Math.hypot(nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y);
        assert.ok(d >= 2 * r, `nodes ${nodes[i].id} and ${nodes[j].id} overlap: ${d.toFixed(1)} px apart, radius ${r.toFixed(1)}`);
      }
    }
    assert.equal(paths.length, 18, 'every enabled connection is drawn');
    for (const { from, to, points } of paths) {
      for (const node of nodes.filter((n) => n.id !== from && n.id !== to)) {
        const closest = Math.min(...points.map((p) => Math.hypot(p.x - node.x, p.y - node.y)));
        assert.ok(closest >= r / 2, `the connection ${from} -> ${to} crosses node ${node.id} (${closest.toFixed(1)} px from its centre)`);
      }
    }
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('draw-your-own opens asking for points, with no error and without the shape sliders', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=custom', 'custom-open', async ({ page, errors }) => {
    await poll(async () => page.locator(byTestId('draw-prompt')).isVisible(), { message: 'the plot to ask for points' });
    assert.equal(await text(page, 'error'), '', 'no error banner on opening draw-your-own');
    assert.equal(await page.locator(byTestId('error')).isVisible(), false);
    for (const id of ['noise', 'points']) assert.equal(await page.locator(byTestId(id)).isVisible(), false, `${id} does not apply to drawn points`);
    assert.ok(await page.locator(byTestId('train')).isVisible(), 'the training share still applies');
    const canvas = page.locator(byTestId('boundary'));
    const box = await canvas.boundingBox();
    await canvas.click({ position: { x: box.width * 0.2, y: box.height * 0.2 } });
    await poll(async () => /one more point/.test(await text(page, 'draw-prompt')), { message: 'the prompt to count down' });
    await canvas.click({ position: { x: box.width * 0.8, y: box.height * 0.8 }, modifiers: ['Shift'] });
    await poll(async () => !(await page.locator(byTestId('draw-prompt')).isVisible()), { message: 'the prompt to go once two points are drawn' });
    assert.equal(await text(page, 'error'), '');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('the plot says which network it shows and its accuracy; a picked one offers the way back', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&population=12&steps=20', 'readout', async ({ page, errors }) => {
    const s = await step(page, 2);
    await waitForGenerationText(page, 2);
    await poll(async () => (await text(page, 'plot-readout')).includes('the champion'), { message: 'the readout' });
    const readout = await text(page, 'plot-readout');
    assert.match(readout, new RegExp(`^Generation 2 · the champion · test accuracy ${(s.best.test_accuracy * 100).toFixed(1)}%`));
    assert.equal(await page.locator(byTestId('shown-note')).isVisible(), false, 'no note while the champion is shown');
    const champion = s.best.index;
    const other = await page.locator(`${byTestId('gallery')} [data-testid="gallery-item"]:not([data-index="${champion}"])`).first();
    const index = Number(await other.getAttribute('data-index'));
    await other.click();
    await poll(async () => (await text(page, 'plot-readout')).includes(`network ${index + 1}`), { message: 'the readout to name the picked network' });
    assert.ok(await page.locator(byTestId('shown-note')).isVisible(), 'the note offers the way back');
    assert.match(await text(page, 'shown-note'), new RegExp(`Showing network ${index + 1} of 12`));
    await page.click(byTestId('back-to-champion'));
    await poll(async () => (await text(page, 'plot-readout')).includes('the champion'), { message: 'back to the champion' });
    assert.equal(await page.locator(byTestId('shown-note')).isVisible(), false);
    // The readout sits beside the plot, not a screen below it.
    const [plot, line] = await Promise.all([page.locator(byTestId('boundary')).boundingBox(), page.locator(byTestId('plot-readout')).boundingBox()]);
    assert.ok(Math.abs(plot.y - (line.y + line.height)) < 40, `the readout is ${plot.y - line.y} px from the plot`);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('on a phone the plot comes first, within the first screen, above the settings', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral', 'phone', async ({ page, errors }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.evonas.ready);
    const [plot, settings] = await Promise.all([
      page.locator(byTestId('boundary')).boundingBox(),
      page.locator('main[data-scene="neat"] .settings').boundingBox(),
    ]);
    assert.ok(plot.y + plot.height <= 844, `the plot ends ${Math.round(plot.y + plot.height)} px down, past the first screen`);
    assert.ok(plot.y < settings.y, `the plot (at ${Math.round(plot.y)} px) comes after the settings (at ${Math.round(settings.y)} px)`);
    assert.ok(plot.width >= 300, `the plot is ${Math.round(plot.width)} px wide`);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

/** 4x4 block means (r, g, b) of a PNG, decoded in the page. */
const blockMeans = (page, png) => page.evaluate(async (b64) => {
  const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0, 64, 64);
  const { data } = ctx.getImageData(0, 0, 64, 64);
  const means = [];
  for (let by = 0; by < 4; by++) {
    for (let bx = 0; bx < 4; bx++) {
      const sum = [0, 0, 0];
      for (let y = by * 16; y < by * 16 + 16; y++) for (let x = bx * 16; x < bx * 16 + 16; x++) for (let c = 0; c < 3; c++) sum[c] += data[(y * 64 + x) * 4 + c];
      means.push(sum.map((v) => v / 256));
    }
  }
  return means;
}, png.toString('base64'));

const farthest = (a, b) => Math.max(...a.flatMap((block, k) => block.map((v, c) => Math.abs(v - b[k][c]))));

test('each gallery thumbnail shows its own network: the champion\'s matches the plot, the slide draws what the page shows', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral&seed=2', 'gallery-atlas', async ({ page }) => {
    await step(page, 6);
    await page.uncheck(byTestId('show-train'));
    await page.uncheck(byTestId('show-test'));
    await page.evaluate(() => window.evonas.step(0));
    await sleep(200);
    const thumbs = page.locator(`${byTestId('gallery')} [data-testid="gallery-item"] .thumb-image`);
    const count = await thumbs.count();
    assert.ok(count >= 50, `a thumbnail per member: ${count}`);
    // The champion (selected) thumbnail, drawn from a 24x24 grid in the atlas, against the plot's
    // own 128x128 drawing of the same network.
    const champion = page.locator(`${byTestId('gallery')} .thumb.selected .thumb-image`);
    const plot = await blockMeans(page, await page.locator(byTestId('boundary')).screenshot());
    const shown = await blockMeans(page, await champion.screenshot());
    assert.ok(farthest(plot, shown) < 40, `the champion's thumbnail is its boundary: ${JSON.stringify({ plot, shown })}`);
    // Each thumbnail as the page paints it (its CSS position in the atlas) is its cell as a slide
    // draws it (gallery.js spriteOf, in the atlas's pixels); the thumbnails are not all alike.
    const picks = [0, Math.floor(count / 2), count - 1];
    const painted = [];
    for (const k of picks) {
      const css = await blockMeans(page, await thumbs.nth(k).screenshot());
      const cell = await page.evaluate(async (n) => {
        const { spriteOf } = await import('./www/views/gallery.js');
        const sprite = spriteOf(document.querySelectorAll('[data-testid="gallery"] .thumb-image')[n]);
        const canvas = Object.assign(document.createElement('canvas'), { width: 56, height: 56 });
        canvas.getContext('2d').drawImage(sprite.image, sprite.x, sprite.y, sprite.side, sprite.side, 0, 0, 56, 56);
        return canvas.toDataURL().split(',')[1];
      }, k);
      const drawn = await blockMeans(page, Buffer.from(cell, 'base64'));
      assert.ok(farthest(css, drawn) < 20, `thumbnail ${k}: the page and the slide agree: ${JSON.stringify({ css, drawn })}`);
      painted.push(css);
    }
    assert.ok(farthest(painted[0], painted[1]) > 20 || farthest(painted[1], painted[2]) > 20, 'different members, different pictures');
  });
});
