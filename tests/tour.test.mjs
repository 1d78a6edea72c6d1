// The lecture tour (tour= in links): the Lecture button opens stop 1, each stop shows its claim
// and its link's settings, Next and Previous walk the stops across the scenes, Close drops the
// stop, and window.evonas.tour() lists the stops (their claims are checked natively, in
// crate/tests/it/tour.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, byTestId, text, linkSettings, poll, screenshot } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

/** Waits for the page a stop's click loads. */
async function arrived(page, number) {
  await page.waitForFunction((n) => new URLSearchParams(location.hash.slice(1)).get('tour') === String(n), number);
  await page.waitForLoadState('load');
  await page.evaluate(() => window.evonas.ready);
}

test('the Lecture button walks the tour: each stop its claim and its link, across the scenes', T, async () => {
  await withPage(env.browser, env.baseUrl, '', 'tour', async ({ page, errors }) => {
    const stops = await page.evaluate(() => window.evonas.tour());
    assert.ok(stops.length >= 8, `${stops.length} stops`);
    for (const stop of stops) assert.ok(stop.title && stop.caption.length > 80 && typeof stop.link === 'string', JSON.stringify(stop));
    assert.equal(await page.locator(byTestId('tour')).isVisible(), false, 'no tour until asked');

    await page.click(byTestId('tour-open'));
    await arrived(page, 1);
    assert.ok(await page.locator(byTestId('tour')).isVisible());
    assert.equal(await text(page, 'tour-step'), `Lecture · stop 1 of ${stops.length}`);
    assert.equal(await text(page, 'tour-title'), stops[0].title);
    assert.equal(await text(page, 'tour-caption'), stops[0].caption);
    assert.equal(await page.locator(byTestId('tour-prev')).isDisabled(), true);
    const want = await linkSettings(page, stops[0].link);
    const got = await linkSettings(page);
    assert.deepEqual({ ...got, tour: 0 }, { ...want, tour: 0 }, 'the stop runs its own link');
    assert.equal(got.tour, 1);
    await screenshot(page, 'tour-stop-1');

    await page.click(byTestId('tour-next'));
    await arrived(page, 2);
    assert.equal(await text(page, 'tour-title'), stops[1].title);
    await page.click(byTestId('tour-prev'));
    await arrived(page, 1);
    assert.equal(await text(page, 'tour-title'), stops[0].title);

    // The cell search's stop crosses into that scene, the last into its own (the scene its link names).
    const cells = stops.findIndex((stop) => stop.link === 'scene=cells') + 1;
    assert.ok(cells > 0, 'a cell search stop');
    await page.evaluate((n) => { location.hash = `tour=${n}&scene=cells`; }, cells);
    await page.reload();
    await page.evaluate(() => window.evonas.ready);
    assert.equal(await text(page, 'tour-title'), stops[cells - 1].title);
    assert.ok(await page.locator(byTestId('cells')).isVisible(), 'the cell search scene');
    const last = stops.length;
    const scene = (await linkSettings(page, stops[last - 1].link)).scene;
    await page.evaluate(([n, l]) => { location.hash = `${l}&tour=${n}`; }, [last, stops[last - 1].link]);
    await page.reload();
    await page.evaluate(() => window.evonas.ready);
    assert.equal(await text(page, 'tour-title'), stops[last - 1].title);
    assert.equal(await page.locator(byTestId('tour-next')).isDisabled(), true, 'no stop after the last');
    assert.ok(await page.locator(`main[data-scene="${scene}"]`).isVisible(), `the last stop's scene, ${scene}`);
    await page.evaluate(() => window.evonas.setPlaying?.(false));

    await page.click(byTestId('tour-close'));
    assert.equal(await page.locator(byTestId('tour')).isVisible(), false);
    await poll(async () => (await linkSettings(page)).tour === 0, { message: 'Close drops the stop from the link' });
    assert.equal((await linkSettings(page)).scene, scene, 'the scene stays');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('a stop\'s number alone opens the stop\'s experiment, in its scene, with the page keys given', T, async () => {
  for (const [number, extra] of [[3, ''], [9, '&theme=projector']]) {
    await withPage(env.browser, env.baseUrl, `#tour=${number}${extra}`, `tour-direct-${number}`, async ({ page, errors }) => {
      const stop = (await page.evaluate(() => window.evonas.tour()))[number - 1];
      assert.equal(await text(page, 'tour-title'), stop.title);
      const want = await linkSettings(page, stop.link);
      const got = await linkSettings(page);
      assert.equal(got.scene, want.scene, `stop ${number} opens its scene`);
      assert.ok(await page.locator(`main[data-scene="${want.scene}"]`).isVisible(), `the ${want.scene} page`);
      for (const key of ['dataset', 'seed', 'task']) assert.equal(got[key], want[key], `stop ${number}: ${key}`);
      assert.equal(got.tour, number);
      if (extra) assert.equal(got.theme, 'projector', 'a page key given is kept');
      await page.evaluate(() => window.evonas.setPlaying?.(false));
      assert.deepEqual(errors, [], 'console errors or page errors');
    });
  }
});

test('a slow stop opens from its recorded run at the generation its claim needs, says so, and goes on live', T, async () => {
  const stops = await withPage(env.browser, env.baseUrl, '', 'tour-stops', async ({ page }) => page.evaluate(() => window.evonas.tour()));
  const recorded = stops.map((stop, k) => ({ ...stop, number: k + 1 })).filter((stop) => stop.recorded > 0);
  assert.ok(recorded.length >= 5, 'the slow NEAT, recurrent and modules stops are recorded');
  for (const stop of recorded) {
    await withPage(env.browser, env.baseUrl, `#tour=${stop.number}`, `tour-recorded-${stop.number}`, async ({ page, errors }) => {
      const scene = (await linkSettings(page, stop.link)).scene;
      assert.ok(await page.locator(`main[data-scene="${scene}"]`).isVisible(), `stop ${stop.number} opens its scene`);
      const summary = await page.evaluate(() => window.evonas.summary());
      assert.equal(summary.generation, stop.recorded, `stop ${stop.number} opens at generation ${stop.recorded}`);
      assert.match(await text(page, 'tour-recorded'), new RegExp(`^Recorded run, generation ${stop.recorded}: evonas run makes the same`));
      assert.equal((await linkSettings(page)).tour, stop.number, 'the link still names the stop');
      // The claim is on show at once: the state its caption talks about.
      if (scene === 'neat') {
        assert.equal((await page.evaluate(() => window.evonas.history())).length, stop.recorded, 'the charts hold every generation recorded');
        assert.equal(await page.locator(byTestId('generation')).textContent(), String(stop.recorded));
      } else if (scene === 'recurrent') {
        assert.ok(summary.best.memory_cells >= 2 && summary.best.test_loss < 0.04, JSON.stringify(summary.best));
        assert.ok(summary.baselines.lstm.test_loss > 0.04);
        await poll(async () => (await page.locator('[data-testid="recurrent-tree"] g').count()) > 0, { message: 'the cell is drawn' });
        assert.equal(await text(page, 'recurrent-stop'), 'Resume', 'stopped until play');
        await page.evaluate(() => window.evonas.step(1));
        assert.equal((await page.evaluate(() => window.evonas.summary())).generation, stop.recorded + 1, 'play goes on live');
      } else {
        assert.ok(summary.best.test_accuracy > summary.baselines.cnn.test_accuracy, JSON.stringify(summary.best));
        assert.ok(summary.best.modules.some((m) => m.uses >= 2), 'a module reused');
      }
      assert.deepEqual(errors, [], 'console errors or page errors');
    });
  }
  // The same link with an experiment changed runs live from the start.
  await withPage(env.browser, env.baseUrl, `#${recorded[0].link}&seed=5&tour=${recorded[0].number}`, 'tour-recorded-changed', async ({ page }) => {
    assert.equal(await page.locator(byTestId('tour-recorded')).isVisible(), false);
    await page.evaluate(() => window.evonas.setPlaying?.(false));
  });
});

test('a stop number past the tour is named, and the page still runs', T, async () => {
  await withPage(env.browser, env.baseUrl, '#tour=41', 'tour-refused', async ({ page, errors }) => {
    assert.match(await text(page, 'error'), /tour: 41 is out of range/);
    assert.equal(await page.locator(byTestId('tour')).isVisible(), false);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});
