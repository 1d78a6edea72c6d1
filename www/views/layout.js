// A network's layered drawing (Sugiyama's method): rows by longest path, long connections routed through bend points of their own, rows ordered to cut crossings, and no two nodes (or a node and a bend) closer than their radii allow.
// Pure: it knows no DOM, so node tests reach it.

/** Sweeps of the barycentre ordering (each one up and one down); a few settle small networks. */
const SWEEPS = 6;
/** Node radius bounds in CSS pixels, and the gap kept between a node and anything beside it. */
const RADIUS = { max: 16, min: 5 };
const GAP = 4;

const isSource = (node) => node.role === 'input' || node.role === 'bias';

/**
 * Row of every node: inputs and bias 0; a hidden node one above the highest of the nodes
 * feeding it over enabled connections (1 when none does), so every connection between hidden
 * nodes runs upward; the output alone on the top row.
 */
export function assignRows(nodes, conns) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const incoming = new Map();
  for (const conn of conns) {
    if (!conn || !conn.enabled || !byId.has(conn.from) || !byId.has(conn.to)) continue;
    if (!incoming.has(conn.to)) incoming.set(conn.to, []);
    incoming.get(conn.to).push(conn.from);
  }
  const rows = new Map();
  const visiting = new Set();
  const rowOf = (id) => {
    if (rows.has(id)) return rows.get(id);
    if (isSource(byId.get(id))) return rows.set(id, 0).get(id);
    if (visiting.has(id)) return 0; // a cycle: not a DAG, do not recurse forever
    visiting.add(id);
    let row = 1;
    for (const from of incoming.get(id) ?? []) {
      if (byId.get(from).role !== 'output') row = Math.max(row, rowOf(from) + 1);
    }
    visiting.delete(id);
    return rows.set(id, row).get(id);
  };
  let topHidden = 0;
  for (const node of nodes) if (node.role !== 'output') topHidden = Math.max(topHidden, rowOf(node.id));
  for (const node of nodes) if (node.role === 'output') rows.set(node.id, topHidden + 1);
  return rows;
}

/**
 * The rows as lists of vertices (`{key, node}` for a node, `{key, edge}` for a bend point),
 * and each drawn connection's chain of vertex keys, bottom to top. A connection spanning k
 * rows gets k - 1 bend points, one per row it crosses, so that it takes a place in each
 * row's order and no node is put on its way. One whose end is not above its start (a
 * recurrent link) is drawn as it is, without bends.
 */
function buildRows(nodes, conns, rows) {
  const layers = [];
  const at = (row) => (layers[row] ??= []);
  for (const node of [...nodes].sort((a, b) => a.id - b.id)) at(rows.get(node.id)).push({ key: `n${node.id}`, node });
  const chains = [];
  conns.forEach((conn, index) => {
    if (!conn || !conn.enabled || !rows.has(conn.from) || !rows.has(conn.to)) return;
    const [low, high] = [rows.get(conn.from), rows.get(conn.to)];
    const chain = [`n${conn.from}`];
    for (let row = low + 1; row < high; row++) {
      const key = `e${index}r${row}`;
      at(row).push({ key, edge: index });
      chain.push(key);
    }
    chain.push(`n${conn.to}`);
    chains.push({ index, chain });
  });
  for (let row = 0; row < layers.length; row++) at(row);
  return { layers, chains };
}

/** Each vertex's neighbours in the row below and the row above. */
function neighbours(chains) {
  const below = new Map();
  const above = new Map();
  const add = (map, key, other) => (map.get(key) ?? map.set(key, []).get(key)).push(other);
  for (const { chain } of chains) {
    for (let i = 1; i < chain.length; i++) {
      add(below, chain[i], chain[i - 1]);
      add(above, chain[i - 1], chain[i]);
    }
  }
  return { below, above };
}

/** Reorders each row by the mean place of its neighbours in the row before (sweeping up,
 *  then down); a vertex without any keeps its place. The inputs' row stays as it is (x, y,
 *  bias), so every drawing starts from the same reading order. */
function orderRows(layers, { below, above }) {
  const place = new Map();
  const index = (layer) => layer.forEach((v, i) => place.set(v.key, i / Math.max(1, layer.length - 1)));
  layers.forEach(index);
  const sortBy = (layer, links) => {
    const key = (v, i) => {
      const others = (links.get(v.key) ?? []).filter((k) => place.has(k));
      return others.length ? others.reduce((sum, k) => sum + place.get(k), 0) / others.length : place.get(v.key) ?? i;
    };
    const keyed = layer.map((v, i) => ({ v, k: key(v, i), i }));
    keyed.sort((a, b) => a.k - b.k || a.i - b.i);
    keyed.forEach(({ v }, i) => (layer[i] = v));
    index(layer);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let row = 1; row < layers.length; row++) sortBy(layers[row], below);
    for (let row = layers.length - 2; row >= 1; row--) sortBy(layers[row], above);
  }
}

/** Half the room a vertex takes in its row: a node its radius and the gap, a bend point less. */
const halfWidth = (v, radius) => (v.node ? radius + GAP : radius * 0.5 + GAP);

/**
 * X of each vertex in one row: as near as the row's order allows to where its neighbours
 * below (or, for the bottom row, the even spread) put it, each at least its half width plus
 * its neighbour's from the next, all within [left, right].
 */
function placeRow(layer, wanted, radius, left, right) {
  const n = layer.length;
  if (n === 0) return [];
  const sep = (i) => halfWidth(layer[i - 1], radius) + halfWidth(layer[i], radius);
  let total = 0;
  for (let i = 1; i < n; i++) total += sep(i);
  // Too many for the width: spread evenly at the widths scaled to fit.
  const scale = total > right - left ? (right - left) / total : 1;
  const xs = layer.map((_, i) => Math.min(right, Math.max(left, wanted[i])));
  for (let i = 1; i < n; i++) xs[i] = Math.max(xs[i], xs[i - 1] + sep(i) * scale);
  if (xs[n - 1] > right) xs[n - 1] = right;
  for (let i = n - 2; i >= 0; i--) xs[i] = Math.min(xs[i], xs[i + 1] - sep(i + 1) * scale);
  if (xs[0] < left) {
    xs[0] = left;
    for (let i = 1; i < n; i++) xs[i] = Math.max(xs[i], xs[i - 1] + sep(i) * scale);
  }
  return xs;
}

/** The largest radius (within RADIUS) at which every row fits side by side and rows keep apart. */
function fitRadius(layers, width, rowGap) {
  let radius = Math.min(RADIUS.max, rowGap / 2 - GAP);
  for (const layer of layers) {
    const nodes = layer.filter((v) => v.node).length;
    const bends = layer.length - nodes;
    // nodes * 2(r + GAP) + bends * 2(r/2 + GAP) <= width
    if (layer.length) radius = Math.min(radius, (width - 2 * GAP * layer.length) / (2 * nodes + bends));
  }
  return Math.max(RADIUS.min, radius);
}

/** Rows bottom-up in `width` x `height`: the radius, and each vertex's point by key. */
function layoutRows(layers, chains, width, height) {
  const top = Math.max(1, layers.length - 1);
  const margin = RADIUS.max + GAP + 2;
  const rowGap = (height - 2 * margin) / top;
  const radius = fitRadius(layers, width - 2 * margin, rowGap);
  const [left, right] = [radius + GAP, width - radius - GAP];
  const point = new Map();
  const { below } = neighbours(chains);
  layers.forEach((layer, row) => {
    const y = height - margin - row * rowGap;
    const even = layer.map((_, i) => left + ((i + 0.5) / layer.length) * (right - left));
    const wanted = layer.map((v, i) => {
      const from = (below.get(v.key) ?? []).filter((k) => point.has(k));
      return row === 0 || from.length === 0 ? even[i] : from.reduce((sum, k) => sum + point.get(k).x, 0) / from.length;
    });
    placeRow(layer, wanted, radius, left, right).forEach((x, i) => point.set(layer[i].key, { x, y }));
  });
  return { radius, point };
}

/** How much larger the nodes must come out with the rows left to right before the drawing
 *  leaves the bottom-up reading of NEAT's figures (a deep network in a wide view). */
const ACROSS_GAIN = 1.25;

/**
 * Lays out a network in `width` x `height` CSS pixels: rows bottom-up (inputs at the bottom,
 * the output at the top), or left to right (inputs at the left, x above y) when that draws
 * the nodes markedly larger. Returns the node radius, whether the rows run `across`, each
 * node's position by id and each drawn connection's route (its index in `conns` to the points
 * it passes, from its start to its end).
 */
export function layoutNetwork(nodes, conns, { width, height }) {
  const rows = assignRows(nodes, conns);
  const { layers, chains } = buildRows(nodes, conns, rows);
  orderRows(layers, neighbours(chains));
  const up = layoutRows(layers, chains, width, height);
  const turned = layoutRows(layers, chains, height, width);
  const across = turned.radius > up.radius * ACROSS_GAIN;
  // Turned: the bottom-up drawing of a height x width box, its bottom put at the left.
  const at = across ? (p) => ({ x: width - p.y, y: p.x }) : (p) => p;
  const { radius, point } = across ? turned : up;
  const positions = new Map(nodes.map((node) => [node.id, at(point.get(`n${node.id}`))]));
  const routes = new Map(chains.map(({ index, chain }) => [index, chain.map((key) => at(point.get(key)))]));
  return { radius, across, positions, routes };
}

/** An SVG path through `points`: each stretch a cubic that leaves and arrives along the flow
 *  (vertically, or horizontally when the rows run `across`), so a route through bend points
 *  reads as one smooth line. */
export function routePath(points, across = false) {
  const [first, ...rest] = points;
  let d = `M ${first.x} ${first.y}`;
  let from = first;
  for (const to of rest) {
    if (across) {
      const midX = (from.x + to.x) / 2;
      d += ` C ${midX} ${from.y}, ${midX} ${to.y}, ${to.x} ${to.y}`;
    } else {
      const midY = (from.y + to.y) / 2;
      d += ` C ${from.x} ${midY}, ${to.x} ${midY}, ${to.x} ${to.y}`;
    }
    from = to;
  }
  return d;
}
