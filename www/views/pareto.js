// The Pareto view: every member at (enabled connections, test accuracy), front 0 joined by a step line; hover names a point, a click shows it.
import { drawFrame } from './charts.js';
import { lrText } from './gallery.js';

const FRONT_COLOR = '#183d4e';
const OTHER_COLOR = 'rgba(120, 134, 148, 0.5)';
const SELECTED_COLOR = '#f59322';
const TEXT_COLOR = '#555';
const TITLE = 'test accuracy vs connections';
const RADIUS = { front: 5, other: 3.5 };
/** How far (CSS px) from a point's edge a click or hover still picks it. */
const SLOP = 4;

/** Per figure: the drawn points (top-most last), the click handler, the tooltip, the pointer. */
const views = new WeakMap();

function percent(v) {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–';
}

/** Members that have a training result (untrained or diverged ones have no finite loss). */
function plotted(items) {
  return (Array.isArray(items) ? items : []).filter((item) => item
    && Number.isFinite(item.test_accuracy) && Number.isFinite(item.connections) && Number.isFinite(item.loss));
}

/** x: connections padded half a step (or 5%) each side; y: from the lowest tenth below the
 *  points to a little over 100%, so points at 100% clear the frame's top. */
function domainOf(points) {
  const xs = points.map((p) => p.connections);
  const [lo, hi] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 10];
  const pad = Math.max(0.6, (hi - lo) * 0.05);
  const lowest = points.length ? Math.min(...points.map((p) => p.test_accuracy)) : 0.5;
  const floor = Math.max(0, Math.min(0.9, Math.floor(lowest * 10) / 10));
  return { x: [lo - pad, hi + pad], y: [floor, 1 + (1 - floor) * 0.04] };
}

/** The state of `figure`'s view, made (with its tooltip and pointer handlers) on first use. */
function viewOf(figure) {
  let view = views.get(figure);
  if (view) return view;
  const canvas = figure.querySelector('canvas');
  const tooltip = document.createElement('div');
  tooltip.className = 'pareto-tooltip';
  tooltip.hidden = true;
  figure.append(tooltip);
  view = { canvas, tooltip, points: [], onSelect: () => {}, pointer: null };
  views.set(figure, view);
  const local = (event) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left - canvas.clientLeft, y: event.clientY - rect.top - canvas.clientTop };
  };
  canvas.addEventListener('pointermove', (event) => {
    view.pointer = local(event);
    hover(view);
  });
  canvas.addEventListener('pointerleave', () => {
    view.pointer = null;
    hover(view);
  });
  canvas.addEventListener('click', (event) => {
    const hit = pointAt(view, local(event));
    if (hit) view.onSelect(hit.item.index);
  });
  return view;
}

/** The top-most point whose disc holds `at`, else the nearest within SLOP of its edge. */
function pointAt(view, at) {
  let best = null;
  let bestGap = SLOP;
  for (let k = view.points.length - 1; k >= 0; k--) {
    const p = view.points[k];
    const gap = Math.hypot(p.x - at.x, p.y - at.y) - p.r;
    if (gap <= 0) return p;
    if (gap < bestGap) [best, bestGap] = [p, gap];
  }
  return best;
}

function tooltipLine(text, strong = false) {
  const line = document.createElement(strong ? 'strong' : 'span');
  line.textContent = text;
  return line;
}

/** Shows the tooltip for the point under the pointer (or hides it). */
function hover(view) {
  const hit = view.pointer && pointAt(view, view.pointer);
  view.canvas.style.cursor = hit ? 'pointer' : '';
  if (!hit) {
    view.tooltip.hidden = true;
    return;
  }
  const { item } = hit;
  view.tooltip.replaceChildren(
    tooltipLine(`genome ${item.index}`, true),
    tooltipLine(`test accuracy ${percent(item.test_accuracy)}`),
    tooltipLine(`${item.connections} connections, ${item.nodes} nodes`),
    tooltipLine(item.front === 0 ? 'on the front (non-dominated)' : `front ${item.front}`),
  );
  if (item.hyper) view.tooltip.append(tooltipLine(`lr ${lrText(item.hyper.lr)}, ${item.hyper.steps} steps`));
  if (hit.alike > 1) view.tooltip.append(tooltipLine(`${hit.alike - 1} more on this spot`));
  view.tooltip.hidden = false;
  // Beside the point, inside the figure: flipped to the left near the right edge.
  const left = view.canvas.offsetLeft + hit.x;
  const top = view.canvas.offsetTop + hit.y;
  const width = view.tooltip.offsetWidth;
  const room = view.canvas.offsetLeft + view.canvas.clientWidth;
  view.tooltip.style.left = `${left + 12 + width <= room ? left + 12 : left - 12 - width}px`;
  view.tooltip.style.top = `${Math.max(0, top - view.tooltip.offsetHeight / 2)}px`;
}

/** The legend, right-aligned on the title's line; left out where it would run into the title. */
function drawLegend(ctx, right) {
  const entries = [['front 0', FRONT_COLOR, RADIUS.front], ['others', OTHER_COLOR, RADIUS.other], ['shown', null, RADIUS.front]];
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const widths = entries.map(([name]) => ctx.measureText(name).width + 22);
  let x = right - widths.reduce((sum, w) => sum + w, 0);
  if (x < 4 + ctx.measureText(TITLE).width + 12) return;
  entries.forEach(([name, color, r], i) => {
    ctx.beginPath();
    ctx.arc(x + 5, 10, r, 0, 2 * Math.PI);
    if (color) {
      ctx.fillStyle = color;
      ctx.fill();
    } else {
      ctx.strokeStyle = SELECTED_COLOR;
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    ctx.fillStyle = TEXT_COLOR;
    ctx.fillText(name, x + 14, 10);
    x += widths[i];
  });
}

/** Front 0 by connections, joined as a staircase: across to the next size, then to its accuracy. */
function drawStairs(ctx, front) {
  if (front.length < 2) return;
  const sorted = [...front].sort((a, b) => a.x - b.x || a.y - b.y);
  ctx.beginPath();
  ctx.moveTo(sorted[0].x, sorted[0].y);
  for (let k = 1; k < sorted.length; k++) {
    ctx.lineTo(sorted[k].x, sorted[k - 1].y);
    ctx.lineTo(sorted[k].x, sorted[k].y);
  }
  ctx.strokeStyle = FRONT_COLOR;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.globalAlpha = 1;
}

/** Front-0 points sharing a spot (equal size and accuracy, often copies) are counted: "×n" beside them. */
function drawAlike(ctx, front) {
  const spots = new Map();
  for (const p of front) {
    const key = `${Math.round(p.x)},${Math.round(p.y)}`;
    spots.set(key, [...(spots.get(key) ?? []), p]);
  }
  ctx.fillStyle = FRONT_COLOR;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  for (const alike of spots.values()) {
    alike.forEach((p) => { p.alike = alike.length; });
    if (alike.length > 1) ctx.fillText(`\u00D7${alike.length}`, alike[0].x + alike[0].r + 2, alike[0].y - alike[0].r + 2);
  }
}

function drawPoint(ctx, p) {
  ctx.beginPath();
  ctx.arc(p.x, p.y, p.r, 0, 2 * Math.PI);
  ctx.fillStyle = p.item.front === 0 ? FRONT_COLOR : OTHER_COLOR;
  ctx.fill();
  if (p.item.front === 0) {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

/**
 * Draws the members `items` (the gallery's, from `members()`) into `figure`'s canvas, rings
 * genome `selected`, and makes a click on a point call `onSelect(index)`. The figure carries
 * what it shows: `data-points`, `data-front` (front-0 count), `data-selected`, and
 * `data-front-points`, front 0 as JSON `[{index, x, y}]` in the canvas's CSS pixels.
 */
export function drawPareto(figure, items, selected, onSelect = () => {}) {
  const view = viewOf(figure);
  view.onSelect = onSelect;
  const members = plotted(items);
  const domain = domainOf(members);
  const { ctx, box, sx, sy } = drawFrame(view.canvas, domain, {
    labels: { title: TITLE, formatY: (v) => `${Math.round(v * 100)}%` },
  });
  // Front 0 last, so it lies on top and wins a click on a shared spot.
  const order = [...members].sort((a, b) => (a.front === 0) - (b.front === 0) || b.front - a.front);
  // Members of one size share a column: the others spread a little across it (by index, so a
  // point stays put between frames) to show how many there are; front 0 sits exactly on its size.
  const spread = Math.min(5, Math.abs(sx(1) - sx(0)) / 4);
  view.points = order.map((item) => ({
    item,
    x: sx(item.connections) + (item.front === 0 ? 0 : (((item.index * 0.618034) % 1) - 0.5) * 2 * spread),
    y: sy(item.test_accuracy),
    r: item.front === 0 ? RADIUS.front : RADIUS.other,
  }));
  const front = view.points.filter((p) => p.item.front === 0);
  if (!members.length) {
    ctx.fillStyle = TEXT_COLOR;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('trained networks appear after the first step', (box.left + box.right) / 2, (box.top + box.bottom) / 2);
  }
  drawStairs(ctx, front);
  view.points.forEach((p) => drawPoint(ctx, p));
  drawAlike(ctx, front);
  const shown = view.points.find((p) => p.item.index === selected);
  if (shown) {
    ctx.beginPath();
    ctx.arc(shown.x, shown.y, shown.r + 3.5, 0, 2 * Math.PI);
    ctx.strokeStyle = SELECTED_COLOR;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }
  drawLegend(ctx, box.right);
  figure.dataset.points = String(members.length);
  figure.dataset.front = String(front.length);
  figure.dataset.selected = Number.isInteger(selected) ? String(selected) : '';
  figure.dataset.frontPoints = JSON.stringify(front.map((p) => ({ index: p.item.index, x: +p.x.toFixed(1), y: +p.y.toFixed(1) })));
  view.canvas.setAttribute('aria-label', `Pareto view: ${members.length} networks, ${front.length} on the front`);
  hover(view);
}
