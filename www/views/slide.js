// A slide: the views on show composed into one 16:9 canvas under a title strip (the caption and the status).

import { spriteOf } from './gallery.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The frame sizes a slide or a recording can have, by name. */
export const SLIDE_SIZES = {
  '1280x720': { width: 1280, height: 720 },
  '1920x1080': { width: 1920, height: 1080 },
};
const FACE = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
/** Sizes in pixels of a 720-pixel-high frame (a larger frame scales them). */
const PX = { pad: 24, gap: 14, caption: 30, status: 18, rule: 1.5 };
/** Lines a caption may take before it is cut with an ellipsis. */
const CAPTION_LINES = 2;
/** Views drawn as a strip across the frame (a third of its height), not side by side. */
const STRIP_VIEWS = new Set(['charts']);
const STRIP_SHARE = 0.3;
/** The computed styles a rasterised SVG carries inline: an SVG drawn as an image sees none of the page's CSS. */
const SVG_STYLES = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-dasharray',
  'opacity', 'visibility', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline',
];
/** What inside a view is no part of its picture: captions, legends, tooltips, controls. */
const NOT_PICTURE = 'figcaption, .node-tooltip, .export-tools, .plot-legend, .cells-population-head';

/** A frame size: a name of SLIDE_SIZES (or `{width, height}`); the first size when absent. */
export function slideSize(size) {
  if (size && typeof size === 'object' && size.width > 0 && size.height > 0) return { width: Math.round(size.width), height: Math.round(size.height) };
  if (size === undefined || size === null || size === '') return SLIDE_SIZES['1280x720'];
  const named = SLIDE_SIZES[String(size)];
  if (!named) throw new Error(`size "${size}": a slide is ${Object.keys(SLIDE_SIZES).join(' or ')}`);
  return named;
}

/**
 * The views a slide shows, `[{name, element}]` in order: the ones named in `names` where they were
 * asked for (`asked`) or outside embed mode, else the embed's own (those it shows, in its order);
 * each a child of `container` with `data-view`.
 */
export function viewsOnShow(container, names, asked = false) {
  const views = [...document.querySelector(container).children].filter((el) => el.dataset.view);
  if (asked || !document.body.classList.contains('embed')) {
    return names.flatMap((name) => views.filter((el) => el.dataset.view === name)).map((element) => ({ name: element.dataset.view, element }));
  }
  return views.filter((el) => !el.classList.contains('embed-off') && el.checkVisibility())
    .sort((a, b) => Number(a.style.order || 0) - Number(b.style.order || 0))
    .map((element) => ({ name: element.dataset.view, element }));
}

/** `svg` as a standalone SVG element: a copy with every element's computed style as its attributes, no
 *  tooltips (titles), `width`/`height` (default: its viewBox's) and its namespace. */
export function inlinedSvg(svg, size = null) {
  const copy = svg.cloneNode(true);
  const live = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  live.forEach((element, k) => {
    const style = getComputedStyle(element);
    // As presentation attributes, not a style attribute: the page's CSP refuses inline styles.
    for (const name of SVG_STYLES) copies[k].setAttribute(name, style.getPropertyValue(name));
  });
  for (const title of copy.querySelectorAll('title')) title.remove();
  const box = svg.viewBox?.baseVal;
  const own = box && box.width > 0 ? { width: box.width, height: box.height } : { width: svg.clientWidth || 300, height: svg.clientHeight || 150 };
  copy.setAttribute('width', String((size ?? own).width));
  copy.setAttribute('height', String((size ?? own).height));
  copy.setAttribute('xmlns', SVG_NS);
  copy.removeAttribute('tabindex');
  return copy;
}

/** An SVG's text as a file: the XML declaration, then the inlined copy. */
export function svgFile(svg) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(inlinedSvg(svg))}\n`;
}

/** Each SVG's latest raster, `{key, image}`: an SVG is rasterised again only when its markup,
 *  the page's theme or the size asked for changed. */
const rasters = new WeakMap();

async function rasterOf(svg, width, height) {
  const key = `${width}x${height}|${document.body.className}|${new XMLSerializer().serializeToString(svg)}`;
  const cached = rasters.get(svg);
  if (cached?.key === key) return cached.image;
  const markup = new XMLSerializer().serializeToString(inlinedSvg(svg, { width, height }));
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image(width, height);
    image.src = url;
    await image.decode();
    rasters.set(svg, { key, image });
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The aspect ratio (width over height) of a picture: a canvas's store, an SVG's viewBox or box. */
function aspectOf(picture) {
  if (picture.dataset?.sprite) return 1;
  if (picture instanceof HTMLCanvasElement) return picture.width / picture.height || 1;
  const box = picture.viewBox?.baseVal;
  if (box && box.width > 0 && box.height > 0) return box.width / box.height;
  const rect = picture.getBoundingClientRect();
  return rect.width / rect.height || 1;
}

/** The largest rectangle of `aspect` inside `rect`, centred, in whole pixels. */
function fit(rect, aspect) {
  const width = Math.min(rect.width, rect.height * aspect);
  const height = width / aspect;
  return {
    x: Math.round(rect.x + (rect.width - width) / 2), y: Math.round(rect.y + (rect.height - height) / 2),
    width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)),
  };
}

/** The canvases, SVGs and atlas thumbnails (gallery.js) a view shows (not its captions, legends or controls). */
function picturesOf(element) {
  const all = element.matches('canvas, svg') ? [element] : [...element.querySelectorAll('canvas, svg, [data-sprite]')];
  return all.filter((el) => !el.closest(NOT_PICTURE) && !el.parentElement.closest('svg') && el.checkVisibility() && el.getBoundingClientRect().width > 0);
}

/** Cells for `count` pictures of `aspect` in `rect`: the column count that draws them largest. */
function grid(rect, count, aspect, gap) {
  let best = { size: -1, columns: 1 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cell = { width: (rect.width - gap * (columns - 1)) / columns, height: (rect.height - gap * (rows - 1)) / rows };
    const size = Math.min(cell.width, cell.height * aspect);
    if (size > best.size) best = { size, columns, cell };
  }
  return Array.from({ length: count }, (_, k) => ({
    x: rect.x + (k % best.columns) * (best.cell.width + gap), y: rect.y + Math.floor(k / best.columns) * (best.cell.height + gap),
    width: best.cell.width, height: best.cell.height,
  }));
}

/** Where each view goes below the title strip: strip views (the charts) across the bottom (the
 *  top when first), the others side by side in the rest. */
function placeViews(views, area, gap) {
  const strip = views.filter((view) => STRIP_VIEWS.has(view.name));
  const row = views.filter((view) => !STRIP_VIEWS.has(view.name));
  if (!row.length || !strip.length) return grid(area, views.length, area.width / views.length / area.height, gap).map((rect, k) => ({ view: views[k], rect }));
  const height = Math.round(area.height * STRIP_SHARE);
  const first = views[0] === strip[0];
  const stripRect = { x: area.x, y: first ? area.y : area.y + area.height - height, width: area.width, height };
  const rowRect = { x: area.x, y: first ? area.y + height + gap : area.y, width: area.width, height: area.height - height - gap };
  const columns = (rect, list) => list.map((view, k) => ({
    view, rect: { ...rect, x: rect.x + k * ((rect.width + gap) / list.length), width: (rect.width + gap) / list.length - gap },
  }));
  return [...columns(rowRect, row), ...columns(stripRect, strip)];
}

/** `text` cut to `width` with an ellipsis, in the context's font. */
function ellipsised(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let shown = text;
  while (shown && ctx.measureText(`${shown}\u2026`).width > width) shown = shown.slice(0, -1);
  return `${shown.trimEnd()}\u2026`;
}

/** `text` in lines of at most `width`, at most `most` of them (what does not fit ends the last
 *  one, ellipsised; so does a word wider than a line). */
function wrapped(ctx, text, width, most) {
  const words = text.split(/\s+/).filter(Boolean);
  const lines = [];
  let k = 0;
  while (k < words.length && lines.length < most) {
    let line = words[k++];
    while (k < words.length && ctx.measureText(`${line} ${words[k]}`).width <= width) line += ` ${words[k++]}`;
    lines.push(line);
  }
  if (k < words.length) lines[most - 1] += ` ${words.slice(k).join(' ')}`;
  return lines.map((line) => ellipsised(ctx, line, width));
}

/** The page's colours for a slide (the projector theme's darker ink where it is on). */
function colours() {
  const style = getComputedStyle(document.body);
  const get = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return { page: get('--panel', '#fff'), ink: get('--ink', '#222'), muted: get('--muted', '#666'), line: get('--line', '#dcdfe3') };
}

/** Draws the title strip (the caption's lines, then the status line, then a rule); returns its height. */
function drawTitle(ctx, { caption, status }, width, unit, colour) {
  const pad = PX.pad * unit;
  const weight = document.body.classList.contains('theme-projector') ? 700 : 600;
  let y = pad;
  ctx.textBaseline = 'top';
  ctx.fillStyle = colour.ink;
  ctx.font = `${weight} ${PX.caption * unit}px ${FACE}`;
  for (const line of caption ? wrapped(ctx, caption, width - 2 * pad, CAPTION_LINES) : []) {
    ctx.fillText(line, pad, y);
    y += PX.caption * unit * 1.25;
  }
  ctx.fillStyle = colour.muted;
  ctx.font = `${weight - 100} ${PX.status * unit}px ${FACE}`;
  ctx.fillText(ellipsised(ctx, status.filter(Boolean).join(' \u00B7 '), width - 2 * pad), pad, y);
  y += PX.status * unit * 1.4;
  ctx.fillStyle = colour.line;
  ctx.fillRect(pad, y, width - 2 * pad, Math.max(1, PX.rule * unit));
  return y + PX.rule * unit;
}

/** Draws one picture (a canvas, an atlas thumbnail, or an SVG rasterised at the size it takes) fitted into `rect`. */
async function drawPicture(ctx, picture, rect) {
  const sprite = picture.dataset?.sprite ? spriteOf(picture) : null;
  if (sprite) {
    const at = fit(rect, 1);
    ctx.drawImage(sprite.image, sprite.x, sprite.y, sprite.side, sprite.side, at.x, at.y, at.width, at.height);
    return;
  }
  const isCanvas = picture instanceof HTMLCanvasElement;
  if (isCanvas && !(picture.width > 0 && picture.height > 0)) return;
  const at = fit(rect, aspectOf(picture));
  const image = isCanvas ? picture : await rasterOf(picture, at.width, at.height);
  ctx.drawImage(image, at.x, at.y, at.width, at.height);
}

/**
 * Composes slides into one canvas of a slide's size (`canvas`, which a recording captures):
 * `compose({views, caption, status, render})` draws the title strip, then each view into its
 * place: `render[name](canvas)`, where the scene draws that view itself at the size it takes
 * (the boundary, crisp at any size), else the view's own canvases and SVGs.
 */
export class SlideComposer {
  constructor(size) {
    this.canvas = document.createElement('canvas');
    Object.assign(this.canvas, slideSize(size));
    this.ctx = this.canvas.getContext('2d');
    this.own = new Map(); // a view's canvas of its own size, kept between frames
  }

  async compose({ views, caption = '', status = [], render = {} }) {
    const { canvas, ctx } = this;
    const unit = canvas.height / 720;
    const colour = colours();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = colour.page;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    const top = drawTitle(ctx, { caption, status }, canvas.width, unit, colour) + PX.gap * unit;
    const pad = PX.pad * unit;
    const area = { x: pad, y: top, width: canvas.width - 2 * pad, height: canvas.height - top - pad };
    for (const { view, rect } of placeViews(views, area, PX.gap * unit)) {
      if (render[view.name]) await drawPicture(ctx, this.rendered(view.name, render[view.name], rect), rect);
      else await this.drawView(view.element, rect, PX.gap * unit);
    }
    return canvas;
  }

  /** A view the scene draws itself (a square one: the plane), into a canvas as large as its place allows. */
  rendered(name, draw, rect) {
    const side = Math.max(1, Math.floor(Math.min(rect.width, rect.height)));
    const own = this.own.get(name) ?? document.createElement('canvas');
    this.own.set(name, own);
    if (own.width !== side) Object.assign(own, { width: side, height: side });
    draw(own);
    return own;
  }

  async drawView(element, rect, gap) {
    const pictures = picturesOf(element);
    if (!pictures.length) return;
    const cells = grid(rect, pictures.length, aspectOf(pictures[0]), gap);
    for (const [k, picture] of pictures.entries()) await drawPicture(this.ctx, picture, cells[k]);
  }
}

/** A canvas as a PNG blob. */
export function pngOf(canvas) {
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the slide could not be encoded as PNG'))), 'image/png'));
}
