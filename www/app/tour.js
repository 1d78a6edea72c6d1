// The lecture tour (tour= in links): the panel that shows a stop's claim, and the way to the next stop, in either scene.
import { savedRun, tour } from '../pkg/evonas.js';
import { resumeScene } from './tabs.js';
import { linkWith, linkWithout, pageKeys, readLink, writeHash, writtenIn } from './state.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
/** The link on show now (set by showTour): Close drops the stop from it. */
let currentLinkOf = () => location.hash.slice(1);

/** The stops, `[{title, caption, link}]`, as wasm lists them (each claim is checked natively). */
export const tourStops = () => tour();

/** The pairs a link writes, as wasm reads them; none for a link that is not key=value pairs
 *  (the scene opening it names what is wrong). */
function pairsOf(hash) {
  try {
    return writtenIn(hash.replace(/^[#?]/, ''));
  } catch {
    return new Map();
  }
}

/**
 * The link a page opens for `hash`: where it names a stop (`tour=N`) and no experiment of its
 * own (only page keys: `#tour=3`, `#tour=9&theme=projector`), the stop's link with those keys,
 * so the caption is shown over the experiment it talks about; any other link as it is.
 */
export function stopLink(hash) {
  const written = pairsOf(hash);
  const stop = tourStops()[Number(written.get('tour')) - 1];
  const page = pageKeys();
  if (!stop || [...written.keys()].some((key) => !page.includes(key))) return hash;
  return `#${[...written].reduce((link, [key, value]) => linkWith(link, key, value), stop.link)}`;
}

/** The stop `hash` opens from its recorded run, `{number, stop}`: a stop that ships one, its own
 *  link numbered; else null (the link runs live). */
export function recordedStop(hash) {
  const number = Number(pairsOf(hash).get('tour'));
  const stop = tourStops()[number - 1];
  if (!stop?.recorded) return null;
  const asked = readLink(hash);
  return !asked.error && asked.link === readLink(linkWith(stop.link, 'tour', number)).link ? { number, stop } : null;
}

/**
 * Opens a stop from its recorded run (www/tour/stop-N.run: what `evonas run` makes of its
 * link), stopped at the generation its claim needs, and says so in the panel; play goes on live.
 * Resolves false where the file cannot be had or read (the stop then runs live from the start).
 */
export async function openRecorded({ number }) {
  let bytes;
  try {
    const response = await fetch(new URL(`../tour/stop-${number}.run`, import.meta.url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
    savedRun(bytes);
  } catch {
    return false;
  }
  const about = savedRun(bytes);
  await resumeScene(about.scene, bytes, about);
  const note = byTestId('tour-recorded');
  note.textContent = `Recorded run, generation ${about.generation}: evonas run makes the same from this link. Press play to go on live.`;
  note.hidden = false;
  return true;
}

/** Opens stop `number` (from 1): its link, numbered, in a fresh page of its scene. */
function go(number) {
  const stop = tourStops()[number - 1];
  if (!stop) return;
  location.hash = linkWith(stop.link, 'tour', number);
  location.reload();
}

/**
 * Shows the stop the address bar's link names (`tour=N`), or hides the panel; `currentLink()`
 * gives the link on show now (Close drops the stop from it).
 */
export function showTour(currentLink) {
  const panel = byTestId('tour');
  const { config, error } = readLink(location.hash);
  const stops = tourStops();
  const number = error ? 0 : config.tour;
  const stop = stops[number - 1];
  panel.hidden = !stop;
  document.body.classList.toggle('touring', Boolean(stop));
  if (!stop) return;
  byTestId('tour-step').textContent = `Lecture \u00B7 stop ${number} of ${stops.length}`;
  byTestId('tour-title').textContent = stop.title;
  byTestId('tour-caption').textContent = stop.caption;
  byTestId('tour-prev').disabled = number <= 1;
  byTestId('tour-next').disabled = number >= stops.length;
  panel.dataset.stop = String(number);
  currentLinkOf = currentLink;
}

/** Wires the Lecture button and the panel's buttons, once. */
export function wireTour() {
  const panel = byTestId('tour');
  const number = () => Number(panel.dataset.stop || 0);
  byTestId('tour-open').addEventListener('click', () => go(1));
  byTestId('tour-prev').addEventListener('click', () => go(number() - 1));
  byTestId('tour-next').addEventListener('click', () => go(number() + 1));
  byTestId('tour-close').addEventListener('click', () => {
    writeHash(linkWithout(currentLinkOf(), 'tour'));
    panel.hidden = true;
    document.body.classList.remove('touring');
  });
}
