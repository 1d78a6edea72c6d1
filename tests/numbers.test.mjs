// How the views write fitness (www/views/numbers.js): readable at the end of a run, when the
// loss has underflowed toward the smallest f32, and charted above a floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FITNESS_FLOOR, atFloor, fitnessText } from '../www/views/numbers.js';

test('fitness reads as a person would write it, never as 1.28e-38', () => {
  const cases = [
    [0.6931471805599453, '0.6931'], [0.05123, '0.05123'], [0.0042, '0.0042'], [0.00015, '0.00015'],
    [1.28e-38, '< 0.0001'], [3e-9, '< 0.0001'], [0, '0'], [12.5, '12.5'], [123456, '1.23e+5'],
    [NaN, '\u2014'], [Infinity, '\u2014'],
  ];
  for (const [value, written] of cases) assert.equal(fitnessText(value), written, String(value));
  for (let e = -38; e <= 3; e++) {
    const text = fitnessText(1.7 * 10 ** e);
    assert.ok(!/e-/.test(text), `1.7e${e} is written ${text}`);
    assert.ok(text.length <= 8, `1.7e${e} is written ${text}`);
  }
});

test('a fitness chart draws values below the floor at it and keeps gaps', () => {
  const line = [[1, 0.7], [2, 1e-38], [3, null], [4, 0.002], [5, 0]];
  assert.deepEqual(atFloor(line), [[1, 0.7], [2, FITNESS_FLOOR], [3, null], [4, 0.002], [5, FITNESS_FLOOR]]);
});
