// The modules scene's network view: an assembled network, its blueprint's nodes expanded into
// their modules (a colour per module species, so a reused module shows as repeats), and the
// module species with their members.
import { INK, make, percent, speciesColor, text, titled } from './modules-common.js';

// ---- the assembled network ----

const TILE = { height: 38, gapX: 40, gapY: 28, pad: 22, font: 12, char: 6.9 };
const MIN_VIEW = { width: 520, height: 160 };

/** A tile's label in two lines: the layer (conv48k5, dense64, maxpool...), then what follows it. */
function lines(label) {
  const [head, ...rest] = label.split(' ');
  return rest.length ? [head, rest.join(' ')] : [head];
}

/** Each tile's box: columns by depth, rows within a column, each column centred. */
function placeTiles(drawing) {
  const width = Math.min(230, Math.max(96, ...drawing.tiles.flatMap((t) => lines(t.label)).map((l) => l.length * TILE.char + 18)));
  const rows = new Array(drawing.depth + 1).fill(0);
  for (const t of drawing.tiles) rows[t.depth] = Math.max(rows[t.depth], t.row + 1);
  const tallest = Math.max(1, ...rows);
  const columnHeight = (n) => n * TILE.height + (n - 1) * TILE.gapY;
  const boxes = drawing.tiles.map((t) => ({
    x: TILE.pad + t.depth * (width + TILE.gapX),
    y: TILE.pad + 10 + (columnHeight(tallest) - columnHeight(rows[t.depth])) / 2 + t.row * (TILE.height + TILE.gapY),
    width, height: TILE.height,
  }));
  const size = { width: 2 * TILE.pad + (drawing.depth + 1) * width + drawing.depth * TILE.gapX, height: 2 * TILE.pad + 10 + columnHeight(tallest) };
  return { boxes, size };
}

/** Boxes round each blueprint node's tiles, in its module's species colour, named by the node. */
function groupBoxes(drawing, boxes) {
  const groups = new Map();
  drawing.tiles.forEach((t, k) => {
    if (t.group == null) return;
    const g = groups.get(t.group) ?? { species: t.species, members: [] };
    g.members.push(boxes[k]);
    groups.set(t.group, g);
  });
  return [...groups].map(([id, { species, members }]) => {
    const left = Math.min(...members.map((b) => b.x)) - 7;
    const top = Math.min(...members.map((b) => b.y)) - 17;
    const right = Math.max(...members.map((b) => b.x + b.width)) + 7;
    const bottom = Math.max(...members.map((b) => b.y + b.height)) + 6;
    const color = speciesColor(species);
    const group = make('g', { class: 'module-group', 'data-group': id, 'data-species': species });
    group.append(make('rect', { x: left, y: top, width: right - left, height: bottom - top, rx: 8, fill: color, 'fill-opacity': 0.06, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }));
    group.append(text(left + 6, top + 8, `node ${id} \u00B7 species ${species}`, { 'text-anchor': 'start', 'font-size': 10, fill: color, 'font-weight': 600 }));
    return titled(group, `blueprint node ${id}: a module of species ${species}`);
  });
}

function tileShape(tile, box) {
  const color = speciesColor(tile.species);
  const group = make('g', { class: 'module-tile', 'data-species': tile.species ?? '' });
  const plain = tile.species == null;
  group.append(make('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 6, fill: plain ? '#5f6b76' : '#fff', stroke: color, 'stroke-width': plain ? 0 : 2 }));
  if (!plain) group.append(make('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 6, fill: color, 'fill-opacity': 0.16 }));
  const parts = lines(tile.label);
  parts.forEach((line, i) => {
    const y = box.y + box.height / 2 + (parts.length === 1 ? 0 : (i - 0.5) * 15);
    group.append(text(box.x + box.width / 2, y, line, { fill: plain ? '#fff' : INK, 'font-weight': i === 0 ? 600 : 400, 'font-size': i === 0 ? TILE.font : TILE.font - 1 }));
  });
  return titled(group, tile.group == null ? tile.label : `${tile.label} (node ${tile.group}, species ${tile.species})`);
}

/** Draws wasm's drawing (`{tiles, edges, depth}`) into `svg`, or clears it (null). */
export function drawAssembled(svg, drawing) {
  if (!drawing) {
    svg.setAttribute('viewBox', '0 0 640 300');
    svg.replaceChildren();
    return;
  }
  const { boxes, size } = placeTiles(drawing);
  // A small network keeps its type size: the view is at least MIN_VIEW wide and tall, centred.
  const [width, height] = [Math.max(size.width, MIN_VIEW.width), Math.max(size.height, MIN_VIEW.height)];
  svg.setAttribute('viewBox', `${((size.width - width) / 2).toFixed(0)} ${((size.height - height) / 2).toFixed(0)} ${width.toFixed(0)} ${height.toFixed(0)}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  const edges = make('g', { class: 'module-edges', fill: 'none', stroke: '#9aa3ad', 'stroke-width': 1.6 });
  for (const [from, to] of drawing.edges) {
    const [a, b] = [boxes[from], boxes[to]];
    const [x0, y0, x1, y1] = [a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2];
    const mid = (x0 + x1) / 2;
    edges.append(make('path', { d: `M${x0.toFixed(1)},${y0.toFixed(1)} C${mid.toFixed(1)},${y0.toFixed(1)} ${mid.toFixed(1)},${y1.toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}` }));
  }
  svg.replaceChildren(...groupBoxes(drawing, boxes), edges, ...drawing.tiles.map((t, k) => tileShape(t, boxes[k])));
}

// ---- the module species ----

/** Lists the module species (`species()`): each with its members' layers, mean accuracy and
 *  the networks they were part of in the last generation, best first. */
export function showSpecies(container, species) {
  if (!species?.length) {
    container.replaceChildren(Object.assign(document.createElement('p'), { className: 'modules-empty', textContent: 'no species yet' }));
    return;
  }
  container.replaceChildren(...species.map((s) => {
    const group = Object.assign(document.createElement('div'), { className: 'modules-species-group' });
    group.dataset.species = String(s.id);
    const head = document.createElement('h3');
    const mark = Object.assign(document.createElement('span'), { className: 'compare-swatch' });
    mark.style.background = speciesColor(s.id);
    const scored = s.members.filter((m) => m.accuracy != null);
    const best = scored.length ? ` \u00B7 best ${percent(scored[0].accuracy)}` : '';
    head.append(mark, ` species ${s.id} `, Object.assign(document.createElement('span'), { textContent: `${s.members.length} module${s.members.length === 1 ? '' : 's'}${best}` }));
    const table = Object.assign(document.createElement('table'), { className: 'compare-table modules-members' });
    const body = table.createTBody();
    for (const m of s.members) {
      const tr = body.insertRow();
      tr.dataset.module = String(m.index);
      tr.insertCell().textContent = m.layers;
      tr.insertCell().textContent = m.accuracy == null ? 'unused' : percent(m.accuracy);
      tr.insertCell().textContent = `${m.networks} network${m.networks === 1 ? '' : 's'}`;
    }
    group.append(head, table);
    return group;
  }));
}

