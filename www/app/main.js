// The page's entry: wires both scenes, loads wasm and the schema the controls are built from,
// and opens the scene the link names. Each scene owns its controls, views and window.evonas.
import { applySchema, engineReady, planeExtent } from './state.js';
import { setExtent } from '../views/plot.js';
import { api, buildNeatControls, openNeat } from '../scenes/neat.js';
import { cellsAsked, openCells } from '../scenes/cells.js';
import { showTour, wireTour } from './tour.js';
import { wireStrip } from './strip.js';

async function start() {
  await engineReady;
  setExtent(planeExtent());
  // The controls' labels, bounds, help text and choices come from the schema.
  applySchema('data-key', 'neat');
  applySchema('data-cell-key', 'cells');
  buildNeatControls();
  wireTour();
  wireStrip();
  showTour(() => window.evonas.link());
  // The cell search (scene=cells) has a page of its own and never starts the NEAT engine. The
  // scene is the one wasm reads from the link (`%63ells` is cells), decided here once.
  return cellsAsked(location.hash) ? openCells(location.hash) : openNeat(location.hash);
}

window.evonas = api;
api.ready = start();
