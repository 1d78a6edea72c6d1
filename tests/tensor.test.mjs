// The tensor engine in wasm gives the native bits: the LSTM workload, trained 20 steps in the
// page, folds its parameters to the word the native test finds (crate/tests/it/tensor/mod.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, withPage } from './harness.mjs';

const env = useBrowser();
/** `LSTM_CHECKSUM` of the native test: keep the two equal. */
const LSTM_CHECKSUM = 0xa94d7f0a;

test('an LSTM trained in wasm has the parameters native training gives, bit for bit', { timeout: 60_000 }, async () => {
  await withPage(env.browser, env.baseUrl, '', 'tensor-bits', async ({ page, errors }) => {
    const word = await page.evaluate(async () => {
      const { RecurrentBench } = await import('./www/pkg/evonas.js');
      const bench = new RecurrentBench(8, 12, 16);
      bench.train(20);
      const checksum = bench.checksum();
      bench.free();
      return checksum;
    });
    assert.equal(word >>> 0, LSTM_CHECKSUM, `0x${(word >>> 0).toString(16)}`);
    assert.deepEqual(errors, []);
  });
});
