// A pool worker: its own wasm instance trains the slices of a population it is sent.
import init, { Trainer } from '../pkg/evonas.js';
import { serve, Transfer } from '../app/rpc.js';

let trainer = null;

serve({
  /** `{link}`: the experiment whose data and settings later slices train with. */
  init({ link }) {
    trainer?.free();
    trainer = new Trainer(link);
  },
  /** `{genomes, generation}` (genomes as JSON) -> `{packed}` (see Trainer.trainPacked). */
  train({ genomes, generation }) {
    const packed = trainer.trainPacked(genomes, generation);
    return new Transfer({ packed }, [packed.buffer]);
  },
}, init());
