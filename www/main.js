// Wires the page: settings <-> link, the experiment worker, the views and window.evonas.
import { engineReady, readLink, linkWith, writeHash } from './state.js';
import { Engine, poolSize } from './engine.js';
import { drawBoundary, drawThumbnail, planePoint } from './plot.js';
import { drawNetwork, showNodeGrid } from './netview.js';
import { drawCharts } from './charts.js';
import { renderGallery } from './gallery.js';

const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'gaussian', 'sine', 'abs', 'square', 'identity', 'mult', 'add'];
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const ui = {
  link: '',
  config: null,
  custom: [],
  data: null,
  frame: null,
  playing: false,
  drawPending: false,
  speed: null,
  lastFrameAt: 0,
  loadError: '',
  /** The latest restart, which every step waits for. */
  restarting: Promise.resolve(),
};
const engine = new Engine();

function showError(message) {
  byTestId('error').textContent = message;
}

/** Puts every setting into its control (numbers as the link writes them, not as f32 noise). */
function showSettings(config) {
  const written = new Map(ui.link.split('&').map((pair) => pair.split('=')));
  for (const input of document.querySelectorAll('[data-key]')) {
    input.value = written.get(input.dataset.key) ?? config[input.dataset.key];
    const out = document.querySelector(`output[data-for="${input.dataset.key}"]`);
    if (out) out.textContent = input.value;
  }
  for (const choice of document.querySelectorAll('.dataset-choice')) {
    const on = choice.dataset.value === config.dataset;
    choice.classList.toggle('selected', on);
    choice.setAttribute('aria-checked', String(on));
  }
  for (const box of document.querySelectorAll('.activations input')) {
    box.checked = config.activations.includes(box.value);
  }
  document.body.classList.toggle('custom', config.dataset === 'custom');
  document.body.classList.toggle('embed', config.embed);
}

/** Changes one setting: a valid link resets the run, an invalid one is named and undone. */
function changeSetting(key, value) {
  const parsed = readLink(linkWith(ui.link, key, value));
  if (parsed.error) {
    showError(parsed.error);
    showSettings(ui.config);
    return;
  }
  ui.link = parsed.link;
  ui.config = parsed.config;
  writeHash(ui.link);
  restart();
}

/** Starts the experiment of the current link afresh; steps wait until it has. */
function restart() {
  ui.restarting = ui.restarting.then(reload);
  return ui.restarting;
}

async function reload() {
  setPlaying(false);
  showSettings(ui.config);
  const custom = ui.config.dataset === 'custom' ? ui.custom.flat() : null;
  try {
    const reply = await engine.reset(ui.link, custom, poolSize(engine.cores), ui.config.backend);
    ui.data = reply.data;
    ui.loadError = '';
    showError('');
    show(reply.frame);
  } catch (error) {
    ui.loadError = error.message;
    showError(error.message);
    ui.data = ui.config.dataset === 'custom' ? pointsAsData(ui.custom) : null;
    show(null);
  }
  if (ui.config.autoplay && !ui.loadError) setPlaying(true);
}

/** Drawn points as the views' data (shown before a run can start). */
function pointsAsData(points) {
  const column = (k) => Float32Array.from(points, (p) => p[k]);
  return { train: { x: column(0), y: column(1), label: column(2) }, test: { x: new Float32Array(), y: new Float32Array(), label: new Float32Array() } };
}

/** Names where training runs in the status line; a fallback the link did not ask for is a notice. */
function showBackend({ kind, adapter, note, notice }) {
  const workers = poolSize(engine.cores);
  const cpu = `cpu (wasm, ${workers ? `${workers} trainer workers` : 'one worker'})`;
  document.querySelector('[data-status="backend"]').textContent = kind === 'webgpu' ? `webgpu (${adapter})` : note ? `${cpu}; ${note}` : cpu;
  byTestId('notice').textContent = notice;
  window.evonas.backend = kind;
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
  play.textContent = on ? '\u23F8' : '\u25B6';
  play.setAttribute('aria-label', on ? 'Pause' : 'Play');
  play.classList.toggle('playing', on);
  if (on === ui.playing) return;
  ui.playing = on;
  ui.lastFrameAt = 0;
  if (on) playLoop();
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

/** Takes a frame to show; drawing waits for the next animation frame (latest frame wins). */
function show(frame) {
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

function draw() {
  const frame = ui.frame;
  const best = frame?.summary.best;
  const hasRun = frame && frame.generation > 0;
  byTestId('generation').textContent = String(frame?.generation ?? 0);
  document.querySelector('[data-status="generation"]').textContent = String(frame?.generation ?? 0);
  byTestId('test-accuracy').textContent = hasRun ? `${(best.test_accuracy * 100).toFixed(1)}%` : '–';
  document.querySelector('[data-status="size"]').textContent = hasRun ? `${best.nodes} nodes, ${best.connections} connections` : '–';
  document.querySelector('[data-status="speed"]').textContent = ui.playing && ui.speed ? ui.speed.toFixed(1) : '–';
  const options = {
    showTrain: byTestId('show-train').checked,
    showTest: byTestId('show-test').checked,
    predictions: frame?.predictions ?? null,
  };
  drawBoundary(byTestId('boundary'), frame?.boundary ?? null, ui.data, options);
  const svg = byTestId('network').querySelector('svg');
  if (frame) drawNetwork(svg, frame.genome, { onHover: (id) => hoverNode(id) });
  else svg.replaceChildren();
  const chart = (name) => document.querySelector(`[data-chart="${name}"]`);
  drawCharts({ fitness: chart('fitness'), accuracy: chart('accuracy'), species: chart('species') }, frame?.history ?? []);
  if (frame) renderGallery(byTestId('gallery'), frame.gallery, frame.selected, select);
  else byTestId('gallery').replaceChildren();
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

function addPoint(event) {
  if (ui.config?.dataset !== 'custom') return;
  const { x, y } = planePoint(event.currentTarget, event.clientX, event.clientY);
  ui.custom.push([x, y, event.shiftKey ? 0 : 1]);
  restart();
}

async function share() {
  const button = byTestId('share');
  try {
    await navigator.clipboard.writeText(location.href);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Link in address bar';
  }
  setTimeout(() => (button.textContent = 'Share'), 1500);
}

function onKey(event) {
  if (event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === ' ') setPlaying(!ui.playing);
  else if (event.key === 'ArrowRight') step(1).catch(() => {});
  else if (event.key === 'r' || event.key === 'R') restart();
  else return;
  event.preventDefault();
}

function buildActivationBoxes() {
  const fieldset = byTestId('activations');
  for (const name of ACTIVATIONS) {
    const label = document.createElement('label');
    label.className = 'inline';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    box.dataset.testid = `activation-${name}`;
    box.addEventListener('change', () => {
      const on = [...fieldset.querySelectorAll('input:checked')].map((b) => b.value);
      changeSetting('activations', on.join(','));
    });
    label.append(box, ` ${name}`);
    fieldset.append(label);
  }
}

function wireControls() {
  buildActivationBoxes();
  for (const choice of document.querySelectorAll('.dataset-choice')) {
    drawThumbnail(choice.querySelector('canvas'), choice.dataset.value);
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
  byTestId('share').addEventListener('click', share);
  byTestId('dice').addEventListener('click', () => changeSetting('seed', crypto.getRandomValues(new Uint32Array(1))[0]));
  byTestId('clear-points').addEventListener('click', () => {
    ui.custom = [];
    restart();
  });
  byTestId('boundary').addEventListener('click', addPoint);
  byTestId('show-train').addEventListener('change', draw);
  byTestId('show-test').addEventListener('change', draw);
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', () => show(ui.frame));
}

async function start() {
  wireControls();
  await Promise.all([engineReady, engine.ready]);
  const parsed = readLink(location.hash);
  ui.link = parsed.link;
  ui.config = parsed.config;
  await restart();
  if (parsed.error) {
    showError(parsed.error);
  } else {
    writeHash(ui.link);
  }
}

window.evonas = {
  ready: null,
  backend: 'cpu',
  step: (n = 1) => (n >= 1 ? step(Math.floor(n)) : ui.restarting.then(() => ui.frame?.summary ?? null)),
  summary: () => ui.frame?.summary ?? null,
  link: () => ui.link,
  /** Destroys the WebGPU device, as a driver reset would (the next generation falls back). */
  loseGpu: () => ui.restarting.then(() => engine.loseGpu()),
};
window.evonas.ready = start();
