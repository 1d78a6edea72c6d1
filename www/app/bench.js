// The in-browser trainer benchmark: the native `evonas bench` workloads, timed in this tab,
// on the wasm CPU trainer (one thread) and, where the browser offers WebGPU, on the GPU.
import init, { BenchWorkload, CnnBench, GpuTrainer, RecurrentBench } from '../pkg/evonas.js';
import { adapterName, requestAdapter } from './adapter.js';

const REPETITIONS = 5;
const STEPS = 100;
/** LSTM training steps a timed call takes. */
const LSTM_STEPS = 200;
/** Population and points, as `evonas bench --backend gpu` measures them. */
const GPU_SIZES = [[100, 400], [100, 2000], [1000, 400], [1000, 2000]];

const show = (text) => {
  document.querySelector('[data-testid="bench-result"]').textContent = text;
};

/** Median rate of `train()` over REPETITIONS timed calls (after `warm` untimed ones). */
async function median(train, warm) {
  for (let i = 0; i < warm; i++) await train();
  const rates = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const start = performance.now();
    const work = await train();
    rates.push(work / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(REPETITIONS / 2)], rates };
}

/** CPU against GPU on the same populations; a software adapter gets one step (it is slow). */
async function gpuRows(gpu, steps) {
  const rows = [];
  for (const [population, points] of GPU_SIZES) {
    show(`GPU: P=${population}, ${points} points…`);
    const workload = new BenchWorkload(population, 30, points);
    const start = performance.now();
    const cpuWork = workload.train(steps);
    const cpu = cpuWork / ((performance.now() - start) / 1000);
    await workload.trainGpu(gpu, 1); // compiles and warms the pipelines
    const timed = performance.now();
    const gpuWork = await workload.trainGpu(gpu, steps);
    const onGpu = gpuWork / ((performance.now() - timed) / 1000);
    rows.push({ population, points, steps, cpu_conn_sample_steps_per_s_1thread: cpu, gpu_conn_sample_steps_per_s: onGpu });
    workload.free();
  }
  return rows;
}

async function measure() {
  await init();
  const query = new URLSearchParams(location.search);
  const workload = new BenchWorkload(100);
  // Untimed rounds first: the engine compiles wasm in tiers, the optimised tier a little later.
  const cpu = await median(() => workload.train(STEPS), 3);
  // The recurrent engine: cell=lstm, hidden 16, 32 sequences of 50 (as evonas bench times it).
  const lstm = new RecurrentBench(16, 50, 32);
  const steps = await median(() => lstm.train(LSTM_STEPS), 2);
  lstm.free();
  // The MNIST-1D paper's CNN (as evonas bench times it): seconds per epoch, the median after an untimed one.
  const cnn = new CnnBench();
  const epochs = await median(() => {
    cnn.epoch();
    return 1;
  }, 1);
  cnn.free();
  const result = {
    conn_sample_steps_per_s_1thread: cpu.median, rates: cpu.rates, lstm_h16_t50_b32_steps_per_s_1thread: steps.median,
    mnist1d_cnn_epoch_s_1thread: 1 / epochs.median, mnist1d_cnn_epochs_s: epochs.rates.map((rate) => 1 / rate),
  };
  if (query.get('gpu') === '0') return result;
  try {
    const gpu = await GpuTrainer.open();
    const steps = Number(query.get('steps')) || (gpu.software ? 1 : 20);
    const adapter = adapterName((await requestAdapter())?.info, gpu.adapter);
    result.gpu = { adapter, software: gpu.software, sizes: await gpuRows(gpu, steps) };
  } catch (error) {
    result.gpu = { unavailable: String(error?.message ?? error) };
  }
  return result;
}

function describe(result) {
  const lines = [`CPU (wasm, one thread, median of ${REPETITIONS}): ${result.conn_sample_steps_per_s_1thread.toExponential(3)} connection-sample-steps/s`,
    `LSTM (hidden 16, length 50, batch 32; wasm, one thread): ${result.lstm_h16_t50_b32_steps_per_s_1thread.toFixed(0)} training steps/s`,
    `MNIST-1D CNN (the paper's, 4,000 samples in batches of 100, Adam; wasm, one thread): ${result.mnist1d_cnn_epoch_s_1thread.toFixed(3)} s per epoch`];
  if (result.gpu?.unavailable) lines.push(`GPU: not measured (${result.gpu.unavailable})`);
  for (const row of result.gpu?.sizes ?? []) {
    const ratio = row.gpu_conn_sample_steps_per_s / row.cpu_conn_sample_steps_per_s_1thread;
    lines.push(`P=${row.population}, ${row.points} points, ${row.steps} steps: CPU ${row.cpu_conn_sample_steps_per_s_1thread.toExponential(2)}/s, ` +
      `GPU ${row.gpu_conn_sample_steps_per_s.toExponential(2)}/s (${ratio.toFixed(2)}x) on ${result.gpu.adapter}`);
  }
  return lines.join('\n');
}

window.benchResult = measure().then(
  (result) => {
    show(describe(result));
    return result;
  },
  (error) => {
    show(`failed: ${error.message}`);
    throw error;
  },
);
