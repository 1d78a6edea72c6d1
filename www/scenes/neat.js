// The Backprop NEAT scene: its settings <-> the link, the run's worker, its views, and its
// window.evonas.
import { engineReady, helpOf, keyDoc, keysIn, namesOf, readLink, linkWith, linkWithout, valueOf, writeHash } from '../app/state.js';
import { buildCheckboxes, buildTiles, putSettings, showError } from '../app/controls.js';
import { datasetPreview, importGenome } from '../pkg/evonas.js';
import { exportNetwork, readGenomeFile } from '../app/exports.js';
import { slideTools, wireRecordPanel, wireSlideExports } from '../app/slides.js';
import { Engine, poolSize } from '../app/engine.js';
import { drawBoundary, drawThumbnail } from '../views/plot.js';
import { CustomPoints, wireCustomPoints } from '../app/points.js';
import { drawNetwork, showNodeGrid } from '../views/network.js';
import { drawCharts } from '../views/charts.js';
import { RunHistory } from '../app/history.js';
import { Sight, timed } from '../app/sight.js';
import { drawPareto } from '../views/pareto.js';
import { renderGallery } from '../views/gallery.js';
import { hyperCaption, showReadout, showStatus, stripItems } from '../views/status.js';
import { setStripActions, showStrip } from '../app/strip.js';
import { tourStops } from '../app/tour.js';
import { applyEmbed, wireEmbedCode, wireShare } from '../app/embed.js';
import { wireCells } from './cells.js';
import { currentLink, registerScene, sceneOnShow, showScene } from '../app/tabs.js';
import { compareStrategies, showComparison, wireComparison } from './compare.js';
import { openRun, saveRun } from '../app/saving.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const ui = {
  link: '',
  config: null,
  data: null,
  frame: null,
  /** The run's history, from the entries each frame brings (a reset's frame starts it afresh). */
  history: new RunHistory(),
  playing: false,
  drawPending: false,
  speed: null,
  lastFrameAt: 0,
  loadError: '',
  /** The latest restart, which every step waits for. */
  restarting: Promise.resolve(),
  /** A save file's bytes the next restart goes on from (then dropped). */
  saved: null,
};
const engine = new Engine();
/** The custom dataset's points, as the current link carries them. */
const points = new CustomPoints();

/** Puts every setting into its control (numbers as the link writes them, not as f32 noise). */
function showSettings(config) {
  putSettings('data-key', ui.link, config);
  for (const choice of document.querySelectorAll('.dataset-choice')) {
    const on = choice.dataset.value === config.dataset;
    choice.classList.toggle('selected', on);
    choice.setAttribute('aria-checked', String(on));
  }
  for (const box of document.querySelectorAll('.activations input')) {
    box.checked = config.activations.includes(box.value);
  }
  document.body.classList.toggle('custom', config.dataset === 'custom');
  for (const name of namesOf('strategy')) document.body.classList.toggle(`strategy-${name}`, config.strategy === name);
  byTestId('strategy-note').textContent = helpOf('strategy', config.strategy);
  applyEmbed(config, ui.link);
  showComparison(config, ui.link);
}

/** Changes one setting: a valid link resets the run, an invalid one is named and undone. */
function changeSetting(key, value) {
  // A comparison's settings (compare.js) are no part of the experiment: its run and champion stay.
  if (keysIn('comparison').includes(key)) return applyLink(linkWith(ui.link, key, value), { keepRun: true });
  // A new setting means a new experiment: the champion the link carried belongs to the old one.
  applyLink(linkWith(linkWithout(ui.link, 'genome'), key, value));
}

/** Makes `link` the experiment, or names its problem and keeps the current one. */
function applyLink(link, { keepRun = false } = {}) {
  const parsed = readLink(link);
  if (parsed.error) {
    showError(parsed.error);
    showSettings(ui.config);
    return false;
  }
  ui.link = parsed.link;
  ui.config = parsed.config;
  points.readFrom(parsed);
  writeHash(ui.link);
  if (keepRun) showSettings(ui.config);
  else restart();
  return true;
}

/** Starts the experiment of the current link afresh; steps wait until it has. */
function restart() {
  ui.restarting = ui.restarting.then(reload);
  return ui.restarting;
}

async function reload() {
  setPlaying(false);
  showSettings(ui.config);
  try {
    // Drawn points travel in the link (`drawn=`), like every other setting.
    const saved = ui.saved;
    ui.saved = null;
    const reply = await engine.reset(ui.link, poolSize(engine.cores), ui.config.backend, saved ?? undefined);
    ui.data = reply.data;
    ui.loadError = '';
    showError('');
    show(reply.frame);
  } catch (error) {
    ui.loadError = error.message;
    ui.data = ui.config.dataset === 'custom' ? points.asData() : null;
    // Too few drawn points is where drawing starts, not a fault: the plot asks for them, and
    // only a step (which cannot run yet) names it on the banner.
    if (drawing()) showError('');
    else showError(error.message);
    show(null);
  }
  points.showPrompt(drawing());
  if (ui.config.autoplay && !ui.loadError) setPlaying(true);
}

/** Whether the experiment waits for points to be drawn (a run needs two). */
const drawing = () => ui.config?.dataset === 'custom' && points.list.length < 2;

/** Names where training runs in the status line; a fallback the link did not ask for is a notice. */
function showBackend({ kind, adapter, note, notice }) {
  const workers = poolSize(engine.cores);
  const cpu = `cpu (wasm, ${workers ? `${workers} trainer workers` : 'one worker'})`;
  document.querySelector('[data-status="backend"]').textContent = kind === 'webgpu' ? `webgpu (${adapter})` : note ? `${cpu}; ${note}` : cpu;
  byTestId('notice').textContent = notice;
  api.backend = kind;
}

/** Runs `count` generations; `playing` steps are dropped once play stops (a reset stops it). */
async function step(count, { playing = false } = {}) {
  await ui.restarting;
  if (playing && !ui.playing) return null;
  if (ui.loadError) {
    showError(ui.loadError);
    throw new Error(ui.loadError);
  }
  try {
    const reply = await engine.step(count);
    const now = performance.now();
    if (ui.lastFrameAt && count === 1) {
      const rate = 1000 / Math.max(1, now - ui.lastFrameAt);
      ui.speed = ui.speed === null ? rate : 0.8 * ui.speed + 0.2 * rate;
    }
    ui.lastFrameAt = now;
    show(reply.frame);
    return reply.frame.summary;
  } catch (error) {
    showError(error.message);
    throw error;
  }
}

function setPlaying(on) {
  const play = byTestId('play');
  // The button holds both icons (drawn, not a font's glyphs); the class shows one.
  play.setAttribute('aria-label', on ? 'Pause' : 'Play');
  play.classList.toggle('playing', on);
  showStrip({ playing: on, items: stripItems(ui.frame) });
  if (on === ui.playing) return;
  ui.playing = on;
  ui.lastFrameAt = 0;
  if (on) playLoop();
  else if (ui.frame) show(ui.frame); // the views skipped while out of sight catch up
}

async function playLoop() {
  while (ui.playing) {
    try {
      await step(1, { playing: true });
    } catch {
      setPlaying(false);
    }
  }
}

/** Takes a frame to show (a new one's history entries join the page's copy; none clears it);
 *  drawing waits for the next animation frame (latest frame wins). */
function show(frame) {
  if (!frame) ui.history.clear();
  else if (frame !== ui.frame && !ui.history.take(frame.historyFrom, frame.history)) {
    console.error(`history: a frame from entry ${frame.historyFrom}, the page holds ${ui.history.length}`);
  }
  ui.frame = frame;
  // Where training runs is state, not drawing: it is current as soon as a step resolves.
  if (frame) showBackend(frame.backend);
  if (ui.drawPending) return;
  ui.drawPending = true;
  requestAnimationFrame(() => {
    ui.drawPending = false;
    draw();
  });
}

/** The views held back while out of sight (app/sight.js); drawn at once when they come back. */
const sight = new Sight(() => ui.frame && show(ui.frame));

function watchViews() {
  for (const element of [byTestId('gallery'), byTestId('pareto'), document.querySelector('.views > .charts')]) sight.watch(element);
}

/** Draws the plot of the frame on show into `canvas` (the page's, or a slide's at its own size). */
const drawPlot = (canvas) => drawBoundary(canvas, ui.frame?.boundary ?? null, ui.data,
  { showTrain: byTestId('show-train').checked, showTest: byTestId('show-test').checked, predictions: ui.frame?.predictions ?? null });
const slides = slideTools({ container: '.layout > .views', views: ['boundary', 'network'], extra: ['charts'], render: { boundary: drawPlot },
  status: () => [ui.config?.dataset, ...stripItems(ui.frame)], link: () => ui.link, pause: () => setPlaying(false),
  advance: () => step(1), unit: 'generation', fileName: (n) => `evonas-${ui.config.dataset}-${n}g.webm` });

/** Draws every view of the frame on show: the words first, then the views that read their
 *  size (one layout for all of them), then those that only rebuild their elements, so that no
 *  view's read forces a layout another view's writes made stale. */
function draw() {
  const frame = ui.frame;
  const hasRun = frame && frame.generation > 0;
  showStatus(frame, ui.playing ? ui.speed : null);
  showStrip({ playing: ui.playing, items: stripItems(frame) });
  showReadout(byTestId('plot-readout'), byTestId('shown-note'), frame);
  byTestId('hyper-caption').textContent = hyperCaption(frame?.genome);
  timed('boundary', () => drawPlot(byTestId('boundary')));
  const chart = (name) => document.querySelector(`[data-chart="${name}"]`);
  sight.draw('charts', document.querySelector('.views > .charts'), ui.playing,
    () => drawCharts({ fitness: chart('fitness'), accuracy: chart('accuracy'), species: chart('species') }, ui.history));
  sight.draw('pareto', byTestId('pareto'), ui.playing, () => drawPareto(byTestId('pareto'), hasRun ? frame.gallery.items : [], frame?.selected, select));
  const svg = byTestId('network').querySelector('svg');
  timed('network', () => (frame ? drawNetwork(svg, frame.genome, { onHover: (id) => hoverNode(id) }) : svg.replaceChildren()));
  sight.draw('gallery', byTestId('gallery'), ui.playing,
    () => (frame ? renderGallery(byTestId('gallery'), frame.gallery, frame.selected, select) : byTestId('gallery').replaceChildren()));
}

async function select(index) {
  try {
    show((await engine.select(index)).frame);
  } catch (error) {
    showError(error.message);
  }
}

async function hoverNode(id) {
  const svg = byTestId('network').querySelector('svg');
  if (id === null || !ui.frame) {
    showNodeGrid(svg, null);
    return;
  }
  const shown = ui.frame;
  try {
    const { nodeGrid } = await engine.nodeGrid(shown.selected, id);
    if (ui.frame === shown) showNodeGrid(svg, id, nodeGrid);
  } catch (error) {
    showError(error.message);
  }
}

/** The link with the run's champion attached: the worker's genome on the page's link (the
 *  comparison's settings change without a restart, so the worker's own link may be older). */
function championLink() {
  const genome = ui.frame?.championLink ? valueOf(ui.frame.championLink, 'genome') : undefined;
  return genome ? linkWith(linkWithout(ui.link, 'genome'), 'genome', genome) : ui.link;
}

/** What an embed's play and step buttons do here. */
const stripActions = { toggle: () => setPlaying(!ui.playing), step: () => step(1).catch(() => {}), keys: 'space play \u00B7 \u2192 step' };

function onKey(event) {
  if (sceneOnShow() !== 'neat' || event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === ' ') setPlaying(!ui.playing);
  else if (event.key === 'ArrowRight') step(1).catch(() => {});
  else if (event.key === 'r' || event.key === 'R') restart();
  else return;
  event.preventDefault();
}

function buildActivationBoxes() {
  const fieldset = byTestId('activations');
  for (const box of buildCheckboxes(fieldset, keyDoc('activations'), 'activation', 'inline')) {
    box.addEventListener('change', () => {
      const on = [...fieldset.querySelectorAll('input:checked')].map((b) => b.value);
      changeSetting('activations', on.join(','));
    });
  }
}

/** Export buttons (the network on show, the plot) and the genome file import. */
function wireExports() {
  const source = async (format) => (await engine.exportGenome(format)).text;
  for (const format of ['json', 'js', 'python']) {
    byTestId(`export-${format}`).addEventListener('click', () => exportNetwork(format, source).catch((e) => showError(e.message)));
  }
  wireSlideExports(slides, { network: () => byTestId('network').querySelector('svg'), drawPlot, stem: () => `evonas-${ui.config.dataset}` });
  byTestId('import-genome').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    try {
      // The file becomes the link's champion: checked by wasm, then shown like a shared link.
      applyLink(linkWith(ui.link, 'genome', importGenome(await readGenomeFile(file))));
    } catch (error) {
      showError(`${file.name}: ${error.message}`);
    }
  });
}

function wireControls() {
  for (const choice of document.querySelectorAll('.dataset-choice')) {
    choice.addEventListener('click', () => changeSetting('dataset', choice.dataset.value));
  }
  for (const input of document.querySelectorAll('[data-key]')) {
    const out = document.querySelector(`output[data-for="${input.dataset.key}"]`);
    input.addEventListener('input', () => out && (out.textContent = input.value));
    input.addEventListener('change', () => changeSetting(input.dataset.key, input.value));
  }
  byTestId('play').addEventListener('click', () => setPlaying(!ui.playing));
  byTestId('step').addEventListener('click', () => step(1).catch(() => {}));
  byTestId('reset').addEventListener('click', () => restart());
  // Share gives the link with the run's champion (opening it shows that network at once).
  wireShare(() => (sceneOnShow() === 'neat' ? championLink() : currentLink()));
  wireExports();
  wireRecordPanel();
  wireEmbedCode(currentLink);
  registerScene('neat', {
    leave: () => setPlaying(false),
    enter: enterNeat,
    link: () => ui.link,
    save: () => ui.restarting.then(() => engine.save()),
    resume: resumeNeat,
  });
  wireCells();
  wireComparison(changeSetting);
  byTestId('dice').addEventListener('click', () => changeSetting('seed', crypto.getRandomValues(new Uint32Array(1))[0]));
  byTestId('back-to-champion').addEventListener('click', () => select(null));
  wireCustomPoints(points, { link: () => ui.link, apply: applyLink, active: () => ui.config?.dataset === 'custom' });
  byTestId('show-train').addEventListener('change', draw);
  byTestId('show-test').addEventListener('change', draw);
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', () => show(ui.frame));
}

/** Points on a dataset tile's preview. */
const PREVIEW_POINTS = 120;

/** Once wasm and the schema have loaded: builds the controls the schema lists (the dataset
 *  tiles with their previews on the core's plane, the activation choices, the strategies to
 *  compare) and wires every control of the page, once. */
export function buildNeatControls() {
  // The dataset tiles, each previewing its shape's own points.
  for (const tile of buildTiles(byTestId('dataset'), keyDoc('dataset'), 'dataset-choice')) {
    drawThumbnail(tile.querySelector('canvas'), datasetPreview(tile.dataset.value, PREVIEW_POINTS));
  }
  buildActivationBoxes();
  wireControls();
  watchViews();
}

/** Opens the experiment of `hash` (a refused link is named, and the defaults run). */
export async function openNeat(hash) {
  setStripActions(stripActions);
  await engine.ready;
  const parsed = readLink(hash);
  ui.link = parsed.link;
  ui.config = parsed.config;
  points.readFrom(parsed);
  await restart();
  if (parsed.error) {
    showError(parsed.error);
  } else {
    writeHash(ui.link);
  }
}

/** Goes on with the run a save file holds (`about.link` its experiment), paused at its generation. */
function resumeNeat(bytes, about) {
  showScene('neat');
  window.evonas = api;
  setStripActions(stripActions);
  api.ready = (async () => {
    await engine.ready;
    const parsed = readLink(about.link);
    Object.assign(ui, { link: parsed.link, config: { ...parsed.config, autoplay: false }, saved: bytes });
    points.readFrom(parsed);
    writeHash(ui.link);
    await restart();
    if (ui.loadError) throw new Error(ui.loadError);
  })();
  return api.ready;
}

/** Back from the cell search: the experiment left there, as it was, or the default one. */
function enterNeat() {
  showScene('neat');
  window.evonas = api;
  setStripActions(stripActions);
  api.ready = ui.config
    ? ui.restarting.then(() => { writeHash(ui.link); showSettings(ui.config); show(ui.frame); })
    : openNeat('');
  return api.ready;
}

/** `window.evonas` while this scene is on show (DESIGN.md's stable interface). */
export const api = {
  ready: null,
  /** The lecture tour's stops, `[{title, caption, link}]`. */
  tour: () => engineReady.then(tourStops),
  backend: 'cpu',
  step: (n = 1) => (n >= 1 ? step(Math.floor(n)) : ui.restarting.then(() => ui.frame?.summary ?? null)),
  summary: () => ui.frame?.summary ?? null,
  /** The run's history as the page holds it (what the charts draw): one entry per generation. */
  history: () => ui.history.entries.slice(),
  link: () => ui.link,
  /** The link with the current champion attached, as Share gives it. */
  championLink,
  /** The whole run as a save file (a Blob), which `open` and `evonas run --resume` go on from. */
  save: () => saveRun(),
  /** Opens a save file's run (a File, Blob or bytes) in its scene; resolves to `{scene, link, generation}`. */
  open: (file) => openRun(file),
  /** Destroys the WebGPU device, as a driver reset would (the next generation falls back). */
  loseGpu: () => ui.restarting.then(() => engine.loseGpu()),
  /** Runs the comparison the link describes (compare=, seeds=, budget=); resolves to its curves. */
  compare: () => api.ready.then(compareStrategies),
  /** Records the views on show to WebM for `generations` (100) or until `signal` aborts; resolves to the video's Blob. */
  record: (options) => slides.record(options),
  /** The slide on show (title strip, views) as a PNG Blob, 1920x1080 unless `size` says. */
  slide: (options) => slides.slide(options),
};
