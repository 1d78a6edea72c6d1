// The network view's layout (www/views/layout.js), checked on its own in node: no two nodes
// overlap, every node is inside the view, and no connection runs over a node it does not join,
// for chains, wide rows and random NEAT-like networks of up to 24 nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutNetwork } from '../www/views/layout.js';

const VIEWS = [{ width: 400, height: 300 }, { width: 600, height: 340 }, { width: 320, height: 260 }];

/** A small deterministic generator (mulberry32), so a failing network can be rebuilt. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inputs 0 and 1, the bias 2 and the output 3, as every NEAT genome has them. */
function base() {
  return [
    { id: 0, role: 'input' }, { id: 1, role: 'input' }, { id: 2, role: 'bias' }, { id: 3, role: 'output', activation: 'sigmoid' },
  ];
}

const conn = (from, to, k) => ({ from, to, enabled: true, weight: 1, innovation: k });

/** A chain of `n` hidden nodes from x to the output, y and the bias joining the first. */
function chain(n) {
  const nodes = base();
  const conns = [conn(1, 4, 0), conn(2, 4, 1)];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: 4 + i, role: 'hidden', activation: 'tanh' });
    conns.push(conn(i === 0 ? 0 : 3 + i, 4 + i, conns.length));
  }
  conns.push(conn(3 + n, 3, conns.length), conn(1, 3, conns.length + 1));
  return { nodes, conns };
}

/** A random feed-forward network of `hidden` hidden nodes: each draws 1-3 inputs from the
 *  sources and the hidden nodes before it, the output from a few of them, some links disabled. */
function network(seed, hidden) {
  const next = random(seed);
  const nodes = base();
  const conns = [];
  const before = [0, 1, 2];
  for (let i = 0; i < hidden; i++) {
    const id = 4 + i;
    nodes.push({ id, role: 'hidden', activation: 'relu' });
    const k = 1 + Math.floor(next() * 3);
    for (let j = 0; j < k; j++) conns.push({ ...conn(before[Math.floor(next() * before.length)], id, conns.length), enabled: next() > 0.1 });
    before.push(id);
  }
  for (const from of before) if (next() < 0.3 || from === before.at(-1)) conns.push(conn(from, 3, conns.length));
  return { nodes, conns };
}

/** The point of a route's stretch from `a` to `b` at `t`: the cubic routePath draws, leaving
 *  and arriving along the flow (vertical, or horizontal `across`). */
function along(a, b, t, across) {
  const cubic = (p0, p1, p2, p3) => {
    const u = 1 - t;
    return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
  };
  const [midX, midY] = [(a.x + b.x) / 2, (a.y + b.y) / 2];
  return across
    ? { x: cubic(a.x, midX, midX, b.x), y: cubic(a.y, a.y, b.y, b.y) }
    : { x: cubic(a.x, a.x, b.x, b.x), y: cubic(a.y, midY, midY, b.y) };
}

function check({ nodes, conns }, view, label) {
  const { radius, across, positions, routes } = layoutNetwork(nodes, conns, view);
  assert.ok(radius >= 5, `${label}: radius ${radius}`);
  const placed = nodes.map((node) => ({ node, ...positions.get(node.id) }));
  for (const p of placed) {
    assert.ok(p.x - radius >= 0 && p.x + radius <= view.width && p.y - radius >= 0 && p.y + radius <= view.height,
      `${label}: node ${p.node.id} at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) is outside the view`);
  }
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const d = Math.hypot(placed[i].x - placed[j].x, placed[i].y - placed[j].y);
      assert.ok(d >= 2 * radius, `${label}: nodes ${placed[i].node.id} and ${placed[j].node.id} overlap (${d.toFixed(1)} apart, radius ${radius.toFixed(1)})`);
    }
  }
  // A connection never runs within half a radius of the centre of a node it does not join, so
  // it never crosses that node's label (it may graze the rim of a neighbour it leaves beside).
  let closest = Infinity;
  for (const [index, route] of routes) {
    const { from, to } = conns[index];
    for (let s = 1; s < route.length; s++) {
      for (let k = 0; k <= 40; k++) {
        const point = along(route[s - 1], route[s], k / 40, across);
        for (const p of placed) {
          if (p.node.id === from || p.node.id === to) continue;
          closest = Math.min(closest, Math.hypot(point.x - p.x, point.y - p.y) / radius);
        }
      }
    }
  }
  assert.ok(closest >= 0.5, `${label}: a connection passes ${closest.toFixed(2)} radii from the centre of a node it does not join`);
  return { radius, closest };
}

test('a chain of hidden nodes is drawn one node per row, none on another and none on the inputs', () => {
  for (const view of VIEWS) {
    for (const n of [1, 4, 10, 14]) {
      const { nodes, conns } = chain(n);
      check({ nodes, conns }, view, `chain of ${n} in ${view.width}x${view.height}`);
      // The long link from y to the output bends once per row it crosses, so it goes around the chain.
      const { routes } = layoutNetwork(nodes, conns, view);
      assert.equal(routes.get(conns.length - 1).length, n + 2, 'one bend per row crossed');
    }
  }
});

test('random networks of up to 24 nodes lay out without overlaps, the same every time', () => {
  let worst = Infinity;
  for (let seed = 1; seed <= 60; seed++) {
    const hidden = 1 + (seed % 20);
    const net = network(seed, hidden);
    for (const view of VIEWS) worst = Math.min(worst, check(net, view, `network ${seed} (${hidden} hidden) in ${view.width}x${view.height}`).closest);
    const again = layoutNetwork(net.nodes, net.conns, VIEWS[0]);
    assert.deepEqual(again, layoutNetwork(net.nodes, net.conns, VIEWS[0]), `network ${seed}: the same layout twice`);
  }
  assert.ok(worst >= 0.5, `closest pass: ${worst}`);
});

test('the inputs keep their reading order, first in the flow, and the output is alone at its end', () => {
  const seen = new Set();
  for (const [net, view] of [[network(7, 12), VIEWS[0]], [chain(14), { width: 600, height: 260 }], [chain(2), VIEWS[0]]]) {
    const { across, positions } = layoutNetwork(net.nodes, net.conns, view);
    seen.add(across);
    // Across, the drawing is the bottom-up one turned: its x the other way's y.
    const [flow, side] = across ? [(p) => p.x, (p) => p.y] : [(p) => -p.y, (p) => p.x];
    const [x, y, bias, out] = [0, 1, 2, 3].map((id) => positions.get(id));
    assert.ok(side(x) < side(y) && side(y) < side(bias), 'x, y, then the bias');
    assert.equal(flow(x), flow(y));
    for (const node of net.nodes) {
      if (node.id !== 3) assert.ok(flow(positions.get(node.id)) < flow(out), `node ${node.id} past the output`);
      if (node.role === 'hidden') assert.ok(flow(positions.get(node.id)) > flow(x), `node ${node.id} before the inputs`);
    }
  }
  assert.deepEqual([...seen].sort(), [false, true], 'a deep network in a wide view runs across, a shallow one bottom-up');
});
