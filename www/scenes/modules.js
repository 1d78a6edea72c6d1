// The modules scene (scene=modules): CoDeepNEAT's module species and blueprints coevolving on
// MNIST-1D (or a 2-D set), LEAF's accuracy against size; its controls, run, views and window.evonas.
import { engineReady, labelOf, readLink, linkWith, writeHash } from '../app/state.js';
import { putSettings, showError } from '../app/controls.js';
import { connect } from '../app/rpc.js';
import { tourStops } from '../app/tour.js';
import { applyEmbed } from '../app/embed.js';
import { setStripActions, showStrip } from '../app/strip.js';
import { slideTools } from '../app/slides.js';
import { registerScene, showScene } from '../app/tabs.js';
import { openRun, saveRun } from '../app/saving.js';
import { drawAssembled, showSpecies } from '../views/assembled.js';
import { drawAccuracy, drawConfusion, drawDigits, drawFront, showResults } from '../views/modules.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const percent = (v) => (v == null ? '\u2013' : `${(v * 100).toFixed(1)}%`);
const count = (n) => Number(n).toLocaleString('en-US');

const scene = {
  on: false, link: '', config: null,
  /** The run worker's RPC and the run it holds now (messages of one before are stale). */
  rpc: null, run: 0,
  /** The latest frame; whether the run plays; whether a generation is in the workers, and held
   *  there (Stop holds it between networks); the waiters for the generation in flight. */
  frame: null, playing: false, training: false, held: false, waiters: [], failure: '',
  /** The latest progress, the network trained last, and this generation's networks so far. */
  progress: null, latest: null, pending: [],
  /** When (ms since the page's time origin) a network was first on show. */
  firstShown: null,
  drawPending: false,
};

function worker() {
  if (scene.rpc && !scene.rpc.dead) return scene.rpc;
  const w = new Worker(new URL('../workers/modules.js', import.meta.url), { type: 'module' });
  w.addEventListener('error', (event) => event.preventDefault());
  scene.rpc = connect(w, onEvent);
  return scene.rpc;
}

function onEvent(data) {
  if (data?.run !== undefined && data.run !== scene.run) return;
  if (data?.type === 'progress') {
    scene.progress = data.progress;
    if (data.latest) {
      scene.latest = data.latest;
      if (!data.latest.baseline && !data.latest.error) scene.pending.push(data.latest);
    }
  } else if (data?.type === 'generation') {
    Object.assign(scene, { training: false, held: false, frame: data.frame, progress: data.frame, pending: [] });
    settle(null);
    if (scene.playing) stepOnce().catch(() => {});
  } else if (data?.type === 'failed') {
    Object.assign(scene, { training: false, held: false, playing: false, failure: data.message });
    showError(`modules and blueprints: ${data.message}`);
    settle(new Error(data.message));
  }
  draw();
}

function settle(error) {
  const waiting = scene.waiters.splice(0);
  for (const { resolve, reject } of waiting) (error ? reject(error) : resolve(scene.frame));
}

/** Resolves (to its frame) when the generation in flight ends; starts one if none is, and lets
 *  a held one go on. */
function stepOnce() {
  const done = new Promise((resolve, reject) => scene.waiters.push({ resolve, reject }));
  if (!scene.training || scene.held) {
    scene.training = true;
    scene.held = false;
    worker().call('step').catch((error) => onEvent({ type: 'failed', run: scene.run, message: error.message }));
  }
  draw();
  return done;
}

/** Play, or stop: stopping holds the generation in flight after the networks in training;
 *  playing again goes on from there. */
function setPlaying(on) {
  scene.playing = on;
  if (on) stepOnce().catch(() => {});
  else if (scene.training && !scene.held) {
    scene.held = true;
    worker().call('pause').catch(() => {});
  }
  draw();
}

const stripActions = () => setStripActions({ toggle: () => setPlaying(!scene.playing), step: () => stepOnce().catch(() => {}), keys: 'space play \u00B7 \u2192 step' });

/** Opens the scene on `hash` (scene=modules); a refused link is named and the defaults run. */
export function openModules(hash) {
  showScene('modules');
  scene.on = true;
  window.evonas = api;
  stripActions();
  api.ready = (async () => {
    await engineReady;
    const parsed = readLink(hash);
    const usable = parsed.error ? readLink('scene=modules') : parsed;
    await use(usable, { written: !parsed.error });
    showError(parsed.error);
  })();
  return api.ready;
}

/** Goes on with the run a save file holds (`about.link` its experiment), stopped at its generation. */
function resumeModules(bytes, about) {
  showScene('modules');
  scene.on = true;
  window.evonas = api;
  stripActions();
  api.ready = engineReady.then(() => use(readLink(about.link), { saved: bytes }));
  return api.ready;
}

/** Makes a checked link the scene's: its settings shown, a new run started, playing (or, with
 *  `saved`, a save file's run gone on with, stopped). */
async function use(parsed, { written = true, saved = undefined } = {}) {
  Object.assign(scene, { link: parsed.link, config: parsed.config, frame: null, failure: '', progress: null, latest: null, pending: [], training: false, held: false, run: -1 });
  settle(new Error('a new link replaced this run'));
  if (written) writeHash(scene.link);
  showSettings();
  present();
  draw();
  const { run } = await worker().call('reset', { link: scene.link, saved });
  scene.run = run;
  scene.frame = (await worker().call('frame')).frame;
  setPlaying(!saved);
}

/** The page or the embed (embed.js); an embed of more than three views takes two rows. */
function present() {
  applyEmbed(scene.config, scene.link);
  const container = document.querySelector('.modules-views');
  const shown = container.querySelectorAll(':scope > [data-view]:not(.embed-off)').length;
  const rows = document.body.classList.contains('embed') && shown > 3 ? 2 : 1;
  container.style.setProperty('--modules-columns', String(Math.ceil(shown / rows)));
  container.style.setProperty('--modules-rows', String(rows));
}

function showSettings() {
  putSettings('data-modules-key', scene.link, scene.config);
  byTestId('modules-shuffled').checked = Boolean(scene.config.shuffled);
  const mnist = scene.config.dataset === 'mnist1d';
  const settings = document.querySelector('.modules-settings');
  settings.classList.toggle('modules-plane', !mnist);
  byTestId('modules-about').textContent = mnist
    ? `Sequences of 40 values, each a digit's template shifted, scaled, sheared and noised; 10 classes.${scene.config.shuffled ? ' Shuffled: one permutation of the 40 positions, so no locality is left for a convolution to use.' : ''}`
    : `${labelOf('dataset', scene.config.dataset, 'modules')}: 2-D points, two classes; a quick demo (a quarter of the points for validation, half for test).`;
}

function change(key, value) {
  const parsed = readLink(linkWith(scene.link, key, value));
  if (parsed.error) {
    showError(parsed.error);
    showSettings();
    return;
  }
  showError('');
  use(parsed).catch((error) => showError(`modules and blueprints: ${error.message}`));
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

/** The network on show: the best so far, unless each network as it trains is asked for (or no
 *  generation is done yet); `{drawing, caption}`, or null before any network is trained. */
function shownNetwork(frame) {
  const best = frame?.summary?.best;
  const latest = scene.latest;
  const wantLatest = byTestId('modules-shown').value === 'latest';
  if (best && frame.shown && !(wantLatest && latest?.drawing)) {
    const reused = best.modules.filter((m) => m.uses > 1).map((m) => `species ${m.species} used ${m.uses} times`);
    return {
      drawing: frame.shown,
      caption: `best network after ${frame.generation} generation${frame.generation === 1 ? '' : 's'} (found in generation ${best.generation + 1}): ` +
        `${percent(best.validation_accuracy)} validation, ${percent(best.test_accuracy)} test, ${count(best.parameters)} parameters, ` +
        `lr ${Number(best.lr.toPrecision(7))}, batch ${best.batch}, ${best.epochs} epochs${reused.length ? `; ${reused.join(', ')}` : ''}`,
    };
  }
  if (latest?.drawing) {
    return {
      drawing: latest.drawing,
      caption: `generation ${latest.generation}, network ${latest.index + 1} of ${latest.of}, just trained: ` +
        (latest.error ? `not trainable (${latest.error})` : `${percent(latest.validation_accuracy)} validation, ${percent(latest.test_accuracy)} test, ${count(latest.parameters)} parameters`),
    };
  }
  return null;
}

function drawNow() {
  const frame = scene.frame;
  showProgress();
  const shown = shownNetwork(frame);
  const svg = byTestId('modules-assembled');
  drawAssembled(svg, shown?.drawing ?? null);
  svg.dataset.tiles = String(shown?.drawing?.tiles.length ?? 0);
  svg.setAttribute('aria-label', shown ? `The network on show: ${shown.caption}` : 'No network trained yet');
  byTestId('modules-assembled-caption').textContent = shown?.caption ?? 'the first network is training\u2026';
  if (shown && scene.firstShown == null) scene.firstShown = performance.now();
  const summary = frame?.summary ?? null;
  drawAccuracy(byTestId('modules-accuracy'), frame?.history ?? [], summary);
  showResults(byTestId('modules-results'), summary);
  drawFront(byTestId('modules-front'), frame?.front ?? null, { pending: scene.pending, summary });
  showSpecies(byTestId('modules-species-list'), frame?.species ?? []);
  drawConfusion(byTestId('modules-confusion'), frame?.confusion ?? []);
  drawDigits(byTestId('modules-digits'), frame?.digits ?? []);
}

function progressText() {
  const p = scene.progress ?? scene.frame;
  if (!p) return 'starting\u2026';
  const rate = p.rate > 0 ? ` \u00B7 ${p.rate.toFixed(2)} networks/s` : '';
  const each = p.perNetwork != null ? ` \u00B7 ${p.perNetwork.toFixed(2)} s per network` : '';
  const last = p.seconds != null ? ` \u00B7 last generation ${p.seconds.toFixed(1)} s` : '';
  const flight = p.flight ? ` \u00B7 generation ${p.generation + 1}: ${p.flight.done} of ${p.flight.total} trained` : '';
  const now = scene.held && scene.training ? ' (stopped)' : !scene.training && !scene.playing ? ' \u00B7 stopped' : '';
  return `generation ${p.generation} \u00B7 ${p.trainedJobs} networks trained${rate}${each}${last}${flight}${now}`;
}

function showProgress() {
  byTestId('modules-progress').textContent = progressText();
  byTestId('modules-stop').textContent = scene.playing ? 'Stop' : 'Resume';
  byTestId('modules-step').disabled = scene.playing || (scene.training && !scene.held);
  const best = scene.frame?.summary?.best;
  const cnn = scene.frame?.summary?.baselines?.cnn;
  const versus = best ? `best ${percent(best.test_accuracy)} test${cnn ? ` vs CNN ${percent(cnn.test_accuracy)}` : ''}` : '';
  showStrip({ playing: scene.playing, items: ['modules and blueprints', `generation ${scene.frame?.generation ?? 0}`, versus] });
}

// ---- wiring ----

export function wireModules() {
  registerScene('modules', {
    enter: () => (scene.config ? reenter() : openModules('scene=modules')),
    leave: () => {
      scene.on = false;
      setPlaying(false);
    },
    link: () => scene.link,
    save: () => worker().call('save').then(({ bytes }) => bytes),
    resume: resumeModules,
  });
  for (const input of document.querySelectorAll('[data-modules-key]')) {
    const key = input.dataset.modulesKey;
    input.addEventListener('change', () => change(key, input.type === 'checkbox' ? (input.checked ? '1' : '0') : input.value));
  }
  byTestId('modules-stop').addEventListener('click', () => setPlaying(!scene.playing));
  byTestId('modules-step').addEventListener('click', () => stepOnce().catch(() => {}));
  byTestId('modules-shown').addEventListener('change', () => draw());
  window.addEventListener('resize', () => scene.on && draw());
  const resized = new ResizeObserver(() => scene.on && draw());
  for (const id of ['modules-accuracy', 'modules-front']) resized.observe(byTestId(id));
  document.addEventListener('keydown', (event) => {
    if (!scene.on || event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === ' ') setPlaying(!scene.playing);
    else if (event.key === 'ArrowRight') stepOnce().catch(() => {});
    else return;
    event.preventDefault();
  });
}

/** Back to the run left before (stopped, as leaving left it). */
function reenter() {
  showScene('modules');
  scene.on = true;
  window.evonas = api;
  stripActions();
  writeHash(scene.link);
  present();
  draw();
  api.ready = Promise.resolve();
  return api.ready;
}

/** The scene's slides and recordings: the network and the accuracy curves (and the front and
 *  the digits), a frame per generation. */
const slides = slideTools({ container: '.modules-views', views: ['assembled', 'accuracy'], extra: ['front', 'digits'], link: () => scene.link,
  status: () => ['modules and blueprints', labelOf('dataset', scene.config?.dataset, 'modules'), byTestId('modules-progress').textContent], pause: () => setPlaying(false),
  advance: () => stepOnce(), unit: 'generation', fileName: (n) => `evonas-modules-${scene.config.dataset}-${n}.webm` });

/** window.evonas in the modules scene. */
const api = {
  ready: null,
  tour: () => engineReady.then(tourStops),
  link: () => scene.link,
  /** The whole run as a save file (a Blob); `open` goes on from one (see scenes/neat.js). */
  save: () => saveRun(),
  open: (file) => openRun(file),
  /** The latest summary (as `evonas run --json` prints it, less `scene` and `elapsed_ms`). */
  summary: () => scene.frame?.summary ?? null,
  /** The latest frame: summary, history, front, species, the best drawn, confusion, digits, progress. */
  frame: () => scene.frame,
  /** The network trained last (`{generation, index, of, drawing, validation_accuracy, ...}`). */
  latest: () => scene.latest,
  /** When a network was first on show, in ms since the page's time origin (null: not yet). */
  firstShown: () => scene.firstShown,
  /** Stops playing (a generation in flight goes on), then runs generations until `n` more than
   *  had finished when called; resolves to the last summary. */
  step: async (n = 1) => {
    await api.ready;
    const target = (scene.frame?.generation ?? 0) + n;
    scene.playing = false;
    while ((scene.frame?.generation ?? 0) < target) await stepOnce();
    return api.summary();
  },
  setPlaying: (on) => setPlaying(Boolean(on)),
  record: (options) => slides.record(options),
  slide: (options) => slides.slide(options),
};
