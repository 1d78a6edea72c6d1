// Shared helpers for the browser end-to-end tests: a static file server for the repo root,
// Debian's Chromium through playwright-core, and a page opener that records errors.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
// EVONAS_E2E_ROOT serves another tree (e.g. a built copy of the site) instead of the repo root.
export const ROOT = path.resolve(process.env.EVONAS_E2E_ROOT || path.resolve(here, '..'));
export const ARTIFACTS = path.resolve(here, '..', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
};

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Starts a static server for the repo root on 127.0.0.1:<random free port>.
 *  Resolves to { baseUrl, port, close() }. */
export async function startServer(root = ROOT) {
  const rootWithSep = root.endsWith(path.sep) ? root : root + path.sep;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    let raw, rel;
    try {
      raw = decodeURIComponent(req.url.split(/[?#]/)[0]);
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(res, 400, 'bad request');
    }
    // No directory escapes: reject '..' (raw, decoded or after URL normalisation) and NUL bytes.
    if (req.url.includes('..') || raw.includes('..') || rel.includes('..') || raw.includes('\0')) {
      return send(res, 403, 'forbidden');
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, '.' + rel);
    if (!file.startsWith(rootWithSep)) return send(res, 403, 'forbidden');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(res, 404, 'not found');
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, 'Cache-Control': 'no-store' });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Launches Debian's Chromium headless (never downloads a browser). */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-unsafe-webgpu',
    ],
  });
}

/** Opens `${baseUrl}/index.html${hash}` in a fresh browser context, records console errors and
 *  page errors, and waits until window.evonas.ready resolves.
 *  Resolves to { page, context, errors } where errors is a live array of strings. */
export async function openPage(browser, baseUrl, hash = '', { readyTimeout = 90_000 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url || '';
    // The browser's own favicon probe is not the page's doing.
    if (/\/favicon\.ico$/.test(url)) return;
    errors.push(`console.error: ${msg.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message || err}`));
  try {
    await page.goto(`${baseUrl}/index.html${hash}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.evonas && window.evonas.ready, null, { timeout: readyTimeout });
    await page.evaluate(async () => {
      await window.evonas.ready;
      return true;
    });
  } catch (err) {
    err.message += `\nerrors seen while loading:\n  ${errors.join('\n  ') || '(none)'}`;
    await screenshot(page, 'load-failure').catch(() => {});
    await context.close().catch(() => {});
    throw err;
  }
  return { page, context, errors };
}

/** Full-page screenshot into artifacts/<name>.png; resolves to the path. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs fn({page, errors, context}) on a fresh page; on failure saves artifacts/fail-<name>.png
 *  and appends the recorded page errors to the message; always closes the context. */
export async function withPage(browser, baseUrl, hash, name, fn) {
  const opened = await openPage(browser, baseUrl, hash);
  try {
    return await fn(opened);
  } catch (err) {
    await screenshot(opened.page, `fail-${name}`).catch(() => {});
    if (err && typeof err === 'object') {
      const status = await text(opened.page, 'status').catch(() => null);
      const banner = await text(opened.page, 'error').catch(() => null);
      err.message += `\npage status: ${JSON.stringify(status)}; error banner: ${JSON.stringify(banner)}`;
      if (opened.errors.length) err.message += `\npage errors:\n  ${opened.errors.join('\n  ')}`;
    }
    throw err;
  } finally {
    await opened.context.close().catch(() => {});
  }
}

// ---------- page helpers ----------

export const byTestId = (id) => `[data-testid="${id}"]`;

/** Trimmed textContent of the first element with that data-testid ('' when empty, null when absent). */
export function text(page, testid) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    return el ? (el.textContent || '').trim() : null;
  }, byTestId(testid));
}

/** The generation number shown by data-testid=generation (NaN if it is not a number). */
export async function generationText(page) {
  const t = await text(page, 'generation');
  return t === null || t === '' ? NaN : Number(t);
}

/** Waits until data-testid=generation reads exactly `n`. */
export async function waitForGenerationText(page, n, timeout = 60_000) {
  try {
    await page.waitForFunction(
      ({ sel, want }) => {
        const el = document.querySelector(sel);
        return el && (el.textContent || '').trim() === want;
      },
      { sel: byTestId('generation'), want: String(n) },
      { timeout },
    );
  } catch (err) {
    err.message += `\ngeneration text is ${JSON.stringify(await text(page, 'generation'))}, wanted '${n}'`;
    throw err;
  }
}

/** window.evonas.step(n) in the page; resolves to the summary it returns. */
export function step(page, n) {
  return page.evaluate(async (k) => window.evonas.step(k), n);
}

/** window.evonas.summary() in the page. */
export function summary(page) {
  return page.evaluate(() => window.evonas.summary());
}

/** window.evonas.link() without a leading '#'. */
export async function link(page) {
  const l = await page.evaluate(() => window.evonas.link());
  return String(l ?? '').replace(/^#/, '');
}

/** location.hash parsed into URLSearchParams (leading '#' removed). */
/** The settings of the page's link, as wasm reads them (a link writes only what differs from
 *  its version's defaults, so a key's value may not be in its text). */
export function linkSettings(page, link = null) {
  return page.evaluate(async (given) => (await import('./www/app/state.js')).readLink(given ?? location.hash).config, link);
}

export async function hashParams(page) {
  const h = await page.evaluate(() => location.hash);
  return new URLSearchParams(h.replace(/^#/, ''));
}

/** Sets an <input> (e.g. a range) to `value` and fires 'input' then 'change'. */
export function setInput(page, testid, value) {
  return page.evaluate(
    ({ sel, v }) => {
      const el = document.querySelector(sel);
      if (!el) throw new Error(`no element ${sel}`);
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return el.value;
    },
    { sel: byTestId(testid), v: value },
  );
}

/** Polls fn() every `interval` ms until it returns a truthy value or `timeout` passes. */
export async function poll(fn, { timeout = 60_000, interval = 250, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${message} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Registers before/after hooks in the calling test file that start one server and one browser
 *  for the file and always close them; resolves fields on the returned object. */
export function useBrowser() {
  const env = { server: null, browser: null, baseUrl: '' };
  before(async () => {
    env.server = await startServer();
    env.baseUrl = env.server.baseUrl;
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close().catch(() => {});
    await env.server?.close().catch(() => {});
  });
  return env;
}

/** The native CLI the browser tests compare the page with (./build.sh build makes it). */
export const CLI = process.env.EVONAS_CLI ?? path.join(path.resolve(here, '..'), 'target', 'release', 'evonas');

/** The CLI's JSON lines for `linkText` over `generations`. */
export function cliRun(linkText, generations) {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: ./build.sh build first`);
  const out = execFileSync(CLI, ['run', '--link', linkText, '--generations', String(generations), '--json'], { cwd: path.resolve(here, '..'), encoding: 'utf8' });
  return out.trim().split('\n').map((line) => JSON.parse(line));
}

/** Steps a scene's run (`window.evonas.step`, which stops it playing first) and resolves to its frame, drawn. */
export async function steppedFrame(page, n) {
  await page.evaluate((k) => window.evonas.step(k), n);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.evonas.frame());
}

/** f32 values the page and the CLI print (as JSON numbers) equal to the bit. */
export const sameF32 = (a, b) => Math.fround(a) === Math.fround(b);
