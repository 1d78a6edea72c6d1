// The population gallery: one decision-boundary thumbnail per genome, grouped by species.

import { drawGrid } from './plot.js';
import { fitnessText } from './numbers.js';

const THUMB_PX = 56;

function percent(v) {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—';
}


/** A learning rate in three significant digits. */
export function lrText(v) {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : '?';
}

function countText(v) {
  return Number.isFinite(v) ? String(v) : '?';
}

/** Items in species groups, keeping the order in which species first appear. */
function groupBySpecies(items) {
  const groups = new Map();
  items.forEach((item, position) => {
    if (!item) return;
    const species = item.species ?? '?';
    if (!groups.has(species)) groups.set(species, []);
    groups.get(species).push({ item, position });
  });
  return groups;
}

function itemGrid(gallery, position) {
  const n = Math.floor(Number(gallery.n));
  const grids = gallery.grids;
  if (!(n > 0) || !grids || grids.length < (position + 1) * n * n) return null;
  return { n, values: grids.subarray(position * n * n, (position + 1) * n * n) };
}

function thumbButton(item, index, grid, isSelected, onSelect, dpr) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = isSelected ? 'thumb selected' : 'thumb';
  button.dataset.testid = 'gallery-item';
  button.dataset.index = String(index);
  button.setAttribute('aria-pressed', isSelected ? 'true' : 'false');
  button.setAttribute('aria-label', `Network ${index + 1}: test accuracy ${percent(item.test_accuracy)}, ${countText(item.nodes)} nodes`);
  button.title = `fitness ${fitnessText(item.fitness)}, test ${percent(item.test_accuracy)}, `
    + `${countText(item.nodes)} nodes / ${countText(item.connections)} conns`
    + (item.hyper ? `, lr ${lrText(item.hyper.lr)}, ${item.hyper.steps} steps` : '');
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(THUMB_PX * dpr);
  canvas.height = Math.round(THUMB_PX * dpr);
  canvas.style.width = `${THUMB_PX}px`;
  canvas.style.height = `${THUMB_PX}px`;
  // Drawn while detached: drawGrid keeps the backing store set above, so nothing forces layout.
  drawGrid(canvas, grid);
  button.appendChild(canvas);
  button.addEventListener('click', () => onSelect(index));
  return button;
}

function speciesGroup(species, members, gallery, selectedIndex, onSelect, dpr) {
  const group = document.createElement('div');
  group.className = 'gallery-group';
  group.dataset.species = String(species);
  const caption = document.createElement('div');
  caption.className = 'gallery-caption';
  caption.textContent = species === '?' ? `not yet trained · ${members.length}` : `species ${species} · ${members.length}`;
  const row = document.createElement('div');
  row.className = 'gallery-items';
  for (const { item, position } of members) {
    const index = Number.isFinite(item.index) ? item.index : position;
    const grid = itemGrid(gallery, position);
    row.appendChild(thumbButton(item, index, grid, index === selectedIndex, onSelect, dpr));
  }
  group.append(caption, row);
  return group;
}

/**
 * Rebuilds `container` with one button per gallery item, grouped by species; the item whose
 * index equals `selected` is marked. Clicking an item calls onSelect(index).
 */
export function renderGallery(container, gallery, selected, onSelect = () => {}) {
  const selectedIndex = selected === null || selected === undefined ? NaN : Number(selected);
  const dpr = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
  const items = gallery && Array.isArray(gallery.items) ? gallery.items : [];
  const fragment = document.createDocumentFragment();
  if (items.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'gallery-empty';
    empty.textContent = 'No genomes yet.';
    fragment.appendChild(empty);
  }
  for (const [species, members] of groupBySpecies(items)) {
    fragment.appendChild(speciesGroup(species, members, gallery, selectedIndex, onSelect, dpr));
  }
  container.replaceChildren(fragment);
}
