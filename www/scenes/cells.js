// The cell search scene (scene=cells): NAS-Bench-201 searches compared on recorded accuracies; its controls, runs, views and window.evonas.
import { engineReady, keyDoc, labelOf, namesOf, readLink, linkWith, writeHash } from '../app/state.js';
import { buildCheckboxes, putSettings, showError } from '../app/controls.js';
import { Comparison, compareWorker } from '../app/comparison.js';
import { tourStops } from '../app/tour.js';
import { applyEmbed } from '../app/embed.js';
import { setStripActions, showStrip } from '../app/strip.js';
import { cellReports } from '../pkg/evonas.js';
import { drawCellChart, showCellTable } from '../views/curves.js';
import { swatch } from '../views/charts.js';
import { clearPopulation, describeCell, drawCell, opLegend, renderPopulation } from '../views/cell.js';
import { slideTools } from '../app/slides.js';
import { registerScene, showScene } from '../app/tabs.js';
import { openRun, saveRun } from '../app/saving.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
/** A cell search's name, as the schema labels it. */
const nameOf = (strategy) => labelOf('compare', strategy, 'cells');

const scene = {
  on: false,
  link: '',
  config: null,
  /** The comparison of the current link, run in workers (a Comparison, paused by Stop or when
   *  the page leaves the scene), with `best` (the table's best cells, once known), `reports` and
   *  the searches shown (see searchOf). */
  run: null,
  /** A comparison worker of the scene's own, for lookups: the best cells, where a search ended. */
  lookup: null,
  /** The cell on show, when one was picked: `{cell, source, from, at}`, the grid it came from
   *  and its place in that population (else the default, see shownCell). */
  picked: null,
  /** The population chooser's search, and the search its grid shows now. */
  chosen: { strategy: '', seed: 1 },
  gridKey: '',
  drawPending: false,
};

/** Shows the cell search's page. */
function setScene() {
  showScene('cells');
  scene.on = true;
  showError('');
  setStripActions({ toggle: toggleRun, step: null, keys: '' });
}

/** Stop and Resume (the Stop button, an embed's play button): the searches pause between cells. */
function toggleRun() {
  if (scene.run?.paused) scene.run.resume();
  else scene.run?.pause();
}

/**
 * Opens the cell search on `hash` (a link with scene=cells): the scene is shown and the link run
 * (the worker loads the table); a refused link is named on the banner and the defaults run.
 * window.evonas becomes the scene's; resolves once it is set up (the run started, or failed).
 */
export function openCells(hash) {
  setScene();
  window.evonas = api;
  api.ready = (async () => {
    await engineReady;
    const parsed = readLink(hash);
    const usable = parsed.error ? readLink('scene=cells') : parsed;
    if (!scene.on) return; // the page went back to NEAT meanwhile
    use(usable, { written: !parsed.error });
    if (parsed.error) showError(parsed.error);
    await scene.run.ready.catch(() => {}); // a failure is on the banner
  })();
  return api.ready;
}

/** Makes a checked link the scene's: its settings shown, its comparison run (a new one, unless
 *  it is the comparison there already, which carries on). */
function use(parsed, { written = true } = {}) {
  const same = parsed.link === scene.link && scene.run && !['failed', 'stopped'].includes(scene.run.state);
  scene.link = parsed.link;
  scene.config = parsed.config;
  if (written) writeHash(scene.link);
  showSettings();
  applyEmbed(scene.config, scene.link);
  if (!same) start();
  else scene.run.resume();
  draw();
}

/** Changes one setting: a valid link reruns the comparison, a refused one is named and undone. */
function change(key, value) {
  const parsed = readLink(linkWith(scene.link, key, value));
  if (parsed.error) {
    showError(parsed.error);
    showSettings();
    return;
  }
  showError('');
  use(parsed);
}

/** Puts every setting of the link into its control (numbers as the link writes them). */
function showSettings() {
  putSettings('data-cell-key', scene.link, scene.config);
  document.querySelector('output[data-for="cells-noise"]').textContent = `${byTestId('cells-noise').value} points`;
  for (const box of byTestId('cells-strategies').querySelectorAll('input')) box.checked = scene.config.compare.includes(box.value);
  // The population chooser: the link's strategies and seeds, keeping the choice where it can.
  const strategies = namesOf('compare', 'cells').filter((name) => scene.config.compare.includes(name));
  if (!strategies.includes(scene.chosen.strategy)) scene.chosen.strategy = strategies[0];
  scene.chosen.seed = Math.min(scene.chosen.seed, scene.config.seeds);
  const option = (value, text) => Object.assign(document.createElement('option'), { value, textContent: text });
  byTestId('cells-population-strategy').replaceChildren(...strategies.map((name) => option(name, nameOf(name))));
  byTestId('cells-population-seed').replaceChildren(...Array.from({ length: scene.config.seeds }, (_, i) => option(i + 1, String(i + 1))));
  byTestId('cells-population-strategy').value = scene.chosen.strategy;
  byTestId('cells-population-seed').value = String(scene.chosen.seed);
}

// ---- running: a comparison per link, in workers ----

/** Curves are sampled at this many budgets. */
const POINTS = 60;

function start() {
  scene.run?.stop('a new link replaced this comparison');
  scene.picked = null;
  scene.gridKey = '';
  const { config, link } = scene;
  const run = new Comparison({ link, strategies: config.compare, seeds: config.seeds, budget: config.budget, onUpdate: () => follow(run) });
  Object.assign(run, { best: null, reports: [], reportsAt: -1, searches: new Map() });
  run.ready = lookup('best', { link }).then(({ best }) => {
    run.best = best;
    draw();
  });
  run.ready.catch((error) => failed(run, error.message));
  scene.run = run;
}

/** The scene's lookup worker's answer to `type` (its worker opened on first use). */
function lookup(type, fields) {
  // A worker that died answers nothing more: the next lookup opens another.
  if (!scene.lookup || scene.lookup.dead) scene.lookup = compareWorker();
  return scene.lookup.call(type, fields);
}

function follow(run) {
  if (run !== scene.run) return;
  if (run.state === 'failed') failed(run, run.failure(nameOf));
  draw();
}

function failed(run, message) {
  if (run !== scene.run || run.shownError) return;
  run.shownError = true;
  run.stop(message);
  showError(`cell search: ${message}`);
  draw();
}

/** Each strategy's report over the searches run so far (made again only when more have run). */
function reportsOf(run) {
  if (!run?.best) return [];
  if (run.reportsAt !== run.done) {
    run.reports = cellReports(run.link, run.pairs(), run.best.by_test.test, POINTS);
    run.reportsAt = run.done;
  }
  return run.reports;
}

// ---- the views ----

/** Draws the views once per animation frame (the latest state wins). */
function draw() {
  if (scene.drawPending) return;
  scene.drawPending = true;
  requestAnimationFrame(() => {
    scene.drawPending = false;
    if (scene.on && scene.config) drawNow();
  });
}

function drawNow() {
  const { run, config } = scene;
  const reports = reportsOf(run);
  showProgress(run);
  const note = run && !run.paused && !run.over ? 'the searches are running\u2026' : 'no search has finished';
  drawCellChart(byTestId('cells-curves'), { reports, oracle: run?.best, budget: config.budget, note });
  showCellTable(byTestId('cells-table'), reports, config.budget);
  showCell(shownCell());
  showPopulation();
}

function showProgress(run) {
  const stop = byTestId('cells-stop');
  let text = '';
  if (run) {
    const searches = `${run.done} of ${run.total} searches`;
    text = run.state === 'finished' ? `${searches} \u00B7 ${run.seconds < 0.1 ? '< 0.1' : run.seconds.toFixed(1)} s`
      : run.state === 'paused' ? `${searches} \u00B7 stopped` : searches;
  }
  byTestId('cells-progress').textContent = text;
  stop.textContent = run?.paused ? 'Resume' : 'Stop';
  stop.disabled = !run || run.over;
  showStrip({ playing: Boolean(run && !run.paused && !run.over), items: ['cell search', text], canPlay: !stop.disabled });
}

/** Whether the comparison has run a search. */
const hasRun = (strategy, seed) => Boolean(scene.run?.has(strategy, seed));

/** Where a search that has run ended (`{best, population}`) once the lookup worker has said
 *  (asked the first time here, and drawn when it comes), else null. */
function searchOf(strategy, seed) {
  const run = scene.run;
  if (!hasRun(strategy, seed)) return null;
  const key = `${strategy}|${seed}`;
  if (!run.searches.has(key)) {
    run.searches.set(key, null);
    lookup('search', { link: run.link, strategy, seed }).then(({ search }) => {
      run.searches.set(key, search);
      draw();
    }, (error) => failed(run, error.message));
  }
  return run.searches.get(key);
}

/** The cell on show: the one picked, else the best of the first strategy's seed-1 search. */
function shownCell() {
  if (scene.picked) return scene.picked;
  const first = scene.config.compare[0];
  const search = searchOf(first, 1);
  return search?.best ? { cell: search.best, source: `the best cell by validation of ${nameOf(first)}, seed 1` } : null;
}

function showCell(shown) {
  drawCell(byTestId('cells-cell'), shown?.cell ?? null);
  if (shown) byTestId('cells-cell').setAttribute('aria-label', `The cell ${shown.cell.text}`);
  describeCell(byTestId('cells-cell-caption'), shown, scene.run?.best?.by_test.test);
}

function showPopulation() {
  const { strategy, seed } = scene.chosen;
  const run = scene.run;
  const search = strategy ? searchOf(strategy, seed) : null;
  const from = `${run?.id}|${strategy}|${seed}`;
  const key = `${from}|${Boolean(search)}|${hasRun(strategy, seed)}|${scene.picked?.from}|${scene.picked?.at}|${shownCell()?.cell.code}`;
  if (key === scene.gridKey) return;
  scene.gridKey = key;
  const grid = byTestId('cells-population-grid');
  const note = byTestId('cells-population-note');
  if (!search) {
    clearPopulation(grid);
    note.textContent = !strategy ? '' : hasRun(strategy, seed) ? 'loading this search\u2026' : 'this search has not run yet';
    return;
  }
  const aging = strategy === 'aging' || strategy === 'aging-worst';
  note.textContent = `${search.population.length} cells ${aging ? 'in its queue' : 'it evaluated last'} at the end, best by validation first (their validation accuracy under each)`;
  note.title = `${nameOf(strategy)}, seed ${seed}`;
  // The member picked from this very grid is marked; else the first with the shown cell's code.
  const picked = scene.picked?.from === from ? scene.picked.at : null;
  renderPopulation(grid, search.population, {
    shown: { code: shownCell()?.cell.code, at: picked },
    onPick: (cell, at, rank) => {
      scene.picked = { cell, from, at, source: `${nameOf(strategy)}, seed ${seed}: number ${rank + 1} by validation of its final population` };
      draw();
    },
  });
}

// ---- wiring ----

/** Wires the scene's controls, and its place among the scene tabs. */
export function wireCells() {
  registerScene('cells', {
    // Back to the cell search left before, else the defaults.
    enter: () => openCells(scene.link || 'scene=cells'),
    leave: () => {
      scene.on = false;
      scene.run?.pause();
    },
    link: () => scene.link,
    save: () => lookup('save', { link: scene.link, searches: scene.run?.done ?? 0 }).then(({ bytes }) => bytes),
    // The searches are table look-ups: the saved comparison runs again to where it was and on.
    resume: (bytes, about) => openCells(about.link),
  });
  for (const input of document.querySelectorAll('[data-cell-key]')) {
    input.addEventListener('change', () => change(input.dataset.cellKey, input.value));
  }
  byTestId('cells-noise').addEventListener('input', (event) => {
    document.querySelector('output[data-for="cells-noise"]').textContent = `${event.target.value} points`;
  });
  const boxes = buildCheckboxes(byTestId('cells-strategies'), keyDoc('compare', 'cells'), 'cells', 'inline');
  for (const box of boxes) {
    box.after(swatch(box.value));
    box.addEventListener('change', () => {
      // A comparison has at least one search (an empty list would mean all four).
      if (!boxes.some((b) => b.checked)) box.checked = true;
      change('compare', boxes.filter((b) => b.checked).map((b) => b.value).join(','));
    });
  }
  byTestId('cells-stop').addEventListener('click', toggleRun);
  byTestId('cells-population-strategy').addEventListener('change', (event) => {
    scene.chosen.strategy = event.target.value;
    showPopulation(); // at once: the new search's grid, or its placeholder until the worker sends it
  });
  byTestId('cells-population-seed').addEventListener('change', (event) => {
    scene.chosen.seed = Number(event.target.value);
    showPopulation();
  });
  byTestId('cells-population-view').querySelector('.cells-population-head').append(opLegend());
  window.addEventListener('resize', () => scene.on && draw());
  // The chart draws again when its box changes without the window doing so (an embed's strip
  // wraps, its thumbnails shrink): its backing store follows its size. The store is no part of
  // the box's size, so drawing does not call the observer again.
  let pending = false;
  new ResizeObserver(() => {
    if (pending || !scene.on) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  }).observe(byTestId('cells-curves'));
}

/** The scene's slides and recordings: its views as the searches run (recorded for `seconds`, ten frames a second). */
const slides = slideTools({ container: '.cells-views', views: ['curves', 'cell'], extra: ['population'], link: () => scene.link,
  status: () => ['cell search', scene.config?.dataset, byTestId('cells-progress').textContent], pause: () => {},
  advance: () => new Promise((resolve) => setTimeout(resolve, 100)), unit: 'second', perUnit: 10, fileName: (n) => `evonas-cells-${scene.config.dataset}-${n}s.webm` });

/** window.evonas in the cell search scene. */
const api = {
  ready: null,
  /** The lecture tour's stops, `[{title, caption, link}]`. */
  tour: () => engineReady.then(tourStops),
  /** Resolves to the reports (one per strategy) once the current link's comparison has finished
   *  (resuming it if it was stopped) and the views show it: they are drawn at once, not on the next
   *  animation frame, so what a caller reads next agrees with the reports. */
  cells: () => api.ready.then(() => {
    const run = scene.run;
    if (!run) throw new Error('cell search: nothing to run (see the error banner)');
    run.resume();
    return Promise.all([run.promise, run.ready]).then(() => {
      if (scene.on && scene.run === run) drawNow();
      return reportsOf(run);
    });
  }),
  /** The table's oracle: its best cell by test accuracy, and by validation accuracy. */
  oracle: () => api.ready.then(() => scene.run?.ready.catch(() => {})).then(() => scene.run?.best ?? null),
  /** The cell on show (a CellInfo) and where it came from. */
  shownCell: () => shownCell(),
  link: () => scene.link,
  summary: () => null,
  /** The comparison as a save file (a Blob): its link and the searches made so far. */
  save: () => saveRun(),
  open: (file) => openRun(file),
  /** Records the views on show to WebM for `seconds` (100) or until `signal` aborts; resolves to the video's Blob. */
  record: (options) => slides.record(options),
  /** The slide on show as a PNG Blob, 1920x1080 unless `size` says. */
  slide: (options) => slides.slide(options),
  step: () => Promise.reject(new Error('step: there is no NEAT run in the cell search scene (scene=cells); open Backprop NEAT to step one')),
};
