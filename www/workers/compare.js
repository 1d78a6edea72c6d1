// A comparison worker: its own wasm instance runs one strategy on one seed until the budget is trained.
import init, { traceStrategy } from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';

serve({
  /** `{link, strategy, seed, budget}` -> `{trace}` (see traceStrategy). */
  trace: ({ link, strategy, seed, budget }) => ({ trace: traceStrategy(link, strategy, BigInt(seed), BigInt(budget)) }),
}, init());
