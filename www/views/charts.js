// Progress charts on canvas: a generic line chart, and the fitness, accuracy and species charts.

import { fitCanvas } from './plot.js';
import { RunHistory } from '../app/history.js';
import { atFloor } from './numbers.js';

const MARGIN = { left: 42, right: 10, top: 22, bottom: 20 };
/** The charts' text: `--chart-text` (the projector theme raises it, an embed's frame scales it), in the page's face. */
export function chartFont() {
  return `${chartPx()}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
}

function chartPx() {
  return typeof document === 'undefined' ? 11 : parseFloat(getComputedStyle(document.body).getPropertyValue('--chart-text')) || 11;
}
const AXIS_COLOR = '#bbb';
const TEXT_COLOR = '#555';
const PRIMARY = '#222';
const SECONDARY = '#999';

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return nice * magnitude;
}

function linearTicks(min, max, count = 4, integer = false) {
  if (!(max > min)) return [min];
  let step = niceStep(max - min, count);
  if (integer) step = Math.max(1, Math.round(step));
  const ticks = [];
  const first = Math.ceil(min / step);
  for (let i = 0; i < 50; i++) {
    const v = (first + i) * step;
    if (!(v <= max + step * 1e-9)) break;
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

function logTicks(min, max) {
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  if (hi - lo < 1) return linearTicks(min, max, 3);
  const decades = Math.floor(hi) - Math.ceil(lo) + 1;
  const stride = Math.max(1, Math.ceil(decades / 5));
  const mantissas = decades <= 2 ? [1, 2, 5] : [1];
  const ticks = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e += stride) {
    for (const m of mantissas) {
      const v = m * 10 ** e;
      if (v >= min && v <= max) ticks.push(v);
    }
  }
  return ticks;
}

function formatNumber(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(2)));
}

/** Maps a domain [min, max] (log10 when `log`) onto pixels [from, to]. */
function makeScale(min, max, from, to, log) {
  const t = log ? Math.log10 : (v) => v;
  const a = t(min);
  const span = t(max) - a || 1;
  return (v) => from + ((t(v) - a) / span) * (to - from);
}

function usable(y, log) {
  return y !== null && y !== undefined && Number.isFinite(y) && (!log || y > 0);
}

function dataRange(series, log) {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const s of series) {
    for (const point of s.values ?? []) {
      if (!Array.isArray(point) || !Number.isFinite(point[0]) || !usable(point[1], log)) continue;
      xMin = Math.min(xMin, point[0]); xMax = Math.max(xMax, point[0]);
      yMin = Math.min(yMin, point[1]); yMax = Math.max(yMax, point[1]);
    }
  }
  return xMin <= xMax ? { xMin, xMax, yMin, yMax } : null;
}

function resolveRange(range, options) {
  const { log = false } = options;
  let x = range ? [range.xMin, range.xMax] : [0, 1];
  if (x[1] <= x[0]) x = [x[0], x[0] + 1];
  let yLo = Number.isFinite(options.yMin) && (!log || options.yMin > 0) ? options.yMin : range?.yMin;
  let yHi = Number.isFinite(options.yMax) && (!log || options.yMax > 0) ? options.yMax : range?.yMax;
  if (!Number.isFinite(yLo)) yLo = log ? 0.1 : 0;
  if (!Number.isFinite(yHi)) yHi = log ? 1 : 1;
  if (yHi <= yLo) [yLo, yHi] = log ? [yLo / 2, yLo * 2] : [yLo - 0.5, yLo + 0.5];
  // A log axis narrower than a factor of 2 (say, the first generations' ~0.69 losses) would
  // label every tick alike: widen it around its middle.
  if (log && yHi / yLo < 2) {
    const middle = Math.sqrt(yLo * yHi);
    [yLo, yHi] = [middle / Math.SQRT2, middle * Math.SQRT2];
  }
  return { x, y: [yLo, yHi] };
}

/** Opacity of a confidence band under its mean line. */
export const BAND_ALPHA = 0.13;

/** Each search strategy's colour, the same in every scene (aging evolution is orange in both);
 *  one the table lacks takes a grey rather than no colour. */
const STRATEGY_COLORS = { neat: '#0877bd', aging: '#e8710a', 'aging-worst': '#8e6bbf', pareto: '#2a9d5c', random: '#7a8590', local: '#2a9d5c' };
export const strategyColor = (name) => STRATEGY_COLORS[name] ?? '#999';

/** A strategy's colour mark (the legend's, for tables and controls). */
export function swatch(name) {
  const mark = document.createElement('span');
  mark.className = 'compare-swatch';
  mark.style.background = strategyColor(name);
  return mark;
}

/**
 * Draws mean lines with their bands inside the plot `box` (clipped to it): each series
 * `{x, mean, low, high, color}` (equal-length arrays) as a filled band from low to high, then
 * every mean on top, so no band hides a line.
 */
export function drawBands(ctx, box, sx, sy, series) {
  const trace = (s, values) => s.x.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(values[i])) : ctx.moveTo(sx(x), sy(values[i]))));
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top - 2, box.right - box.left + 2, box.bottom - box.top + 4);
  ctx.clip();
  for (const s of series) {
    ctx.beginPath();
    trace(s, s.high);
    for (let i = s.x.length - 1; i >= 0; i--) ctx.lineTo(sx(s.x[i]), sy(s.low[i]));
    ctx.closePath();
    ctx.globalAlpha = BAND_ALPHA;
    ctx.fillStyle = s.color;
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  ctx.lineWidth = 2;
  ctx.lineJoin = 'round';
  for (const s of series) {
    ctx.beginPath();
    trace(s, s.mean);
    ctx.strokeStyle = s.color;
    ctx.stroke();
  }
  ctx.restore();
}

/** Clears the canvas and draws the title, the plot box, its ticks and tick labels; returns the
 *  context, the box and the scales (`sx`, `sy`: domain to CSS pixels). `log` makes the y axis
 *  logarithmic, `logX` the x axis. */
export function drawFrame(canvas, domain, options) {
  const { log = false, logX = false, labels = {} } = options;
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  ctx.font = chartFont();
  // The margins hold the tick labels: they grow with the charts' text (the projector theme).
  const grow = chartPx() / 11;
  const box = { left: MARGIN.left * grow, right: width - MARGIN.right, top: MARGIN.top * grow, bottom: height - MARGIN.bottom * grow };
  const sx = makeScale(domain.x[0], domain.x[1], box.left, box.right, logX);
  const sy = makeScale(domain.y[0], domain.y[1], box.bottom, box.top, log);
  ctx.strokeStyle = AXIS_COLOR;
  ctx.lineWidth = 1;
  ctx.fillStyle = TEXT_COLOR;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const formatY = labels.formatY ?? formatNumber;
  // About one y tick per 24px, so a short chart (an embed's strip) keeps its labels apart.
  const yCount = Math.max(2, Math.min(4, Math.floor((box.bottom - box.top) / 24)));
  let yTicks = log ? logTicks(...domain.y) : linearTicks(...domain.y, yCount);
  let lastY = -Infinity;
  yTicks = yTicks.filter((v) => Math.abs(sy(v) - lastY) >= 14 && ((lastY = sy(v)), true));
  for (const v of yTicks) {
    const y = Math.round(sy(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(box.left - 3, y); ctx.lineTo(box.right, y);
    ctx.globalAlpha = 0.35; ctx.stroke(); ctx.globalAlpha = 1;
    ctx.fillText(formatY(v), box.left - 5, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const formatX = labels.formatX ?? formatNumber;
  let lastRight = -Infinity;
  for (const v of logX ? logTicks(...domain.x) : linearTicks(domain.x[0], domain.x[1], 5, true)) {
    // A long last label (say 1000) is pulled left to stay inside the canvas.
    const label = formatX(v);
    const half = ctx.measureText(label).width / 2;
    const x = Math.min(sx(v), width - half - 1);
    // A log axis's 1-2-5 labels crowd a narrow chart: one that would touch the one before is left out.
    if (logX && x - half < lastRight + 4) continue;
    lastRight = x + half;
    ctx.fillText(label, x, box.bottom + 4);
  }
  ctx.beginPath();
  ctx.moveTo(box.left + 0.5, box.top); ctx.lineTo(box.left + 0.5, box.bottom + 0.5); ctx.lineTo(box.right, box.bottom + 0.5);
  ctx.stroke();
  if (labels.title) {
    ctx.textAlign = 'left'; ctx.textBaseline = 'top'; ctx.fillStyle = PRIMARY;
    ctx.fillText(labels.title, 4, 4);
  }
  return { ctx, width, height, box, sx, sy };
}

function drawLegend(ctx, series, right) {
  ctx.font = chartFont();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const widths = series.map((s) => ctx.measureText(String(s.name ?? '')).width + 22);
  let x = right - widths.reduce((sum, w) => sum + w, 0);
  series.forEach((s, i) => {
    ctx.fillStyle = s.color ?? PRIMARY;
    ctx.fillRect(x, 8, 10, 3);
    ctx.fillStyle = TEXT_COLOR;
    ctx.fillText(String(s.name ?? ''), x + 14, 10);
    x += widths[i];
  });
}

function drawSeries(ctx, s, sx, sy, log) {
  ctx.strokeStyle = s.color ?? PRIMARY;
  ctx.fillStyle = s.color ?? PRIMARY;
  ctx.lineWidth = 1.6;
  let run = [];
  const flush = () => {
    if (run.length === 1) { ctx.beginPath(); ctx.arc(run[0][0], run[0][1], 2, 0, 2 * Math.PI); ctx.fill(); }
    if (run.length > 1) {
      ctx.beginPath();
      run.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    }
    run = [];
  };
  for (const point of s.values ?? []) {
    if (Array.isArray(point) && Number.isFinite(point[0]) && usable(point[1], log)) run.push([sx(point[0]), sy(point[1])]);
    else flush();
  }
  flush();
}

function drawNoData(ctx, box) {
  ctx.fillStyle = SECONDARY;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('no data yet', (box.left + box.right) / 2, (box.top + box.bottom) / 2);
}

/**
 * A small line chart. series = [{name, color, values: [[x, y], ...]}]; null / non-finite y (and
 * y <= 0 when `log`) are skipped and break the line. labels = {title, formatX(v), formatY(v)}.
 */
export function drawLineChart(canvas, series, { yMin, yMax, log = false, labels = {} } = {}) {
  const list = Array.isArray(series) ? series.filter(Boolean) : [];
  const range = dataRange(list, log);
  const domain = resolveRange(range, { yMin, yMax, log });
  const { ctx, box, sx, sy } = drawFrame(canvas, domain, { log, labels });
  if (!range) drawNoData(ctx, box);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top - 3, box.right - box.left + 3, box.bottom - box.top + 6);
  ctx.clip();
  for (const s of list) drawSeries(ctx, s, sx, sy, log);
  ctx.restore();
  drawLegend(ctx, list, box.right);
}

function speciesHue(id) {
  const text = String(id);
  let hash = Number.isFinite(Number(id)) ? Math.abs(Math.round(Number(id))) : 0;
  if (!Number.isFinite(Number(id))) for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return (hash * 137.508) % 360;
}

/** Stacked areas of species sizes per generation, one stable hue per species id. */
function drawSpeciesChart(canvas, history) {
  const { xs, layers } = history.speciesLayers();
  const x = xs.length ? [history.entries[0]?.generation ?? xs[0], xs[xs.length - 1]] : [0, 1];
  // Until a generation is in, the axis spans a small whole number so its ticks stay distinct.
  const domain = { x: x[1] > x[0] ? x : [x[0], x[0] + 1], y: [0, history.maxTotal || 10] };
  const labels = { title: `species (${history.alive()} now)`, formatY: (v) => String(Math.round(v)) };
  const { ctx, box, sx, sy } = drawFrame(canvas, domain, { labels });
  if (!layers.length) { drawNoData(ctx, box); return; }
  for (const { id, from, top, base } of layers) {
    ctx.beginPath();
    top.forEach((v, i) => (i ? ctx.lineTo(sx(xs[from + i]), sy(v)) : ctx.moveTo(sx(xs[from + i]), sy(v))));
    for (let i = base.length - 1; i >= 0; i--) ctx.lineTo(sx(xs[from + i]), sy(base[i]));
    ctx.closePath();
    ctx.fillStyle = `hsl(${speciesHue(id).toFixed(1)}, 55%, 62%)`;
    ctx.fill();
  }
}

/** Draws the fitness, accuracy and species charts from the run's history (a RunHistory,
 *  history.js: what they draw is bounded, however long the run); any canvas may be null. */
export function drawCharts({ fitness = null, accuracy = null, species = null } = {}, history = new RunHistory()) {
  if (fitness) {
    drawLineChart(fitness, [
      { name: 'best', color: PRIMARY, values: atFloor(history.line('best_fitness')) },
      { name: 'mean', color: SECONDARY, values: atFloor(history.line('mean_fitness')) },
    ], { log: true, labels: { title: 'fitness (log)' } });
  }
  if (accuracy) {
    drawLineChart(accuracy, [
      { name: 'test', color: PRIMARY, values: history.line('best_test_accuracy') },
      { name: 'train', color: SECONDARY, values: history.line('best_train_accuracy') },
    ], {
      yMin: history.floor, yMax: 1,
      labels: { title: 'accuracy (best)', formatY: (v) => `${Math.round(v * 100)}%` },
    });
  }
  if (species) drawSpeciesChart(species, history);
}
