// The population gallery: one decision-boundary thumbnail per genome, grouped by species.

import { paintAtlas } from './plot.js';
import { fitnessText } from './numbers.js';

/** Each gallery's atlas of thumbnails (plot.js paintAtlas), kept for slides that draw the view. */
const atlases = new WeakMap();
/** The rule that gives the thumbnails their atlas: one rule, parsed once, since a custom
 *  property holding the image's data URL was parsed again for each thumbnail (about 90 ms of
 *  style for a hundred). A constructed sheet is CSSOM, which the page's CSP allows. */
const atlasSheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, atlasSheet];

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

/** The gallery's grids painted into `container`'s atlas, which its thumbnails show as their
 *  background (`--atlas`, each at its own position); none when the grids are missing or short. */
function atlasFor(container, gallery, count) {
  const n = Math.floor(Number(gallery?.n));
  if (!(n > 0 && count > 0) || !gallery.grids || gallery.grids.length < count * n * n) return null;
  const canvas = atlases.get(container) ?? document.createElement('canvas');
  atlases.set(container, canvas);
  const columns = Math.ceil(Math.sqrt(count));
  paintAtlas(canvas, gallery.grids, n, count, columns);
  container.dataset.atlas = container.dataset.atlas ?? String(atlasSheet.cssRules.length);
  const size = `${(100 * canvas.width) / n}% ${(100 * canvas.height) / n}%`;
  const rule = `[data-atlas="${container.dataset.atlas}"] .thumb-image { background-image: url("${canvas.toDataURL()}"); background-size: ${size}; }`;
  atlasSheet.replaceSync(rule);
  return { n, columns, width: canvas.width, height: canvas.height };
}

/** The thumbnail image of item `position`: its cell of the atlas, framed out (see paintAtlas). */
function thumbImage(atlas, position) {
  const image = document.createElement('span');
  image.className = 'thumb-image';
  if (!atlas) return image;
  const { n, columns } = atlas;
  const [x, y] = [(position % columns) * (n + 2) + 1, Math.floor(position / columns) * (n + 2) + 1];
  // A percentage position p puts the image's p% on the box's p%: x / (width - n) puts pixel x
  // at the box's left edge, whatever size the box has.
  image.style.backgroundPosition = `${(100 * x) / (atlas.width - n)}% ${(100 * y) / (atlas.height - n)}%`;
  image.dataset.sprite = `${x} ${y} ${n}`;
  return image;
}

/** The atlas a thumbnail image shows and its part of it, `{image, x, y, side}` (for slides). */
export function spriteOf(element) {
  const image = atlases.get(element.closest('.gallery'));
  const [x, y, side] = (element.dataset.sprite ?? '').split(' ').map(Number);
  return image && side > 0 ? { image, x, y, side } : null;
}

function thumbButton(item, index, image, isSelected, onSelect) {
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
  button.appendChild(image);
  button.addEventListener('click', () => onSelect(index));
  return button;
}

function speciesGroup(species, members, atlas, selectedIndex, onSelect) {
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
    row.appendChild(thumbButton(item, index, thumbImage(atlas, position), index === selectedIndex, onSelect));
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
  const items = gallery && Array.isArray(gallery.items) ? gallery.items : [];
  const fragment = document.createDocumentFragment();
  if (items.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'gallery-empty';
    empty.textContent = 'No genomes yet.';
    fragment.appendChild(empty);
  }
  const atlas = atlasFor(container, gallery, items.length);
  for (const [species, members] of groupBySpecies(items)) {
    fragment.appendChild(speciesGroup(species, members, atlas, selectedIndex, onSelect));
  }
  container.replaceChildren(fragment);
}
