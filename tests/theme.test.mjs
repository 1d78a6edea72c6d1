// theme=projector, for lecture halls and slides: larger type (the charts' canvas text too) and
// darker ink, in the page and in embeds of either scene, and nothing overflows an embed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, byTestId, linkSettings, screenshot, step } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

const looks = (page) => page.evaluate(() => ({
  projector: document.body.classList.contains('theme-projector'),
  rootFont: parseFloat(getComputedStyle(document.documentElement).fontSize),
  chartText: parseFloat(getComputedStyle(document.body).getPropertyValue('--chart-text')),
  ink: getComputedStyle(document.body).getPropertyValue('--ink').trim(),
  scroll: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
}));

test('theme=projector enlarges the type and darkens the ink; the link keeps it', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&population=12&steps=10', 'theme-light', async ({ page }) => {
    const light = await looks(page);
    assert.deepEqual([light.projector, light.rootFont, light.chartText], [false, 14, 11]);
  });
  await withPage(env.browser, env.baseUrl, '#dataset=xor&population=12&steps=10&theme=projector', 'theme-projector', async ({ page, errors }) => {
    await step(page, 2);
    const dark = await looks(page);
    assert.deepEqual([dark.projector, dark.rootFont, dark.chartText, dark.ink], [true, 17, 15, '#000']);
    assert.equal((await linkSettings(page)).theme, 'projector');
    assert.match(await page.evaluate(() => window.evonas.link()), /theme=projector/);
    await screenshot(page, 'theme-projector');
    // The embed panel offers the theme to the slide's frame; the page's own theme stays the page's.
    await page.click(byTestId('embed-code'));
    const snippet = () => page.locator(byTestId('embed-snippet')).inputValue();
    await page.waitForFunction((sel) => document.querySelector(sel).value !== '', byTestId('embed-snippet'));
    assert.doesNotMatch(await snippet(), /theme=/);
    await page.check(byTestId('embed-theme'));
    assert.match(await snippet(), /&amp;embed=1&amp;theme=projector"/);
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});

test('a projector embed of any scene fills 1280x720 without scrolling', T, async () => {
  const modules = '#scene=modules&blueprints=2&modules=4&species=2&networks=1&epochs=1&validation=100&seed=3&embed=1&theme=projector';
  for (const hash of ['#dataset=spiral&embed=1&theme=projector', '#scene=cells&seeds=3&embed=1&theme=projector', modules]) {
    await withPage(env.browser, env.baseUrl, hash, 'theme-embed', async ({ page, errors }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.evaluate(() => window.evonas.ready);
      await page.waitForTimeout(300);
      const { projector, scroll } = await looks(page);
      assert.ok(projector, hash);
      assert.ok(scroll.width <= 1280 && scroll.height <= 720, `${hash}: the embed scrolls (${JSON.stringify(scroll)})`);
      assert.equal(await page.locator(byTestId('tour')).isVisible(), false);
      await screenshot(page, `theme-embed-${hash.match(/scene=(\w+)/)?.[1] ?? 'neat'}`);
      assert.deepEqual(errors, [], `${hash}: console errors or page errors`);
    });
  }
});
