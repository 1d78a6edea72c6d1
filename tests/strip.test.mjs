// Embeds in slides: the status strip (play, pause, step, what the run reached; strip=0 hides it),
// keys that stay the slides' until the frame is clicked, text that scales with the frame, the
// caption line, and the snippet's frame sizes, each of which its views fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, screenshot, byTestId, poll, sleep } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

/** Opens `html` (a host page: the slides) in a fresh context of `viewport`; resolves to
 *  `{context, page, frame}` once the framed page's evonas is ready. */
async function host(html, viewport = { width: 1400, height: 900 }) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.setContent(html);
  const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
  await frame.waitForFunction(() => window.evonas && window.evonas.ready, null, { timeout: 60_000 });
  await frame.evaluate(() => window.evonas.ready);
  return { context, page, frame };
}

const embedSrc = (hash) => `${env.baseUrl}/index.html#${hash}`;

/** Boxes of the strip, the caption and the views of the frame, the frame's scroll extent and text sizes. */
function measure(frame) {
  return frame.evaluate(() => {
    const box = (el) => {
      if (!el || !el.checkVisibility()) return null;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height } : null;
    };
    const views = [...document.querySelectorAll('main:not([hidden]) .views > [data-view]')].filter((el) => box(el));
    return {
      strip: box(document.querySelector('[data-testid="embed-status"]')),
      caption: box(document.querySelector('[data-testid="embed-caption"]')),
      views: Object.fromEntries(views.map((el) => [el.dataset.view, box(el)])),
      viewport: { width: innerWidth, height: innerHeight },
      scroll: { width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight },
      rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize),
      stripPx: parseFloat(getComputedStyle(document.querySelector('[data-testid="embed-words"]')).fontSize),
      chartText: parseFloat(getComputedStyle(document.body).getPropertyValue('--chart-text')),
      gallery: (() => {
        const g = document.querySelector('.views > .gallery');
        return g.checkVisibility() ? { scrollHeight: g.scrollHeight, clientHeight: g.clientHeight, thumbs: g.querySelectorAll('.thumb').length } : null;
      })(),
    };
  });
}

/** Every view, the strip and the caption inside the frame, none overlapping another, nothing scrolling. */
function assertFits(m, shown, label) {
  assert.deepEqual(Object.keys(m.views).sort(), [...shown].sort(), `${label}: the views shown`);
  assert.ok(m.scroll.width <= m.viewport.width && m.scroll.height <= m.viewport.height, `${label}: the frame scrolls ${JSON.stringify(m)}`);
  const boxes = Object.entries(m.views);
  if (m.strip) boxes.push(['strip', m.strip]);
  if (m.caption) boxes.push(['caption', m.caption]);
  for (const [name, b] of boxes) {
    assert.ok(b.left >= -0.5 && b.top >= -0.5 && b.right <= m.viewport.width + 0.5 && b.bottom <= m.viewport.height + 0.5,
      `${label}: ${name} leaves the frame: ${JSON.stringify(b)} in ${JSON.stringify(m.viewport)}`);
    assert.ok(b.width >= 60 && b.height >= 20, `${label}: ${name} is too small to read: ${JSON.stringify(b)}`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = [boxes[i][1], boxes[j][1]];
      const overlap = Math.min(a.right, p.right) - Math.max(a.left, p.left) > 1 && Math.min(a.bottom, p.bottom) - Math.max(a.top, p.top) > 1;
      assert.ok(!overlap, `${label}: ${boxes[i][0]} overlaps ${boxes[j][0]}`);
    }
  }
  if (m.gallery) {
    assert.ok(m.gallery.scrollHeight <= m.gallery.clientHeight + 1 && m.gallery.thumbs > 0, `${label}: the population overflows ${JSON.stringify(m.gallery)}`);
  }
}

test('the status strip plays, pauses and steps inside the embed and says where the run is; strip=0 hides it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1&embed=1&show=boundary,network', 'strip', async ({ page, errors }) => {
    await page.setViewportSize({ width: 800, height: 450 });
    const strip = page.locator(byTestId('embed-status'));
    await strip.waitFor({ state: 'visible' });
    const words = () => page.locator(byTestId('embed-words')).textContent();
    assert.match(await words(), /generation 0/);
    await page.click(byTestId('embed-step'));
    await poll(async () => /generation 1/.test(await words()), { timeout: 30_000, message: 'generation 1 on the strip' });
    assert.match(await words(), /test \d+\.\d%/);
    const summary = await page.evaluate(() => window.evonas.summary());
    assert.ok((await words()).includes(`${(summary.best.test_accuracy * 100).toFixed(1)}%`), 'the strip shows the champion\'s test accuracy');

    const play = page.locator(byTestId('embed-play'));
    assert.equal(await play.getAttribute('aria-label'), 'Play');
    await play.click();
    assert.equal(await play.getAttribute('aria-label'), 'Pause');
    await poll(async () => (await page.evaluate(() => window.evonas.summary().generation)) >= 4, { timeout: 45_000, message: 'playing from the strip' });
    await play.click();
    assert.equal(await play.getAttribute('aria-label'), 'Play');
    await sleep(300);
    const paused = await page.evaluate(() => window.evonas.summary().generation);
    await sleep(1500);
    assert.ok((await page.evaluate(() => window.evonas.summary().generation)) <= paused + 1, 'pausing from the strip did not stop the run');
    await screenshot(page, 'strip-800x450');
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1&embed=1&show=boundary&strip=0', 'strip-hidden', async ({ page }) => {
    assert.equal(await page.locator(byTestId('embed-status')).isVisible(), false, 'strip=0 shows the strip');
    // Without the strip the hint names the keys again.
    assert.match(await page.locator(byTestId('embed-hint')).textContent(), /step/);
  });
  await withPage(env.browser, env.baseUrl, '#dataset=xor', 'strip-page', async ({ page }) => {
    assert.equal(await page.locator(byTestId('embed-status')).isVisible(), false, 'the full page shows an embed strip');
  });
});

test('keys stay with the slides until the frame is clicked; Escape hands them back', T, async () => {
  const { context, page, frame } = await host(`<!doctype html><title>slides</title><h1>Slide 3</h1>
    <iframe src="${embedSrc('dataset=xor&seed=1&embed=1&show=boundary,network')}" width="800" height="450"></iframe>
    <script>window.slideKeys = []; addEventListener('keydown', (e) => slideKeys.push(e.key));</script>`);
  try {
    const generation = () => frame.evaluate(() => window.evonas.summary()?.generation ?? null);
    const keys = frame.locator(byTestId('embed-keys'));
    assert.equal(await keys.textContent(), 'click to control');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(' ');
    await sleep(800);
    assert.equal(await generation(), 0, 'a key meant for the slides moved the embed');
    assert.deepEqual(await page.evaluate(() => window.slideKeys), ['ArrowRight', ' ']);

    const box = await page.locator('iframe').boundingBox();
    await page.mouse.click(box.x + 100, box.y + 150);
    await poll(async () => /Esc release/.test(await keys.textContent()), { timeout: 5000, message: 'the focused state' });
    await page.keyboard.press('ArrowRight');
    await poll(async () => (await generation()) === 1, { timeout: 30_000, message: 'the arrow steps the focused embed' });
    assert.deepEqual(await page.evaluate(() => window.slideKeys), ['ArrowRight', ' '], 'the slides heard a key the embed took');

    await page.keyboard.press('Escape');
    await poll(async () => (await keys.textContent()) === 'click to control', { timeout: 5000, message: 'released' });
    assert.ok(await page.evaluate(() => document.hasFocus() && document.activeElement.tagName !== 'IFRAME'), 'the slides did not get the keyboard back');
    await page.keyboard.press('ArrowRight');
    await sleep(800);
    assert.equal(await generation(), 1, 'a key after Escape stepped the embed');
    assert.deepEqual(await page.evaluate(() => window.slideKeys), ['ArrowRight', ' ', 'ArrowRight'], 'the slides did not hear the key after Escape');
  } finally {
    await context.close();
  }
});

test('an embed\'s text scales with its frame; the projector theme scales it further', T, async () => {
  const sizes = {};
  for (const [width, height] of [[400, 300], [800, 450], [1280, 720], [1920, 1080]]) {
    for (const theme of ['', '&theme=projector']) {
      const { context, frame } = await host(`<!doctype html><iframe src="${embedSrc(`dataset=xor&embed=1${theme}`)}" width="${width}" height="${height}" style="border:0"></iframe>`,
        { width: width + 40, height: height + 40 });
      try {
        sizes[`${width}x${height}${theme}`] = await measure(frame);
      } finally {
        await context.close();
      }
    }
  }
  const px = (key) => sizes[key].rootPx;
  assert.equal(Math.round(px('1280x720')), 16, 'a 1280x720 embed reads at 16 px');
  assert.ok(px('400x300') >= 12, `a 400x300 embed's text is ${px('400x300')} px`);
  assert.ok(px('400x300') < px('800x450') || px('400x300') === 12, 'text does not shrink with the frame');
  assert.ok(px('800x450') < px('1280x720') && px('1280x720') < px('1920x1080'), 'text does not grow with the frame');
  assert.ok(px('1280x720&theme=projector') > px('1280x720'), 'the projector theme is not larger');
  for (const [key, m] of Object.entries(sizes)) {
    assert.ok(m.chartText >= 11 && m.chartText <= m.rootPx, `${key}: chart text ${m.chartText} for ${m.rootPx} px`);
    assert.ok(m.stripPx >= 10.5, `${key}: the strip's text is ${m.stripPx} px`);
  }
  assert.ok(sizes['1280x720'].chartText > sizes['400x300'].chartText, 'the charts\' text does not grow with the frame');
});

test('a caption shows above the views as plain text, and the link keeps it', T, async () => {
  const caption = '<img src=x onerror="window.pwned=1"> Aging & "regularization" win';
  const hash = `#dataset=xor&embed=1&show=boundary,network&caption=${encodeURIComponent(caption)}`;
  await withPage(env.browser, env.baseUrl, hash, 'caption', async ({ page, errors }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const line = page.locator(byTestId('embed-caption'));
    await line.waitFor({ state: 'visible' });
    assert.equal(await line.textContent(), caption);
    assert.equal(await page.evaluate(() => window.pwned), undefined, 'the caption ran as markup');
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    const link = await page.evaluate(() => window.evonas.link());
    assert.equal(new URLSearchParams(link).get('caption'), caption, 'the link lost the caption');
    assertFits(await measure(page), ['boundary', 'network'], 'captioned 1280x720');
    await screenshot(page, 'caption-1280x720');
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, `#dataset=xor&embed=1&caption=${'x'.repeat(161)}`, 'caption-long', async ({ page }) => {
    await page.locator(byTestId('error')).waitFor({ state: 'visible' });
    assert.match(await page.locator(byTestId('error')).textContent(), /caption: 161 characters is too long/);
  });
});

test('the embed code offers slide sizes, the strip and a caption', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=circle&seed=3', 'snippet-sizes', async ({ page }) => {
    await page.click(byTestId('embed-code'));
    const area = page.locator(byTestId('embed-snippet'));
    await page.waitForFunction((sel) => document.querySelector(sel).value !== '', byTestId('embed-snippet'));
    const iframe = () => area.evaluate((el) => {
      const made = new DOMParser().parseFromString(el.value, 'text/html').querySelector('iframe');
      return Object.fromEntries([...made.attributes].map((a) => [a.name, a.value]));
    });
    assert.deepEqual(await page.locator(`${byTestId('embed-size')} option`).allTextContents(), ['800x450', '1280x720', '16:9', '4:3']);
    const want = {
      '800x450': { width: '800', height: '450', style: 'border:0' },
      '1280x720': { width: '1280', height: '720', style: 'border:0' },
      '16:9': { style: 'border:0;width:100%;aspect-ratio:16/9' },
      '4:3': { style: 'border:0;width:100%;aspect-ratio:4/3' },
    };
    for (const [size, attrs] of Object.entries(want)) {
      await page.selectOption(byTestId('embed-size'), size);
      const got = await iframe();
      assert.deepEqual({ width: got.width, height: got.height, style: got.style }, { width: undefined, height: undefined, ...attrs }, size);
    }
    await page.uncheck(byTestId('embed-strip'));
    assert.match((await iframe()).src, /&strip=0(&|$)/);
    await page.check(byTestId('embed-strip'));
    assert.doesNotMatch((await iframe()).src, /strip/);
    await page.fill(byTestId('embed-caption-text'), 'Radial features for circles');
    const src = (await iframe()).src;
    assert.equal(new URLSearchParams(src.split('#')[1]).get('caption'), 'Radial features for circles');
    await page.fill(byTestId('embed-caption-text'), 'y'.repeat(200));
    assert.equal(await area.inputValue(), '', 'a caption over the limit made a snippet');
    assert.match(await area.getAttribute('placeholder'), /caption: 200 characters is too long/);
  });
});

/** The frames the snippet's sizes give on a 1000 px wide slide. */
const FRAMES = [
  ['800x450', 'width="800" height="450" style="border:0"'], ['1280x720', 'width="1280" height="720" style="border:0"'],
  ['16:9', 'style="border:0;width:1000px;aspect-ratio:16/9"'], ['4:3', 'style="border:0;width:1000px;aspect-ratio:4/3"'],
];
const EMBEDS = [
  ['neat, default views', 'dataset=spiral&seed=2&embed=1', ['boundary', 'network', 'charts', 'gallery']],
  ['neat, boundary and network, captioned', 'dataset=xor&seed=2&embed=1&show=boundary,network&caption=Multiplication+finds+xor', ['boundary', 'network']],
  ['cell search, default views', 'scene=cells&seeds=2&budget=60&embed=1', ['curves', 'cell']],
  ['cell search, all three views', 'scene=cells&seeds=2&budget=60&embed=1&show=curves,cell,population', ['curves', 'cell', 'population']],
  ['modules, default views', 'scene=modules&blueprints=2&modules=4&species=2&networks=1&epochs=1&validation=100&seed=3&embed=1', ['assembled', 'accuracy']],
  ['modules, all six views', 'scene=modules&blueprints=2&modules=4&species=2&networks=1&epochs=1&validation=100&seed=3&embed=1&show=assembled,species,accuracy,front,confusion,digits',
    ['assembled', 'species', 'accuracy', 'front', 'confusion', 'digits']],
];

for (const [name, hash, shown] of EMBEDS) {
  test(`${name}: fits every frame size the snippet offers, the strip included`, T, async () => {
    for (const [size, attrs] of FRAMES) {
      const { context, page, frame } = await host(`<!doctype html><body style="margin:0"><iframe src="${embedSrc(hash)}" ${attrs}></iframe>`,
        { width: 1300, height: 1000 });
      try {
        if (hash.includes('scene=cells')) await frame.evaluate(() => window.evonas.cells());
        else await frame.evaluate(() => window.evonas.step(3));
        await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const m = await measure(frame);
        assert.ok(m.strip, `${name} ${size}: no status strip`);
        assertFits(m, shown, `${name} ${size}`);
        if (hash.includes('caption')) assert.ok(m.caption, `${name} ${size}: no caption`);
        await page.screenshot({ path: `artifacts/frame-${name.replace(/\W+/g, '-')}-${size.replace(':', 'x')}.png` });
      } finally {
        await context.close();
      }
    }
  });
}
