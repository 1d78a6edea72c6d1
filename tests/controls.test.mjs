// Browser end-to-end tests: settings reset the run and update the link; keyboard shortcuts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, linkSettings, withPage, byTestId, step, summary, link, hashParams, setInput,
  waitForGenerationText, generationText, poll, sleep,
} from './harness.mjs';

const env = useBrowser();
const T = { timeout: 120_000 };

test('changing the dataset or the noise resets the run and updates the link', T, async (t) => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1', 'settings', async ({ page }) => {
    await step(page, 3);
    await waitForGenerationText(page, 3);

    await page.locator(`${byTestId('dataset')} [data-value="circle"]`).click();
    await waitForGenerationText(page, 0, 30_000);
    await poll(async () => (await linkSettings(page)).dataset === 'circle', {
      timeout: 10_000, message: "location.hash to hold dataset=circle",
    });
    const l = await link(page);
    assert.equal((await linkSettings(page, l)).dataset, 'circle', `evonas.link() is ${JSON.stringify(l)}`);
    const s = await summary(page);
    if (s && s.generation !== 0) t.diagnostic(`summary().generation is ${s.generation} right after the reset`);

    // Noise: step a little, then move the slider; the run resets and the hash follows.
    await step(page, 2);
    await waitForGenerationText(page, 2);
    const before = Number(await page.locator(byTestId('noise')).inputValue());
    const want = Math.abs(before - 0.35) < 1e-9 ? 0.4 : 0.35;
    await setInput(page, 'noise', want);
    await waitForGenerationText(page, 0, 30_000);
    let params;
    await poll(async () => {
      params = await hashParams(page);
      return Math.abs(Number(params.get('noise')) - want) < 1e-6;
    }, { timeout: 10_000, message: `location.hash noise=${want}` }).catch((err) => {
      err.message += `; hash is ${params}`;
      throw err;
    });
    assert.equal((await linkSettings(page)).dataset, 'circle', 'the dataset survives a noise change');
    const l2 = new URLSearchParams(await link(page));
    assert.ok(Math.abs(Number(l2.get('noise')) - want) < 1e-6, `evonas.link() is ${l2}`);
  });
});

test('keyboard: ArrowRight steps, r resets, Space plays and pauses', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1', 'keyboard', async ({ page }) => {
    const focusBody = () => page.evaluate(() => {
      if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
      return document.activeElement === document.body || document.activeElement === null;
    });
    assert.ok(await focusBody(), 'focus could not be moved to the body');
    await waitForGenerationText(page, 0, 15_000);

    await page.keyboard.press('ArrowRight');
    await waitForGenerationText(page, 1);
    await page.keyboard.press('ArrowRight');
    await waitForGenerationText(page, 2);

    await page.keyboard.press('r');
    await waitForGenerationText(page, 0);

    let paused = true;
    try {
      await page.keyboard.press('Space');
      paused = false;
      await poll(async () => (await generationText(page)) > 0, {
        timeout: 60_000, interval: 500, message: 'the generation to increase after Space',
      });
      await page.keyboard.press('Space');
      paused = true;
      await sleep(500);
      const g1 = await generationText(page);
      await sleep(3_000);
      const g2 = await generationText(page);
      assert.ok(Number.isFinite(g1) && Number.isFinite(g2), `generation texts ${g1}, ${g2}`);
      assert.ok(g2 <= g1 + 1, `still running after the second Space: generation ${g1} then ${g2} 3 s later`);
      await sleep(3_000);
      const g3 = await generationText(page);
      assert.ok(g3 <= g2 + (g2 === g1 ? 0 : 1) && g3 <= g1 + 1,
        `still running after the second Space: generations ${g1}, ${g2}, ${g3} over 6 s`);
    } finally {
      if (!paused) await page.keyboard.press('Space').catch(() => {});
    }
  });
});

test('every control takes its label, bounds, help text and choices from the schema wasm exports', T, async () => {
  await withPage(env.browser, env.baseUrl, '', 'schema', async ({ page }) => {
    const found = await page.evaluate(async () => {
      const { schema } = await import('./www/pkg/evonas.js');
      const keys = schema();
      const doc = (key, scene) => keys.find((k) => k.key === key && (k.scene === scene || k.scene === 'all'));
      const controls = (attribute, scene) => [...document.querySelectorAll(`[${attribute}]`)].map((c) => {
        const d = doc(c.getAttribute(attribute), scene);
        return {
          key: `${c.getAttribute(attribute)} (${scene})`, type: c.type, min: c.min, max: c.max,
          help: c.title || c.closest('label')?.title || '', want: d ? [String(d.min), String(d.max)] : null,
          label: c.closest('label')?.textContent.trim() ?? null, name: d?.label ?? '',
          options: c.tagName === 'SELECT' ? [...c.options].map((o) => o.value) : null, names: d?.names ?? [],
        };
      });
      const values = (selector) => [...document.querySelectorAll(selector)].map((e) => e.value ?? e.dataset.value);
      return {
        controls: [...controls('data-key', 'neat'), ...controls('data-cell-key', 'cells'), ...controls('data-modules-key', 'modules')],
        lists: [
          ['activations', values('.activations input'), doc('activations', 'neat').names],
          ['compare', values('.compare-strategies input'), doc('compare', 'neat').names],
          ['cell searches', values('[data-testid="cells-strategies"] input'), doc('compare', 'cells').names],
          ['datasets', [...document.querySelectorAll('.dataset-choice')].map((b) => b.dataset.value), doc('dataset', 'neat').names],
        ],
      };
    });
    assert.ok(found.controls.length >= 20, `only ${found.controls.length} controls found`);
    for (const c of found.controls) {
      assert.ok(c.want, `${c.key}: a control for a key the schema does not list`);
      if (c.type === 'number' || c.type === 'range') assert.deepEqual([c.min, c.max], c.want, `${c.key}: min and max`);
      if (c.options) assert.deepEqual([...c.options].sort(), [...c.names].sort(), `${c.key}: the options are the schema's names`);
      assert.ok(c.help, `${c.key}: no help text`);
      if (c.label !== null) assert.ok(c.name && c.label.startsWith(c.name), `${c.key}: labelled '${c.label}', not the schema's '${c.name}'`);
    }
    // The activation boxes are built from the schema; the other choices must name what it names.
    for (const [what, got, names] of found.lists) assert.deepEqual([...got].sort(), [...names].sort(), what);
  });
});

test('every control and button has a name of its own, and the dataset tiles are radios', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=spiral&population=12&steps=10', 'names', async ({ page, errors }) => {
    await page.evaluate(() => window.evonas.step(1));
    const found = await page.evaluate(async () => {
      const { schema } = await import('./www/pkg/evonas.js');
      const keys = schema();
      const label = (key) => keys.find((k) => k.key === key && (k.scene === 'neat' || k.scene === 'all')).label;
      const visible = (e) => e.checkVisibility();
      return {
        controls: [...document.querySelectorAll('main[data-scene="neat"] [data-key]')].filter(visible).map((c) => ({
          key: c.dataset.key, role: c.type === 'range' ? 'slider' : c.tagName === 'SELECT' ? 'combobox' : 'spinbutton', name: label(c.dataset.key),
        })),
        // A button named only by its tooltip (title) is named for a mouse, not for a screen reader.
        unnamed: [...document.querySelectorAll('button')].filter(visible)
          .filter((b) => !b.textContent.trim() && !b.getAttribute('aria-label') && !b.getAttribute('aria-labelledby'))
          .map((b) => b.dataset.testid ?? b.className),
        tiles: [...document.querySelectorAll('.dataset-choice')].map((t) => [t.getAttribute('role'), t.getAttribute('aria-checked')]),
        group: document.querySelector('[data-testid="dataset"]').getAttribute('role'),
      };
    });
    assert.ok(found.controls.length >= 10, `only ${found.controls.length} controls`);
    for (const { key, role, name } of found.controls) {
      assert.equal(await page.getByRole(role, { name, exact: true }).count(), 1, `${key}: no ${role} named exactly '${name}'`);
    }
    assert.deepEqual(found.unnamed, [], 'buttons with no name but a tooltip');
    // Settings the link leaves out (their defaults) read as typed, not as f32 noise.
    for (const [key, value] of [['lr', '0.05'], ['penalty', '0.001'], ['valid', '0.25'], ['population', '12']]) {
      assert.equal(await page.locator(byTestId(key)).inputValue(), value, key);
    }
    assert.equal(found.group, 'radiogroup');
    assert.deepEqual(found.tiles.map(([role]) => role), Array(found.tiles.length).fill('radio'));
    assert.equal(found.tiles.filter(([, checked]) => checked === 'true').length, 1, 'one dataset checked');
    assert.equal(await page.getByRole('radio', { name: 'Spiral', exact: true }).getAttribute('aria-checked'), 'true');
    assert.deepEqual(errors, [], 'console errors or page errors');
  });
});
