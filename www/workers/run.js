// The experiment's owner: runs generations off the main thread, trains each on the GPU
// (WebGPU) or spreads it over a pool of trainer workers, and posts each generation's frame
// (summary, grids, genome, gallery, backend, and the history entries new since the last frame).
import init, { Experiment, GpuTrainer } from '../pkg/evonas.js';
import { adapterName, requestAdapter } from '../app/adapter.js';
import { connect, serve } from '../app/rpc.js';

// The boundary's samples per side: drawn with bilinear smoothing over a plot of 400-700 px, 128
// reads as a smooth boundary (64 showed steps on curved ones) for 16k evaluations of the network.
const BOUNDARY_N = 128;
const GALLERY_N = 24;
const NODE_GRID_N = 48;

let experiment = null;
let selected = null;
/** The trainer workers, each as `connect` gives it. */
let pool = [];
/** Where generations train: `kind` 'webgpu' or 'cpu'; `adapter` in words; `note`, why the
 *  automatic choice passed WebGPU over; `notice`, why WebGPU was asked for and is not used. */
let backend = { kind: 'cpu', adapter: '', note: '', notice: '' };
/** The WebGPU trainer, opened once and kept across resets (until it fails). */
let gpu = null;

function startPool(size) {
  pool = Array.from({ length: size }, () => connect(new Worker(new URL('./trainer.js', import.meta.url), { type: 'module' })));
}

/** Trains genomes (JSON) of generation `generation` in the pool, slices in order; resolves to
 *  their packed results. */
async function trainOnPool(genomesJson, generation) {
  const genomes = JSON.parse(genomesJson);
  const size = Math.ceil(genomes.length / pool.length);
  const slices = pool.map((worker, k) => genomes.slice(k * size, (k + 1) * size));
  const replies = await Promise.all(
    slices.map((slice, k) => (slice.length ? pool[k].call('train', { genomes: JSON.stringify(slice), generation }) : null)),
  );
  const parts = replies.filter(Boolean).map((r) => r.packed);
  const packed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    packed.set(part, at);
    at += part.length;
  }
  return packed;
}

/** One generation: breed here, train on the GPU, in the pool or here, score here. A GPU
 *  failure retrains the same genomes on the CPU, so no generation is lost. */
async function generation() {
  const genomes = experiment.beginStep();
  // The generation's number keys its input noise (the same draws in every trainer).
  const number = experiment.generation;
  if (backend.kind === 'webgpu') {
    try {
      return experiment.finishStep(await gpu.trainPacked(genomes, number));
    } catch (error) {
      gpu.free();
      gpu = null;
      const reason = String(error?.message ?? error);
      backend = { kind: 'cpu', adapter: '', note: '', notice: `WebGPU failed (${reason}): generation ${experiment.summary().generation + 1} and the rest train on the CPU` };
    }
  }
  if (pool.length === 0) return experiment.step();
  return experiment.finishStep(await trainOnPool(genomes, number));
}

/** Picks where to train: `cpu`, `webgpu` (forced, even on a software adapter) or `auto` (a
 *  hardware adapter only: a software one is slower than the wasm trainer). */
async function chooseBackend(wanted, link) {
  const cpu = (problem) => ({ kind: 'cpu', adapter: '', note: wanted === 'auto' ? problem : '', notice: wanted === 'webgpu' ? `${problem}: training on the CPU` : '' });
  if (wanted === 'cpu') return cpu('');
  const adapter = await requestAdapter();
  if (!adapter) return cpu('WebGPU is not available in this browser');
  const name = adapterName(adapter.info);
  if (wanted === 'auto' && adapter.info?.isFallbackAdapter) return cpu(`${name} is slower than wasm`);
  try {
    gpu ??= await GpuTrainer.open();
    gpu.prepare(link);
    return { kind: 'webgpu', adapter: name, note: '', notice: '' };
  } catch (error) {
    gpu?.free();
    gpu = null;
    return cpu(`WebGPU could not start on ${name} (${String(error?.message ?? error)})`);
  }
}

/** The gallery: every genome's small grid, grouped by species (best first within each). */
function gallery() {
  const items = experiment.members();
  const order = (f) => (Number.isFinite(f) ? f : Infinity);
  items.sort((a, b) => (a.species ?? 1e9) - (b.species ?? 1e9) || order(a.fitness) - order(b.fitness) || a.index - b.index);
  const all = experiment.grids(GALLERY_N);
  const cell = GALLERY_N * GALLERY_N;
  const grids = new Float32Array(items.length * cell);
  items.forEach((item, k) => grids.set(all.subarray(item.index * cell, (item.index + 1) * cell), k * cell));
  return { n: GALLERY_N, items, grids };
}

/** The view of the champion a link carries, shown untrained until the first generation. */
function sharedFrame(summary, shared) {
  const [train, test] = experiment.sharedAccuracy();
  return {
    generation: 0,
    summary,
    selected: null,
    shared: { train_accuracy: train, test_accuracy: test },
    genome: shared,
    boundary: { n: BOUNDARY_N, values: experiment.sharedGrid(undefined, BOUNDARY_N) },
    predictions: { train: experiment.sharedPredictions(false), test: experiment.sharedPredictions(true) },
    gallery: gallery(),
    backend,
    championLink: experiment.championLink(),
    ...historySince(),
  };
}

/** History entries posted so far: each frame carries only the ones since (the main thread
 *  appends them to its own copy), so what a frame carries does not grow with the run. */
let posted = 0;

/** The entries new since the last frame, from index `historyFrom` (0 after a reset: the main
 *  thread starts afresh). Spread last into a frame, once the rest of it is built. */
function historySince() {
  const from = posted;
  const history = experiment.historySince(from);
  posted = from + history.length;
  return { historyFrom: from, history };
}

/** Whether the last frame showed the link's champion (generation 0 of a link carrying one):
 *  node grids and exports then read that network. Every change of state posts a frame. */
let showingShared = false;

function frame() {
  const summary = experiment.summary();
  const shared = summary.generation === 0 ? experiment.sharedGenome() : null;
  showingShared = shared !== null;
  if (shared) return sharedFrame(summary, shared);
  if (selected === null || selected >= experiment.populationSize()) selected = summary.best.index;
  return {
    generation: summary.generation,
    summary,
    selected,
    shared: null,
    genome: experiment.genome(selected),
    boundary: { n: BOUNDARY_N, values: experiment.grid(selected, undefined, BOUNDARY_N) },
    predictions: { train: experiment.predictions(selected, false), test: experiment.predictions(selected, true) },
    gallery: gallery(),
    backend,
    championLink: experiment.championLink(),
    ...historySince(),
  };
}

/** Flat (x, y, label) triples as columns. */
function columns(flat) {
  const n = flat.length / 3;
  const out = { x: new Float32Array(n), y: new Float32Array(n), label: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    out.x[i] = flat[3 * i];
    out.y[i] = flat[3 * i + 1];
    out.label[i] = flat[3 * i + 2];
  }
  return out;
}

/** A new run of `link`, or the run a save file holds (`saved`: its bytes), from its generation. */
async function reset({ link, workers, wanted, saved }) {
  experiment?.free();
  experiment = null;
  selected = null;
  showingShared = false;
  posted = 0;
  if (pool.length !== workers) {
    pool.forEach((trainer) => trainer.worker.terminate());
    startPool(workers);
  }
  experiment = saved ? Experiment.resume(saved) : new Experiment(link);
  link = experiment.link();
  await Promise.all(pool.map((trainer) => trainer.call('init', { link })));
  backend = await chooseBackend(wanted, link);
  const data = { train: columns(experiment.points(false)), test: columns(experiment.points(true)) };
  return { data, frame: frame(), link: experiment.link() };
}

function loaded() {
  if (!experiment) throw new Error('no experiment is loaded');
  return experiment;
}

/** The requests engine.js makes, one at a time in arrival order. */
const ready = init();
serve({
  reset,
  async step({ count }) {
    loaded();
    showingShared = false; // a step leaves generation 0, even one that fails part way
    for (let i = 0; i < count; i++) await generation();
    selected = null;
    return { frame: frame() };
  },
  select({ index }) {
    loaded();
    selected = index;
    return { frame: frame() };
  },
  /** The whole run as a save file's bytes. */
  save: () => ({ bytes: loaded().save() }),
  /** A device loss on demand (tests, demos): the next generation must fall back. */
  'lose-gpu'() {
    gpu?.lose();
  },
  'node-grid'({ index, node }) {
    const run = loaded();
    const values = showingShared ? run.sharedGrid(node, NODE_GRID_N) : run.grid(index, node, NODE_GRID_N);
    return { nodeGrid: { index, node, n: NODE_GRID_N, values } };
  },
  /** The network on show: the link's champion, or the selected genome. */
  export({ format }) {
    const run = loaded();
    return { text: run.exportGenome(showingShared ? undefined : selected ?? run.summary().best.index, format) };
  },
}, ready);

ready.then(() => self.postMessage({ type: 'ready', cores: navigator.hardwareConcurrency || 1 }));
