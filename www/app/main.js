// The page's entry: wires the scenes, loads wasm and the schema the controls are built from,
// and opens the scene the link names. Each scene owns its controls, views and window.evonas.
import { applySchema, engineReady, planeExtent, writeHash } from './state.js';
import { setExtent } from '../views/plot.js';
import { api, buildNeatControls, openNeat } from '../scenes/neat.js';
import { openCells } from '../scenes/cells.js';
import { openRecurrent, wireRecurrent } from '../scenes/recurrent.js';
import { openModules, wireModules } from '../scenes/modules.js';
import { sceneOf } from '../pkg/evonas.js';
import { wireTabs } from './tabs.js';
import { openRecorded, recordedStop, showTour, stopLink, wireTour } from './tour.js';
import { wireStrip } from './strip.js';
import { wireSaving } from './saving.js';

async function start() {
  await engineReady;
  setExtent(planeExtent());
  // The controls' labels, bounds, help text and choices come from the schema.
  applySchema('data-key', 'neat');
  applySchema('data-cell-key', 'cells');
  applySchema('data-recurrent-key', 'recurrent');
  applySchema('data-modules-key', 'modules');
  buildNeatControls();
  wireRecurrent();
  wireModules();
  wireTabs();
  wireTour();
  wireStrip();
  wireSaving();
  // A stop's number alone (`#tour=3`) opens the stop's experiment.
  const opened = stopLink(location.hash);
  if (opened !== location.hash) writeHash(opened.slice(1));
  showTour(() => window.evonas.link());
  // The cell search, the recurrent cells and the modules have pages of their own and never
  // start the NEAT engine. The scene is the one wasm reads from the link (decoded, and even when
  // the link is refused for another key, so a refused link still opens its scene and names why).
  // A slow stop opens from its recorded run, at once; live where that cannot be had.
  const recorded = recordedStop(location.hash);
  if (recorded && (await openRecorded(recorded))) return window.evonas.ready;
  const asked = sceneOf(location.hash.replace(/^[#?]/, ''));
  if (asked === 'cells') return openCells(location.hash);
  if (asked === 'recurrent') return openRecurrent(location.hash);
  if (asked === 'modules') return openModules(location.hash);
  return openNeat(location.hash);
}

window.evonas = api;
api.ready = start();
