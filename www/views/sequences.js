// The task made visible, as SVG: a few test sequences (the adding problem's numbers, the symbols of temporal order and Reber strings, text windows), what each should give and what the cells read out (or, after text, write).

const SVG = 'http://www.w3.org/2000/svg';
const VIEW = { width: 640, row: 70, gap: 16, text: 230, font: 16 };
const MARK = '#e8710a';
const INK = '#222';
const FAINT = '#b8c0c8';
const RIGHT = '#2a9d5c';
const WRONG = '#c0392b';

const make = (name, attrs = {}) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
const text = (x, y, content, attrs = {}) => Object.assign(make('text', { x, y, 'font-size': VIEW.font, fill: INK, 'dominant-baseline': 'central', ...attrs }), { textContent: content });

/** The adding problem's numbers as bars, the two marked ones in colour. */
function bars(example, top, width) {
  const group = make('g');
  const step = width / example.values.length;
  example.values.forEach((v, t) => {
    const h = Math.max(1, v * (VIEW.row - 8));
    const marked = example.marked.includes(t);
    group.append(make('rect', { x: t * step, y: top + VIEW.row - h, width: Math.max(1, step - 1), height: h, fill: marked ? MARK : FAINT }));
  });
  return group;
}

/** Symbols in a row; those that decide the answer in colour, the asked one as a "?". */
function symbols(example, top, width) {
  const group = make('g', { 'font-family': 'ui-monospace, monospace' });
  const step = Math.min(20, width / Math.max(1, example.symbols.length));
  example.symbols.forEach((s, t) => {
    const asked = t === example.asked;
    const marked = example.marked.includes(t);
    group.append(text(t * step + step / 2, top + VIEW.row / 2, asked ? '?' : s, {
      'text-anchor': 'middle', fill: asked || marked ? MARK : step < 10 ? FAINT : INK, 'font-weight': asked || marked ? 700 : 400,
      'font-size': Math.min(VIEW.font, step * 1.2),
    }));
  });
  return group;
}

/** The answer, then each cell's readout, right or wrong. */
function answers(example, top, x) {
  const group = make('g');
  group.append(text(x, top + 12, `answer ${example.target}`, { 'font-weight': 600 }));
  example.readouts.forEach((r, k) => {
    const y = top + 34 + k * 19;
    const detail = example.values.length ? '' : ` (${Math.round(r.value * 100)}% on the answer)`;
    group.append(text(x, y, `${r.right ? '\u2713' : '\u2717'} ${r.cell}: ${r.answer}${detail}`, { fill: r.right ? RIGHT : WRONG }));
  });
  return group;
}

/** A text window (its end, as much as fits) and what each cell writes after it. */
function written(example, top) {
  const group = make('g', { 'font-family': 'ui-monospace, monospace' });
  const fits = 62;
  const prompt = example.symbols.join('').slice(-fits + 2);
  group.append(text(0, top + 10, `\u2026${prompt}`, { fill: INK }));
  example.readouts.forEach((r, k) => {
    const y = top + 30 + k * 19;
    group.append(text(0, y, `${r.cell}: ${r.answer}`, { fill: r.right ? RIGHT : WRONG }));
    group.append(text(VIEW.width, y, `${r.value.toFixed(2)} bits/char`, { 'text-anchor': 'end', fill: r.right ? RIGHT : WRONG, 'font-family': 'inherit' }));
  });
  return group;
}

/** Draws `examples` (wasm's `examples()`) into `svg`, one row each; an empty list clears it. A
 *  text window's row shows what each cell writes after it (`GENERATED` symbols, sampled). */
export function drawSequences(svg, examples) {
  const rows = examples ?? [];
  const height = Math.max(VIEW.row, rows.length * (VIEW.row + VIEW.gap));
  svg.setAttribute('viewBox', `0 0 ${VIEW.width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
  const width = VIEW.width - VIEW.text - 20;
  svg.replaceChildren(...rows.map((example, k) => {
    const top = k * (VIEW.row + VIEW.gap);
    const group = make('g', { class: 'sequence', 'data-testid': 'recurrent-sequence' });
    if (!example.values.length && !example.target) {
      group.append(written(example, top));
      return group;
    }
    group.append(example.values.length ? bars(example, top, width) : symbols(example, top, width));
    group.append(answers(example, top, width + 20));
    return group;
  }));
}
