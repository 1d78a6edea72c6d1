// The run's history on the main thread. The run's worker posts only the entries new since its
// last frame (`historyFrom`, `history`); this copy appends them (a frame from 0, a reset's,
// starts it afresh) and keeps what the charts draw in buckets of `stride` generations, at
// most 2 x BUCKETS of them: a frame costs per new entry and a draw per bucket, whatever the
// generation count. Up to 2 x BUCKETS generations every bucket is one generation, drawn as it
// is; past that the stride doubles, a line keeps each bucket's lowest and highest value (in
// their order) and the species chart each bucket's last generation.

const BUCKETS = 256;
/** The chart lines, as history entries name them. */
export const LINES = ['best_fitness', 'mean_fitness', 'best_train_accuracy', 'best_test_accuracy'];

/** Lowest and highest finite value of one line in a bucket, with their generations. */
function extremes(x, y) {
  return Number.isFinite(y) ? { lo: y, loX: x, hi: y, hiX: x } : null;
}

function mergeExtremes(a, b) {
  if (!a || !b) return a ?? b;
  const low = b.lo < a.lo ? b : a;
  const high = b.hi > a.hi ? b : a;
  return { lo: low.lo, loX: low.loX, hi: high.hi, hiX: high.hiX };
}

function speciesOf(entry) {
  return Array.isArray(entry?.species) ? entry.species.filter(([, size]) => Number.isFinite(size) && size > 0) : [];
}

export class RunHistory {
  constructor() {
    this.clear();
  }

  clear() {
    /** Every entry, as the run's `history` has them. */
    this.entries = [];
    this.stride = 1;
    /** `{x0, x1, n, lines: [extremes per LINES], species}`: generations x0 to x1 (n of them),
     *  and the species sizes of the last. */
    this.buckets = [];
    /** Species id -> its order of first appearance (the stacking order). */
    this.rank = new Map();
    /** The accuracy chart's floor: 0.5, or lower to the tenth where an accuracy fell below it. */
    this.floor = 0.5;
    /** The most genomes in species at any generation (the species chart's height). */
    this.maxTotal = 0;
  }

  get length() {
    return this.entries.length;
  }

  /** Takes a frame's new entries, which start at index `from`; returns false (taking none)
   *  when they do not follow on from the entries held. */
  take(from, entries) {
    if (from === 0) this.clear();
    if (from !== this.entries.length) return false;
    for (const entry of entries) this.push(entry);
    return true;
  }

  push(entry) {
    const x = Number.isFinite(entry?.generation) ? entry.generation : this.entries.length + 1;
    this.entries.push(entry);
    const species = speciesOf(entry);
    let total = 0;
    for (const [id, size] of species) {
      if (!this.rank.has(id)) this.rank.set(id, this.rank.size);
      total += size;
    }
    this.maxTotal = Math.max(this.maxTotal, total);
    for (const v of [entry?.best_train_accuracy, entry?.best_test_accuracy]) {
      if (Number.isFinite(v)) this.floor = Math.max(0, Math.min(this.floor, Math.floor(v * 10) / 10));
    }
    const lines = LINES.map((key) => extremes(x, entry?.[key]));
    const last = this.buckets.at(-1);
    if (last && last.n < this.stride) {
      Object.assign(last, { x1: x, n: last.n + 1, species, lines: last.lines.map((e, k) => mergeExtremes(e, lines[k])) });
    } else {
      this.buckets.push({ x0: x, x1: x, n: 1, lines, species });
    }
    if (this.buckets.length > 2 * BUCKETS) this.coarsen();
  }

  /** Doubles the stride: neighbouring buckets merge. */
  coarsen() {
    const merged = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const [a, b] = [this.buckets[i], this.buckets[i + 1]];
      merged.push(b ? { x0: a.x0, x1: b.x1, n: a.n + b.n, lines: a.lines.map((e, k) => mergeExtremes(e, b.lines[k])), species: b.species } : a);
    }
    this.buckets = merged;
    this.stride *= 2;
  }

  /** One line as chart points `[x, y]` (y null breaks the line). */
  line(key) {
    const k = LINES.indexOf(key);
    const out = [];
    for (const bucket of this.buckets) {
      const e = bucket.lines[k];
      if (!e) out.push([bucket.x0, null]);
      else if (e.loX === e.hiX) out.push([e.loX, e.lo]);
      else if (e.loX < e.hiX) out.push([e.loX, e.lo], [e.hiX, e.hi]);
      else out.push([e.hiX, e.hi], [e.loX, e.lo]);
    }
    return out;
  }

  /** The stacked species areas: `xs` (one per bucket) and per species, in the order they
   *  appeared, `{id, from, top, base}`: its band over buckets from..from+top.length-1 (one
   *  bucket either side of its life, where it has no height, so its area ramps in and out). */
  speciesLayers() {
    const xs = this.buckets.map((b) => b.x1);
    const layers = new Map();
    const rankOf = (id) => this.rank.get(id);
    const stacks = this.buckets.map((b) => [...b.species].sort((p, q) => rankOf(p[0]) - rankOf(q[0])));
    // Where a species stands in bucket i: the sizes below it, and its own (0 when absent).
    const at = (i, id) => {
      let base = 0;
      for (const [other, size] of stacks[i]) {
        if (other === id) return [base, base + size];
        if (rankOf(other) > rankOf(id)) break;
        base += size;
      }
      return [base, base];
    };
    stacks.forEach((stack, i) => {
      for (const [id] of stack) {
        const layer = layers.get(id);
        if (layer) layer.last = i;
        else layers.set(id, { id, first: i, last: i });
      }
    });
    const out = [...layers.values()].sort((a, b) => rankOf(a.id) - rankOf(b.id)).map(({ id, first, last }) => {
      const from = Math.max(0, first - 1);
      const to = Math.min(xs.length - 1, last + 1);
      const top = [];
      const base = [];
      for (let i = from; i <= to; i++) {
        const [low, high] = at(i, id);
        base.push(low);
        top.push(high);
      }
      return { id, from, top, base };
    });
    // A lone generation is drawn one generation wide, so its areas show.
    if (xs.length === 1) {
      xs.push(xs[0] + 1);
      for (const layer of out) {
        layer.top.push(layer.top[0]);
        layer.base.push(layer.base[0]);
      }
    }
    return { xs, layers: out };
  }

  /** Species alive at the latest generation. */
  alive() {
    return speciesOf(this.entries.at(-1)).length;
  }
}
