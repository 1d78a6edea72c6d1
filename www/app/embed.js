// Embed mode (only the linked views, filling an iframe, keys working inside it), the embed-code panel and Share, in either scene.
import { keyDoc, keysIn, labelOf, namesOf, readLink, linkWith, linkWithout, valueOf, writeHash } from './state.js';
import { buildCheckboxes } from './controls.js';
import { setStripNote } from './strip.js';

/** A scene's views, in the page's order, and what its embed shows when the link names none:
 *  the schema's `show` for that scene (the link's `show` picks and orders them). */
const viewsOf = (scene) => namesOf('show', scene);
const defaultViewsOf = (scene) => keyDoc('show', scene).default.split(',');
/** Each scene's views, its embed's default views, their container (each view in it carries
 *  `data-view`, its name) and key hint. */
const SCENES = {
  neat: {
    get views() { return viewsOf('neat'); },
    get defaults() { return defaultViewsOf('neat'); },
    container: '.layout > .views', hint: '\u2192 step \u00B7 space play \u00B7 r reset',
  },
  cells: {
    get views() { return viewsOf('cells'); },
    get defaults() { return defaultViewsOf('cells'); },
    container: '.cells-views', hint: 'click a cell of the population to show it',
    // Side by side, the chart and the grid take more of the width than the one cell.
    widths: { curves: 3, cell: 2, population: 3 },
  },
  recurrent: {
    get views() { return viewsOf('recurrent'); },
    get defaults() { return defaultViewsOf('recurrent'); },
    container: '.recurrent-views', hint: '\u2192 step \u00B7 space play',
  },
  modules: {
    get views() { return viewsOf('modules'); },
    get defaults() { return defaultViewsOf('modules'); },
    container: '.modules-views', hint: '\u2192 step \u00B7 space play',
  },
};
/** A view's element in its scene's page. */
const viewElement = (scene, name) => document.querySelector(`${scene.container} > [data-view="${name}"]`);
/** Keys that say how a page presents an experiment, not which experiment it is. */
const presentationKeys = () => keysIn('page');
const AWAKE_MS = { load: 4000, pointer: 2500 };
/** The snippet's frame sizes: fixed pixels, or the page's width at a slide's aspect ratio. */
export const FRAME_SIZES = {
  '800x450': { width: 800, height: 450 },
  '1280x720': { width: 1280, height: 720 },
  '16:9': { ratio: '16/9' },
  '4:3': { ratio: '4/3' },
};
const THUMB_PX = { min: 14, max: 56 };
/** The cell search's thumbnails also grow, to fill the embed with a small population. */
const CELL_THUMB_PX = { min: 24, max: 240 };

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** This page's address, without its hash (where an embed and its "open" link point). */
function pageAddress() {
  return location.href.replace(/[?#].*$/, '');
}

/**
 * The embed settings to present: the link's own, or, when the address bar holds a link that was
 * refused (its error is on the banner), its `embed=1` and a valid `show`, so a broken embed still
 * looks like one and says what is wrong.
 */
function presentation(config) {
  const scene = SCENES[config.scene] ?? SCENES.neat;
  // The scene's own views, in the link's order; its defaults when the link names none of them.
  const own = (show) => (show.some((name) => scene.views.includes(name)) ? show.filter((name) => scene.views.includes(name)) : scene.defaults);
  if (config.embed) return { scene, embed: true, show: own(config.show) };
  // Read as wasm reads pairs (decoded), each on its own, so the pair that broke the link does not hide these.
  if (valueOf(location.hash, 'embed') !== '1') return { scene, embed: false, show: scene.views };
  const shown = readLink(linkWith(`scene=${config.scene}&embed=1`, 'show', valueOf(location.hash, 'show') ?? scene.defaults.join(',')));
  return { scene, embed: true, show: shown.error ? scene.defaults : own(shown.config.show) };
}

let chrome = null; // the hint and the "open" link, made on the first embed

function embedChrome() {
  if (chrome) return chrome;
  const hint = document.createElement('div');
  hint.className = 'embed-hint';
  hint.dataset.testid = 'embed-hint';
  hint.textContent = SCENES.neat.hint;
  const open = document.createElement('a');
  open.className = 'embed-open';
  open.dataset.testid = 'embed-open';
  open.target = '_blank';
  open.rel = 'noopener';
  open.textContent = 'open in evonas \u2197';
  document.body.append(hint, open);
  // A click anywhere gives this document the keyboard, so keys work inside an iframe.
  document.body.tabIndex = -1;
  document.addEventListener('pointerdown', (event) => {
    if (!document.body.classList.contains('embed')) return;
    if (!event.target.closest?.('a, button, input, textarea, select, [tabindex]:not(body)')) {
      window.focus();
      document.body.focus({ preventScroll: true });
    }
    wake(AWAKE_MS.pointer);
  }, true);
  document.addEventListener('pointermove', () => wake(AWAKE_MS.pointer));
  chrome = { hint, open, timer: 0 };
  for (const box of [byTestId('gallery'), byTestId('cells-population-grid')]) {
    new ResizeObserver(() => fitThumbs(box)).observe(box);
    new MutationObserver(() => fitThumbs(box)).observe(box, { childList: true });
  }
  wake(AWAKE_MS.load);
  return chrome;
}

/** Shows the hint and the "open" link for a while; they fade out after. */
function wake(ms) {
  if (!chrome || !document.body.classList.contains('embed')) return;
  document.body.classList.add('embed-awake');
  clearTimeout(chrome.timer);
  chrome.timer = setTimeout(() => document.body.classList.remove('embed-awake'), ms);
}

/** Shrinks the thumbnails of a population (the gallery, or the cell search's grid) largest first,
 *  by bisection, until they all fit its box. */
function fitThumbs(box) {
  if (!document.body.classList.contains('embed') || !box.clientHeight) return;
  const fits = (px) => {
    box.style.setProperty('--thumb', `${px}px`);
    return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
  };
  const range = box.dataset.testid === 'cells-population-grid' ? CELL_THUMB_PX : THUMB_PX;
  if (fits(range.max)) return;
  let [lo, hi] = [range.min, range.max];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  fits(lo);
}

/**
 * Presents the page for `config` (and its checked `link`): in embed mode only the views of
 * `show`, in its order, filling the viewport, with no controls; otherwise the whole page.
 */
export function applyEmbed(config, link) {
  const { scene, embed, show } = presentation(config);
  const body = document.body;
  body.classList.toggle('embed', embed);
  body.classList.toggle('theme-projector', config.theme === 'projector');
  const shown = embed ? show : scene.views;
  for (const name of scene.views) {
    const element = viewElement(scene, name);
    const at = shown.indexOf(name);
    element.classList.toggle('embed-off', at < 0);
    element.style.order = embed ? String(at) : '';
  }
  const big = shown.filter((name) => name !== 'charts').length;
  const container = document.querySelector(scene.container);
  container.style.setProperty('--embed-views', String(Math.max(1, big)));
  if (scene.widths) {
    container.style.setProperty('--embed-columns', shown.map((name) => `minmax(0, ${scene.widths[name]}fr)`).join(' '));
    // Three cell-search views: the first takes the left half, the other two stack on the right.
    const three = embed && shown.length === 3;
    container.classList.toggle('embed-three', three);
    for (const name of scene.views) viewElement(scene, name).classList.toggle('embed-lead', three && name === shown[0]);
  }
  body.classList.toggle('embed-strip', embed && big > 0 && shown.includes('charts'));
  body.classList.toggle('embed-strip-first', embed && big > 0 && shown[0] === 'charts');
  body.classList.toggle('embed-charts-only', embed && big === 0);
  body.classList.toggle('embed-nostrip', embed && !config.strip);
  const caption = byTestId('embed-caption');
  caption.textContent = config.caption ?? '';
  caption.hidden = !embed || !caption.textContent;
  caption.title = caption.textContent;
  if (!embed) return;
  const { hint, open } = embedChrome();
  // The strip, where there is one, says what the hint would.
  hint.textContent = config.strip ? '' : hintOf(scene, shown);
  setStripNote(config.strip && scene === SCENES.cells ? hintOf(scene, shown) : '');
  // The "open" link sits in the strip where there is one, in a corner of the frame where not.
  const strip = byTestId('embed-status');
  if (config.strip) strip.append(open);
  else document.body.append(open);
  open.classList.toggle('in-strip', config.strip);
  open.href = `${pageAddress()}#${linkWithout(link ?? '', ...presentationKeys())}`;
  fitThumbs(byTestId(scene === SCENES.cells ? 'cells-population-grid' : 'gallery'));
}

/** The hint an embed shows a while after the pointer moves (the strip says it where there is
 *  one): its keys, or what a click does. */
function hintOf(scene, shown) {
  return scene === SCENES.cells && !shown.includes('population') ? '' : scene.hint;
}

/** Escapes text for a double-quoted HTML attribute. */
function attribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The `<iframe>` code (text, never parsed here) embedding the experiment of `link` with the
 * views `show` (page order) and `autoplay`; `{snippet, src}`, or `{error}` for a refused link.
 */
export function embedSnippet(link, { show, autoplay = false, projector = false, strip = true, caption = '', size = '800x450' } = {}) {
  const scene = SCENES[readLink(link).config.scene] ?? SCENES.neat;
  const views = show ?? scene.defaults;
  let embedded = linkWith(linkWithout(link, ...presentationKeys()), 'embed', 1);
  if (views.join(',') !== scene.defaults.join(',')) embedded = linkWith(embedded, 'show', views.join(','));
  // A cell search, a recurrent run and a modules run play by themselves: their embeds have nothing to start.
  if (autoplay && scene === SCENES.neat) embedded = linkWith(embedded, 'autoplay', 1);
  if (projector) embedded = linkWith(embedded, 'theme', 'projector');
  if (!strip) embedded = linkWith(embedded, 'strip', 0);
  if (caption.trim()) embedded = linkWith(embedded, 'caption', caption.trim());
  const parsed = readLink(embedded);
  if (parsed.error) return { error: parsed.error };
  const src = `${pageAddress()}#${parsed.link}`;
  const title = scene === SCENES.cells ? `evonas: cell search on ${parsed.config.dataset}`
    : scene === SCENES.recurrent ? `evonas: recurrent cells evolved on ${parsed.config.task}`
      : scene === SCENES.modules ? `evonas: modules and blueprints on ${labelOf('dataset', parsed.config.dataset, 'modules')}` : `evonas: ${parsed.config.dataset} experiment`;
  const frame = FRAME_SIZES[size] ?? FRAME_SIZES['800x450'];
  const box = frame.ratio ? `style="border:0;width:100%;aspect-ratio:${frame.ratio}"` : `width="${frame.width}" height="${frame.height}" style="border:0"`;
  const snippet = `<iframe src="${attribute(src)}" ${box} title="${attribute(title)}" loading="lazy"></iframe>`;
  return { snippet, src };
}

/** Wires the embed-code panel; `currentLink()` gives the link of the experiment shown now. */
export function wireEmbedCode(currentLink) {
  const panel = document.querySelector('details.embed-code');
  const area = byTestId('embed-snippet');
  const copy = byTestId('embed-copy');
  const autoplay = byTestId('embed-autoplay');
  const projector = byTestId('embed-theme');
  const strip = byTestId('embed-strip');
  const caption = byTestId('embed-caption-text');
  const size = byTestId('embed-size');
  size.append(...Object.keys(FRAME_SIZES).map((name) => Object.assign(document.createElement('option'), { value: name, textContent: name })));
  // A box per view of each scene, as the schema names them, its embed's default views ticked.
  for (const fieldset of panel.querySelectorAll('fieldset[data-views]')) {
    const scene = fieldset.dataset.views;
    const boxes = buildCheckboxes(fieldset, keyDoc('show', scene), 'embed-show');
    for (const box of boxes) box.checked = SCENES[scene].defaults.includes(box.value);
  }
  const update = () => {
    const link = currentLink();
    // The boxes of the link's scene (a set per scene; the other set is hidden).
    const { views } = SCENES[readLink(link).config.scene] ?? SCENES.neat;
    const show = views.filter((name) => byTestId(`embed-show-${name}`).checked);
    const made = embedSnippet(link, {
      show, autoplay: autoplay.checked, projector: projector.checked, strip: strip.checked, caption: caption.value, size: size.value,
    });
    area.value = made.error ? '' : made.snippet;
    area.placeholder = made.error ?? '';
    copy.disabled = Boolean(made.error);
  };
  for (const box of panel.querySelectorAll('fieldset input[type="checkbox"]')) {
    box.addEventListener('change', () => {
      // An embed shows at least one view.
      if (!box.closest('fieldset').querySelector('input:checked')) box.checked = true;
      update();
    });
  }
  for (const control of [autoplay, projector, strip, size]) control.addEventListener('change', update);
  caption.addEventListener('input', update);
  panel.addEventListener('toggle', () => panel.open && update());
  area.addEventListener('focus', () => area.select());
  copy.addEventListener('click', async () => {
    update();
    area.select();
    try {
      await navigator.clipboard.writeText(area.value);
      copy.textContent = 'Copied';
    } catch {
      area.focus();
      area.select();
      copy.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => (copy.textContent = 'Copy'), 1500);
  });
  document.addEventListener('pointerdown', (event) => {
    if (panel.open && !panel.contains(event.target)) panel.open = false;
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    panel.open = false;
    panel.querySelector('summary').focus();
  });
}

/** Wires Share: puts the link `currentLink()` gives in the address bar and the clipboard. */
export function wireShare(currentLink) {
  const button = byTestId('share');
  button.addEventListener('click', async () => {
    writeHash(currentLink());
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Link in address bar';
    }
    setTimeout(() => (button.textContent = 'Share'), 1500);
  });
}
