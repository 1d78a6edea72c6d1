// Browser tests of bad links: for each class of bad hash the page names the problem in the error
// banner, loads the defaults for everything (never half of the link), still runs, and throws
// nothing. Genome values are built here byte by byte from the format in crate/src/codec.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, linkSettings, withPage, openPage, byTestId, text, step, link, setInput, waitForGenerationText } from './harness.mjs';

const env = useBrowser();
const T = { timeout: 60_000 };

/** base64url (no padding) of bytes, as `genome=` and `drawn=` carry them. */
const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
const f32 = (v) => [...new Uint8Array(new Float32Array([v]).buffer)];
/** One connection: innovation, from, to (each < 128, so one varint byte), weight 0.5, enabled. */
const conn = (innovation, from, to) => [innovation, from, to, ...f32(0.5), 1];
/** Format 1, sigmoid output, hidden node 4 (tanh), x -> 4 -> output and bias -> output. */
const SOUND = [1, 0, 1, 4, 1, 3, ...conn(0, 0, 4), ...conn(1, 4, 3), ...conn(2, 2, 3)];
/** Hidden nodes 4 and 5 feeding each other. */
const CYCLIC = [1, 0, 2, 4, 1, 5, 1, 4, ...conn(0, 0, 4), ...conn(1, 4, 5), ...conn(2, 5, 4), ...conn(3, 4, 3)];

// Each class: the hash, and what the banner must say (the key and the reason).
const CLASSES = [
  { name: 'garbage', hash: '#%%%', says: ["'%%%' is not key=value"] },
  { name: 'sentence', hash: '#the quick brown fox', says: ['is not key=value'] },
  { name: 'NaN', hash: '#dataset=spiral&noise=NaN', says: ['noise', 'not a finite number'] },
  { name: 'huge number', hash: '#dataset=xor&points=1e300', says: ['points', 'out of range', '4000'] },
  { name: 'unknown key', hash: '#dataset=xor&bogus=1', says: ["unknown key 'bogus'"] },
  { name: 'duplicate key', hash: '#seed=3&dataset=xor&seed=4', says: ['seed', 'given more than once'] },
  { name: 'truncated genome', hash: `#dataset=xor&genome=${b64(SOUND.slice(0, 12))}`, says: ['genome', 'truncated'] },
  { name: 'cyclic genome', hash: `#genome=${b64(CYCLIC)}&dataset=gauss`, says: ['genome', 'cycle'] },
  { name: 'link version', hash: '#v=3&dataset=xor', says: ['v: link version', "'3'"] },
];

/** What a plain load gives, to compare against (loaded once; a plain load shows no error). */
let plain = null;
const defaultLink = () => (plain ??= loadPlain());
async function loadPlain() {
  const { page, context, errors } = await openPage(env.browser, env.baseUrl, '');
  let found;
  try {
    found = await link(page);
    assert.equal(await text(page, 'error'), '', 'a plain page shows no error');
    assert.equal(await page.locator(byTestId('error')).isVisible(), false, 'the empty banner is hidden');
    // The sound genome is accepted, so the genome cases below fail for their own breakage.
    const sound = await page.evaluate(async (g) => (await import('./www/app/state.js')).readLink(`genome=${g}`).error, b64(SOUND));
    assert.equal(sound, '', 'the hand-built sound genome must decode');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  assert.equal(found, 'v=2', 'the default link names its version alone: every other key takes its default');
  return found;
}

for (const c of CLASSES) {
  test(`bad link (${c.name}): named, defaults loaded, the page still runs`, T, async () => {
    const defaults = await defaultLink();
    await withPage(env.browser, env.baseUrl, c.hash, `badinput-${c.name}`, async ({ page, errors }) => {
      const banner = await text(page, 'error');
      for (const want of c.says) assert.ok(banner.includes(want), `banner '${banner}' should mention '${want}'`);
      assert.ok(await page.locator(byTestId('error')).isVisible(), 'the error banner is visible');
      assert.equal(await link(page), defaults, 'the page loaded the defaults, nothing of the bad link');
      const s = await step(page, 2);
      assert.equal(s?.generation, 2, `step(2) gave ${JSON.stringify(s?.generation)}`);
      await waitForGenerationText(page, 2, 20_000);
      assert.deepEqual(errors, [], 'no page errors or uncaught exceptions');
    });
  });
}

test('a bad value typed into a setting is refused whole: named, undone, the run untouched', T, async () => {
  await withPage(env.browser, env.baseUrl, '#dataset=xor&seed=5&population=30', 'badinput-ui', async ({ page, errors }) => {
    const before = await link(page);
    await step(page, 1);
    await waitForGenerationText(page, 1, 20_000);
    for (const [key, value, says] of [['population', '99999', 'population'], ['steps', '0', 'steps'], ['lr', 'NaN', 'lr']]) {
      await setInput(page, key, value);
      const banner = await text(page, 'error');
      assert.ok(banner.includes(says), `after ${key}=${value} the banner is '${banner}'`);
      assert.equal(await link(page), before, `${key}=${value} must not change the link`);
      assert.equal(await page.evaluate(() => location.hash.slice(1)), before, 'nor the address bar');
      // The same f32 as the link's setting (the control writes it as typed, 0.05 for 0.0500000007).
      const [shown, old] = [Number(await page.locator(byTestId(key)).inputValue()), (await linkSettings(page, before))[key]];
      assert.equal(Math.fround(shown), Math.fround(old), `${key} shows its old value`);
    }
    // The run was not reset: it goes on from generation 1.
    const s = await step(page, 1);
    assert.equal(s.generation, 2);
    assert.deepEqual(errors, []);
  });
});
