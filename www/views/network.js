// The network view: a genome drawn as a layered SVG graph, and the per-node heatmap tooltip.

import { drawGrid } from './plot.js';

import { layoutNetwork, routePath } from './layout.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const POSITIVE = '#0877bd';
const NEGATIVE = '#f59322';
const UNKNOWN = '#999';
const DEFAULT_SIZE = { width: 400, height: 300 };
const TOOLTIP_PX = 90;

const ACTIVATION_LABELS = {
  sigmoid: 'sig', tanh: 'tanh', relu: 'relu', gaussian: 'gauss', sine: 'sin',
  abs: 'abs', square: 'sq', identity: 'id', mult: '×', add: '+',
};
const INPUT_LABELS = { 0: 'x', 1: 'y', 2: '1' };

function svgElement(tag, attributes = {}) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function nodeLabel(node) {
  if (node.role === 'input') return INPUT_LABELS[node.id] ?? 'in';
  if (node.role === 'bias') return '1';
  if (node.role === 'output') return 'out';
  return ACTIVATION_LABELS[node.activation] ?? String(node.activation ?? '?').slice(0, 4);
}

function isSource(node) {
  return node.role === 'input' || node.role === 'bias';
}

function weightStyle(weight) {
  if (weight === null || weight === undefined || !Number.isFinite(Number(weight))) {
    return { color: UNKNOWN, width: 0.5 };
  }
  const w = Number(weight);
  return { color: w >= 0 ? POSITIVE : NEGATIVE, width: Math.min(6, Math.max(0.5, Math.abs(w) * 1.5)) };
}

function formatWeight(weight) {
  return Number.isFinite(Number(weight)) && weight !== null ? Number(weight).toFixed(3) : 'n/a';
}

function drawConnection(conn, route, across) {
  const { color, width } = weightStyle(conn.weight);
  const path = svgElement('path', {
    d: routePath(route, across), 'data-from': conn.from, 'data-to': conn.to,
    fill: 'none', stroke: color, 'stroke-width': width, 'stroke-opacity': 0.75,
    'stroke-linecap': 'round', class: 'conn',
  });
  const title = svgElement('title');
  title.textContent = `weight ${formatWeight(conn.weight)} (${conn.from} → ${conn.to}, innovation ${conn.innovation})`;
  path.appendChild(title);
  return path;
}

function drawNode(node, position, radius, onHover) {
  const group = svgElement('g', {
    class: 'node', 'data-node-id': node.id, 'data-activation': node.activation ?? '',
    'data-role': node.role ?? '', transform: `translate(${position.x} ${position.y})`, tabindex: 0,
  });
  const fill = node.role === 'output' ? '#e8f1f8' : isSource(node) ? '#f4f5f6' : '#fff';
  group.appendChild(svgElement('circle', {
    r: radius, fill, stroke: '#555', 'stroke-width': node.role === 'output' ? 2 : 1.2,
  }));
  const text = nodeLabel(node);
  const label = svgElement('text', {
    'text-anchor': 'middle', 'dominant-baseline': 'central', fill: '#333', 'pointer-events': 'none',
    'font-size': Math.max(7, radius * (text.length > 3 ? 0.56 : 0.72)),
  });
  label.textContent = text;
  group.appendChild(label);
  const title = svgElement('title');
  title.textContent = `node ${node.id} (${node.role}${node.activation ? `, ${node.activation}` : ''})`;
  group.appendChild(title);
  const enter = () => onHover(node.id);
  const leave = () => onHover(null);
  group.addEventListener('mouseenter', enter);
  group.addEventListener('mouseleave', leave);
  group.addEventListener('focus', enter);
  group.addEventListener('blur', leave);
  return group;
}

function validNodes(genome) {
  const nodes = genome && Array.isArray(genome.nodes) ? genome.nodes : [];
  const seen = new Set();
  return nodes.filter((node) => {
    if (!node || !Number.isFinite(node.id) || seen.has(node.id)) return false;
    seen.add(node.id);
    return true;
  });
}

/** Clears `svg` and draws the genome: layered nodes (layout.js), enabled connections sized by |weight|. */
export function drawNetwork(svg, genome, { onHover = () => {} } = {}) {
  const width = svg.clientWidth || DEFAULT_SIZE.width;
  const height = svg.clientHeight || DEFAULT_SIZE.height;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.replaceChildren();
  const nodes = validNodes(genome);
  if (nodes.length === 0) return;
  const conns = genome && Array.isArray(genome.conns) ? genome.conns : [];
  const { radius, across, positions, routes } = layoutNetwork(nodes, conns, { width, height });
  const edgeLayer = svgElement('g', { class: 'conns' });
  for (const [index, route] of routes) edgeLayer.appendChild(drawConnection(conns[index], route, across));
  const nodeLayer = svgElement('g', { class: 'nodes' });
  for (const node of nodes) nodeLayer.appendChild(drawNode(node, positions.get(node.id), radius, onHover));
  svg.append(edgeLayer, nodeLayer);
}

function findNodeGroup(svg, nodeId) {
  for (const group of svg.querySelectorAll('g.node')) {
    if (group.getAttribute('data-node-id') === String(nodeId)) return group;
  }
  return null;
}

const tooltips = new WeakMap(); // svg -> its tooltip div

function tooltipFor(svg) {
  const parent = svg.parentElement;
  if (!parent) return null;
  const cached = tooltips.get(svg);
  if (cached && cached.parentElement === parent) return cached;
  const tooltip = document.createElement('div');
  tooltip.className = 'node-tooltip';
  tooltip.hidden = true;
  const canvas = document.createElement('canvas');
  canvas.style.width = `${TOOLTIP_PX}px`;
  canvas.style.height = `${TOOLTIP_PX}px`;
  const caption = document.createElement('div');
  caption.className = 'node-tooltip-caption';
  tooltip.append(canvas, caption);
  parent.insertBefore(tooltip, svg.nextSibling);
  tooltips.set(svg, tooltip);
  return tooltip;
}

function gridRangeText(grid) {
  if (!grid || !grid.values) return 'no activations yet';
  let min = Infinity;
  let max = -Infinity;
  for (const v of grid.values) {
    if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
  }
  if (min > max) return 'no finite values';
  const format = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : v.toFixed(2));
  return `${format(min)} … ${format(max)}`;
}

function placeTooltip(tooltip, group, parent) {
  const parentRect = parent.getBoundingClientRect();
  const nodeRect = group.getBoundingClientRect();
  const gap = 8;
  let left = nodeRect.right - parentRect.left + gap;
  if (left + tooltip.offsetWidth > parent.clientWidth) {
    left = Math.max(0, nodeRect.left - parentRect.left - gap - tooltip.offsetWidth);
  }
  const centre = nodeRect.top - parentRect.top + nodeRect.height / 2;
  const top = Math.max(0, Math.min(centre - tooltip.offsetHeight / 2, parent.clientHeight - tooltip.offsetHeight));
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${top}px`;
}

/** Shows `grid` (raw values, normalised) as a small heatmap beside node `nodeId`; null hides it. */
export function showNodeGrid(svg, nodeId, grid) {
  const tooltip = tooltipFor(svg);
  if (!tooltip) return;
  const group = nodeId === null || nodeId === undefined ? null : findNodeGroup(svg, nodeId);
  if (!group) {
    tooltip.hidden = true;
    return;
  }
  const [canvas, caption] = tooltip.children;
  tooltip.hidden = false;
  canvas.hidden = !grid;
  const node = group.getAttribute('data-activation') || group.getAttribute('data-role');
  caption.textContent = `node ${nodeId} · ${node} · ${gridRangeText(grid)}`;
  if (grid) drawGrid(canvas, grid, { normalize: true });
  placeTooltip(tooltip, group, svg.parentElement);
}
