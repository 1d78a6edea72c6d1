// Recording for slide tools that cannot embed a page: the views recorded to WebM (the API, the
// Record panel, Stop), the composed slide PNG with its caption burnt in, the network as a
// standalone SVG and the plot as a PNG at slide resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useBrowser, withPage, byTestId, summary, poll, ARTIFACTS } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 180_000 };
const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const CAPTION = 'Backprop NEAT grows the network it needs';

/** Facts about a video blob held in the page as `window[name]`: type, size, first bytes, and the
 *  size a `<video>` reads from it once its metadata has loaded. The video plays in a blank page
 *  of the same browser: the page's own policy allows no media, as it shows none. */
async function videoFacts(page, name) {
  const { type, bytes } = await page.evaluate(async (key) => {
    const blob = window[key];
    return { type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] };
  }, name);
  const blank = await page.context().newPage();
  try {
    const read = await blank.evaluate(async ({ type, bytes }) => {
      const video = Object.assign(document.createElement('video'), { muted: true, src: URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type })) });
      await new Promise((resolve, reject) => {
        video.addEventListener('loadedmetadata', resolve, { once: true });
        video.addEventListener('error', () => reject(new Error(`the video does not load: ${video.error?.message}`)), { once: true });
      });
      return { width: video.videoWidth, height: video.videoHeight, duration: video.duration };
    }, { type, bytes });
    return { type, size: bytes.length, magic: bytes.slice(0, 4), ...read };
  } finally {
    await blank.close();
  }
}

function assertVideo(facts, size = { width: 1280, height: 720 }) {
  assert.match(facts.type, /^video\/webm/);
  assert.deepEqual(facts.magic, EBML_MAGIC, 'a WebM file starts with the EBML magic');
  assert.ok(facts.size > 4096, `a few KB of video at least, got ${facts.size} bytes`);
  assert.deepEqual({ width: facts.width, height: facts.height }, size);
  assert.ok(Number.isFinite(facts.duration) && facts.duration > 0, `the video says how long it is: ${facts.duration} s`);
}

/** Clicks a download button; resolves to the downloaded file's bytes and name. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId(testid)).click()]);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const to = path.join(ARTIFACTS, file.suggestedFilename());
  await file.saveAs(to);
  return { bytes: fs.readFileSync(to), name: file.suggestedFilename() };
}

/** A PNG's width and height, from its IHDR chunk. */
const pngSize = (bytes) => ({ width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

test('record({generations: 8}) steps the run 8 generations and resolves to a 1280x720 WebM video, with progress', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3', 'record-8', async ({ page, errors }) => {
    const before = (await summary(page)).generation;
    const seen = await page.evaluate(async () => {
      const seen = [];
      const bar = document.querySelector('[data-testid="record-progress"]');
      const onProgress = ({ done, total }) => seen.push({ done, total, shown: !bar.hidden && bar.checkVisibility(), value: bar.value, text: document.querySelector('[data-testid="record-progress-text"]').textContent });
      window.video = await window.evonas.record({ generations: 8, onProgress });
      return seen;
    });
    assert.equal((await summary(page)).generation, before + 8, 'the run advanced by the 8 generations recorded');
    assertVideo(await videoFacts(page, 'video'));
    assert.deepEqual(seen.map((s) => s.done), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(seen.every((s) => s.shown && s.value === s.done && s.total === 8), `progress shown as it went: ${JSON.stringify(seen)}`);
    assert.equal(seen[3].text, 'Recording: generation 4 of 8');
    const after = await page.evaluate(() => ({
      hidden: document.querySelector('[data-testid="record-progress"]').hidden,
      text: document.querySelector('[data-testid="record-progress-text"]').textContent,
      stop: document.querySelector('[data-testid="record-stop"]').disabled,
      play: document.querySelector('[data-testid="play"]').disabled,
    }));
    assert.ok(after.hidden && after.stop && !after.play, `progress ended, Stop disabled, play free again: ${JSON.stringify(after)}`);
    assert.match(after.text, /^Recorded 8 generations: \d+ KB of WebM video$/);
    assert.deepEqual(errors, []);
  });
});

test('Stop ends a long recording early with a valid video; the run is held still meanwhile', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=circle&seed=2', 'record-stop', async ({ page, errors }) => {
    const before = (await summary(page)).generation;
    await page.evaluate(() => {
      window.recording = window.evonas.record({ generations: 500, size: '1920x1080' }).then((blob) => (window.video = blob));
    });
    await poll(() => page.evaluate(() => document.querySelector('[data-testid="record-progress"]').value >= 3), { message: 'three generations recorded' });
    const held = await page.evaluate(() => ['play', 'step', 'reset'].map((id) => document.querySelector(`[data-testid="${id}"]`).disabled));
    assert.deepEqual(held, [true, true, true], 'play, step and reset wait for the recording');
    await page.locator(byTestId('record-stop')).click();
    await page.evaluate(() => window.recording);
    const steps = (await summary(page)).generation - before;
    assert.ok(steps >= 3 && steps < 500, `stopped after ${steps} generations`);
    assertVideo(await videoFacts(page, 'video'), { width: 1920, height: 1080 });
    assert.equal(await page.locator(byTestId('record-progress-text')).textContent(), `Recorded ${steps} generations: ${Math.ceil(await page.evaluate(() => window.video.size) / 1024)} KB of WebM video`);
    assert.deepEqual(errors, []);
  });
});

test('the Record panel records the generations asked for and offers evonas-<dataset>-<n>g.webm', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral&seed=1', 'record-panel', async ({ page, errors }) => {
    await page.locator(byTestId('record')).click();
    await page.locator(byTestId('record-generations')).fill('3');
    const file = await download(page, 'record-start');
    assert.equal(file.name, 'evonas-spiral-3g.webm');
    assert.deepEqual([...file.bytes.subarray(0, 4)], EBML_MAGIC);
    assert.equal((await summary(page)).generation, 3);
    assert.deepEqual(errors, []);
  });
});

/** The slides `slide(options)` and `slide({caption: ''})` make, decoded in the page: the first's
 *  size and background (a corner), and how many pixels of the title strip's band (the top 12% of
 *  the frame) the caption changed. */
function captionFacts(page, options) {
  return page.evaluate(async (given) => {
    const pixels = async (slideOptions) => {
      const bitmap = await createImageBitmap(await window.evonas.slide(slideOptions));
      const canvas = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height, band: ctx.getImageData(0, 0, bitmap.width, Math.round(bitmap.height * 0.12)).data, corner: [...ctx.getImageData(bitmap.width - 2, 2, 1, 1).data].slice(0, 3) };
    };
    const [captioned, plain] = [await pixels(given), await pixels({ ...given, caption: '' })];
    let changed = 0;
    for (let k = 0; k < captioned.band.length; k += 4) {
      if (Math.abs(captioned.band[k] - plain.band[k]) + Math.abs(captioned.band[k + 1] - plain.band[k + 1]) + Math.abs(captioned.band[k + 2] - plain.band[k + 2]) > 60) changed += 1;
    }
    return { width: captioned.width, height: captioned.height, background: captioned.corner, changed };
  }, options);
}

test('slide() is a 1920x1080 PNG with the caption burnt into its title strip (an option or the link\'s)', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3', 'slide-caption', async ({ page, errors }) => {
    await page.evaluate(() => window.evonas.step(3));
    const facts = await captionFacts(page, { caption: CAPTION });
    assert.deepEqual([facts.width, facts.height], [1920, 1080]);
    assert.deepEqual(facts.background, [255, 255, 255], 'a white slide');
    assert.ok(facts.changed > 5000, `the caption inks its band: ${facts.changed} pixels changed`);
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, `#dataset=xor&seed=3&caption=${encodeURIComponent(CAPTION)}`, 'slide-link-caption', async ({ page }) => {
    const facts = await captionFacts(page, {});
    assert.ok(facts.changed > 5000, `the link's caption is burnt in: ${facts.changed} pixels changed`);
  });
});

test('an embed records its own views; slide PNG, network SVG and plot PNG exports', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3&embed=1&show=network,boundary', 'record-embed', async ({ page, errors }) => {
    await page.evaluate(async () => (window.video = await window.evonas.record({ generations: 4 })));
    assertVideo(await videoFacts(page, 'video'));
    assert.deepEqual(errors, []);
  });
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3', 'slide-exports', async ({ page, errors }) => {
    await page.evaluate(() => window.evonas.step(4));
    // The views draw on the next frame: export what the page shows once it is drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const slide = await download(page, 'export-slide');
    assert.equal(slide.name, 'evonas-xor-slide.png');
    assert.deepEqual(pngSize(slide.bytes), { width: 1920, height: 1080 });
    const plot = await download(page, 'export-png');
    assert.deepEqual(pngSize(plot.bytes), { width: 1080, height: 1080 }, 'the plot drawn afresh at slide resolution');
    const svg = await download(page, 'export-svg');
    assert.equal(svg.name, 'evonas-xor-network.svg');
    const parsed = await page.evaluate(async (text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const image = new Image();
      image.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      await image.decode();
      return {
        error: doc.querySelector('parsererror')?.textContent ?? '',
        root: doc.documentElement.namespaceURI,
        nodes: doc.querySelectorAll('g.node').length,
        pageNodes: document.querySelectorAll('[data-testid="network"] svg g.node').length,
        styled: [...doc.querySelectorAll('text')].every((t) => t.getAttribute('font-family')),
        image: [image.naturalWidth, image.naturalHeight],
      };
    }, svg.bytes.toString());
    assert.equal(parsed.error, '', 'standalone SVG parses');
    assert.equal(parsed.root, 'http://www.w3.org/2000/svg');
    assert.ok(parsed.pageNodes >= 4 && parsed.nodes === parsed.pageNodes, `${parsed.nodes} nodes in the file, ${parsed.pageNodes} on the page`);
    assert.ok(parsed.styled, 'its text carries its font inline');
    assert.ok(parsed.image[0] > 0 && parsed.image[1] > 0, 'it renders as an image of its own');
    assert.deepEqual(errors, []);
  });
});

test('the cell search records its views for the seconds asked for', T, async () => {
  await withPage(env.browser, env.baseUrl, '#scene=cells', 'record-cells', async ({ page, errors }) => {
    const seen = await page.evaluate(async () => {
      const seen = [];
      window.video = await window.evonas.record({ seconds: 2, onProgress: ({ done }) => seen.push(done) });
      return seen;
    });
    assert.deepEqual(seen, [1, 2]);
    assertVideo(await videoFacts(page, 'video'));
    assert.match(await page.locator(byTestId('record-progress-text')).textContent(), /^Recorded 2 seconds: /);
    const slide = await page.evaluate(async () => (await createImageBitmap(await window.evonas.slide())).width);
    assert.equal(slide, 1920);
    assert.deepEqual(errors, []);
  });
});

test('a browser that cannot record says so on the banner, and the run is free again', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor', 'record-unsupported', async ({ page }) => {
    const failed = await page.evaluate(async () => {
      window.MediaRecorder = undefined;
      const message = await window.evonas.record({ generations: 2 }).then(() => 'recorded', (error) => error.message);
      return { message, banner: document.querySelector('[data-testid="error"]').textContent, play: document.querySelector('[data-testid="play"]').disabled };
    });
    assert.match(failed.message, /MediaRecorder/);
    assert.equal(failed.banner, failed.message);
    assert.equal(failed.play, false);
    const size = await page.evaluate(() => window.evonas.record({ size: '640x480' }).catch((error) => error.message));
    assert.match(size, /^size "640x480": a slide is 1280x720 or 1920x1080$/);
  });
});
