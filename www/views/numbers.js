// How the views write a run's numbers: fitness and losses a person can read, whatever float underflow leaves.

/** Below this a fitness (or a loss) is shown as "< 0.0001" and charted at it: a loss that
 *  bottoms out near the smallest f32 (1e-38) says no more than "fits the points exactly", and
 *  a log axis stretched down to it squeezes every useful decade into a corner. */
export const FITNESS_FLOOR = 1e-4;

/** A fitness or loss in at most four significant digits (large ones in exponent form). */
export function fitnessText(v) {
  if (!Number.isFinite(v)) return '\u2014';
  if (Math.abs(v) < FITNESS_FLOOR) return v === 0 ? '0' : '< 0.0001';
  if (Math.abs(v) >= 1e4) return v.toExponential(2);
  return String(Number(v.toPrecision(v < 0.01 ? 2 : 4)));
}

/** A chart's series with every value below the floor drawn at it (gaps stay gaps). */
export function atFloor(values) {
  return values.map(([x, y]) => [x, Number.isFinite(y) ? Math.max(y, FITNESS_FLOOR) : y]);
}
