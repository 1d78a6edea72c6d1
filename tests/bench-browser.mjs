// The in-browser trainer figure: opens bench.html in headless Chromium and prints its JSON.
import { startServer, launchBrowser } from './harness.mjs';

const server = await startServer();
const { baseUrl } = server;
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/bench.html`);
  const result = await page.evaluate(() => window.benchResult);
  console.log(JSON.stringify({ browser: await browser.version(), ...result }));
} finally {
  await browser.close();
  server.close();
}
