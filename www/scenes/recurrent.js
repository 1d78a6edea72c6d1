// The recurrent-cell scene (scene=recurrent): genetic programming over memory cells against LSTM, GRU, the tanh RNN and NASCell; its controls, run, views and window.evonas.
import { engineReady, keyDoc, readLink, linkWith, writeHash } from '../app/state.js';
import { putSettings, showError } from '../app/controls.js';
import { connect } from '../app/rpc.js';
import { tourStops } from '../app/tour.js';
import { applyEmbed } from '../app/embed.js';
import { setStripActions, showStrip } from '../app/strip.js';
import { slideTools } from '../app/slides.js';
import { registerScene, showScene } from '../app/tabs.js';
import { openRun, saveRun } from '../app/saving.js';
import { drawLineChart } from '../views/charts.js';
import { drawMemoryCell, MEMORY_COLORS } from '../views/memorycell.js';
import { drawSequences } from '../views/sequences.js';
import { cellLabel, showLosses, showMembers } from '../views/losses.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
/** Each cell's colour in the learning curves. */
const COLORS = { evolved: MEMORY_COLORS[0], lstm: '#0877bd', gru: '#2a9d5c', rnn: '#7a8590', nascell: '#8e6bbf' };
/** The training losses are averaged over windows of this many steps (one batch's loss is noisy). */
const SMOOTH = 10;

const scene = {
  on: false, link: '', config: null,
  /** The run worker's RPC, its latest frame, whether the run plays and the generation waiters. */
  rpc: null, frame: null, playing: false, training: false, progress: null, waiters: [], failure: '',
  drawPending: false,
};

/** The run worker, started on first use; its announcements (progress, generations) drive the scene. */
function worker() {
  if (scene.rpc && !scene.rpc.dead) return scene.rpc;
  const w = new Worker(new URL('../workers/evolution.js', import.meta.url), { type: 'module' });
  w.addEventListener('error', (event) => event.preventDefault());
  scene.rpc = connect(w, onEvent);
  return scene.rpc;
}

function onEvent(data) {
  if (data?.type === 'progress') {
    scene.progress = data;
  } else if (data?.type === 'generation') {
    scene.training = false;
    scene.frame = data.frame;
    settle(null);
    if (scene.playing) stepOnce();
  } else if (data?.type === 'failed') {
    scene.training = false;
    scene.playing = false;
    scene.failure = data.message;
    showError(`recurrent cells: ${data.message}`);
    settle(new Error(data.message));
  }
  draw();
}

/** Resolves (or rejects) whoever waits for the generation in flight. */
function settle(error) {
  const waiting = scene.waiters.splice(0);
  for (const { resolve, reject } of waiting) (error ? reject(error) : resolve(scene.frame));
}

/** Starts one generation unless one is training; resolves to the frame it ends with. */
function stepOnce() {
  const done = new Promise((resolve, reject) => scene.waiters.push({ resolve, reject }));
  if (!scene.training) {
    scene.training = true;
    worker().call('step').catch((error) => onEvent({ type: 'failed', message: error.message }));
  }
  draw();
  return done;
}

function setPlaying(on) {
  scene.playing = on;
  if (on && !scene.training) stepOnce().catch(() => {});
  draw();
}

/** Opens the scene on `hash` (scene=recurrent); a refused link is named and the defaults run. */
export function openRecurrent(hash) {
  showScene('recurrent');
  scene.on = true;
  window.evonas = api;
  setStripActions({ toggle: () => setPlaying(!scene.playing), step: () => stepOnce().catch(() => {}), keys: 'space play \u00B7 \u2192 step' });
  api.ready = (async () => {
    await engineReady;
    const parsed = readLink(hash);
    const usable = parsed.error ? readLink('scene=recurrent') : parsed;
    await use(usable, { written: !parsed.error });
    showError(parsed.error);
  })();
  return api.ready;
}

/** Goes on with the run a save file holds (`about.link` its experiment), stopped at its generation. */
function resumeRecurrent(bytes, about) {
  showScene('recurrent');
  scene.on = true;
  window.evonas = api;
  setStripActions({ toggle: () => setPlaying(!scene.playing), step: () => stepOnce().catch(() => {}), keys: 'space play \u00B7 \u2192 step' });
  api.ready = engineReady.then(() => use(readLink(about.link), { saved: bytes }));
  return api.ready;
}

/** Makes a checked link the scene's: its settings shown, a new run started, playing (or, with
 *  `saved`, a save file's run gone on with, stopped). */
async function use(parsed, { written = true, saved = undefined } = {}) {
  Object.assign(scene, { link: parsed.link, config: parsed.config, frame: null, failure: '', progress: null, training: false });
  settle(new Error('a new link replaced this run'));
  if (written) writeHash(scene.link);
  putSettings('data-recurrent-key', scene.link, scene.config);
  byTestId('recurrent-about').textContent = keyDoc('task', 'recurrent') ? aboutOf(scene.config.task) : '';
  applyEmbed(scene.config, scene.link);
  draw();
  await worker().call('reset', { link: scene.link, saved });
  scene.frame = (await worker().call('frame')).frame;
  setPlaying(!saved);
}

/** What the task asks, and what chance scores. */
function aboutOf(task) {
  return {
    adding: 'Two numbers of a sequence are marked; the cell gives their sum at the end. MSE; solved below 0.04; always guessing 1 scores about 0.167.',
    order: 'Two of the symbols, X or Y, sit far apart among distractors; the cell names their order (XX, XY, YX, YY) at the end. Chance is 25%.',
    reber: 'Embedded Reber strings: the second-to-last symbol repeats the second, a long way back. Chance is 50%.',
    text: 'The next character at every step of a public-domain text (Bierce\'s Devil\'s Dictionary, A to C), in bits per character; the letters\' frequencies alone give about 4.25.',
  }[task] ?? '';
}

function change(key, value) {
  const parsed = readLink(linkWith(scene.link, key, value));
  if (parsed.error) {
    showError(parsed.error);
    putSettings('data-recurrent-key', scene.link, scene.config);
    return;
  }
  showError('');
  use(parsed).catch((error) => showError(`recurrent cells: ${error.message}`));
}

// ---- the views ----

function draw() {
  if (scene.drawPending) return;
  scene.drawPending = true;
  requestAnimationFrame(() => {
    scene.drawPending = false;
    if (scene.on && scene.config) drawNow();
  });
}

function drawNow() {
  const frame = scene.frame;
  showProgress(frame);
  const shown = frame?.shown;
  drawMemoryCell(byTestId('recurrent-tree'), shown?.drawing ?? null);
  byTestId('recurrent-tree').setAttribute('aria-label', shown ? `The cell on show: ${shown.drawing.text}` : 'No cell trained yet');
  byTestId('recurrent-tree-caption').textContent = shown ? `${captionOf(shown, frame)} \u00B7 ${shown.drawing.text}` : 'the first generation is training\u2026';
  drawLearning(frame);
  showLosses(byTestId('recurrent-losses'), frame?.summary, { solvedBelow: scene.config.task === 'adding' ? 0.04 : null, bits: scene.config.task === 'text' });
  drawSequences(byTestId('recurrent-sequences'), frame?.examples ?? []);
  showMembers(byTestId('recurrent-members'), frame?.members ?? [], { shown: frame?.member ?? null, onPick: pick });
}

function captionOf(shown, frame) {
  const cells = `${shown.drawing.memory_cells} memory cell${shown.drawing.memory_cells === 1 ? '' : 's'}`;
  if (shown.name === 'member') return `population member (picked), ${cells}`;
  if (shown.name === 'evolved') return `best evolved cell after ${frame.generation} generation${frame.generation === 1 ? '' : 's'}, ${cells}`;
  return `${cellLabel(shown.name)} (named in the link), ${cells}`;
}

function drawLearning(frame) {
  const series = (frame?.curves ?? []).map(({ name, curve }) => ({
    name: cellLabel(name), color: COLORS[name] ?? '#999',
    values: smooth(curve).map((v, k) => [(k + 1) * SMOOTH, v]),
  }));
  const loss = scene.config.task === 'adding' ? 'MSE' : 'cross-entropy';
  drawLineChart(byTestId('recurrent-learning'), series, {
    log: true, labels: { title: `training ${loss}`, formatX: (v) => String(Math.round(v)), formatY: (v) => (v < 0.01 ? v.toExponential(0) : String(Number(v.toPrecision(2)))) },
  });
}

/** A curve's means over windows of SMOOTH steps. */
function smooth(curve) {
  const out = [];
  for (let k = 0; k + SMOOTH <= curve.length; k += SMOOTH) out.push(curve.slice(k, k + SMOOTH).reduce((a, b) => a + b, 0) / SMOOTH);
  return out;
}

function progressText(frame) {
  if (!frame) return 'starting\u2026';
  const trained = scene.progress?.trained ?? frame.trained;
  const rate = frame.rate > 0 ? ` \u00B7 ${frame.rate.toFixed(1)} cells/s` : '';
  const last = frame.seconds != null ? ` \u00B7 last generation ${frame.seconds.toFixed(1)} s` : '';
  const now = scene.training ? ` \u00B7 training generation ${frame.generation + 1}\u2026` : scene.playing ? '' : ' \u00B7 stopped';
  return `generation ${frame.generation} \u00B7 ${trained} cells trained${rate}${last}${now}`;
}

function showProgress(frame) {
  const text = progressText(frame);
  byTestId('recurrent-progress').textContent = text;
  byTestId('recurrent-stop').textContent = scene.playing ? 'Stop' : 'Resume';
  byTestId('recurrent-step').disabled = scene.playing || scene.training;
  const best = frame?.summary?.best;
  const lstm = frame?.summary?.baselines?.lstm;
  const versus = best && lstm ? `evolved ${best.test_loss.toFixed(4)} vs LSTM ${lstm.test_loss.toFixed(4)}` : '';
  showStrip({ playing: scene.playing, items: ['recurrent cells', `generation ${frame?.generation ?? 0}`, versus] });
}

/** Shows queue member `k` (null: the best, or the link's named cell). */
function pick(k) {
  worker().call('show', { member: k }).then(({ frame }) => {
    scene.frame = frame;
    draw();
  }, (error) => showError(`recurrent cells: ${error.message}`));
}

// ---- wiring ----

export function wireRecurrent() {
  registerScene('recurrent', {
    enter: () => (scene.config ? reenter() : openRecurrent('scene=recurrent')),
    leave: () => {
      scene.on = false;
      setPlaying(false);
    },
    link: () => scene.link,
    save: () => worker().call('save').then(({ bytes }) => bytes),
    resume: resumeRecurrent,
  });
  // The cell on show: the best evolved one unless a named cell is chosen (the schema lists those).
  byTestId('recurrent-cell').prepend(Object.assign(document.createElement('option'), { value: '', textContent: 'the best evolved cell' }));
  for (const input of document.querySelectorAll('[data-recurrent-key]')) {
    input.addEventListener('change', () => change(input.dataset.recurrentKey, input.value));
  }
  byTestId('recurrent-stop').addEventListener('click', () => setPlaying(!scene.playing));
  byTestId('recurrent-step').addEventListener('click', () => stepOnce().catch(() => {}));
  window.addEventListener('resize', () => scene.on && draw());
  new ResizeObserver(() => scene.on && draw()).observe(byTestId('recurrent-learning'));
  document.addEventListener('keydown', (event) => {
    if (!scene.on || event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === ' ') setPlaying(!scene.playing);
    else if (event.key === 'ArrowRight') stepOnce().catch(() => {});
    else return;
    event.preventDefault();
  });
}

/** Back to the run left before (paused, as leaving left it). */
function reenter() {
  showScene('recurrent');
  scene.on = true;
  window.evonas = api;
  setStripActions({ toggle: () => setPlaying(!scene.playing), step: () => stepOnce().catch(() => {}), keys: 'space play \u00B7 \u2192 step' });
  writeHash(scene.link);
  applyEmbed(scene.config, scene.link);
  draw();
  api.ready = Promise.resolve();
  return api.ready;
}

/** The scene's slides and recordings: the cell and its learning curves (and the sequences), a frame per generation. */
const slides = slideTools({ container: '.recurrent-views', views: ['tree', 'learning'], extra: ['sequences'], link: () => scene.link,
  status: () => ['recurrent cells', scene.config?.task, byTestId('recurrent-progress').textContent], pause: () => setPlaying(false),
  advance: () => stepOnce(), unit: 'generation', fileName: (n) => `evonas-recurrent-${scene.config.task}-${n}.webm` });

/** window.evonas in the recurrent scene. */
const api = {
  ready: null,
  tour: () => engineReady.then(tourStops),
  link: () => scene.link,
  /** The latest summary (as `evonas run --json` prints it, less `elapsed_ms`), or null. */
  summary: () => scene.frame?.summary ?? null,
  /** The latest frame: summary, the cell on show, curves, population, sequences, progress. */
  frame: () => scene.frame,
  /** Stops playing, then runs generations until `n` more than had finished when called (the
   *  one in flight, if any, is the first); resolves to the last summary. */
  step: async (n = 1) => {
    await api.ready;
    const target = (scene.frame?.generation ?? 0) + n;
    setPlaying(false);
    if (scene.training) await new Promise((resolve, reject) => scene.waiters.push({ resolve, reject }));
    while ((scene.frame?.generation ?? 0) < target) await stepOnce();
    return api.summary();
  },
  setPlaying: (on) => setPlaying(Boolean(on)),
  /** The whole run as a save file (a Blob); `open` goes on from one (see scenes/neat.js). */
  save: () => saveRun(),
  open: (file) => openRun(file),
  /** Shows queue member `k` (null: the best, or the link's named cell). */
  show: (k) => worker().call('show', { member: k }).then(({ frame }) => {
    scene.frame = frame;
    drawNow();
    return frame;
  }),
  record: (options) => slides.record(options),
  slide: (options) => slides.slide(options),
};
