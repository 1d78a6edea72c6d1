// A recurrent cell as SVG: its graph in layers from x(t), h(t-1) and the memory cells up to h(t) and c_k(t), each memory path in its colour.

const SVG = 'http://www.w3.org/2000/svg';
/** The geometry, in viewBox units: margins leave room for root labels and the recurrences. */
const VIEW = { width: 640, height: 420, top: 44, bottom: 26, side: 70 };
const NODE = { r: 17, leafHeight: 26, font: 14 };
/** Memory cell k's colour (its path, its c_k(t-1) leaf and its recurrence). */
export const MEMORY_COLORS = ['#e8710a', '#8e6bbf', '#2a9d5c'];
const INK = '#222';
const EDGE = '#9aa3ad';
/** Leaves drawn as boxes, named by their label; the rest are circles holding their op. */
const LEAVES = new Set(['input', 'hidden', 'memory', 'bias']);
/** Activations' short names inside a circle. */
const SHORT = { sigmoid: '\u03C3', tanh: 'tanh', relu: 'relu', identity: 'id' };

const make = (name, attrs = {}) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
const text = (x, y, content, attrs = {}) => Object.assign(make('text', {
  x, y, 'font-size': NODE.font, 'text-anchor': 'middle', 'dominant-baseline': 'central', fill: INK, ...attrs,
}), { textContent: content });

/** Each node's centre: layers from the bottom (the leaves) up, a layer's nodes spread by their order. */
function placesOf(drawing) {
  const widths = new Array(drawing.layers).fill(0);
  for (const node of drawing.nodes) widths[node.layer] = Math.max(widths[node.layer], node.order + 1);
  const span = VIEW.height - VIEW.top - VIEW.bottom;
  return drawing.nodes.map(({ layer, order }) => {
    const x = VIEW.side + ((order + 0.5) / widths[layer]) * (VIEW.width - 2 * VIEW.side);
    const y = VIEW.height - VIEW.bottom - (drawing.layers > 1 ? (layer / (drawing.layers - 1)) * span : span / 2);
    return [x, y];
  });
}

/** The colour of the edge from `child` to `node`: a memory path's where both are on it. */
function edgeColor(child, node) {
  const k = node.paths.find((p) => child.paths.includes(p));
  return k === undefined ? EDGE : MEMORY_COLORS[k];
}

/** A recurrence: c_k(t) (or h(t)) back to its leaf at the next step, a dashed arc round the side. */
function recurrence(from, to, color, side, label) {
  const x = side < 0 ? VIEW.side * 0.35 : VIEW.width - VIEW.side * 0.35;
  const d = `M${from[0].toFixed(1)},${(from[1] - NODE.r).toFixed(1)} C${x},${from[1] - 40} ${x},${to[1] + 40} ${to[0].toFixed(1)},${(to[1] + NODE.leafHeight / 2).toFixed(1)}`;
  const group = make('g', { class: 'memory-recurrence' });
  group.append(make('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '5 4' }));
  group.append(text(x, (from[1] + to[1]) / 2, label, { fill: color, 'font-size': NODE.font - 2 }));
  return group;
}

function nodeShape(node, [x, y]) {
  const group = make('g', { class: 'memory-node', 'data-kind': node.kind });
  const k = node.kind === 'memory' ? Number(node.label.slice(1, node.label.indexOf('('))) : -1;
  if (LEAVES.has(node.kind)) {
    const width = 16 + node.label.length * 8;
    const fill = k >= 0 ? MEMORY_COLORS[k] : INK;
    group.append(make('rect', { x: x - width / 2, y: y - NODE.leafHeight / 2, width, height: NODE.leafHeight, rx: 6, fill }));
    group.append(text(x, y + 0.5, node.label, { fill: '#fff' }));
  } else {
    const stroke = node.paths.length ? MEMORY_COLORS[node.paths[0]] : INK;
    group.append(make('circle', { cx: x, cy: y, r: NODE.r, fill: '#fff', stroke, 'stroke-width': node.paths.length ? 3 : 2 }));
    const label = SHORT[node.label] ?? node.label;
    group.append(text(x, y + 0.5, label, { 'font-size': label.length > 2 ? NODE.font - 3 : NODE.font + 2 }));
  }
  if (node.root) group.append(text(x, y - NODE.r - 11, node.root, { 'font-weight': 600 }));
  const title = make('title');
  title.textContent = node.root ? `${node.root}: ${node.label}` : node.label;
  group.append(title);
  return group;
}

/** Draws `drawing` (wasm's `{nodes, layers, memory_cells, text}`) into `svg`, or clears it. */
export function drawMemoryCell(svg, drawing) {
  svg.setAttribute('viewBox', `0 0 ${VIEW.width} ${VIEW.height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  if (!drawing) {
    svg.replaceChildren();
    return;
  }
  const at = placesOf(drawing);
  const edges = make('g', { class: 'memory-edges' });
  drawing.nodes.forEach((node, i) => {
    for (const c of node.inputs) {
      const color = edgeColor(drawing.nodes[c], node);
      const [[x0, y0], [x1, y1]] = [at[c], at[i]];
      edges.append(make('line', { x1: x0, y1: y0, x2: x1, y2: y1, stroke: color, 'stroke-width': color === EDGE ? 1.5 : 3 }));
    }
  });
  const loops = make('g', { class: 'memory-recurrences' });
  drawing.nodes.forEach((node, i) => {
    if (!node.root) return;
    for (const [k, leaf] of drawing.nodes.entries()) {
      const cell = leaf.kind === 'memory' && node.root.split(' = ').includes(leaf.label.replace('(t-1)', '(t)'));
      const hidden = leaf.kind === 'hidden' && node.root.split(' = ').includes('h(t)');
      if (cell) loops.append(recurrence(at[i], at[k], MEMORY_COLORS[Number(leaf.label.slice(1, leaf.label.indexOf('(')))], 1, 't+1'));
      if (hidden) loops.append(recurrence(at[i], at[k], EDGE, -1, 't+1'));
    }
  });
  svg.replaceChildren(edges, loops, ...drawing.nodes.map((node, i) => nodeShape(node, at[i])));
  svg.dataset.text = drawing.text;
}
