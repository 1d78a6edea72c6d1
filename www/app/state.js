// The UI state <-> link: settings live in the URL hash; the wasm config checks and rewrites them.
import init, { parseLink, defaultLink, encodePoints, schema, linkWith as withKey, linkWithout as withoutKeys, linkValue, linkPairs, planeExtent } from '../pkg/evonas.js';

export { planeExtent };

/** Every link key (scene, kind, default, bounds or names, doc), as wasm's schema lists them. */
let keys = [];

/** Loads the wasm module on the main thread (it reads and writes links) and the schema. */
export const engineReady = init().then(() => {
  keys = schema();
});

/** The schema's row for `key` as `scene` (neat or cells) reads it. */
export function keyDoc(key, scene = 'neat') {
  return keys.find((k) => k.key === key && (k.scene === scene || k.scene === 'all'));
}

/** The schema's row for `key` and the place of `name` among its names (-1 where it is none). */
function nameAt(key, name, scene) {
  const doc = keyDoc(key, scene);
  return [doc, doc ? doc.names.indexOf(name) : -1];
}

/** The label the schema gives `name`, one of `key`'s names (a strategy's, a dataset's), else the name. */
export function labelOf(key, name, scene = 'neat') {
  const [doc, k] = nameAt(key, name, scene);
  return k >= 0 && doc.labels.length ? doc.labels[k] : name;
}

/** What the schema says `name`, one of `key`'s names, means (empty where it says nothing). */
export function helpOf(key, name, scene = 'neat') {
  const [doc, k] = nameAt(key, name, scene);
  return (k >= 0 && doc.helps[k]) || '';
}

/** The keys `scene` reads that are part of `part` (`experiment`, `comparison`, `page`). */
export function keysIn(part, scene = 'neat') {
  return keys.filter((k) => k.part === part && (k.scene === scene || k.scene === 'all')).map((k) => k.key);
}

/** The keys that say how the page shows a run, never what runs (`tour`, `embed`, `theme`...),
 *  in any scene, and the link's version. */
export function pageKeys() {
  return ['v', ...new Set(keys.filter((k) => k.part === 'page').map((k) => k.key))];
}

/** The names an enum or list key allows, in the schema's order. */
export function namesOf(key, scene = 'neat') {
  return keyDoc(key, scene)?.names ?? [];
}

/**
 * Gives every control carrying `attribute` (data-key, data-cell-key) its key's label, its
 * bounds, a menu its key's names (with their labels), and, where the page gives it none, its
 * key's one-line doc as help text: the HTML lists none of them.
 */
export function applySchema(attribute, scene) {
  for (const control of document.querySelectorAll(`[${attribute}]`)) {
    const doc = keyDoc(control.getAttribute(attribute), scene);
    if (!doc) throw new Error(`${control.getAttribute(attribute)}: a control for a key the schema does not list`);
    if (control.type === 'number' || control.type === 'range') {
      control.min = String(doc.min);
      control.max = String(doc.max);
    }
    if (control.tagName === 'SELECT' && control.options.length === 0) {
      const labels = doc.labels.length ? doc.labels : doc.names;
      control.append(...doc.names.map((name, k) => Object.assign(document.createElement('option'), { value: name, textContent: labels[k] })));
    }
    if (!control.title && !control.closest('label')?.title) control.title = doc.doc;
    nameControl(control, doc.label);
  }
}

/** Writes the key's label at the head of the control's `<label>` (the HTML names none), and
 *  names the control by it alone: a slider's label also holds its value's `<output>`, which
 *  would otherwise be read as part of its name. */
function nameControl(control, text) {
  control.setAttribute('aria-label', text);
  const label = control.closest('label');
  if (!label) return;
  let name = label.querySelector(':scope > .key-label');
  if (!name) {
    name = Object.assign(document.createElement('span'), { className: 'key-label' });
    label.prepend(name, ' ');
  }
  name.textContent = text;
}

/** Reads a link: `{config, link}` when valid, else the defaults with `error` set. */
export function readLink(text) {
  const body = text.replace(/^[#?]/, '');
  try {
    const parsed = parseLink(body);
    // The core reads every scene's links; the page shows only the scenes it has views for.
    if (!PAGE_SCENES.includes(parsed.config.scene)) throw new Error(`scene=${parsed.config.scene}: ${UNSHOWN}`);
    return { ...parsed, error: '' };
  } catch (error) {
    return { ...parseLink(defaultLink()), error: String(error?.message ?? error) };
  }
}

/** The scenes the page has views for (the core may read links of scenes still to come). */
const PAGE_SCENES = ['neat', 'cells', 'recurrent', 'modules'];
const UNSHOWN = 'the page cannot show this scene yet; run the link with evonas run --link (see the README), the defaults run here';

/** The link with one setting changed (checked by `readLink`, which names any problem); the
 *  edit is wasm's, on the link's decoded pairs (link/edit.rs). */
export function linkWith(link, key, value) {
  return withKey(link, key, String(value));
}

/** The link without the given keys (a settings change drops the champion it carried). */
export function linkWithout(link, ...keys) {
  return withoutKeys(link, keys);
}

/** The link's settings as written, decoded: a Map of key to value text. */
export function writtenIn(link) {
  return new Map(linkPairs(link));
}

/** The value `key` has in `link`, or undefined. */
export function valueOf(link, key) {
  return linkValue(link, key);
}

/** Custom points (an array of [x, y, class, split code]) as the link's `drawn=` text. */
export function drawnText(points) {
  return encodePoints(new Float32Array(points.flat()));
}

/** Puts the link in the address bar without adding a history entry. */
export function writeHash(link) {
  history.replaceState(null, '', `#${link}`);
}
