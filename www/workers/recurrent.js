// A recurrent trainer: its own wasm instance holds a link's sequences and trains the cells it is sent.
import init, { RecurrentTrainer } from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';

let trainer = null;

serve({
  /** `{link}`: the run whose task and training budget later jobs use. */
  init({ link }) {
    trainer?.free();
    trainer = new RecurrentTrainer(link);
  },
  /** `{job}` (`{cell, generation, index}`) -> `{outcome}`. */
  train: ({ job }) => ({ outcome: trainer.train(job) }),
}, init());
