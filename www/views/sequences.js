// The task made visible, as SVG: a few test sequences (the adding problem's numbers, the symbols of temporal order and Reber strings), what each should give and what the cells read out.

const SVG = 'http://www.w3.org/2000/svg';
const VIEW = { width: 900, row: 64, gap: 14, text: 250, font: 14 };
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
  const step = Math.min(16, width / Math.max(1, example.symbols.length));
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
    const y = top + 32 + k * 18;
    const detail = example.values.length ? '' : ` (${Math.round(r.value * 100)}% on the answer)`;
    group.append(text(x, y, `${r.right ? '\u2713' : '\u2717'} ${r.cell}: ${r.answer}${detail}`, { fill: r.right ? RIGHT : WRONG }));
  });
  return group;
}

/** Draws `examples` (wasm's `examples()`) into `svg`, one row each; an empty list clears it. */
export function drawSequences(svg, examples) {
  const rows = examples ?? [];
  const height = Math.max(VIEW.row, rows.length * (VIEW.row + VIEW.gap));
  svg.setAttribute('viewBox', `0 0 ${VIEW.width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
  const width = VIEW.width - VIEW.text - 20;
  svg.replaceChildren(...rows.map((example, k) => {
    const top = k * (VIEW.row + VIEW.gap);
    const group = make('g', { class: 'sequence', 'data-testid': 'recurrent-sequence' });
    group.append(example.values.length ? bars(example, top, width) : symbols(example, top, width));
    group.append(answers(example, top, width + 20));
    return group;
  }));
}
