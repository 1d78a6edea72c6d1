// The modules scene's run worker: the run (app/coevolution.js) assembles and breeds here and
// spreads each generation's networks over trainer workers; the page gets frames to draw.
import init, { parseLink } from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';
import { Coevolution } from '../app/coevolution.js';

const DATA_URL = new URL('../data/mnist1d.bin', import.meta.url);
/** Test sequences the digits view shows. */
const DIGITS = 8;

/** MNIST-1D's bytes, fetched once (a 2-D link never asks). */
let data = null;
function mnist1d() {
  data ??= fetch(DATA_URL).then(async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }).catch((error) => {
    data = null;
    throw new Error(`MNIST-1D (www/data/mnist1d.bin, written by ./build.sh build) did not load: ${error.message}`);
  });
  return data;
}

let run = null;
/** The run's number: each message names it, so the page drops those of a run replaced. */
let runs = 0;

/** Where the run stands: enough for the progress line (sent with every network trained). */
function progress() {
  return {
    generation: run.generation, state: run.state, paused: run.paused, trainedJobs: run.trainedJobs, rate: run.rate,
    perNetwork: run.perNetwork, seconds: run.lastSeconds, flight: run.flight ? { done: run.flight.done, total: run.flight.jobs.length } : null,
  };
}

/** What the page draws: the progress, the summary, the curves, the front, the species, the best
 *  network drawn, its confusion matrix and a few test sequences with its predictions. */
function frame() {
  const { experiment } = run;
  return {
    ...progress(), summary: run.summary ?? experiment.summary(), history: experiment.history(), front: experiment.front(),
    species: experiment.species(), shown: experiment.shown(), confusion: experiment.confusion(), digits: experiment.digits(DIGITS),
    latest: run.latest,
  };
}

serve({
  /** `{link}` -> `{link, run}`: a new run (the one before ends, its generation in flight dropped). */
  async reset({ link, saved }) {
    run?.stop();
    run = null;
    const id = ++runs;
    const bytes = parseLink(link).config.dataset === 'mnist1d' ? await mnist1d() : undefined;
    const current = new Coevolution(link, bytes, (latest) => {
      if (current === run) self.postMessage({ type: 'progress', run: id, progress: progress(), latest });
    }, saved);
    current.id = id;
    run = current;
    return { link: run.link, run: id };
  },
  /** Starts one generation, or resumes the one paused; its frame comes as a `generation`
   *  message (or a `failed` one), so other requests are answered while it trains. */
  step() {
    if (run.paused) run.resume();
    if (run.state !== 'idle') return {};
    const current = run;
    current.step().then(
      () => current === run && self.postMessage({ type: 'generation', run: current.id, frame: frame() }),
      (error) => current === run && self.postMessage({ type: 'failed', run: current.id, message: String(error?.message ?? error) }),
    );
    return {};
  },
  /** The run as a save file's bytes (as it stood after its last whole generation). */
  save: () => ({ bytes: run.experiment.save() }),
  /** Holds the generation in flight between networks. */
  pause() {
    run.pause();
  },
  frame: () => ({ frame: frame() }),
}, init());
