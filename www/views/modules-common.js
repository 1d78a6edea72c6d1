// What the modules scene's views share: its colours (one per module species, one per baseline),
// number formats and the SVG element makers.

export const SVG = 'http://www.w3.org/2000/svg';
export const INK = '#222';
export const MUTED = '#666';
export const FAINT = '#b8c0c8';
export const RIGHT = '#2a9d5c';
export const WRONG = '#c0392b';
/** Module species k's colour (ids from 1), the same in every view. */
export const SPECIES_COLORS = ['#0877bd', '#e8710a', '#2a9d5c', '#8e6bbf', '#c0392b', '#b8860b', '#17a2b8', '#d63384', '#5b8c00', '#795548'];
export const speciesColor = (id) => (id == null ? '#5f6b76' : SPECIES_COLORS[(((id - 1) % SPECIES_COLORS.length) + SPECIES_COLORS.length) % SPECIES_COLORS.length]);
/** The baselines' names and colours. */
export const BASELINES = { cnn: { label: 'CNN', color: '#2a9d5c' }, mlp: { label: 'MLP', color: '#8e6bbf' }, logistic: { label: 'logistic', color: '#7a8590' } };
export const baselineLabel = (name) => BASELINES[name]?.label ?? name;
export const baselineColor = (name) => BASELINES[name]?.color ?? '#999';

export const percent = (v, digits = 1) => (v == null || !Number.isFinite(v) ? '\u2013' : `${(v * 100).toFixed(digits)}%`);
export const count = (n) => Number(n).toLocaleString('en-US');

export const make = (name, attrs = {}) => {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
export const text = (x, y, content, attrs = {}) => Object.assign(make('text', {
  x, y, 'font-size': 12, 'text-anchor': 'middle', 'dominant-baseline': 'central', fill: INK, ...attrs,
}), { textContent: content });
export const titled = (element, content) => {
  const title = make('title');
  title.textContent = content;
  element.append(title);
  return element;
};

