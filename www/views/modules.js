// The modules scene's charts: the accuracy curves against the baselines, the results table,
// the accuracy-vs-size front, the confusion matrix and test sequences with predictions (the
// network and the species are in assembled.js).
import { chartFont, drawFrame } from './charts.js';
import { FAINT, INK, MUTED, RIGHT, WRONG, baselineColor, baselineLabel, count, make, percent, text, titled } from './modules-common.js';

// ---- the accuracy curves and the results table ----

/** Draws a line through `points` (`[x, y]`, CSS pixels); one point is a dot. */
function polyline(ctx, points, { color, width = 2, dash = [] }) {
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  if (points.length === 1) {
    ctx.beginPath();
    ctx.arc(points[0][0], points[0][1], 3, 0, 2 * Math.PI);
    ctx.fill();
  } else {
    ctx.beginPath();
    points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/** Labels at heights `ys` (CSS pixels) moved apart to at least `gap`, in their order. */
function spread(ys, gap) {
  const order = ys.map((y, k) => [y, k]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < order.length; i++) order[i][0] = Math.max(order[i][0], order[i - 1][0] + gap);
  const out = new Array(ys.length);
  for (const [y, k] of order) out[k] = y;
  return out;
}

/** The legend at the top right, where it leaves room for the title (`left`: where that ends). */
function legend(ctx, items, right, top, left) {
  ctx.font = chartFont();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const widths = items.map((s) => ctx.measureText(s.name).width + 22);
  let x = right - widths.reduce((a, b) => a + b, 0);
  if (x < left + 8) return;
  items.forEach((s, i) => {
    ctx.fillStyle = s.color;
    ctx.fillRect(x, top - 1, 10, 3);
    ctx.fillStyle = MUTED;
    ctx.fillText(s.name, x + 14, top);
    x += widths[i];
  });
}

/** The baselines of a summary, strongest first. */
const baselinesOf = (summary) => Object.entries(summary?.baselines ?? {}).sort((a, b) => b[1].test_accuracy - a[1].test_accuracy);

/**
 * Best and mean validation accuracy per generation (`history()`), with each baseline's test
 * accuracy as a dashed line, named with its published figure where the paper gives one.
 */
export function drawAccuracy(canvas, history, summary) {
  const baselines = baselinesOf(summary);
  const values = [...history.flatMap((r) => [r.best_validation, r.mean_validation]), ...baselines.map(([, b]) => b.test_accuracy)];
  const lo = values.length ? Math.max(0, Math.floor(Math.min(...values) * 10) / 10) : 0;
  const last = history.length ? history[history.length - 1].generation + 1 : 1;
  const domain = { x: [1, Math.max(2, last)], y: [lo, 1] };
  const { ctx, box, sx, sy } = drawFrame(canvas, domain, {
    labels: { title: 'validation accuracy per generation', formatY: (v) => `${Math.round(v * 100)}%` },
  });
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top - 4, box.right - box.left + 4, box.bottom - box.top + 8);
  ctx.clip();
  const at = baselines.map(([, b]) => sy(b.test_accuracy));
  for (const [k, [name]] of baselines.entries()) polyline(ctx, [[box.left, at[k]], [box.right, at[k]]], { color: baselineColor(name), width: 1.5, dash: [6, 4] });
  const line = (key) => history.map((r) => [sx(r.generation + 1), sy(r[key])]);
  if (history.length) {
    polyline(ctx, line('mean_validation'), { color: '#999', width: 1.6 });
    polyline(ctx, line('best_validation'), { color: INK, width: 2.2 });
  }
  ctx.restore();
  ctx.font = chartFont();
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  const px = parseFloat(ctx.font) || 11;
  const ys = spread(at, px * 1.35);
  for (const [k, [name, b]] of baselines.entries()) {
    ctx.fillStyle = baselineColor(name);
    // The longest label that fits: with the published figure, without the word, without the paper.
    const [own, paper] = [`${baselineLabel(name)} ${percent(b.test_accuracy)}`, b.published != null ? ` (paper ${percent(b.published, 0)})` : ''];
    const label = [`${own} test${paper}`, `${own}${paper}`, own].find((l) => ctx.measureText(l).width <= box.right - box.left - 8) ?? own;
    ctx.fillText(label, box.right - 4, ys[k] - 2);
  }
  ctx.textBaseline = 'top';
  const title = ctx.measureText('validation accuracy per generation').width + 4;
  legend(ctx, [{ name: 'best', color: INK }, { name: 'mean', color: '#999' }, { name: 'baselines (test)', color: '#7a8590' }], box.right, 10, title);
  if (!history.length) {
    ctx.fillStyle = '#999';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('the first generation is training\u2026', (box.left + box.right) / 2, (box.top + box.bottom) / 2);
  }
}

/** The best network against the baselines and the published figures: one row each. */
export function showResults(table, summary) {
  const rows = [];
  if (summary?.best) rows.push(['best evolved', summary.best, '']);
  for (const [name, b] of baselinesOf(summary)) rows.push([baselineLabel(name), b, b.published != null ? percent(b.published, 0) : '']);
  const body = table.tBodies[0];
  if (!rows.length) {
    const tr = body.ownerDocument.createElement('tr');
    tr.append(Object.assign(document.createElement('td'), { colSpan: 5, textContent: 'the first generation is training\u2026' }));
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...rows.map(([name, s, published], k) => {
    const tr = document.createElement('tr');
    tr.dataset.network = k === 0 && summary.best ? 'best' : name;
    const head = Object.assign(document.createElement('th'), { scope: 'row', textContent: name });
    tr.append(head, ...[percent(s.test_accuracy), percent(s.validation_accuracy), count(s.parameters), published]
      .map((content) => Object.assign(document.createElement('td'), { textContent: content })));
    return tr;
  }));
}

// ---- the front ----

/**
 * Every network trained (`front()`: `{points, front}`) by parameters (log scale) and validation
 * accuracy, the front dark and joined; `pending` (this generation's networks so far) as rings;
 * the baselines as labelled diamonds.
 */
export function drawFront(canvas, front, { pending = [], summary = null } = {}) {
  // A network that could not be trained (no parameters, no accuracy) has no place on a log axis.
  const points = front?.points ?? [];
  const trained = (p) => p.parameters > 0;
  const baselines = baselinesOf(summary);
  const all = [...points, ...pending, ...baselines.map(([, b]) => b)].filter(trained);
  const sizes = all.map((p) => p.parameters).filter((n) => n > 0);
  const accuracies = all.map((p) => p.validation_accuracy);
  const x = sizes.length ? [Math.min(...sizes) / 1.6, Math.max(...sizes) * 1.6] : [100, 100000];
  const lo = accuracies.length ? Math.max(0, Math.floor(Math.min(...accuracies) * 10) / 10) : 0;
  const { ctx, box, sx, sy } = drawFrame(canvas, { x, y: [lo, 1] }, {
    logX: true, labels: { title: 'validation accuracy against parameters', formatY: (v) => `${Math.round(v * 100)}%`, formatX: (v) => (v >= 1000 ? `${Number((v / 1000).toPrecision(2))}k` : String(v)) },
  });
  const at = (p) => [sx(Math.max(1, p.parameters)), sy(p.validation_accuracy)];
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top - 6, box.right - box.left + 6, box.bottom - box.top + 12);
  ctx.clip();
  ctx.fillStyle = FAINT;
  for (const p of points.filter(trained)) {
    const [px, py] = at(p);
    ctx.beginPath();
    ctx.arc(px, py, 2.6, 0, 2 * Math.PI);
    ctx.fill();
  }
  const line = (front?.front ?? []).filter((k) => trained(points[k])).map((k) => at(points[k]));
  // The front as a staircase: each point holds its accuracy until a larger one is better.
  const steps = line.flatMap(([px, py], i) => (i ? [[px, line[i - 1][1]], [px, py]] : [[px, py]]));
  if (steps.length) polyline(ctx, steps, { color: INK, width: 1.5 });
  ctx.fillStyle = INK;
  for (const [px, py] of line) {
    ctx.beginPath();
    ctx.arc(px, py, 4, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = '#e8710a';
  ctx.lineWidth = 1.6;
  for (const p of pending.filter(trained)) {
    const [px, py] = at(p);
    ctx.beginPath();
    ctx.arc(px, py, 4.5, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
  ctx.font = chartFont();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const [name, b] of baselines) {
    const [px, py] = at(b);
    ctx.fillStyle = baselineColor(name);
    ctx.beginPath();
    ctx.moveTo(px, py - 6); ctx.lineTo(px + 6, py); ctx.lineTo(px, py + 6); ctx.lineTo(px - 6, py);
    ctx.closePath();
    ctx.fill();
    ctx.fillText(baselineLabel(name), px + 9, py);
  }
  if (!points.length && !pending.length) {
    ctx.fillStyle = '#999';
    ctx.textAlign = 'center';
    ctx.fillText('no network trained yet', (box.left + box.right) / 2, (box.top + box.bottom) / 2);
  }
}

// ---- the confusion matrix ----

const CELL = 30;
const MATRIX = { left: 54, top: 46, right: 64, bottom: 30 };

/** Draws the best network's test counts (`confusion()`: rows are the truth) as a matrix shaded
 *  by each row's share, with each class's accuracy beside its row. */
export function drawConfusion(svg, rows) {
  const n = rows?.length ?? 0;
  const total = (rows ?? []).flat().reduce((a, b) => a + b, 0);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  if (!n || !total) {
    svg.setAttribute('viewBox', '0 0 400 80');
    svg.replaceChildren(text(200, 40, 'the first generation is training\u2026', { fill: '#999' }));
    return;
  }
  const width = MATRIX.left + n * CELL + MATRIX.right;
  const height = MATRIX.top + n * CELL + MATRIX.bottom;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const right = rows.reduce((sum, row, k) => sum + row[k], 0);
  const parts = [
    text(MATRIX.left + (n * CELL) / 2, 12, `predicted class \u00B7 ${percent(right / total)} of ${count(total)} test sequences right`, { 'font-size': 11, fill: MUTED }),
    text(14, MATRIX.top + (n * CELL) / 2, 'true class', { 'font-size': 11, fill: MUTED, transform: `rotate(-90 14 ${MATRIX.top + (n * CELL) / 2})` }),
    text(MATRIX.left + n * CELL + MATRIX.right / 2, MATRIX.top - 12, 'right', { 'font-size': 10, fill: MUTED }),
  ];
  for (let k = 0; k < n; k++) {
    parts.push(text(MATRIX.left + (k + 0.5) * CELL, MATRIX.top - 12, String(k), { 'font-size': 11 }));
    parts.push(text(MATRIX.left - 12, MATRIX.top + (k + 0.5) * CELL, String(k), { 'font-size': 11 }));
  }
  rows.forEach((row, t) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((c, p) => {
      const share = sum ? c / sum : 0;
      const x = MATRIX.left + p * CELL;
      const y = MATRIX.top + t * CELL;
      const cell = make('g', { class: 'confusion-cell', 'data-count': c, 'data-truth': t, 'data-predicted': p });
      cell.append(make('rect', { x, y, width: CELL - 1, height: CELL - 1, fill: t === p ? '#2a9d5c' : '#c0392b', 'fill-opacity': c ? 0.08 + 0.85 * share : 0.03 }));
      if (c) cell.append(text(x + CELL / 2, y + CELL / 2, String(c), { 'font-size': c >= 100 ? 10 : 11, fill: share > 0.55 ? '#fff' : INK }));
      parts.push(titled(cell, `true ${t}, predicted ${p}: ${c}`));
    });
    parts.push(text(MATRIX.left + n * CELL + MATRIX.right / 2, MATRIX.top + (t + 0.5) * CELL, sum ? percent(row[t] / sum, 0) : '\u2013', { 'font-size': 11 }));
  });
  svg.replaceChildren(...parts);
}

// ---- test sequences ----

const DIGIT = { width: 176, height: 86, gap: 12, columns: 4 };

/** Four columns; in an embed (where the box does not follow the drawing), the column count that
 *  draws `n` panels largest in the box `svg` takes. */
function digitColumns(svg, n) {
  const { width, height } = svg.getBoundingClientRect();
  const boxed = document.body.classList.contains('embed') && width > 0 && height > 0;
  if (!boxed || n < 2) return Math.min(DIGIT.columns, Math.max(1, n));
  let best = [0, 1];
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const scale = Math.min(width / (columns * (DIGIT.width + DIGIT.gap)), height / (rows * (DIGIT.height + DIGIT.gap)));
    if (scale > best[0] + 1e-9) best = [scale, columns];
  }
  return best[1];
}

/** Draws test sequences (`digits()`: `{x, label, predicted}`) as small line plots, each named
 *  by its label and the best network's prediction. */
export function drawDigits(svg, digits) {
  const list = digits ?? [];
  const columns = digitColumns(svg, list.length);
  const rowsOf = Math.max(1, Math.ceil(list.length / columns));
  const width = columns * DIGIT.width + (columns - 1) * DIGIT.gap;
  const height = rowsOf * DIGIT.height + (rowsOf - 1) * DIGIT.gap;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const values = list.flatMap((d) => d.x);
  const [lo, hi] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const span = hi - lo || 1;
  svg.replaceChildren(...list.map((d, k) => {
    const left = (k % columns) * (DIGIT.width + DIGIT.gap);
    const top = Math.floor(k / columns) * (DIGIT.height + DIGIT.gap);
    const plot = { top: top + 20, height: DIGIT.height - 24 };
    const group = make('g', { class: 'digit', 'data-testid': 'modules-digit', 'data-label': d.label });
    const right = d.predicted != null && d.predicted === d.label;
    group.append(make('rect', { x: left, y: top, width: DIGIT.width, height: DIGIT.height, rx: 5, fill: '#fff', stroke: '#dcdfe3' }));
    const said = d.predicted == null ? 'no prediction yet' : `${right ? '\u2713' : '\u2717'} predicted ${d.predicted}`;
    group.append(text(left + 8, top + 11, `label ${d.label}`, { 'text-anchor': 'start', 'font-weight': 600, 'font-size': 11 }));
    group.append(text(left + DIGIT.width - 8, top + 11, said, { 'text-anchor': 'end', 'font-size': 11, fill: d.predicted == null ? MUTED : right ? RIGHT : WRONG }));
    const step = (DIGIT.width - 12) / Math.max(1, d.x.length - 1);
    const path = d.x.map((v, i) => `${i ? 'L' : 'M'}${(left + 6 + i * step).toFixed(1)},${(plot.top + plot.height - ((v - lo) / span) * plot.height).toFixed(1)}`).join(' ');
    group.append(make('path', { d: path, fill: 'none', stroke: INK, 'stroke-width': 1.5, 'stroke-linejoin': 'round' }));
    return titled(group, `a test sequence of class ${d.label}; ${said}`);
  }));
}
