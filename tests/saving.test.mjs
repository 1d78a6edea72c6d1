// Saving a run and opening it again, in every scene: the page's file is the CLI's (`evonas run
// --save`) byte for byte, a run opened from it goes on with the CLI's bits, the Save and Open
// buttons and a dropped file work, and a damaged file is named while the page keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { useBrowser, withPage, byTestId, text, poll, CLI, cliRun, sameF32 } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 300_000 };

/** The CLI's save file of `link` after `generations`. */
function cliSave(link, generations) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'evonas-save-')), 'run.run');
  execFileSync(CLI, ['run', '--link', link, '--generations', String(generations), '--save', file], { encoding: 'utf8' });
  return [...fs.readFileSync(file)];
}

/** The page's save file, as bytes. */
const pageSave = (page) => page.evaluate(async () => [...new Uint8Array(await (await window.evonas.save()).arrayBuffer())]);

/** Opens `bytes` as a save file in the page (window.evonas.open); resolves to what it held. */
const pageOpen = (page, bytes) => page.evaluate(async (b) => window.evonas.open(new Uint8Array(b)), bytes);

/** Every number of two summaries equal as f32, keys as the CLI prints them (less its time and scene). */
function sameSummary(page, cli, message) {
  // The page adds bands over weight seeds to the recurrent cells it reports; the CLI trains none.
  const strip = (summary) => JSON.parse(JSON.stringify(summary, (key, value) => (['elapsed_ms', 'scene', 'band'].includes(key) ? undefined : value)));
  const walk = (a, b, at) => {
    if (typeof a === 'number' && typeof b === 'number') return assert.ok(sameF32(a, b), `${message}: ${at} ${a} vs ${b}`);
    if (a && typeof a === 'object') {
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b ?? {}).sort(), `${message}: keys of ${at}`);
      for (const key of Object.keys(a)) walk(a[key], b[key], `${at}.${key}`);
      return undefined;
    }
    return assert.equal(a, b, `${message}: ${at}`);
  };
  walk(strip(page), strip(cli), 'summary');
}

// Each scene's small run: the link, generations before the save, and after the open.
const RUNS = [
  ['dataset=xor&seed=2&population=16&steps=20', 2, 2],
  ['scene=recurrent&population=6&children=3&steps=20&seed=2', 1, 1],
  ['scene=modules&dataset=xor&modules=4&blueprints=2&networks=1&epochs=1', 1, 1],
];

test('a run saved in the page is the CLI\'s file, and opened again it goes on with the CLI\'s bits, in every scene', T, async () => {
  for (const [link, before, after] of RUNS) {
    const name = link.match(/scene=(\w+)/)?.[1] ?? 'neat';
    const file = cliSave(link, before);
    await withPage(env.browser, env.baseUrl, `#${link}`, `save-${name}`, async ({ page, errors }) => {
      await page.evaluate((n) => window.evonas.step(n), before);
      assert.deepEqual(await pageSave(page), file, `${name}: the page's file is the CLI's, byte for byte`);
      assert.deepEqual(errors, []);
    });
    // A fresh page of another scene opens the file in its own scene and goes on.
    await withPage(env.browser, env.baseUrl, '#scene=cells&seeds=1', `open-${name}`, async ({ page, errors }) => {
      const about = await pageOpen(page, file);
      assert.equal(about.scene, name);
      assert.equal(about.generation, before);
      await page.evaluate(() => window.evonas.ready);
      assert.ok(await page.locator(`main[data-scene="${name}"]`).isVisible(), `the ${name} scene is on show`);
      assert.equal((await page.evaluate(() => window.evonas.summary())).generation, before, 'opened at the generation saved');
      await page.evaluate((n) => window.evonas.step(n), after);
      const straight = cliRun(link, before + after);
      sameSummary(await page.evaluate(() => window.evonas.summary()), straight.at(-1), `${name} opened and stepped`);
      assert.deepEqual(await pageSave(page), cliSave(link, before + after), `${name}: saved again, the CLI's file after ${before + after}`);
      assert.deepEqual(errors, []);
    });
  }
});

test('the cell search saves the searches made, as the CLI does', T, async () => {
  const link = 'scene=cells&seeds=2&compare=aging,random&budget=60';
  await withPage(env.browser, env.baseUrl, `#${link}`, 'save-cells', async ({ page, errors }) => {
    await page.evaluate(() => window.evonas.cells());
    assert.deepEqual(await pageSave(page), cliSave(link, 4), 'all four searches, the CLI\'s file');
    const about = await pageOpen(page, cliSave(link, 2));
    assert.deepEqual([about.scene, about.generation], ['cells', 2]);
    await page.evaluate(() => window.evonas.cells());
    assert.deepEqual(errors, []);
  });
});

test('Save downloads evonas-<scene>-g<n>.run; Open and a dropped file go on from it; a bad file is named and the run goes on', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=circle&seed=4&population=20&steps=20', 'save-buttons', async ({ page, errors }) => {
    await page.evaluate(() => window.evonas.step(3));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('save-run')).click()]);
    assert.equal(download.suggestedFilename(), 'evonas-neat-g3.run');
    const saved = fs.readFileSync(await download.path());
    await page.evaluate(() => window.evonas.step(2));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(byTestId('open-run')).click()]);
    await chooser.setFiles({ name: 'run.run', mimeType: 'application/octet-stream', buffer: saved });
    await poll(async () => (await page.evaluate(() => window.evonas.summary()?.generation)) === 3, { message: 'opened at generation 3' });

    // Damaged files: each named on the banner; the run on show stays and steps on.
    const cut = [...saved.subarray(0, saved.length - 9)];
    const flipped = [...saved];
    flipped[saved.length - 3] ^= 4;
    const version = [...saved];
    version[11] = 7;
    for (const [bytes, said] of [[[1, 2, 3], /not an evonas run file/], [cut, /cut short/], [flipped, /corrupted/], [version, /format version 7/]]) {
      const message = await page.evaluate(async (b) => window.evonas.open(new Uint8Array(b)).then(() => 'opened', (e) => e.message), bytes);
      assert.match(message, said);
      assert.match(await text(page, 'error'), said);
    }
    await page.evaluate(() => window.evonas.step(1));
    assert.equal((await page.evaluate(() => window.evonas.summary())).generation, 4, 'the run went on');

    // A file dropped on the page opens it.
    await page.evaluate((b) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(b)], 'dropped.run'));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...saved]);
    await poll(async () => (await page.evaluate(() => window.evonas.summary()?.generation)) === 3, { message: 'the dropped file opened at generation 3' });
    assert.equal(await text(page, 'error'), '', 'a good file clears the banner');
    assert.deepEqual(errors, []);
  });
});
