// NAS-Bench-201 cells as SVG: one cell's DAG with its operations on the edges, and its caption; a population as a grid of small DAGs.

const SVG = 'http://www.w3.org/2000/svg';

/** Each operation's short label and colour (`none` cuts its edge: drawn dashed and faint). */
export const OPS = {
  nor_conv_3x3: { label: '3x3 conv', color: '#1d4f91' },
  nor_conv_1x1: { label: '1x1 conv', color: '#5fa2dd' },
  avg_pool_3x3: { label: '3x3 pool', color: '#b5477a' },
  skip_connect: { label: 'skip', color: '#7d8892' },
  none: { label: 'none', color: '#c3c9d0' },
};
/** The six edges in the order of a cell's `ops`: (0->1), (0->2), (1->2), (0->3), (1->3), (2->3). */
export const EDGES = [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]];

/** The drawing's geometry (viewBox units): the nodes in a row, and how far each edge bends
 *  (0 straight; above the row when negative): 0->2 and 0->3 arch over, 1->3 dips under. */
const VIEW = { width: 470, height: 240 };
const ROW = 130;
const NODE_X = [36, 168, 302, 434];
const BEND = [0, -58, 0, -106, 58, 0];
const NODE_R = 18;
/** Edge labels: font size and the width of one character, in viewBox units. */
const LABEL = { font: 15, char: 8 };

const make = (name, attrs = {}) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

const unit = (dx, dy) => {
  const n = Math.hypot(dx, dy) || 1;
  return [dx / n, dy / n];
};

/** Edge `e`'s curve, from node boundary to node boundary (a quadratic through its bend):
 *  `{start, control, end, middle}`, middle the point on the curve half way (where its label sits). */
function edgeCurve(e, inset) {
  const [a, b] = EDGES[e];
  const [x0, x1] = [NODE_X[a], NODE_X[b]];
  // A quadratic's middle lies half way to its control point: twice the bend puts it at the bend.
  const control = [(x0 + x1) / 2, ROW + 2 * BEND[e]];
  const [ux0, uy0] = unit(control[0] - x0, control[1] - ROW);
  const [ux1, uy1] = unit(control[0] - x1, control[1] - ROW);
  const start = [x0 + ux0 * inset, ROW + uy0 * inset];
  const end = [x1 + ux1 * inset, ROW + uy1 * inset];
  const middle = [0.25 * start[0] + 0.5 * control[0] + 0.25 * end[0], 0.25 * start[1] + 0.5 * control[1] + 0.25 * end[1]];
  return { start, control, end, middle };
}

const pathOf = ({ start, control, end }) => `M${start[0].toFixed(1)},${start[1].toFixed(1)} Q${control[0].toFixed(1)},${control[1].toFixed(1)} ${end[0].toFixed(1)},${end[1].toFixed(1)}`;

/** An arrowhead at the curve's end, along its last tangent. */
function arrowHead(curve, color) {
  const [ux, uy] = unit(curve.end[0] - curve.control[0], curve.end[1] - curve.control[1]);
  const [tip, size, half] = [curve.end, 10, 5];
  const base = [tip[0] - ux * size, tip[1] - uy * size];
  const points = [tip, [base[0] - uy * half, base[1] + ux * half], [base[0] + uy * half, base[1] - ux * half]];
  return make('polygon', { points: points.map((p) => p.map((v) => v.toFixed(1)).join(',')).join(' '), fill: color });
}

/** An edge's label: its operation's name on a white pill over the edge. */
function edgeLabel(curve, op) {
  const { label, color } = OPS[op];
  const [width, height] = [12 + label.length * LABEL.char, LABEL.font + 8];
  const group = make('g', { class: 'cell-edge-label' });
  group.append(
    make('rect', { x: curve.middle[0] - width / 2, y: curve.middle[1] - height / 2, width, height, rx: height / 2, fill: '#fff', stroke: color, 'stroke-width': 1.5 }),
    Object.assign(make('text', {
      x: curve.middle[0], y: curve.middle[1] + 0.5, fill: color, 'font-size': LABEL.font, 'text-anchor': 'middle', 'dominant-baseline': 'central',
    }), { textContent: label }),
  );
  group.querySelector('text').dataset.testid = 'cell-edge-label';
  return group;
}

/** The nodes: the input and output as labelled boxes, the two inner nodes as numbered circles. */
function nodes(thumbnail) {
  return NODE_X.map((x, i) => {
    const group = make('g', { class: 'cell-node' });
    if (thumbnail) {
      group.append(make('circle', { cx: x, cy: ROW, r: 15, fill: i === 0 || i === 3 ? '#222' : '#fff', stroke: '#222', 'stroke-width': 6 }));
      return group;
    }
    const inner = i === 1 || i === 2;
    group.append(inner
      ? make('circle', { cx: x, cy: ROW, r: NODE_R, fill: '#fff', stroke: '#222', 'stroke-width': 2 })
      : make('rect', { x: x - 24, y: ROW - 15, width: 48, height: 30, rx: 7, fill: '#222' }));
    const text = make('text', { x, y: ROW + 0.5, fill: inner ? '#222' : '#fff', 'font-size': LABEL.font, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
    text.textContent = inner ? String(i) : i === 0 ? 'in' : 'out';
    group.append(text);
    return group;
  });
}

/**
 * Draws `cell` (a CellInfo: `ops` in edge order) into `svg`: every edge with its operation,
 * `none` edges dashed and faint (with no label) in the full view, left out of a `thumbnail`.
 */
export function drawCell(svg, cell, { thumbnail = false } = {}) {
  svg.setAttribute('viewBox', `0 0 ${VIEW.width} ${VIEW.height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  svg.classList.toggle('cell-thumb', thumbnail);
  if (!cell) {
    svg.replaceChildren();
    return;
  }
  svg.dataset.code = String(cell.code);
  const edges = make('g', { class: 'cell-edges' });
  const labels = make('g', { class: 'cell-labels' });
  cell.ops.forEach((op, e) => {
    if (thumbnail && op === 'none') return;
    const curve = edgeCurve(e, thumbnail ? 16 : NODE_R + 4);
    const { color } = OPS[op] ?? OPS.none;
    const edge = make('g', { class: 'cell-edge', 'data-edge': EDGES[e].join('-'), 'data-op': op });
    const line = make('path', { d: pathOf(curve), fill: 'none', stroke: color, 'stroke-width': thumbnail ? 13 : 2.5, 'stroke-linecap': 'round' });
    if (op === 'none') line.setAttribute('stroke-dasharray', '5 6');
    edge.append(line);
    if (!thumbnail && op !== 'none') {
      edge.append(arrowHead(curve, color));
      labels.append(edgeLabel(curve, op));
    }
    edges.append(edge);
  });
  svg.replaceChildren(edges, ...nodes(thumbnail), labels);
}

/** A key to the operations' colours (for the population's thumbnails). */
export function opLegend() {
  const legend = document.createElement('span');
  legend.className = 'cell-op-legend';
  for (const op of ['nor_conv_3x3', 'nor_conv_1x1', 'avg_pool_3x3', 'skip_connect']) {
    const item = document.createElement('span');
    const mark = document.createElement('span');
    mark.className = 'cell-op-swatch';
    mark.style.background = OPS[op].color;
    item.append(mark, OPS[op].label);
    legend.append(item);
  }
  return legend;
}

const percent = (v) => `${v.toFixed(2)}%`;

/** Fills the cell view's caption: where the cell `shown` ({cell, source}) came from, its
 *  accuracies (and how far below the table's best test accuracy `oracle`), its string. */
export function describeCell(caption, shown, oracle) {
  if (!shown) {
    caption.textContent = 'The first search is running\u2026';
    return;
  }
  const { cell, source } = shown;
  const line = (className, ...parts) => {
    const span = document.createElement('span');
    span.className = className;
    span.append(...parts);
    return span;
  };
  const strong = (text) => Object.assign(document.createElement('strong'), { textContent: text });
  const gap = oracle === undefined ? '' : ` \u00B7 ${(oracle - cell.test).toFixed(2)} points below the oracle`;
  caption.replaceChildren(
    line('cells-cell-source', `Showing ${source}.`),
    line('cells-cell-scores', 'validation ', strong(percent(cell.validation)), ' \u00B7 test ', strong(percent(cell.test)), gap),
    line('cells-cell-text', cell.text),
    line('cells-cell-key', 'Each node sums its inputs, each through its edge\u2019s operation; dashed grey edges are none (cut).'),
  );
}

/** A grid fills a batch of thumbnails per frame (at least `least`, else for `ms`): a population of
 *  thousands appears over a few frames, best first, and never holds up the page. */
const BATCH = { least: 24, ms: 8 };
/** Each grid's population on show: `{population, buttons (by place in population), marked, onPick, frame}`. */
const grids = new WeakMap();

/** Empties a population grid (and stops its filling). */
export function clearPopulation(grid) {
  cancelAnimationFrame(grids.get(grid)?.frame);
  grids.delete(grid);
  grid.replaceChildren();
}

/** Marks the member at `at` (its place in the population) as the cell on show. */
function mark(view, at) {
  for (const place of [view.marked, at]) {
    const button = view.buttons.get(place);
    button?.classList.toggle('selected', place === at);
    button?.setAttribute('aria-pressed', String(place === at));
  }
  view.marked = at;
}

/**
 * Fills `grid` with the population (CellInfo[]) as buttons of small DAGs, best validation accuracy
 * first: the best cells stand out, the worse half is faded. The cell on show is marked: the
 * member at `shown.at` (its place in `population`), else the first with the code `shown.code`
 * (a population may hold a cell twice). `onPick(cell, at, rank)` is called with a clicked one.
 * The same population again only moves the mark.
 */
export function renderPopulation(grid, population, { shown = null, onPick } = {}) {
  const order = population.map((cell, at) => ({ cell, at })).sort((a, b) => b.cell.validation - a.cell.validation || a.at - b.at);
  const marked = shown?.at ?? order.find(({ cell }) => cell.code === shown?.code)?.at;
  const old = grids.get(grid);
  if (old?.population === population) {
    old.onPick = onPick;
    mark(old, marked);
    return;
  }
  clearPopulation(grid);
  const view = { population, buttons: new Map(), marked, onPick, frame: 0 };
  grids.set(grid, view);
  const top = Math.max(1, Math.ceil(order.length / 10));
  const item = ({ cell, at }, rank) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'cell-item';
    button.dataset.testid = 'cell-item';
    button.dataset.code = String(cell.code);
    button.classList.toggle('good', rank < top);
    button.classList.toggle('poor', rank >= order.length / 2);
    button.classList.toggle('selected', at === view.marked);
    button.setAttribute('aria-pressed', String(at === view.marked));
    button.setAttribute('aria-label', `Cell ${rank + 1} of ${order.length} by validation: validation ${percent(cell.validation)}, test ${percent(cell.test)}`);
    button.title = `${cell.text}\nvalidation ${percent(cell.validation)} \u00B7 test ${percent(cell.test)} (rank ${rank + 1} of ${order.length} by validation)`;
    const svg = make('svg', { 'aria-hidden': 'true' });
    drawCell(svg, cell, { thumbnail: true });
    const value = document.createElement('span');
    value.className = 'cell-item-value';
    value.textContent = cell.validation.toFixed(1);
    button.append(svg, value);
    button.addEventListener('click', () => view.onPick?.(cell, at, rank));
    view.buttons.set(at, button);
    return button;
  };
  let rank = 0;
  const fill = () => {
    const since = performance.now();
    const items = [];
    while (rank < order.length && (items.length < BATCH.least || performance.now() - since < BATCH.ms)) {
      items.push(item(order[rank], rank));
      rank += 1;
    }
    grid.append(...items);
    view.frame = rank < order.length ? requestAnimationFrame(fill) : 0;
  };
  fill();
}
