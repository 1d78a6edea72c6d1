// Strategy comparison panel: chosen strategies on this experiment over seeds 1..K in workers, charted as mean best test accuracy with 95% bands.
import { engineReady, keyDoc, labelOf, namesOf } from '../app/state.js';
import { buildCheckboxes } from '../app/controls.js';
import { Comparison } from '../app/comparison.js';
import { comparisonOf, curveOf } from '../pkg/evonas.js';
import { BAND_ALPHA, chartFont, drawBands, drawFrame, strategyColor, swatch } from '../views/charts.js';

/** A strategy's name, as the schema labels it. */
const nameOf = (strategy) => labelOf('compare', strategy);
/** At most this many budgets along a curve (one per network for a smaller budget). */
const POINTS = 100;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const panel = {
  /** The page's experiment, as showComparison was last given it. */
  config: null,
  link: '',
  shown: false,
  /** The comparison running now: its settings, jobs, workers, traces and promise. */
  run: null,
  /** The last finished comparison: `{key, settings, curves, seconds}`. */
  result: null,
  /** What the chart shows: `{settings, curves}` (a finished, running or stopped comparison). */
  view: null,
  /** Why the last run ended early, shown until the next one starts. */
  note: '',
  ticker: 0,
};

/** The comparison the panel's settings describe now. */
function settingsNow() {
  const { config, link } = panel;
  return {
    // The link its runs get, and the experiment they compare on (wasm's Config::comparison).
    ...comparisonOf(link),
    strategies: namesOf('compare').filter((name) => config.compare.includes(name)),
    seeds: config.seeds,
    budget: config.budget,
  };
}

const keyOf = (settings) => JSON.stringify([settings.experiment, settings.strategies, settings.seeds, settings.budget]);

/** Starts a comparison (ending any running one): every (seed, strategy) run, in workers. */
function start(settings) {
  stop('');
  const run = new Comparison({
    link: settings.link,
    strategies: settings.strategies,
    seeds: settings.seeds,
    budget: settings.budget,
    onUpdate: () => panel.run === run && update(run),
  });
  Object.assign(run, { settings, key: keyOf(settings) });
  panel.run = run;
  panel.note = '';
  panel.view = { settings, curves: [] };
  panel.ticker = setInterval(showProgress, 500);
  show();
  return run;
}

/** Follows a run: the curves so far after each finished search, the result once all have. */
function update(run) {
  if (run.state === 'stopped') return; // stop() says why
  if (run.state === 'failed') {
    end(run);
    panel.note = `Failed: ${run.failure(nameOf)}`;
  } else if (run.state === 'finished') {
    end(run);
    const curves = curvesOf(run);
    panel.result = { key: run.key, settings: run.settings, curves, seconds: run.seconds };
    panel.view = { settings: run.settings, curves };
  } else {
    panel.view = { settings: run.settings, curves: curvesOf(run) };
  }
  show();
}

/** Each strategy's curve from its traces so far. */
function curvesOf(run) {
  const { budget } = run.settings;
  return run.strategies
    .map((name) => [name, run.tracesOf(name)])
    .filter(([, traces]) => traces.length > 0)
    .map(([name, traces]) => curveOf(name, traces, BigInt(budget), Math.min(POINTS, budget)));
}

function end(run) {
  clearInterval(panel.ticker);
  if (panel.run === run) panel.run = null;
}

/** Stops the running comparison, if any (its workers end at once); `reason` is shown. */
function stop(reason) {
  const run = panel.run;
  if (!run) return;
  end(run);
  run.stop(reason);
  panel.note = `Stopped at ${run.done} of ${run.total} runs${reason ? `: ${reason}` : ''}`;
  show();
}

function showProgress() {
  const run = panel.run;
  const result = panel.result;
  const bar = byTestId('compare-bar');
  let text = panel.note;
  if (run) {
    text = `${run.done} of ${run.total} runs · ${Math.floor((performance.now() - run.startedAt) / 1000)} s`;
    bar.max = run.total;
    bar.value = run.done;
  } else if (!text && result) {
    const total = result.settings.seeds * result.settings.strategies.length;
    const stale = panel.config && keyOf(settingsNow()) !== result.key ? ' · settings changed: Run to update' : '';
    text = `${total} of ${total} runs · ${result.seconds.toFixed(1)} s${stale}`;
  }
  bar.hidden = !run;
  byTestId('compare-progress').textContent = text;
}

/** Updates the panel: buttons, progress, and (when open) the chart and the table. */
function show() {
  const running = Boolean(panel.run);
  byTestId('compare-run').disabled = running || !panel.config?.compare.length;
  byTestId('compare-stop').disabled = !running;
  showProgress();
  if (!byTestId('compare').querySelector('details').open) return;
  drawChart(byTestId('compare-chart'), panel.view);
  showTable(byTestId('compare-table'), panel.view);
}

const percent = (v) => `${Math.round(v * 100)}%`;

/** Mean best test accuracy against networks trained, one line and 95% band per strategy. */
function drawChart(canvas, view) {
  const curves = view?.curves ?? [];
  const budget = view?.settings.budget ?? panel.config?.budget ?? 1000;
  const values = curves.flatMap((c) => [...c.low, ...c.mean_test_accuracy]).filter(Number.isFinite);
  const floor = values.length ? Math.min(0.5, Math.floor(Math.min(...values) * 10) / 10) : 0.5;
  const seeds = view ? Math.max(0, ...curves.map((c) => c.traces.length)) : 0;
  const title = `best test accuracy (mean of ${seeds === 1 ? '1 seed' : `${seeds} seeds`}, 95% band)`;
  const { ctx, box, sx, sy } = drawFrame(canvas, { x: [0, budget], y: [Math.max(0, floor), 1] }, { labels: { title, formatY: percent } });
  if (!curves.length) {
    ctx.fillStyle = '#999';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(panel.run ? 'the first runs are training…' : 'choose strategies and press Run', (box.left + box.right) / 2, (box.top + box.bottom) / 2);
    return;
  }
  drawBands(ctx, box, sx, sy, curves.map((c) => ({
    x: c.trained, mean: c.mean_test_accuracy, low: c.low, high: c.high, color: strategyColor(c.strategy),
  })));
  ctx.font = chartFont();
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  const axis = 'networks trained \u2192';
  ctx.fillStyle = 'rgba(255, 255, 255, 0.8)';
  ctx.fillRect(box.right - ctx.measureText(axis).width - 6, box.bottom - 16, ctx.measureText(axis).width + 6, 14);
  ctx.fillStyle = '#555';
  ctx.fillText(axis, box.right - 2, box.bottom - 3);
  drawLegend(ctx, curves, box, 8 + ctx.measureText(title).width);
}

/** The strategies' names and colours: in one row right of the title when they fit there, else
 *  stacked in the plot's top-left corner. */
function drawLegend(ctx, curves, box, titleEnd) {
  ctx.font = chartFont();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const widths = curves.map((c) => ctx.measureText(nameOf(c.strategy)).width + 34);
  const row = widths.reduce((sum, w) => sum + w, 0);
  const inRow = titleEnd + 16 + row <= box.right;
  const key = (c, x, y) => {
    ctx.fillStyle = strategyColor(c.strategy);
    ctx.globalAlpha = BAND_ALPHA * 2;
    ctx.fillRect(x, y - 5, 16, 10);
    ctx.globalAlpha = 1;
    ctx.fillRect(x, y - 1, 16, 2);
    ctx.fillStyle = '#555';
    ctx.fillText(nameOf(c.strategy), x + 21, y);
  };
  if (inRow) {
    let x = box.right - row + 14;
    curves.forEach((c, i) => {
      key(c, x, 10);
      x += widths[i];
    });
    return;
  }
  const [left, top] = [box.left + 8, box.top + 6];
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(left, top, Math.max(...widths) - 6, curves.length * 16 + 6);
  curves.forEach((c, i) => key(c, left + 6, top + 11 + i * 16));
}

/** Each strategy at the final budget: mean test accuracy with its band, mean champion size. */
function showTable(table, view) {
  const curves = view?.curves ?? [];
  table.hidden = curves.length === 0;
  if (!curves.length) return;
  table.querySelector('[data-col="accuracy"]').textContent = `test accuracy at ${view.settings.budget} networks`;
  const cell = (...parts) => {
    const td = document.createElement('td');
    td.append(...parts);
    return td;
  };
  const rows = curves.map((c) => {
    const last = c.trained.length - 1;
    const band = document.createElement('span');
    band.className = 'compare-band';
    band.textContent = ` ${(c.low[last] * 100).toFixed(1)}–${(c.high[last] * 100).toFixed(1)}`;
    const row = document.createElement('tr');
    row.append(
      cell(swatch(c.strategy), nameOf(c.strategy)),
      cell(`${(c.mean_test_accuracy[last] * 100).toFixed(1)}%`, band),
      cell(c.mean_connections[last].toFixed(1)),
    );
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
}


/**
 * Shows the page's experiment in the panel (called with every settings change): the link's
 * strategies ticked, the panel opened for a link that names some (and run at once with
 * `autoplay=1`) or an embed that shows it; a comparison of another experiment is stopped and
 * cleared.
 */
export function showComparison(config, link) {
  panel.config = config;
  panel.link = link;
  const section = byTestId('compare');
  for (const box of section.querySelectorAll('.compare-strategies input')) box.checked = config.compare.includes(box.value);
  const { experiment } = settingsNow();
  if (panel.run && panel.run.settings.experiment !== experiment) stop('the experiment changed');
  if (panel.view && panel.view.settings.experiment !== experiment) panel.view = null;
  if (panel.result && panel.result.settings.experiment !== experiment) panel.result = null;
  if (!panel.shown) {
    panel.shown = true;
    // An embed showing the comparison has no summary to click: the panel is open there.
    const embedded = config.embed && config.show.includes('compare');
    if (config.compare.length || embedded) section.querySelector('details').open = true;
    if (config.compare.length && config.autoplay) start(settingsNow());
  }
  show();
}

/**
 * Wires the panel; `change(key, value)` changes a link setting (main.js). The seeds and budget
 * inputs carry `data-key`, so main.js's generic wiring updates them.
 */
export function wireComparison(change) {
  const section = byTestId('compare');
  const boxes = buildCheckboxes(section.querySelector('.compare-strategies'), keyDoc('compare', 'neat'), 'compare');
  for (const box of boxes) {
    box.after(swatch(box.value));
    box.addEventListener('change', () => change('compare', boxes.filter((b) => b.checked).map((b) => b.value).join(',')));
  }
  byTestId('compare-run').addEventListener('click', () => panel.config && start(settingsNow()));
  byTestId('compare-stop').addEventListener('click', () => stop(''));
  section.querySelector('details').addEventListener('toggle', show);
  window.addEventListener('resize', () => panel.config && show());
}

/**
 * Runs the comparison the link describes and resolves to its curves (see curveOf): the one
 * running now, or the last one's if it was this very comparison (runs are deterministic).
 */
export async function compareStrategies() {
  await engineReady;
  if (!panel.config) throw new Error('comparison: the page has no experiment yet');
  const settings = settingsNow();
  if (!settings.strategies.length) throw new Error('comparison: no strategy chosen (the link has no compare=)');
  const key = keyOf(settings);
  if (panel.run?.key === key) return panel.run.promise.then(() => panel.result.curves);
  if (panel.result?.key === key) return panel.result.curves;
  byTestId('compare').querySelector('details').open = true;
  const run = start(settings);
  return run.promise.then(() => panel.result.curves, (error) => {
    throw run.state === 'failed' ? new Error(`comparison: ${run.failure(nameOf)}`) : error;
  });
}
