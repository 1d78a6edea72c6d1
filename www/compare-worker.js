// A comparison worker: its own wasm instance runs one strategy on one seed until the budget is trained.
import init, { traceStrategy } from './pkg/evonas.js';

const ready = init();

/** `{type: 'trace', id, link, strategy, seed, budget}` -> `{id, ok, trace}` (see traceStrategy). */
self.onmessage = async ({ data: msg }) => {
  try {
    await ready;
    if (msg.type !== 'trace') throw new Error(`unknown request ${msg.type}`);
    const trace = traceStrategy(msg.link, msg.strategy, BigInt(msg.seed), BigInt(msg.budget));
    self.postMessage({ id: msg.id, ok: true, trace });
  } catch (error) {
    self.postMessage({ id: msg.id, ok: false, message: String(error?.message ?? error) });
  }
};
