// The in-browser trainer benchmark: the native `evonas bench` workload, timed in this tab.
import init, { BenchWorkload } from './pkg/evonas.js';

const REPETITIONS = 5;
const STEPS = 100;

async function measure() {
  await init();
  const workload = new BenchWorkload(100);
  // Untimed rounds first: the engine compiles wasm in tiers, the optimised tier a little later.
  for (let i = 0; i < 3; i++) workload.train(STEPS);
  const rates = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const start = performance.now();
    const work = workload.train(STEPS);
    rates.push(work / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { conn_sample_steps_per_s_1thread: rates[Math.floor(REPETITIONS / 2)], rates };
}

window.benchResult = measure().then(
  (result) => {
    const text = `${result.conn_sample_steps_per_s_1thread.toExponential(3)} connection-sample-steps/s (one thread, median of ${REPETITIONS})`;
    document.querySelector('[data-testid="bench-result"]').textContent = text;
    return result;
  },
  (error) => {
    document.querySelector('[data-testid="bench-result"]').textContent = `failed: ${error.message}`;
    throw error;
  },
);
