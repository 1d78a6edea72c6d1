// A pool worker: its own wasm instance trains the slices of a population it is sent.
import init, { Trainer } from './pkg/evonas.js';

const ready = init();
let trainer = null;

self.onmessage = async ({ data: msg }) => {
  await ready;
  try {
    if (msg.type === 'init') {
      trainer?.free();
      trainer = new Trainer(msg.link);
      self.postMessage({ id: msg.id, ok: true });
    } else if (msg.type === 'train') {
      const packed = trainer.trainPacked(msg.genomes, msg.generation);
      self.postMessage({ id: msg.id, ok: true, packed }, [packed.buffer]);
    }
  } catch (error) {
    self.postMessage({ id: msg.id, ok: false, message: String(error?.message ?? error) });
  }
};
