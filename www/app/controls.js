// What every scene's controls share: the error banner, and settings put into their controls.
import { writtenIn } from './state.js';

/**
 * Fills `fieldset` with a checkbox per name of a list key's schema row `doc`, each labelled and
 * explained as the schema says, `data-testid` `${prefix}-${name}`; returns the boxes.
 */
export function buildCheckboxes(fieldset, doc, prefix, className = '') {
  const labels = doc.labels.length ? doc.labels : doc.names;
  return doc.names.map((name, k) => {
    const label = Object.assign(document.createElement('label'), { className, title: doc.helps[k] ?? '' });
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: name });
    box.dataset.testid = `${prefix}-${name}`;
    label.append(box, ` ${labels[k]}`);
    fieldset.append(label);
    return box;
  });
}

/**
 * Fills `group` with a radio tile (a button with a canvas to draw on) per name of an enum key's
 * schema row `doc`, named by the name's label; the group is a radiogroup named by the key's
 * label. Returns the tiles, each carrying its name as `data-value`.
 */
export function buildTiles(group, doc, className) {
  group.setAttribute('role', 'radiogroup');
  group.setAttribute('aria-label', doc.label);
  const tiles = doc.names.map((name, k) => {
    const label = doc.labels[k] ?? name;
    const tile = Object.assign(document.createElement('button'), { type: 'button', className, title: label });
    tile.setAttribute('role', 'radio');
    tile.setAttribute('aria-label', label);
    tile.dataset.value = name;
    tile.append(Object.assign(document.createElement('canvas'), { width: 48, height: 48 }));
    return tile;
  });
  group.append(...tiles);
  return tiles;
}

/** Names a problem on the page's banner (an empty message clears it). */
export function showError(message) {
  document.querySelector('[data-testid="error"]').textContent = message;
}

/** A setting the link leaves out (its default) as a person types it: the config holds f32
 *  values, whose seven significant digits are all a link ever writes (0.05, not 0.0500000007). */
const asTyped = (value) => (typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(7))) : value);

/**
 * Puts every setting into the controls carrying `attribute` (data-key, data-cell-key), numbers
 * as `link` writes them (not as f32 noise), `values` for the keys the link leaves out; each
 * control's `<output data-for>` echoes it.
 */
export function putSettings(attribute, link, values) {
  const written = writtenIn(link);
  for (const input of document.querySelectorAll(`[${attribute}]`)) {
    const key = input.getAttribute(attribute);
    // A setting that is off (`cell=`, none) is the empty choice.
    input.value = written.get(key) ?? asTyped(values[key] ?? '');
    const out = document.querySelector(`output[data-for="${key}"]`);
    if (out) out.textContent = input.value;
  }
}
