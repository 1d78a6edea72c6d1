// The recurrent scene's run worker: the run (app/evolution.js) breeds here and spreads each generation over trainer workers; the page gets frames to draw.
import init from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';
import { Evolution } from '../app/evolution.js';

/** The run, and the queue member on show (null: the link's named cell or the best). */
let run = null;
let member = null;
/** Sequences the sequence view shows. */
const EXAMPLES = 3;

/** What the page draws: the summary, the cell on show, curves, the population, sequences. */
function frame() {
  const { experiment } = run;
  return {
    generation: run.generation, state: run.state, trained: run.trained, rate: run.rate, seconds: run.lastSeconds ?? null,
    summary: run.summary ?? experiment.summary(), member, shown: experiment.shown(member ?? undefined), curves: experiment.curves(),
    members: experiment.members(), examples: experiment.examples(member ?? undefined, EXAMPLES),
  };
}

/** Tells the page how far the generation in flight has come (cells trained so far). */
const progress = () => self.postMessage({ type: 'progress', generation: run?.generation, trained: run?.trained, state: run?.state });

serve({
  /** `{link}` -> `{link}`: a new run (the one before ends, its generation in flight dropped);
   *  with `saved` (a save file's bytes) the run it holds goes on instead. */
  reset({ link, saved }) {
    run?.stop();
    member = null;
    run = new Evolution(link, progress, saved);
    return { link: run.link };
  },
  /** The run as a save file's bytes (as it stood after its last whole generation). */
  save: () => ({ bytes: run.experiment.save() }),
  /** Starts one generation; its frame comes as a `generation` message (or a `failed` one), so
   *  requests for the cell on show are answered while it trains. */
  step() {
    const current = run;
    current.step().then(
      () => {
        if (current !== run) return;
        member = null; // the queue has changed: the best is on show again
        self.postMessage({ type: 'generation', frame: frame() });
      },
      (error) => current === run && self.postMessage({ type: 'failed', message: String(error?.message ?? error) }),
    );
    return {};
  },
  /** `{member}` -> a frame with queue member `member` on show (null: the best, or the link's cell). */
  show({ member: picked }) {
    member = picked == null || picked >= run.experiment.members().length ? null : picked;
    return { frame: frame() };
  },
  frame: () => ({ frame: frame() }),
}, init());
