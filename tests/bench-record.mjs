// The recording's figures (issue 14): 100 generations of the default experiment and of spiral
// recorded at 1280x720 in headless Chromium (window.evonas.record), as frames, the video's frames
// per second (its frame count over the span of its timestamps), wall time and bytes, and the wall
// time of the same generations stepped one at a time without recording, on a fresh page. Prints
// one JSON line per experiment. `node tests/bench-record.mjs [generations]` (default 100).
import { startServer, launchBrowser } from './harness.mjs';

const generations = Number(process.argv[2] ?? 100);
const EXPERIMENTS = { default: '', spiral: 'dataset=spiral' };
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const [name, hash] of Object.entries(EXPERIMENTS)) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.baseUrl}/index.html#${hash}`);
    await page.evaluate(() => window.evonas.ready);
    const made = await page.evaluate(async (n) => {
      const start = performance.now();
      const blob = await window.evonas.record({ generations: n });
      const wall = performance.now() - start;
      // The frames' times as the page's own WebM reader (www/app/webm.js) finds them.
      const times = (await import('./www/app/webm.js')).frameTimes(new Uint8Array(await blob.arrayBuffer()));
      return { wall, times, bytes: blob.size, generation: window.evonas.summary().generation };
    }, generations);
    await page.close();
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await fresh.goto(`${server.baseUrl}/index.html#${hash}`);
    await fresh.evaluate(() => window.evonas.ready);
    const plain = await fresh.evaluate(async (n) => {
      const start = performance.now();
      for (let k = 0; k < n; k++) await window.evonas.step(1);
      return performance.now() - start;
    }, generations);
    const { times } = made;
    const span = (times.at(-1) - times[0]) / 1000;
    console.log(JSON.stringify({
      experiment: name, link: hash, browser: await browser.version(), size: '1280x720', generations: made.generation,
      frames: times.length, video_s: +span.toFixed(2), fps: +((times.length - 1) / span).toFixed(1),
      wall_s: +(made.wall / 1000).toFixed(2), bytes: made.bytes, unrecorded_wall_s: +(plain / 1000).toFixed(2),
    }));
    await fresh.close();
  }
} finally {
  await browser.close();
  server.close();
}
