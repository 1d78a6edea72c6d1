// Embed mode (only the linked views, filling an iframe, keys working inside it) and the embed-code panel.
import { readLink, linkWith, linkWithout } from './state.js';

/** Every view an embed can show, in the link's default order (the link's `show` picks and orders them). */
export const VIEWS = ['boundary', 'network', 'charts', 'gallery', 'pareto', 'compare'];
/** What an embed shows when its link names no views (the link's default `show`). */
const DEFAULT_VIEWS = ['boundary', 'network', 'charts', 'gallery'];
const VIEW_ELEMENT = {
  boundary: '.views > .boundary-view',
  network: '.views > .network-view',
  charts: '.views > .charts',
  gallery: '.views > .gallery',
  pareto: '.views > .pareto-view',
  compare: '.views > .compare-view',
};
/** Keys that say how a page presents an experiment, not which experiment it is. */
const PRESENTATION_KEYS = ['embed', 'autoplay', 'show'];
const HINT = '\u2192 step \u00B7 space play \u00B7 r reset';
const AWAKE_MS = { load: 4000, pointer: 2500 };
const THUMB_PX = { min: 14, max: 56 };

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
  if (config.embed) return { embed: true, show: config.show };
  const asked = new Map(location.hash.replace(/^#/, '').split('&').map((pair) => pair.split('=')));
  if (asked.get('embed') !== '1') return { embed: false, show: VIEWS };
  const shown = readLink(`embed=1&show=${asked.get('show') ?? DEFAULT_VIEWS.join(',')}`);
  return { embed: true, show: shown.error ? DEFAULT_VIEWS : shown.config.show };
}

let chrome = null; // the hint and the "open" link, made on the first embed

function embedChrome() {
  if (chrome) return chrome;
  const hint = document.createElement('div');
  hint.className = 'embed-hint';
  hint.dataset.testid = 'embed-hint';
  hint.textContent = HINT;
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
  new ResizeObserver(fitGallery).observe(byTestId('gallery'));
  new MutationObserver(fitGallery).observe(byTestId('gallery'), { childList: true });
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

/** Shrinks the gallery's thumbnails (largest first, by bisection) until the population fits its box. */
function fitGallery() {
  const gallery = byTestId('gallery');
  if (!document.body.classList.contains('embed') || !gallery.clientHeight) return;
  const fits = (px) => {
    gallery.style.setProperty('--thumb', `${px}px`);
    return gallery.scrollHeight <= gallery.clientHeight + 1 && gallery.scrollWidth <= gallery.clientWidth + 1;
  };
  if (fits(THUMB_PX.max)) return;
  let [lo, hi] = [THUMB_PX.min, THUMB_PX.max];
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
  const { embed, show } = presentation(config);
  const body = document.body;
  body.classList.toggle('embed', embed);
  const shown = embed ? show : VIEWS;
  for (const name of VIEWS) {
    const element = document.querySelector(VIEW_ELEMENT[name]);
    const at = shown.indexOf(name);
    element.classList.toggle('embed-off', at < 0);
    element.style.order = embed ? String(at) : '';
  }
  const big = shown.filter((name) => name !== 'charts').length;
  document.querySelector('.views').style.setProperty('--embed-views', String(Math.max(1, big)));
  body.classList.toggle('embed-strip', embed && big > 0 && shown.includes('charts'));
  body.classList.toggle('embed-strip-first', embed && big > 0 && shown[0] === 'charts');
  body.classList.toggle('embed-charts-only', embed && big === 0);
  if (!embed) return;
  const { open } = embedChrome();
  open.href = `${pageAddress()}#${linkWithout(link ?? '', ...PRESENTATION_KEYS)}`;
  fitGallery();
}

/** Escapes text for a double-quoted HTML attribute. */
function attribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The `<iframe>` code (text, never parsed here) embedding the experiment of `link` with the
 * views `show` (page order) and `autoplay`; `{snippet, src}`, or `{error}` for a refused link.
 */
export function embedSnippet(link, { show = DEFAULT_VIEWS, autoplay = false } = {}) {
  let embedded = linkWith(linkWithout(link, ...PRESENTATION_KEYS), 'embed', 1);
  if (show.join(',') !== DEFAULT_VIEWS.join(',')) embedded = linkWith(embedded, 'show', show.join(','));
  if (autoplay) embedded = linkWith(embedded, 'autoplay', 1);
  const parsed = readLink(embedded);
  if (parsed.error) return { error: parsed.error };
  const src = `${pageAddress()}#${parsed.link}`;
  const title = `evonas: ${parsed.config.dataset} experiment`;
  const snippet = `<iframe src="${attribute(src)}" width="800" height="500" style="border:0" `
    + `title="${attribute(title)}" loading="lazy"></iframe>`;
  return { snippet, src };
}

/** Wires the embed-code panel; `currentLink()` gives the link of the experiment shown now. */
export function wireEmbedCode(currentLink) {
  const panel = document.querySelector('details.embed-code');
  const area = byTestId('embed-snippet');
  const copy = byTestId('embed-copy');
  const boxes = VIEWS.map((name) => byTestId(`embed-show-${name}`));
  const autoplay = byTestId('embed-autoplay');
  const update = () => {
    const show = VIEWS.filter((name, i) => boxes[i].checked);
    const made = embedSnippet(currentLink(), { show, autoplay: autoplay.checked });
    area.value = made.error ? '' : made.snippet;
    area.placeholder = made.error ?? '';
    copy.disabled = Boolean(made.error);
  };
  for (const box of boxes) {
    box.addEventListener('change', () => {
      if (!boxes.some((b) => b.checked)) box.checked = true; // an embed shows at least one view
      update();
    });
  }
  autoplay.addEventListener('change', update);
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
