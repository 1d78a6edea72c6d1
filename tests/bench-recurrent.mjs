// The recurrent scene's page figures (issue 15): seconds per generation of 20 cells x 300 steps
// on the adding problem (T 50, hidden 16, batch 32) in the page's workers, cells trained per
// second, and main-thread long tasks meanwhile. Prints one JSON line.
// `node tests/bench-recurrent.mjs [generations] [link]` (default 6, children=20 on the defaults).
import { startServer, launchBrowser } from './harness.mjs';

const generations = Number(process.argv[2] ?? 6);
const link = process.argv[3] ?? 'scene=recurrent&task=adding&children=20&seed=1';
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.baseUrl}/index.html#${link}`);
  await page.evaluate(() => window.evonas.ready);
  // The run plays from the start: each generation's frame says how long it took.
  const frames = await page.evaluate((n) => new Promise((resolve) => {
    const seen = [];
    const poll = setInterval(() => {
      const f = window.evonas.frame();
      if (f && f.generation > (seen.at(-1)?.generation ?? 0)) seen.push({ generation: f.generation, seconds: f.seconds, trained: f.trained, rate: f.rate });
      if (seen.length && seen.at(-1).generation >= n) {
        clearInterval(poll);
        window.evonas.setPlaying(false);
        resolve(seen);
      }
    }, 50);
  }), generations);
  const tasks = await page.evaluate(() => window.longTasks);
  const later = frames.slice(1).map((f) => f.seconds);
  console.log(JSON.stringify({
    link, workers: await page.evaluate(() => navigator.hardwareConcurrency),
    first_generation_s: frames[0].seconds,
    generation_s: later.map((v) => Number(v.toFixed(2))),
    generation_median_s: later.sort((a, b) => a - b)[Math.floor(later.length / 2)],
    cells_per_s: Number(frames.at(-1).rate.toFixed(2)),
    long_tasks: tasks.length, longest_task_ms: Math.round(Math.max(0, ...tasks)),
  }));
} finally {
  await browser.close();
  await server.close();
}
