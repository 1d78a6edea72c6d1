// Browser tests of links as the save format: the page reproduces the native CLI bit for bit,
// champion links open showing that network, every setting is restored, exports and imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { useBrowser, withPage, openPage, text, step, link, hashParams, setInput, byTestId, ARTIFACTS } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 150_000 };
const CLI = path.resolve(process.env.EVONAS_CLI ?? 'target/release/evonas');

/** The CLI's champion link after `generations` generations of `link` on the CPU. */
function cliChampion(linkText, generations) {
  const out = execFileSync(CLI, ['run', '--link', linkText, '--generations', String(generations), '--backend', 'cpu', '--champion', '--json']);
  return JSON.parse(out.toString().trim().split('\n').pop()).champion_link;
}

/** Clicks a download button; resolves to the downloaded file's bytes and name. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId(testid)).click()]);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const to = path.join(ARTIFACTS, file.suggestedFilename());
  await file.saveAs(to);
  return { bytes: fs.readFileSync(to), name: file.suggestedFilename(), path: to };
}

for (const [name, query, linkText] of [
  ['a pool of trainer workers', '', 'dataset=xor&seed=3&population=30&steps=40&backend=cpu'],
  ['one worker', '?workers=0', 'dataset=spiral&noise=0.2&seed=7&population=24&steps=30&activations=tanh,sine,gaussian,mult&backend=cpu'],
]) {
  test(`N generations in the page (${name}) give the champion evonas run gives, bit for bit`, T, async () => {
    const generations = 8;
    const expected = cliChampion(linkText, generations);
    const context = await env.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${env.baseUrl}/index.html${query}#${linkText}`);
      await page.evaluate(() => window.evonas.ready);
      const summary = await step(page, generations);
      assert.equal(summary.generation, generations);
      const champion = await page.evaluate(() => window.evonas.championLink());
      assert.ok(champion.includes('&genome='), champion);
      assert.equal(champion, expected, 'the page and the CLI disagree on the champion');
    } finally {
      await context.close();
    }
  });
}

test('a champion link opens showing exactly that network, untrained; Share writes it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=circle&seed=2&population=30&steps=40&backend=cpu', 'share', async ({ page }) => {
    const summary = await step(page, 5);
    await page.locator(byTestId('share')).click();
    const params = await hashParams(page);
    assert.ok(params.get('genome'), 'Share put the champion in the address bar');
    const shown = JSON.parse((await download(page, 'export-json')).bytes.toString());
    const champion = await page.evaluate(() => location.hash);

    const opened = await openPage(env.browser, env.baseUrl, champion);
    try {
      assert.equal(await text(opened.page, 'generation'), '0');
      const again = JSON.parse((await download(opened.page, 'export-json')).bytes.toString());
      assert.deepEqual(again, shown, 'the link shows the very network that was shared');
      assert.equal(await text(opened.page, 'test-accuracy'), `${(summary.best.test_accuracy * 100).toFixed(1)}%`);
      assert.match(await text(opened.page, 'status'), /the champion this link carries/);
      assert.equal(await text(opened.page, 'error'), '');
      const next = await step(opened.page, 1);
      assert.equal(next.generation, 1, 'playing the link evolves anew from its settings');
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.context.close();
    }
  });
});

test('opening a link restores every control; changes rewrite the hash without history entries', T, async () => {
  const linkText = 'dataset=spiral&noise=0.35&points=300&train=0.6&seed=42&population=40&steps=30&lr=0.02&penalty=0.1' +
    '&valid=0.3&cost=scaled&activations=tanh,abs,sine&backend=cpu';
  await withPage(env.browser, env.baseUrl, `#${linkText}`, 'restore', async ({ page }) => {
    const value = (id) => page.locator(byTestId(id)).inputValue();
    for (const [id, want] of [['noise', '0.35'], ['points', '300'], ['train', '0.6'], ['seed', '42'], ['population', '40'],
      ['steps', '30'], ['lr', '0.02'], ['penalty', '0.1'], ['valid', '0.3'], ['cost', 'scaled'], ['backend', 'cpu']]) {
      assert.equal(await value(id), want, `control ${id}`);
    }
    const boxes = await page.$$eval('.activations input:checked', (inputs) => inputs.map((b) => b.value));
    assert.deepEqual(boxes.sort(), ['abs', 'sine', 'tanh']);
    assert.equal(await page.getAttribute(`${byTestId('dataset')} [data-value="spiral"]`, 'aria-checked'), 'true');
    const canonical = await link(page);
    for (const pair of linkText.split('&')) assert.ok(canonical.split('&').includes(pair), `${pair} kept in ${canonical}`);

    const before = await page.evaluate(() => history.length);
    await setInput(page, 'seed', 43);
    await setInput(page, 'steps', 20);
    await setInput(page, 'population', 30);
    const params = await hashParams(page);
    assert.deepEqual([params.get('seed'), params.get('steps'), params.get('population')], ['43', '20', '30']);
    assert.equal(await page.evaluate(() => history.length), before, 'replaceState, not pushState');
  });
});

test('exports: genome JSON imports back, the JS function runs in node, Python and PNG are well formed', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=3&population=30&steps=50&backend=cpu', 'exports', async ({ page }) => {
    const trained = await step(page, 6);
    assert.ok(trained.best.test_accuracy > 0.9, `xor champion test accuracy ${trained.best.test_accuracy}`);
    const json = await download(page, 'export-json');
    const genome = JSON.parse(json.bytes.toString());
    assert.ok(genome.nodes.length >= 4 && genome.conns.length >= 1);

    const js = await download(page, 'export-js');
    const champion = createRequire(import.meta.url)(js.path);
    const values = [];
    for (let i = 0; i < 1000; i++) values.push(champion(-6 + (12 * (i % 40)) / 39, -6 + (12 * Math.floor(i / 40)) / 24));
    assert.ok(values.every((p) => p >= 0 && p <= 1), 'probabilities');
    assert.ok(new Set(values.map((p) => p > 0.5)).size === 2, 'an xor champion separates the plane into both classes');

    const py = (await download(page, 'export-python')).bytes.toString();
    assert.match(py, /import numpy as np/);
    assert.match(py, /def evonas_champion\(x, y\):/);

    const png = (await download(page, 'export-png')).bytes;
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');

    // The genome file read back: the page shows it as a champion link would.
    await page.locator(byTestId('import-genome')).setInputFiles(json.path);
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).has('genome'));
    await page.waitForFunction(() => document.querySelector('[data-testid="generation"]').textContent === '0');
    const shown = JSON.parse((await download(page, 'export-json')).bytes.toString());
    assert.deepEqual(shown, genome);

    // A broken genome file is named, and the page keeps its experiment.
    const cyclic = { ...genome, conns: [...genome.conns, { innovation: 999999, from: 3, to: 0, weight: 1, enabled: true }] };
    const bad = path.join(ARTIFACTS, 'cyclic-genome.json');
    fs.writeFileSync(bad, JSON.stringify(cyclic));
    await page.locator(byTestId('import-genome')).setInputFiles(bad);
    await page.waitForFunction(() => document.querySelector('[data-testid="error"]').textContent !== '');
    assert.match(await text(page, 'error'), /cyclic-genome\.json: invalid genome: connection 999999 runs 3 -> 0 against the flow/);
    assert.equal((await step(page, 1)).generation, 1);
  });
});

test('the scene is the one the link names as wasm reads it: %63ells is cells, a plain link NEAT', T, async () => {
  const scene = (page) => page.evaluate(() => ({
    pressed: [...document.querySelectorAll('[data-testid^="scene-"]')].filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.testid.slice(6)),
    shown: [...document.querySelectorAll('main[data-scene]')].filter((m) => !m.hidden).map((m) => m.dataset.scene),
    link: window.evonas.link(),
  }));
  const tiny = 'blueprints=2&modules=4&species=2&networks=1&epochs=1&validation=100';
  for (const [hash, name, error] of [
    ['#scene=%63ells&seeds=2&budget=50', 'cells', ''],
    ['#%73cene=cells&seeds=2&budget=50', 'cells', ''],
    // Refused, yet still a cells link: the cell search opens and names the problem.
    ['#scene=%63ells&dataset=spiral', 'cells', 'dataset'],
    ['#dataset=xor&seed=3', 'neat', ''],
    ['#dataset=xor&scene=%6Eeat', 'neat', ''],
    [`#scene=%6Dodules&${tiny}`, 'modules', ''],
    // A modules link refused for its dataset (a NEAT one) opens the modules and says why.
    [`#scene=modules&${tiny}&dataset=custom`, 'modules', 'dataset'],
  ]) {
    const opened = await openPage(env.browser, env.baseUrl, hash);
    try {
      const shown = await scene(opened.page);
      assert.deepEqual(shown.pressed, [name], `${hash}: the scene's tab`);
      assert.deepEqual(shown.shown, [name], `${hash}: the scene's page alone`);
      assert.equal(shown.link.split('&').includes(`scene=${name}`), name !== 'neat', `${hash}: link ${shown.link}`);
      if (error) assert.match(await text(opened.page, 'error'), new RegExp(error));
      else assert.equal(await text(opened.page, 'error'), '', hash);
      if (name === 'modules') await opened.page.evaluate(() => window.evonas.setPlaying(false));
      if (name === 'neat') assert.equal((await step(opened.page, 1)).generation, 1, `${hash}: a NEAT run steps`);
      assert.deepEqual(opened.errors, [], hash);
    } finally {
      await opened.context.close();
    }
  }
});
