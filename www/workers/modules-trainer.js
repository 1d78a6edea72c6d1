// A modules trainer: its own wasm instance holds a link's data (MNIST-1D's bytes, sent once, or
// a 2-D set made from the link) and trains the networks it is sent.
import init, { ModulesTrainer } from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';

let trainer = null;

serve({
  /** `{link, mnist1d}` (the bytes of data/mnist1d.bin, or none for a 2-D set). */
  init({ link, mnist1d }) {
    trainer?.free();
    trainer = new ModulesTrainer(link, mnist1d ?? undefined);
  },
  /** `{job}` -> `{outcome, ms}`: what training gave, and how long it took here. */
  train({ job }) {
    const started = performance.now();
    const outcome = trainer.train(job);
    return { outcome, ms: performance.now() - started };
  },
}, init());
