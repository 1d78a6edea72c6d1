// The 2-D plane: probability colours, heatmaps, the decision boundary with its points, dataset thumbnails.

/** Half the side of the plane every view draws, [-EXTENT, EXTENT]^2: the core's
 *  `dataset::EXTENT`, which the page's entry sets from wasm (`setExtent`) before anything draws. */
let EXTENT = NaN;

export function setExtent(extent) {
  EXTENT = extent;
}

const ORANGE = [245, 147, 34]; // class 0, negative
const BLUE = [8, 119, 189]; // class 1, positive
const MID = [232, 234, 235]; // p = 0.5
const GREY = [160, 160, 160]; // NaN / unknown
const HEAT_LIGHTEN = 0.35; // heatmaps are mixed this much toward white so points stay visible
const MISCLASSIFIED_RED = '#d62728';

/** [r, g, b] (0..255) for a probability of class 1: orange at 0, near white at 0.5, blue at 1. */
export function colorFor(p) {
  if (p === null || p === undefined || Number.isNaN(Number(p))) return GREY.slice();
  const t = Math.min(1, Math.max(0, Number(p)));
  const [from, to, f] = t < 0.5 ? [ORANGE, MID, t * 2] : [MID, BLUE, (t - 0.5) * 2];
  return [0, 1, 2].map((c) => Math.round(from[c] + (to[c] - from[c]) * f));
}

function cssColor(rgb) {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}

/**
 * Sizes the backing store to the element's CSS size times devicePixelRatio and returns a context
 * that draws in CSS pixels. A canvas without layout (detached or hidden) keeps its current size.
 */
export function fitCanvas(canvas) {
  const dpr = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
  let cssWidth = canvas.clientWidth;
  let cssHeight = canvas.clientHeight;
  if (cssWidth > 0 && cssHeight > 0) {
    const w = Math.round(cssWidth * dpr);
    const h = Math.round(cssHeight * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
  } else {
    cssWidth = canvas.width / dpr;
    cssHeight = canvas.height / dpr;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(canvas.width / cssWidth || 1, 0, 0, canvas.height / cssHeight || 1, 0, 0);
  return { ctx, width: cssWidth, height: cssHeight };
}

const HEAT_LEVELS = 256;
let heatTable = null; // HEAT_LEVELS lightened colours, then the NaN colour, as r, g, b triples

function heatColors() {
  if (heatTable) return heatTable;
  heatTable = new Uint8ClampedArray((HEAT_LEVELS + 1) * 3);
  for (let level = 0; level <= HEAT_LEVELS; level++) {
    const rgb = colorFor(level < HEAT_LEVELS ? level / (HEAT_LEVELS - 1) : NaN);
    for (let c = 0; c < 3; c++) heatTable[level * 3 + c] = rgb[c] + (255 - rgb[c]) * HEAT_LIGHTEN;
  }
  return heatTable;
}

/** Index into heatColors() of a value in 0..1 (clamped; NaN -> the NaN colour). */
function heatLevel(t) {
  if (Number.isNaN(t)) return HEAT_LEVELS;
  return Math.round(Math.min(1, Math.max(0, t)) * (HEAT_LEVELS - 1));
}

let scratchCanvas = null;

function scratch(n) {
  if (!scratchCanvas) scratchCanvas = document.createElement('canvas');
  if (scratchCanvas.width !== n) scratchCanvas.width = n;
  if (scratchCanvas.height !== n) scratchCanvas.height = n;
  return scratchCanvas;
}

/** Maps a raw value into 0..1 by the grid's finite min..max (constant grid -> 0.5; ±Infinity clamp). */
function normalizer(values) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) { min = Math.min(min, values[i]); max = Math.max(max, values[i]); }
  }
  if (!(max > min)) return (v) => (Number.isNaN(v) ? NaN : 0.5);
  return (v) => (Number.isNaN(v) ? NaN : Math.min(1, Math.max(0, (v - min) / (max - min))));
}

function validGrid(grid) {
  if (!grid || !grid.values) return false;
  const n = Math.floor(Number(grid.n));
  return n > 0 && grid.values.length >= n * n;
}

function fillHeatPixels(pixels, values, count, normalize) {
  const toUnit = normalize ? normalizer(values) : (v) => v;
  const colors = heatColors();
  for (let k = 0; k < count; k++) {
    const c = heatLevel(toUnit(values[k])) * 3;
    const o = k * 4;
    pixels[o] = colors[c];
    pixels[o + 1] = colors[c + 1];
    pixels[o + 2] = colors[c + 2];
    pixels[o + 3] = 255;
  }
}

/** Paints an n x n grid (top row = y = +EXTENT) stretched over the whole canvas, smoothed. */
export function drawGrid(canvas, grid, { normalize = false } = {}) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  if (!validGrid(grid)) return;
  const n = Math.floor(grid.n);
  const source = scratch(n);
  const sourceCtx = source.getContext('2d');
  const image = sourceCtx.createImageData(n, n);
  fillHeatPixels(image.data, grid.values, n * n, normalize);
  sourceCtx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
}

/**
 * Paints `count` n x n grids (`values`, one after another) into `canvas` as one atlas of
 * `columns` cells a row, each cell the grid framed by a copy of its edge samples: the page
 * shows each cell as a thumbnail's background, smoothed by the browser, and the frame keeps a
 * neighbour's colours from bleeding in at its edges. One atlas image instead of a canvas per
 * thumbnail, because every changed canvas costs the compositor a resource of its own each
 * frame (about 65 ms a frame for a hundred thumbnails in software compositing).
 */
export function paintAtlas(canvas, values, n, count, columns) {
  const cell = n + 2;
  const rows = Math.ceil(count / columns);
  canvas.width = columns * cell;
  canvas.height = rows * cell;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(canvas.width, canvas.height);
  const colors = heatColors();
  const clampToGrid = (k) => Math.min(n - 1, Math.max(0, k - 1));
  for (let i = 0; i < count; i++) {
    const [left, top] = [(i % columns) * cell, Math.floor(i / columns) * cell];
    for (let y = 0; y < cell; y++) {
      for (let x = 0; x < cell; x++) {
        const c = heatLevel(values[i * n * n + clampToGrid(y) * n + clampToGrid(x)]) * 3;
        const o = ((top + y) * canvas.width + left + x) * 4;
        image.data[o] = colors[c];
        image.data[o + 1] = colors[c + 1];
        image.data[o + 2] = colors[c + 2];
        image.data[o + 3] = 255;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
}

function toCanvas(x, y, width, height) {
  return [((x + EXTENT) / (2 * EXTENT)) * width, ((EXTENT - y) / (2 * EXTENT)) * height];
}

function drawAxes(ctx, width, height) {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.18)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(width / 2, 0); ctx.lineTo(width / 2, height);
  ctx.moveTo(0, height / 2); ctx.lineTo(width, height / 2);
  ctx.stroke();
}

function isMisclassified(p, label) {
  if (p === null || p === undefined || !Number.isFinite(p)) return false;
  return p > 0.5 !== (label === 1);
}

function drawPointSet(ctx, set, preds, style) {
  if (!set || !set.x || !set.y || !set.label) return;
  const count = Math.min(set.x.length, set.y.length, set.label.length);
  const { width, height, radius } = style;
  for (let i = 0; i < count; i++) {
    const x = set.x[i];
    const y = set.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const [cx, cy] = toCanvas(x, y, width, height);
    const label = set.label[i];
    if (preds && i < preds.length && isMisclassified(preds[i], label)) {
      drawRing(ctx, cx, cy, radius + 2.5, MISCLASSIFIED_RED, 2.5);
    }
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
    ctx.fillStyle = cssColor(colorFor(label === 1 ? 1 : 0));
    ctx.fill();
    ctx.strokeStyle = style.outline;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

/** Resolves `highlight` ({x, y}, or {set: 'train'|'test', index}) to plane coordinates. */
function highlightPoint(highlight, data) {
  if (!highlight) return null;
  if (Number.isFinite(highlight.x) && Number.isFinite(highlight.y)) return highlight;
  const set = data && data[highlight.set];
  const i = highlight.index;
  if (!set || !set.x || !Number.isInteger(i) || i < 0 || i >= set.x.length) return null;
  const point = { x: set.x[i], y: set.y[i] };
  return Number.isFinite(point.x) && Number.isFinite(point.y) ? point : null;
}

function drawRing(ctx, cx, cy, radius, color, lineWidth) {
  ctx.beginPath();
  ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.stroke();
}

/**
 * The decision boundary: heatmap of `grid` (blank plane when null), axes through 0, training
 * points (white outline), test points (dark outline), misclassified points ringed in red.
 */
export function drawBoundary(canvas, grid, data, options = {}) {
  const { showTrain = true, showTest = true, predictions = null, highlight = null } = options;
  if (validGrid(grid)) drawGrid(canvas, grid);
  const { ctx, width, height } = fitCanvas(canvas);
  if (!validGrid(grid)) {
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#f4f5f6';
    ctx.fillRect(0, 0, width, height);
  }
  drawAxes(ctx, width, height);
  const radius = Math.max(2, Math.min(5, width / 110));
  const style = { width, height, radius };
  if (data && showTrain) {
    drawPointSet(ctx, data.train, predictions && predictions.train, { ...style, outline: '#fff' });
  }
  if (data && showTest) {
    drawPointSet(ctx, data.test, predictions && predictions.test, { ...style, outline: '#222' });
  }
  const point = highlightPoint(highlight, data);
  if (point) drawRing(ctx, ...toCanvas(point.x, point.y, width, height), radius + 5, '#222', 1.5);
}

/** Plane coordinates (clamped to the plane) of a mouse position over the canvas. */
export function planePoint(canvas, clientX, clientY) {
  const rect = canvas.getBoundingClientRect();
  const left = rect.left + (canvas.clientLeft || 0);
  const top = rect.top + (canvas.clientTop || 0);
  const width = canvas.clientWidth || rect.width;
  const height = canvas.clientHeight || rect.height;
  if (!(width > 0) || !(height > 0)) return { x: 0, y: 0 };
  const clamp = (v) => Math.min(EXTENT, Math.max(-EXTENT, Number.isFinite(v) ? v : 0));
  return {
    x: clamp(((clientX - left) / width) * 2 * EXTENT - EXTENT),
    y: clamp(EXTENT - ((clientY - top) / height) * 2 * EXTENT),
  };
}

const CUSTOM_HINT_POINTS = [
  { x: -3, y: 2.5, label: 1 }, { x: -1.8, y: 3.4, label: 1 }, { x: 2.6, y: -2.2, label: 0 },
  { x: 3.4, y: -3.3, label: 0 }, { x: -2.6, y: -3, label: 0 }, { x: 2.4, y: 3, label: 1 },
];

function drawPlusMark(ctx, width, height) {
  const size = Math.min(width, height) * 0.16;
  ctx.strokeStyle = '#555';
  ctx.lineWidth = Math.max(1.5, size / 4);
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(width / 2 - size, height / 2); ctx.lineTo(width / 2 + size, height / 2);
  ctx.moveTo(width / 2, height / 2 - size); ctx.lineTo(width / 2, height / 2 + size);
  ctx.stroke();
}

/** A dataset tile's preview: `points` (flat x, y, label triples: the shape's own, from wasm's
 *  datasetPreview); none for points drawn by hand, which get a hint and a plus. */
export function drawThumbnail(canvas, points) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#f4f5f6';
  ctx.fillRect(0, 0, width, height);
  const custom = points.length === 0;
  const shown = custom ? CUSTOM_HINT_POINTS : Array.from({ length: points.length / 3 }, (_, i) => ({ x: points[3 * i], y: points[3 * i + 1], label: points[3 * i + 2] }));
  const radius = Math.max(1.2, Math.min(width, height) / 40);
  for (const point of shown) {
    const [cx, cy] = toCanvas(point.x, point.y, width, height);
    ctx.beginPath();
    ctx.arc(cx, cy, custom ? radius * 1.8 : radius, 0, 2 * Math.PI);
    ctx.fillStyle = cssColor(colorFor(point.label));
    ctx.fill();
  }
  if (custom) drawPlusMark(ctx, width, height);
}
