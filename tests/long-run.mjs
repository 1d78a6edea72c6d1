// Time per generation in the page early and late in a run: opens the page in headless Chromium,
// steps to each checkpoint in one call, then times single steps there (window.evonas.step(1)
// until the next animation frame has drawn it, as playing does) and the main thread's busy time
// (CDP Performance TaskDuration). Prints one JSON line per checkpoint; asserts nothing.
//   node tests/long-run.mjs [link] [checkpoints, default 10,1000] [steps timed, default 10]
// e.g. node tests/long-run.mjs '' 10,1000 10     (the default experiment)
//      node tests/long-run.mjs 'dataset=spiral&backend=cpu'
import { startServer, launchBrowser, openPage } from './harness.mjs';

const [linkText = '', checkpointsText = '10,1000', countText = '10'] = process.argv.slice(2);
const checkpoints = checkpointsText.split(',').map(Number);
const count = Number(countText);

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, context } = await openPage(browser, server.baseUrl, linkText ? `#${linkText}` : '');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  let at = 0;
  for (const checkpoint of checkpoints) {
    const started = Date.now();
    if (checkpoint > at) await page.evaluate((n) => window.evonas.step(n), checkpoint - at);
    const reached = (Date.now() - started) / 1000;
    const before = await busy();
    const times = await page.evaluate(async (n) => {
      const drawn = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const out = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await window.evonas.step(1);
        await drawn();
        out.push(performance.now() - t0);
      }
      return out;
    }, count);
    const mainMs = ((await busy()) - before) * 1000 / count;
    at = checkpoint + count;
    const sorted = [...times].sort((a, b) => a - b);
    const summary = await page.evaluate(() => window.evonas.summary());
    console.log(JSON.stringify({
      link: linkText || '(default)',
      backend: await page.evaluate(() => window.evonas.backend),
      generations: `${checkpoint + 1}-${at}`,
      ms_per_generation_median: Number(sorted[Math.floor(count / 2)].toFixed(1)),
      ms_per_generation_mean: Number((times.reduce((s, t) => s + t, 0) / count).toFixed(1)),
      main_thread_busy_ms_per_generation: Number(mainMs.toFixed(1)),
      best_nodes: summary.best.nodes,
      best_connections: summary.best.connections,
      species: summary.species.length,
      seconds_to_reach: Number(reached.toFixed(1)),
    }));
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
