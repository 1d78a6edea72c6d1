// A scene's slide tools (its views recorded as WebM video, composed into a slide PNG) and the Record panel.
import { readLink } from './state.js';
import { showError } from './controls.js';
import { download, exportPng } from './exports.js';
import { recordCanvas } from './record.js';
import { SlideComposer, pngOf, svgFile, viewsOnShow } from '../views/slide.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const nextPaint = () => new Promise((resolve) => requestAnimationFrame(resolve));
/** The run's controls, held still while a recording steps the run itself. */
const RUN_BUTTONS = ['play', 'step', 'reset', 'embed-play', 'embed-step'];
const RUN_KEYS = [' ', 'ArrowRight', 'r', 'R'];
/** The side of the boundary plot's PNG: a slide's height at 1080p. */
const PLOT_PX = 1080;

/** The recording under way, `{stop}` (its AbortController); null when none is. */
let recording = null;

/**
 * A scene's slide tools, `{slide(options), record(options)}`. `scene` gives: `container` (its
 * views' parent), `views` (the views a slide of the full page shows; an embed shows its own),
 * `extra` (the views `charts: true` adds), `render` (views it draws itself at a slide's size),
 * `status()` (the title strip's words), `link()`, `pause()`, `advance()` (one frame's step of a
 * recording), `unit` (what a recording counts, e.g. 'generation'; `options[unit + 's']` says how
 * many), `perUnit` (frames per unit, 1 unless said) and `fileName(count)`.
 */
export function slideTools(scene) {
  const spec = (options) => ({
    views: viewsOnShow(scene.container, options.views ?? [...scene.views, ...(options.charts ? scene.extra : [])], Boolean(options.views)),
    caption: String(options.caption ?? readLink(scene.link()).config.caption ?? ''),
    render: scene.render ?? {},
  });
  return {
    /** The slide on show now as a PNG blob (1920x1080 unless `size` says otherwise). */
    async slide(options = {}) {
      const composer = new SlideComposer(options.size ?? '1920x1080');
      await nextPaint();
      return pngOf(await composer.compose({ ...spec(options), status: scene.status() }));
    },
    record: (options = {}) => recordScene(scene, spec, options),
  };
}

/** Records `scene` (see slideTools; `options`: the count of steps, `size`, `caption`, `views` or
 *  `charts`, `onProgress({done, total})`, `signal`, `download`); resolves to the WebM blob. */
async function recordScene(scene, spec, options) {
  const total = Math.floor(Number(options[`${scene.unit}s`] ?? 100));
  const per = scene.perUnit ?? 1;
  if (!(total >= 1)) throw new Error(`recording: ${scene.unit}s must be a whole number of at least 1`);
  if (recording) throw new Error('recording: one is under way already (Stop ends it)');
  const stop = new AbortController();
  recording = { stop };
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  try {
    const composer = new SlideComposer(options.size ?? '1280x720');
    const fixed = spec(options);
    scene.pause();
    holdRun(true);
    showProgress(0, total, scene.unit);
    const { blob, frames } = await recordCanvas(composer.canvas, {
      frames: total * per + 1, signal,
      drawFrame: async (k) => {
        if (k > 0) await scene.advance();
        await nextPaint(); // the scene draws the step's frame first
        await composer.compose({ ...fixed, status: scene.status() });
        if (k === 0 || k % per) return;
        showProgress(k / per, total, scene.unit);
        options.onProgress?.({ done: k / per, total });
      },
    });
    const done = Math.floor(Math.max(0, frames - 1) / per);
    endProgress(`Recorded ${done} ${scene.unit}${done === 1 ? '' : 's'}: ${Math.ceil(blob.size / 1024)} KB of WebM video`);
    if (options.download) download(blob, scene.fileName(done));
    return blob;
  } catch (error) {
    endProgress('');
    showError(error.message);
    throw error;
  } finally {
    recording = null;
    holdRun(false);
  }
}

/** Disables the run's buttons (their state before is kept and put back after) and, through
 *  `keydown` on the window (which hears keys before the page's own listeners), its keys. */
function holdRun(on) {
  for (const button of RUN_BUTTONS.map(byTestId).filter(Boolean)) {
    if (on) button.dataset.heldDisabled = String(button.disabled);
    else if (button.dataset.heldDisabled === undefined) continue;
    button.disabled = on || button.dataset.heldDisabled === 'true';
    if (!on) delete button.dataset.heldDisabled;
  }
  document.body.classList.toggle('recording', on);
}

function holdKeys(event) {
  if (recording && RUN_KEYS.includes(event.key) && !event.target.closest?.('input, textarea, select')) event.stopImmediatePropagation();
}

/** The Record panel's progress: the bar and "generation 34 of 100"; Start and Stop follow. */
function showProgress(done, total, unit) {
  const bar = byTestId('record-progress');
  Object.assign(bar, { hidden: false, max: total, value: done });
  byTestId('record-progress-text').textContent = `Recording: ${unit} ${done} of ${total}`;
  byTestId('record-start').disabled = true;
  byTestId('record-stop').disabled = false;
  const panel = document.querySelector('details.record-code');
  if (done === 0 && panel) panel.open = true;
}

function endProgress(message) {
  byTestId('record-progress').hidden = true;
  byTestId('record-progress-text').textContent = message;
  byTestId('record-start').disabled = false;
  byTestId('record-stop').disabled = true;
}

/** Wires the Record panel once: Start records the scene on show (its `window.evonas.record`)
 *  with the panel's settings and offers the video as a download; Stop ends it early. */
export function wireRecordPanel() {
  const panel = document.querySelector('details.record-code');
  const caption = byTestId('record-caption');
  panel.addEventListener('toggle', () => {
    // The caption the link carries, unless one was typed here.
    if (panel.open && !recording && !caption.value) caption.value = readLink(window.evonas.link()).config.caption ?? '';
  });
  byTestId('record-start').addEventListener('click', () => {
    const count = Number(byTestId('record-generations').value);
    const options = { size: byTestId('record-size').value, charts: byTestId('record-charts').checked, caption: caption.value, download: true };
    window.evonas.record({ ...options, generations: count, seconds: count }).catch(() => {}); // a failure is on the banner
  });
  byTestId('record-stop').addEventListener('click', () => recording?.stop.abort());
  window.addEventListener('keydown', holdKeys, true);
}

/**
 * Wires the slide exports of the NEAT scene's export tools: the slide on show as a 1920x1080 PNG
 * (`tools.slide`), the network as a standalone SVG file (`network()`: the page's SVG), and the
 * boundary plot as a PNG drawn afresh at PLOT_PX (`drawPlot(canvas)`), each named by `stem()`.
 */
export function wireSlideExports(tools, { network, drawPlot, stem }) {
  const exporting = (make) => () => Promise.resolve().then(make).catch((error) => showError(error.message));
  byTestId('export-slide').addEventListener('click', exporting(async () => download(await tools.slide(), `${stem()}-slide.png`)));
  byTestId('export-svg').addEventListener('click', exporting(() => download(new Blob([svgFile(network())], { type: 'image/svg+xml' }), `${stem()}-network.svg`)));
  byTestId('export-png').addEventListener('click', exporting(() => {
    const canvas = Object.assign(document.createElement('canvas'), { width: PLOT_PX, height: PLOT_PX });
    drawPlot(canvas);
    return exportPng(canvas, `${stem()}-boundary.png`);
  }));
}
