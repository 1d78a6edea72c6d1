// Time to claim for every tour stop: a fresh page at 1400x900 opens `#tour=N`, and the clock
// stops once the state the caption talks about is on show (a recorded stop: its run at the
// recorded generation, drawn; a live NEAT stop: the generations its claim is checked at, run as
// fast as the page steps; the cell search: its comparison finished and drawn). Prints a JSON
// line per stop. `node tests/bench-tour.mjs` (the page built first: ./build.sh build).
import { startServer, launchBrowser } from './harness.mjs';

/** The generations a live NEAT stop's claim is checked at (crate/tests/it/tour.rs). */
const LIVE = { 1: 0, 2: 5, 3: 30, 4: 30, 7: 20 };

const server = await startServer();
const browser = await launchBrowser();
try {
  const stops = await (async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/index.html`);
    await page.evaluate(() => window.evonas.ready);
    const list = await page.evaluate(() => window.evonas.tour());
    await page.close();
    return list;
  })();
  for (const [k, stop] of stops.entries()) {
    const number = k + 1;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(`${server.baseUrl}/index.html#tour=${number}`);
    await page.waitForFunction(() => window.evonas?.ready);
    await page.evaluate(() => window.evonas.ready);
    const scene = await page.evaluate(() => document.querySelector('main:not([hidden])')?.dataset.scene);
    let how;
    if (stop.recorded) {
      await page.waitForFunction((g) => window.evonas.summary()?.generation === g, stop.recorded);
      how = `recorded run, generation ${stop.recorded}`;
    } else if (scene === 'cells') {
      await page.evaluate(() => window.evonas.cells());
      how = 'comparison finished';
    } else {
      const generations = LIVE[number] ?? 0;
      if (generations) await page.evaluate((n) => window.evonas.step(n), generations);
      how = `live, ${generations} generations`;
    }
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    console.log(JSON.stringify({ stop: number, title: stop.title, scene, how, claim_ms: Date.now() - opened }));
    await page.evaluate(() => window.evonas.setPlaying?.(false));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
