// Security checks: no HTML-injection or code-from-string APIs in the page's own code, only local
// module scripts, a strict Content-Security-Policy, and a browser run (a good link, and a hash
// full of junk built to trip an injection) that asks nothing of any other origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useBrowser, ROOT, byTestId, text } from './harness.mjs';

const env = useBrowser();
const HTML = ['index.html', 'bench.html'];
/** Every script written here: www/ and its folders (app, views, scenes, workers), not the
 *  glue wasm-bindgen generates into pkg/. */
const JS = fs.readdirSync(path.join(ROOT, 'www'), { recursive: true })
  .filter((f) => f.endsWith('.js') && !f.startsWith(`pkg${path.sep}`)).map((f) => `www/${f}`);
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');
/** Namespace names: URLs by form, never fetched. */
const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1999/xlink']);

const URL = /https?:\/\/[^\s'"`)<>]+/g;

/** The source with comments blanked (newlines kept, so line numbers hold); strings are kept. */
function stripComments(src) {
  let out = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** `file:line: text` for every match of `re` in `src`. */
function hits(file, src, re) {
  const found = [];
  src.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(re)) found.push(`${file}:${i + 1}: ${m[0]}`);
  });
  return found;
}

const FORBIDDEN = [
  /\.innerHTML\b/g, /\.outerHTML\b/g, /\binsertAdjacentHTML\b/g, /\bdocument\.write(ln)?\b/g,
  /(?<![\w$.])eval\s*\(|\b(?:window|self|globalThis)\.eval\s*\(/g,
  /\bnew\s+Function\b/g, /(?<![\w.$]|new\s+)Function\s*\(/g, /\bset(Timeout|Interval)\s*\(\s*['"`]/g, /javascript:/gi,
  /\bcreateContextualFragment\b/g, /\bDOMParser\b/g, /\bsrcdoc\b/g,
];

test('the scanner finds what it looks for, in code and not in comments', () => {
  const sample = [
    'el.innerHTML = x; // innerHTML, eval( and https://c.example in a comment',
    'setTimeout("go()", 9); setTimeout(() => go(), 9); const u = "http://a.example/x";',
    '/* https://b.example/ */ node.insertAdjacentHTML("beforeend", s); new Function("return 1"); window.eval(s);',
  ].join('\n');
  const code = stripComments(sample);
  const found = FORBIDDEN.flatMap((re) => hits('s', code, re));
  const want = ['s:1: .innerHTML', 's:2: setTimeout("', 's:3: insertAdjacentHTML', 's:3: new Function', 's:3: window.eval('];
  assert.deepEqual(found.sort(), want.sort());
  assert.deepEqual(hits('s', code, URL).map((h) => h.split(': ')[1]), ['http://a.example/x']);
});

test('the page code uses no HTML injection or code-from-string APIs', () => {
  const found = [];
  for (const file of JS) {
    const code = stripComments(read(file));
    for (const re of FORBIDDEN) found.push(...hits(file, code, re));
  }
  for (const file of HTML) {
    const html = read(file);
    // Inline handlers would be code in markup (and blocked by the CSP anyway).
    found.push(...hits(file, html, /<[^>]*\son[a-z]+\s*=/gi));
  }
  assert.ok(JS.length >= 20 && JS.some((f) => f.startsWith('www/workers/')), `found only ${JS.join(', ')}`);
  assert.deepEqual(found, []);
});

test('every <script> is a local module with src and no body', () => {
  for (const file of HTML) {
    const scripts = [...read(file).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
    assert.ok(scripts.length >= 1, `${file} has no script`);
    for (const [tag, attrs, body] of scripts) {
      assert.match(attrs, /\stype="module"/, `${file}: ${tag}`);
      const src = attrs.match(/\ssrc="([^"]+)"/)?.[1];
      assert.ok(src, `${file}: ${tag} has no src`);
      assert.ok(!/^[a-z][\w+.-]*:|^\/\//i.test(src), `${file}: ${tag} loads from another origin`);
      assert.ok(fs.existsSync(path.join(ROOT, src)), `${file}: ${src} does not exist`);
      assert.equal(body.trim(), '', `${file}: ${tag} has an inline body`);
    }
    assert.equal((read(file).match(/<script\b/gi) || []).length, scripts.length, `${file}: an unclosed <script>`);
  }
});

test('no http(s) URL is loaded: only namespace names, and text in comments', (t) => {
  const inCode = [];
  const inComments = [];
  for (const file of [...JS, 'www/style.css']) {
    const src = read(file);
    const code = file.endsWith('.js') ? stripComments(src) : src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
    const all = hits(file, src, URL);
    const live = hits(file, code, URL);
    inCode.push(...live.filter((h) => !NAMESPACES.has(h.slice(h.indexOf(': ') + 2))));
    inComments.push(...all.filter((h) => !live.includes(h)));
  }
  for (const file of HTML) {
    const html = read(file).replace(/<!--[\s\S]*?-->/g, '');
    for (const [attr, name, value] of html.matchAll(/\s([a-z:-]+)="([^"]*)"/gi)) {
      const remote = /^(https?:)?\/\//i.test(value);
      if (remote && !(name === 'xmlns' && NAMESPACES.has(value))) inCode.push(`${file}: ${attr.trim()}`);
    }
    inCode.push(...hits(file, html.replace(/\sxmlns="[^"]*"/g, ''), /https?:\/\/[^\s'"<>]+/g).filter((h) => !inCode.includes(h)));
  }
  if (inComments.length) t.diagnostic(`URLs in comments only (not fetched): ${inComments.join('; ')}`);
  assert.deepEqual(inCode, [], 'URLs the page could load');
});

/** The CSP of an HTML file, as a map of directive -> tokens. */
function csp(file) {
  const meta = read(file).match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i);
  assert.ok(meta, `${file} has no CSP meta tag`);
  return new Map(meta[1].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

test('index.html and bench.html carry a strict Content-Security-Policy', () => {
  for (const file of HTML) {
    const policy = csp(file);
    const show = `${file}: ${[...policy].map(([k, v]) => `${k} ${v.join(' ')}`).join('; ')}`;
    assert.deepEqual(policy.get('default-src'), ["'self'"], show);
    const script = policy.get('script-src') ?? policy.get('default-src');
    assert.ok(script.includes("'self'"), show);
    assert.deepEqual(script.filter((s) => !["'self'", "'wasm-unsafe-eval'"].includes(s)), [], `script-src allows more: ${show}`);
    assert.deepEqual(policy.get('object-src'), ["'none'"], show);
    assert.deepEqual(policy.get('base-uri'), ["'none'"], show);
    for (const [directive, tokens] of policy) {
      for (const token of tokens) {
        const local = ["'self'", "'none'", "'wasm-unsafe-eval'", 'data:', 'blob:'].includes(token);
        assert.ok(local, `${file}: ${directive} allows '${token}' (only 'self', 'none', data: and blob: are local)`);
        assert.ok(!["'unsafe-inline'", "'unsafe-eval'"].includes(token), `${file}: ${directive} ${token}`);
      }
    }
  }
});

/** Opens index.html with `hash`, recording every request of the page and its workers, CSP
 *  violations, dialogs and page errors from before the first byte. */
async function recordedRun(hash, steps) {
  const context = await env.browser.newContext();
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await page.goto(`${env.baseUrl}/index.html${hash}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.evonas?.ready, null, { timeout: 60_000 });
    await page.evaluate(() => window.evonas.ready);
    const summary = await page.evaluate((n) => window.evonas.step(n), steps);
    const violations = await page.evaluate(() => window.__csp);
    const banner = await text(page, 'error');
    const bannerElements = await page.locator(byTestId('error')).evaluate((el) => el.childElementCount);
    const scripts = await page.evaluate(() => document.scripts.length);
    return { requests, problems, summary, violations, banner, bannerElements, scripts };
  } finally {
    await context.close();
  }
}

function assertSameOrigin(requests) {
  const foreign = requests.filter((u) => !u.startsWith(`${env.baseUrl}/`) && !/^(data|blob):/.test(u));
  assert.deepEqual(foreign, [], `requests to other origins (of ${requests.length})`);
  // Workers' requests are in the record: the wasm is fetched by the page and by the run's worker.
  assert.ok(requests.filter((u) => u.endsWith('/www/pkg/evonas_bg.wasm')).length >= 2, `requests: ${requests.join(' ')}`);
  assert.ok(requests.some((u) => u.endsWith('/www/workers/run.js')), 'the run worker was started');
}

test('a run makes only same-origin requests, page and workers alike', { timeout: 90_000 }, async () => {
  const run = await recordedRun('#dataset=spiral', 3);
  assert.equal(run.summary?.generation, 3);
  assertSameOrigin(run.requests);
  assert.deepEqual(run.violations, [], 'CSP violations');
  assert.deepEqual(run.problems, []);
  assert.equal(run.banner, '');
});

test('a hash full of junk and markup stays text and fetches nothing foreign', { timeout: 90_000 }, async () => {
  const payload = '<img src=https://evil.example/x.png onerror=alert(1)><script src=//evil.example/x.js></script>';
  const junk = [
    `${encodeURIComponent(payload)}=1`, 'dataset=spiral', '%%%', 'noise=NaN', 'genome=!!', 'drawn=%00%ff',
    'http://evil.example/?a=b', 'javascript:alert(1)=1', '\u{1F600}=\u00e9', '&&&==', 'points=1e999',
  ].join('&');
  const run = await recordedRun(`#${junk}`, 2);
  assert.ok(run.banner.includes('<img src=https://evil.example/x.png'), `the markup is shown as text: '${run.banner}'`);
  assert.equal(run.bannerElements, 0, 'the banner holds text, not elements');
  assert.equal(run.scripts, 1, 'no script element was added');
  assert.equal(run.summary?.generation, 2, 'the page still runs (on the defaults)');
  assertSameOrigin(run.requests);
  assert.deepEqual(run.violations, [], 'CSP violations (something tried to load)');
  assert.deepEqual(run.problems, []);
});

test('a modules link full of junk and markup stays text, and its data comes from this origin', { timeout: 120_000 }, async () => {
  const payload = '<img src=https://evil.example/x.png onerror=alert(1)>';
  const junk = ['scene=modules', `${encodeURIComponent(payload)}=1`, 'blueprints=1e999', 'shuffled=<b>x</b>', '%%%', 'dataset=javascript:alert(1)'].join('&');
  const run = await recordedRun(`#${junk}`, 0);
  assert.ok(run.banner.includes('<img src=https://evil.example/x.png'), `the markup is shown as text: '${run.banner}'`);
  assert.equal(run.bannerElements, 0, 'the banner holds text, not elements');
  assert.equal(run.scripts, 1, 'no script element was added');
  const foreign = run.requests.filter((u) => !u.startsWith(`${env.baseUrl}/`) && !/^(data|blob):/.test(u));
  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.ok(run.requests.some((u) => u.endsWith('/www/data/mnist1d.bin')), 'MNIST-1D is fetched from this origin');
  assert.deepEqual(run.violations, [], 'CSP violations (something tried to load)');
  assert.deepEqual(run.problems, []);
});
