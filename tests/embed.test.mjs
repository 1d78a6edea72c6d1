// Embed mode: only the linked views, filling the viewport; keys inside an iframe; autoplay; the embed code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, openPage, screenshot, step, byTestId, poll, sleep } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 90_000 };
const VIEWS = ['boundary', 'network', 'charts', 'gallery'];
const LANDSCAPE = { width: 800, height: 500 };
const PORTRAIT = { width: 420, height: 720 };

/** What the page shows now: the box of each view (null when not shown), controls, scrolling, canvas sizes. */
function measure(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el || !el.checkVisibility()) return null;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height } : null;
    };
    const q = (sel) => document.querySelector(sel);
    const canvasBox = (canvas) => ({ css: [canvas.clientWidth, canvas.clientHeight], store: [canvas.width, canvas.height] });
    return {
      views: {
        boundary: box(q('.views > .boundary-view')),
        network: box(q('.views > .network-view')),
        charts: box(q('.views > .charts')),
        gallery: box(q('.views > .gallery')),
      },
      boundaryCanvas: box(q('[data-testid="boundary"]')),
      networkSvg: box(q('[data-testid="network"] svg')),
      controls: Object.fromEntries(
        ['play', 'step', 'reset', 'share', 'embed-code', 'generation', 'status', 'dataset', 'noise', 'show-train']
          .map((id) => [id, box(q(`[data-testid="${id}"]`))]),
      ),
      // Any other control, e.g. one added later: gallery thumbnails (part of the view) and the "open" link aside.
      otherControls: [...document.querySelectorAll('button, input, select, textarea, summary, a, [role="button"]')]
        .filter((el) => box(el) && !el.matches('.thumb, [data-testid="embed-open"]') && !el.closest('[data-testid="embed-status"]'))
        .map((el) => el.dataset.testid || el.className || el.tagName),
      settings: box(q('.settings')),
      topbar: box(q('.topbar')),
      scroll: { width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight },
      viewport: { width: innerWidth, height: innerHeight },
      canvases: [q('[data-testid="boundary"]'), ...document.querySelectorAll('[data-chart]')]
        .filter((c) => c.checkVisibility()).map(canvasBox),
      dpr: devicePixelRatio,
      gallery: (() => {
        const g = q('.views > .gallery');
        return { scrollHeight: g.scrollHeight, clientHeight: g.clientHeight, thumbs: g.querySelectorAll('.thumb').length };
      })(),
    };
  });
}

/** Waits two animation frames, so that a resize or a step has been drawn. */
function drawn(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

function assertEmbedLayout(m, shown, label) {
  for (const name of VIEWS) {
    if (shown.includes(name)) assert.ok(m.views[name], `${label}: ${name} is not shown`);
    else assert.equal(m.views[name], null, `${label}: ${name} is shown but not in show=`);
  }
  for (const [id, b] of Object.entries(m.controls)) assert.equal(b, null, `${label}: control ${id} is visible`);
  assert.equal(m.settings, null, `${label}: the settings column is visible`);
  assert.deepEqual(m.otherControls, [], `${label}: controls are visible`);
  assert.equal(m.topbar, null, `${label}: the title bar is visible`);
  assert.ok(m.scroll.width <= m.viewport.width && m.scroll.height <= m.viewport.height,
    `${label}: the page scrolls (${JSON.stringify(m.scroll)} in ${JSON.stringify(m.viewport)})`);
  for (const name of shown) {
    const b = m.views[name];
    assert.ok(b.left >= 0 && b.top >= 0 && b.right <= m.viewport.width + 0.5 && b.bottom <= m.viewport.height + 0.5,
      `${label}: ${name} leaves the viewport: ${JSON.stringify(b)}`);
  }
  // Every canvas redrew at its new size: its backing store is its CSS box times the pixel ratio.
  for (const { css, store } of m.canvases) {
    assert.deepEqual(store, css.map((v) => Math.round(v * m.dpr)), `${label}: a canvas is ${store} for a ${css} box`);
  }
  assert.ok(m.gallery.scrollHeight <= m.gallery.clientHeight + 1 || !shown.includes('gallery'),
    `${label}: the population overflows its box ${JSON.stringify(m.gallery)}`);
}

const CASES = [
  ['boundary'], ['network'], ['charts'], ['gallery'], VIEWS, ['boundary', 'network', 'charts'],
];

for (const shown of CASES) {
  const name = shown.join('-');
  const showKey = shown === VIEWS ? '' : `&show=${shown.join(',')}`;
  test(`embed=1${showKey || ' (all views)'} shows just those views, filling 800x500`, T, async () => {
    await withPage(env.browser, env.baseUrl, `#dataset=xor&seed=1&embed=1${showKey}`, `embed-${name}`, async ({ page, errors }) => {
      // The page opened at 1280x900: shrinking it to the iframe's size is a resize the views follow.
      await page.setViewportSize(LANDSCAPE);
      assert.equal((await step(page, 3))?.generation, 3);
      await drawn(page);
      await page.mouse.move(400, 250); // wakes the key hint for the screenshot
      await sleep(700);
      await screenshot(page, `embed-${name}`);
      const m = await measure(page);
      assertEmbedLayout(m, shown, name);
      const { width: vw, height: vh } = m.viewport;
      if (shown.length === 1) {
        const only = shown[0] === 'boundary' ? m.boundaryCanvas : shown[0] === 'network' ? m.networkSvg : m.views[shown[0]];
        if (shown[0] === 'boundary') {
          assert.ok(Math.abs(only.width - only.height) <= 1, `the plane is not square: ${JSON.stringify(only)}`);
          assert.ok(only.height >= 0.85 * vh, `the lone boundary is ${only.height}px of ${vh}px`);
        } else {
          assert.ok(only.width >= 0.85 * vw && only.height >= 0.85 * vh, `the lone ${shown[0]} is ${only.width}x${only.height}`);
        }
      } else {
        // Landscape: the big views side by side in link order, sharing the height above the charts strip.
        const big = shown.filter((v) => v !== 'charts').map((v) => m.views[v]);
        for (let i = 1; i < big.length; i++) {
          assert.ok(Math.abs(big[i].top - big[0].top) < 1 && big[i].left >= big[i - 1].right - 0.5, `${name}: not side by side`);
        }
        const strip = m.views.charts;
        assert.ok(strip.width >= 0.85 * vw && strip.top >= big[0].bottom - 0.5 && strip.height < 0.4 * vh,
          `${name}: the charts are not a strip under the views: ${JSON.stringify(strip)}`);
        assert.ok(big[0].height >= 0.5 * vh, `${name}: the views get ${big[0].height}px of ${vh}px`);
      }
      // The status strip names the keys (the hint would say them twice).
      assert.match(await page.locator(byTestId('embed-keys')).textContent(), /step|click to control/);
      assert.equal(await page.locator(byTestId('embed-hint')).textContent(), '');
      if (shown === CASES.at(-1)) {
        // Portrait: the views stack, and still fit without scrolling.
        await page.setViewportSize(PORTRAIT);
        await drawn(page);
        await screenshot(page, `embed-${name}-portrait`);
        const p = await measure(page);
        assertEmbedLayout(p, shown, `${name} portrait`);
        assert.ok(p.views.network.top >= p.views.boundary.bottom - 0.5, `${name} portrait: the views are not stacked`);
        assert.ok(p.boundaryCanvas.height >= 0.25 * p.viewport.height, `${name} portrait: the plane is ${p.boundaryCanvas.height}px`);
      }
      assert.deepEqual(errors, [], 'console errors or page errors');
    });
  });
}

test('a broken embed link stays an embed and says what is wrong', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&embed=1&show=boundary&noise=banana', 'embed-broken', async ({ page }) => {
    await page.setViewportSize(LANDSCAPE);
    await page.locator(byTestId('error')).waitFor({ state: 'visible' });
    assert.match(await page.locator(byTestId('error')).textContent(), /noise/);
    await drawn(page);
    await screenshot(page, 'embed-broken');
    assertEmbedLayout(await measure(page), ['boundary'], 'broken link');
  });
});

test('an embed link broken by a pair that is not key=value still embeds, its pairs read as wasm reads them', T, async () => {
  await withPage(env.browser, env.baseUrl, '#%%%&dataset=xor&embed=%31&show=network%2Cboundary', 'embed-broken-pair', async ({ page }) => {
    await page.setViewportSize(LANDSCAPE);
    await page.locator(byTestId('error')).waitFor({ state: 'visible' });
    assert.match(await page.locator(byTestId('error')).textContent(), /not key=value/);
    await drawn(page);
    assertEmbedLayout(await measure(page), ['network', 'boundary'], 'a broken pair, escaped embed and show');
  });
});

test('in an iframe, a click gives the embed the keyboard: the right arrow steps', T, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 700 } });
  try {
    const page = await context.newPage();
    // The host is another origin (about:blank), as slides usually are.
    await page.setContent(`<!doctype html><title>slides</title><h1>Slide 3</h1>
      <iframe src="${env.baseUrl}/index.html#dataset=xor&seed=1&embed=1" width="800" height="500"></iframe>`);
    const iframe = page.locator('iframe');
    const frame = await (await iframe.elementHandle()).contentFrame();
    await frame.waitForFunction(() => window.evonas && window.evonas.ready, null, { timeout: 60_000 });
    await frame.evaluate(() => window.evonas.ready);
    const generation = () => frame.evaluate(() => window.evonas.summary()?.generation ?? null);
    assert.equal(await generation(), 0);
    assert.ok(await frame.evaluate(() => document.body.classList.contains('embed')), 'the frame is not in embed mode');

    // Keys pressed while the host page has the focus stay there.
    await page.keyboard.press('ArrowRight');
    await sleep(1000);
    assert.equal(await generation(), 0, 'a key pressed in the host page stepped the embed');

    const box = await iframe.boundingBox();
    await page.mouse.click(box.x + 60, box.y + 120); // on the decision boundary
    assert.ok(await frame.evaluate(() => document.hasFocus()), 'a click in the embed did not focus it');
    await page.keyboard.press('ArrowRight');
    await poll(async () => (await generation()) === 1, { timeout: 30_000, message: 'generation 1' });
    await page.keyboard.press('ArrowRight');
    await poll(async () => (await generation()) === 2, { timeout: 30_000, message: 'generation 2' });
  } finally {
    await context.close();
  }
});

test('autoplay=1 in an embed starts evolving without any input', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1&embed=1&autoplay=1&show=boundary,charts', 'embed-autoplay', async ({ page }) => {
    await poll(() => page.evaluate(() => (window.evonas.summary()?.generation ?? 0) >= 3), { timeout: 45_000, message: 'generation 3 without input' });
  });
});

test('the embed code embeds this experiment with the chosen views', T, async () => {
  const settings = '#dataset=circle&seed=7&noise=0.2&population=30';
  let snippet;
  let wanted;
  await withPage(env.browser, env.baseUrl, settings, 'embed-code', async ({ page, context }) => {
    wanted = await page.evaluate(() => window.evonas.link());
    await page.locator(byTestId('embed-snippet')).waitFor({ state: 'hidden' });
    await page.click(byTestId('embed-code'));
    const area = page.locator(byTestId('embed-snippet'));
    await area.waitFor({ state: 'visible' });
    // The snippet is written on the panel's toggle event, a task after the click.
    await page.waitForFunction((sel) => document.querySelector(sel).value !== '', byTestId('embed-snippet'));
    const parse = () => area.evaluate((el) => {
      const iframe = new DOMParser().parseFromString(el.value, 'text/html').querySelector('iframe');
      return iframe && Object.fromEntries([...iframe.attributes].map((a) => [a.name, a.value]));
    });
    const all = await parse();
    assert.ok(all, 'the snippet holds no iframe');
    assert.equal(all.src, `${env.baseUrl}/index.html#${wanted}&embed=1`);
    assert.deepEqual({ ...all, src: '' }, {
      src: '', width: '800', height: '450', style: 'border:0', title: 'evonas: circle experiment', loading: 'lazy',
    });

    await page.uncheck(byTestId('embed-show-gallery'));
    await page.uncheck(byTestId('embed-show-charts'));
    assert.match((await parse()).src, /&show=boundary,network(&|$)/);
    await page.check(byTestId('embed-show-pareto'));
    assert.match((await parse()).src, /&show=boundary,network,pareto(&|$)/);
    await page.uncheck(byTestId('embed-show-pareto'));
    assert.match((await parse()).src, /&show=boundary,network(&|$)/);
    await page.check(byTestId('embed-autoplay'));
    assert.match((await parse()).src, /&autoplay=1(&|$)/);
    await page.uncheck(byTestId('embed-autoplay'));
    assert.doesNotMatch((await parse()).src, /autoplay/);
    await screenshot(page, 'embed-code');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.baseUrl });
    await page.click(byTestId('embed-copy'));
    await poll(async () => (await page.evaluate(() => navigator.clipboard.readText())) === (await area.inputValue()),
      { timeout: 5000, message: 'the snippet on the clipboard' });
    snippet = await parse();
  });
  const hash = snippet.src.slice(`${env.baseUrl}/index.html`.length);
  assert.ok(hash.startsWith('#'), snippet.src);
  const opened = await openPage(env.browser, env.baseUrl, hash);
  try {
    await opened.page.setViewportSize(LANDSCAPE);
    await drawn(opened.page);
    const link = await opened.page.evaluate(() => window.evonas.link());
    const plain = link.split('&').filter((p) => !/^(embed|show|autoplay)=/.test(p)).join('&');
    assert.equal(plain, wanted, 'the embed runs another experiment');
    assertEmbedLayout(await measure(opened.page), ['boundary', 'network'], 'the snippet');
    await step(opened.page, 1);
    const href = await opened.page.locator(byTestId('embed-open')).getAttribute('href');
    assert.equal(href, `${env.baseUrl}/index.html#${wanted}`, 'the "open in evonas" link');
  } finally {
    await opened.context.close();
  }
});

test('an embed of a comparison link keeps its views whole; show=compare makes the comparison one view', T, async () => {
  const experiment = 'dataset=xor&seed=1&population=10&steps=20&compare=aging,aging-worst&seeds=2&budget=20';
  // The link names strategies, but show= does not name the comparison: it stays out of the embed.
  await withPage(env.browser, env.baseUrl, `#${experiment}&embed=1`, 'embed-compare-off', async ({ page, errors }) => {
    await page.setViewportSize(LANDSCAPE);
    await step(page, 2);
    await drawn(page);
    const m = await measure(page);
    assertEmbedLayout(m, VIEWS, 'comparison link');
    assert.ok(m.views.boundary.height >= 0.5 * m.viewport.height, `the views get ${m.views.boundary.height}px`);
    assert.equal(await page.locator(byTestId('compare')).isVisible(), false, 'the comparison squeezes in');
    assert.deepEqual(errors, []);
  });
  // Named in show=, it is a view like the others, its chart filling the cell; autoplay runs it.
  const shown = `#${experiment}&embed=1&autoplay=1&show=boundary,compare`;
  await withPage(env.browser, env.baseUrl, shown, 'embed-compare', async ({ page, errors }) => {
    await page.setViewportSize(LANDSCAPE);
    const curves = await page.evaluate(() => window.evonas.compare());
    assert.deepEqual(curves.map((c) => c.strategy), ['aging', 'aging-worst']);
    await drawn(page);
    await screenshot(page, 'embed-compare');
    const m = await page.evaluate(() => {
      const box = (el) => el.checkVisibility() ? el.getBoundingClientRect().toJSON() : null;
      const q = (sel) => document.querySelector(sel);
      const chart = q('[data-testid="compare-chart"]');
      return {
        boundary: box(q('.views > .boundary-view')),
        compare: box(q('.views > .compare-view')),
        chart: box(chart),
        store: [chart.width, chart.height],
        dpr: devicePixelRatio,
        hidden: ['compare-neat', 'compare-seeds', 'compare-budget', 'compare-table'].map((id) => box(q(`[data-testid="${id}"]`))),
        run: box(q('[data-testid="compare-run"]')),
        settings: box(q('.settings')),
        scroll: [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight],
        viewport: [innerWidth, innerHeight],
      };
    });
    const [vw, vh] = m.viewport;
    assert.ok(m.scroll[0] <= vw && m.scroll[1] <= vh, `the embed scrolls: ${m.scroll}`);
    assert.equal(m.settings, null);
    assert.deepEqual(m.hidden, [null, null, null, null], 'the comparison\'s settings show in the embed');
    assert.ok(m.run, 'the comparison can be rerun from the embed');
    assert.ok(Math.abs(m.compare.top - m.boundary.top) < 1 && m.compare.left >= m.boundary.right - 0.5, 'not side by side');
    assert.ok(m.compare.width >= 0.4 * vw && m.compare.height >= 0.85 * vh, `the comparison is ${m.compare.width}x${m.compare.height}`);
    assert.ok(m.chart.height >= 0.6 * vh, `its chart is ${m.chart.height}px of ${vh}px`);
    assert.deepEqual(m.store, [Math.round(m.chart.width * m.dpr), Math.round(m.chart.height * m.dpr)], 'the chart drew at its size');
    assert.deepEqual(errors, []);
  });
});
