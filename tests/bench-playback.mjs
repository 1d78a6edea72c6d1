// The page's playback figures (issue 14): frames per second and main-thread long tasks while
// playing spiral at 1400x900, time to the first paint and to the first generation, and link
// lengths. Prints one JSON line. `node tests/bench-playback.mjs [seconds]` (default 20).
import { startServer, launchBrowser } from './harness.mjs';

const seconds = Number(process.argv[2] ?? 20);
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
  });
  const opened = Date.now();
  await page.goto(`${server.baseUrl}/index.html#dataset=spiral&seed=3`);
  await page.evaluate(() => window.evonas.ready);
  const ready = Date.now() - opened;
  const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  const firstGeneration = await page.evaluate(async () => {
    const t = performance.now();
    await window.evonas.step(1);
    return performance.now() - t;
  });
  const defaultLink = await page.evaluate(async () => (await import('./www/app/state.js')).readLink('').link);
  await page.evaluate(() => { window.longTasks = []; performance.clearMeasures(); });
  await page.click('[data-testid="play"]');
  const played = await page.evaluate((ms) => new Promise((resolve) => {
    const start = performance.now();
    const g0 = window.evonas.summary()?.generation ?? 0;
    let frames = 0;
    const tick = () => {
      frames += 1;
      if (performance.now() - start < ms) requestAnimationFrame(tick);
      else resolve({ frames, ms: performance.now() - start, generations: (window.evonas.summary()?.generation ?? 0) - g0 });
    };
    requestAnimationFrame(tick);
  }), seconds * 1000);
  await page.click('[data-testid="play"]');
  const tasks = await page.evaluate(() => window.longTasks);
  // Where a drawn frame's main-thread time goes: the mean ms per drawing of each view.
  const views = await page.evaluate(() => {
    const by = {};
    for (const m of performance.getEntriesByType('measure').filter((e) => e.name.startsWith('draw:'))) {
      (by[m.name.slice(5)] ??= []).push(m.duration);
    }
    return Object.fromEntries(Object.entries(by).map(([name, d]) => [name, +(d.reduce((a, b) => a + b, 0) / d.length).toFixed(1)]));
  });
  const champion = await page.evaluate(() => window.evonas.championLink?.() ?? null);
  console.log(JSON.stringify({
    browser: await browser.version(), seconds,
    fps: +(played.frames / (played.ms / 1000)).toFixed(1),
    generations_per_s: +(played.generations / (played.ms / 1000)).toFixed(2),
    long_tasks: tasks.length, longest_task_ms: Math.round(Math.max(0, ...tasks)),
    long_task_share: +(tasks.reduce((a, b) => a + b, 0) / played.ms).toFixed(2),
    first_contentful_paint_ms: paint && Math.round(paint), ready_ms: ready, first_generation_ms: Math.round(firstGeneration),
    default_link_chars: defaultLink.length, champion_link_chars: champion?.length ?? null,
    draw_ms_per_view: views,
  }));
} finally {
  await browser.close();
  server.close();
}
