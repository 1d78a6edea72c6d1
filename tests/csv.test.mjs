// Your own data: a CSV file of points becomes the custom dataset, carried whole by the link;
// its train/test column decides the split; a bad file is named by its line and reason, and the
// experiment on show stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, openPage, byTestId, text, step } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 180_000 };

/** A file for setInputFiles, from its text. */
const csvFile = (name, body) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });

/**
 * Training points split by x (x > 0 is 'yes'), and test points on the same ground with the
 * labels flipped: a champion that learns the training points gets the test points wrong, which
 * it can only do when the file's split decides which points are which. Coordinates are in
 * hundreds, off the plane, so the page scales them in.
 */
function flippedFile() {
  const rows = ['Label,X,Y,Split'];
  for (let i = 0; i < 40; i++) {
    const x = (i % 2 ? 1 : -1) * (100 + 50 * (i % 5));
    rows.push(`${x > 0 ? 'yes' : 'no'},${x},${(i * 37) % 400 - 200},train`);
  }
  for (let i = 0; i < 10; i++) {
    const x = (i % 2 ? 1 : -1) * (150 + 30 * (i % 4));
    rows.push(`${x > 0 ? 'no' : 'yes'},${x},${(i * 53) % 300 - 150},test`);
  }
  return rows.join('\n') + '\n';
}

const waitForLink = (page, key) => page.waitForFunction((k) => new URLSearchParams(location.hash.slice(1)).has(k), key);

test('an imported CSV is the custom dataset: its split holds, the note says what was read, the link reproduces the run', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&population=30&steps=60&seed=4&backend=cpu', 'csv-import', async ({ page, errors }) => {
    await page.locator(byTestId('import-csv')).setInputFiles(csvFile('flipped.csv', flippedFile()));
    await waitForLink(page, 'drawn');
    const link = await page.evaluate(() => window.evonas.link());
    assert.match(link, /(^|&)dataset=custom(&|$)/);
    assert.doesNotMatch(link, /(^|&)genome=/);
    assert.equal(await text(page, 'import-note'), "flipped.csv: 50 points, 'yes' blue and 'no' orange, 10 marked test; scaled into the plane, keeping their proportions.");
    assert.equal(await text(page, 'error'), '');
    assert.ok(await page.locator(byTestId('draw-prompt')).isHidden(), 'no prompt to draw: the run can start');

    let summary = await step(page, 8);
    const { train_accuracy: trainAcc, test_accuracy: testAcc } = summary.best;
    assert.ok(trainAcc >= 0.9, `the training points are separable by x: train accuracy ${trainAcc}`);
    assert.ok(Math.abs(testAcc * 10 - Math.round(testAcc * 10)) < 1e-4, `10 test points: accuracy ${testAcc} is a tenth`);
    assert.ok(testAcc <= 0.2, `the flipped test points are the ones marked test: test accuracy ${testAcc}`);

    // The link alone carries the data: a fresh page of it runs the same experiment.
    const again = await openPage(env.browser, env.baseUrl, `#${link}`);
    try {
      const replay = await step(again.page, 8);
      assert.deepEqual(replay.best, summary.best, 'the same champion from the link');
      assert.deepEqual(again.errors, []);
    } finally {
      await again.context.close();
    }

    // A drawn point joins the imported ones (split by the fraction), and Clear empties them all.
    const box = await page.locator(byTestId('boundary')).boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction((before) => window.evonas.link() !== before, link);
    summary = await step(page, 1);
    assert.equal(summary.generation, 1);
    await page.click(byTestId('clear-points'));
    await page.waitForFunction(() => !new URLSearchParams(location.hash.slice(1)).has('drawn'));
    assert.equal(await text(page, 'import-note'), '');
    assert.ok(await page.locator(byTestId('draw-prompt')).isVisible());
    assert.deepEqual(errors, []);
  });
});

test('a bad CSV is named by its file, line and reason, and the experiment on show stays', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=circle&population=20&steps=20&seed=2&backend=cpu', 'csv-bad', async ({ page }) => {
    const before = await page.evaluate(() => window.evonas.link());
    const cases = [
      ['typo.csv', 'x,y,label\n1,1,0\n\n2,abc,1\n', 'typo.csv: line 4: y is \'abc\', not a number'],
      ['three.csv', '0,0,a\n1,1,b\n2,2,c\n', "three.csv: line 3: label 'c' is a third class (the others are 'a' and 'b'); labels take two values"],
      ['short.csv', '1,1,0\n2,2\n', 'short.csv: line 2: 2 fields, expected 3 (x, y, label) or 4 (with train/test)'],
      ['alltrain.csv', '1,1,0,train\n2,2,1,train\n', 'alltrain.csv: every point is marked train: mark some test, or leave the split column out'],
      ['empty.csv', '', 'empty.csv: the file is empty: no points in it'],
    ];
    for (const [name, body, message] of cases) {
      await page.locator(byTestId('import-csv')).setInputFiles(csvFile(name, body));
      await page.waitForFunction((n) => document.querySelector('[data-testid="error"]').textContent.startsWith(n), name);
      assert.equal(await text(page, 'error'), message);
      assert.equal(await page.evaluate(() => window.evonas.link()), before, `${name}: the link stays`);
    }
    assert.equal((await step(page, 1)).generation, 1, 'the experiment on show still runs');
  });
});
