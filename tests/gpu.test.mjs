// Browser tests of the WebGPU trainer, on headless Chromium's software adapter
// (--enable-unsafe-webgpu): agreement with the wasm CPU trainer, the page's backend choice,
// and the fallback when the device is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage, text, step, summary } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 180_000 };

const close = (a, b, tolerance) => Math.abs(a - b) <= tolerance * (1 + Math.max(Math.abs(a), Math.abs(b)));

/** Trains one population with both trainers in the page; resolves to both results, per genome. */
function trainBoth(page, link, size, rounds, points) {
  return page.evaluate(async ({ link, size, rounds, points }) => {
    const m = await import('./www/pkg/evonas.js');
    await m.default();
    const gpu = await m.GpuTrainer.open();
    gpu.prepare(link);
    const genomes = new m.BenchWorkload(size, rounds, points).genomesJson();
    // Packed results read back by the engine's own reader (train/packed.rs), one record per genome.
    const records = (packed) => m.unpackTrained(packed).map(({ outcome: o, weights }) => ({
      loss: o.loss, train: o.train_accuracy, test: o.test_accuracy, failed: o.failed, weights,
    }));
    const cpu = records(new m.Trainer(link).trainPacked(genomes, 0));
    const onGpu = records(await gpu.trainPacked(genomes, 0));
    const nodes = JSON.parse(genomes).map((g) => g.nodes);
    return {
      adapter: gpu.adapter,
      cpu,
      gpu: onGpu,
      largest: Math.max(...nodes.map((n) => n.length)),
      products: nodes.flat().filter((n) => n.activation === 'mult').length,
      kinds: new Set(nodes.flat().map((n) => n.activation)).size,
    };
  }, { link, size, rounds, points });
}

// Few steps: grown at random, some of these networks are chaotic (chains of squares and
// products), and Adam or RMSProp turn a rounding-level gradient into a full step of lr, so
// longer runs part ways for a few genomes; one to three steps test the arithmetic itself.
test('WebGPU training in Chromium agrees with the wasm CPU trainer (Adam and RMSProp)', T, async (t) => {
  await withPage(env.browser, env.baseUrl, '#backend=cpu', 'gpu-agreement', async ({ page }) => {
    for (const optimizer of ['adam', 'rmsprop']) {
      const link = `dataset=spiral&noise=0.3&points=300&seed=4&steps=3&lr=0.02&optimizer=${optimizer}`;
      const r = await trainBoth(page, link, 40, 50, 300);
      t.diagnostic(`${optimizer} on ${r.adapter}: ${r.largest} nodes at most, ${r.products} product nodes, ${r.kinds} kinds`);
      assert.ok(r.largest >= 30 && r.products > 0 && r.kinds >= 8, 'the population holds large, mixed, product-node networks');
      const [cpu, gpu] = [r.cpu, r.gpu];
      assert.equal(gpu.length, cpu.length);
      cpu.forEach((c, i) => {
        const g = gpu[i];
        assert.equal(g.failed, c.failed, `genome ${i} failed`);
        assert.ok(close(c.loss, g.loss, 2e-3), `genome ${i} loss: cpu ${c.loss} gpu ${g.loss}`);
        assert.ok(Math.abs(c.train - g.train) <= 0.02 && Math.abs(c.test - g.test) <= 0.02, `genome ${i} accuracy`);
        c.weights.forEach((w, k) => assert.ok(close(w, g.weights[k], 5e-3), `genome ${i} weight ${k}: cpu ${w} gpu ${g.weights[k]}`));
      });
    }
  });
});

test('backend=webgpu trains on the GPU; a lost device falls back to the CPU without losing a generation', T, async () => {
  // A small run: Chromium's software adapter (SwiftShader) trains about 5e5 connection-steps/s.
  const hash = '#backend=webgpu&dataset=xor&seed=1&points=200&population=30&steps=50';
  await withPage(env.browser, env.baseUrl, hash, 'gpu-page', async ({ page, errors }) => {
    assert.equal(await page.evaluate(() => window.evonas.backend), 'webgpu');
    const learned = await step(page, 12);
    assert.ok(learned.best.test_accuracy >= 0.9, `test accuracy after 12 GPU generations: ${learned.best.test_accuracy}`);
    const status = await text(page, 'status');
    assert.match(status, /backend webgpu \(.+\)/, 'the status line names the adapter');

    await page.evaluate(() => window.evonas.loseGpu());
    const after = await step(page, 2);
    assert.equal(after.generation, 14, 'both generations after the loss ran');
    assert.equal(await page.evaluate(() => window.evonas.backend), 'cpu');
    assert.match(await text(page, 'notice'), /WebGPU failed .*lost.*generation 13 and the rest train on the CPU/);
    assert.match(await text(page, 'status'), /backend cpu \(wasm/);
    assert.equal(await text(page, 'error'), '', 'a fallback is a notice, not an error');
    const history = await page.evaluate(() => window.evonas.summary());
    assert.equal(history.generation, 14);
    assert.deepEqual(errors, []);
  });
});

test('backend=auto passes a software adapter over and says so', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=1', 'gpu-auto', async ({ page }) => {
    assert.equal(await page.evaluate(() => window.evonas.backend), 'cpu');
    assert.match(await text(page, 'status'), /backend cpu \(wasm.*\); .*(slower than wasm|not available)/);
    assert.equal(await text(page, 'notice'), '', 'auto asked for nothing in particular: no notice');
    assert.equal((await step(page, 1)).generation, 1);
    assert.equal((await summary(page)).generation, 1);
  });
});
