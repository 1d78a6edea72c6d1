// The main thread's handle on the experiment worker: requests in, replies and frames out.
import { connect } from './rpc.js';

/** Talks to worker.js; every request resolves with the worker's reply or rejects with its error.
 *  The worker starts on the first use of `ready` (the cell search scene never starts it). */
export class Engine {
  constructor() {
    this.rpc = null;
    this.started = null;
  }

  /** Resolves once the worker is up (starting it the first time). */
  get ready() {
    this.started ??= new Promise((resolve, reject) => {
      const worker = new Worker(new URL('../workers/run.js', import.meta.url), { type: 'module' });
      worker.addEventListener('error', (event) => reject(new Error(event.message || 'the worker failed to start')));
      this.rpc = connect(worker, (data) => {
        if (data?.type !== 'ready') return;
        this.cores = data.cores;
        resolve();
      });
    });
    return this.started;
  }

  request({ type, ...fields }) {
    return this.rpc.call(type, fields);
  }

  /** Starts a new run of `link` (drawn points travel in it), or goes on with the run a save
   *  file holds (`saved`, its bytes); `wanted` is the link's backend (auto, cpu or webgpu). */
  reset(link, workers, wanted, saved = undefined) {
    return this.request({ type: 'reset', link, workers, wanted, saved });
  }

  /** The run as a save file's bytes. */
  async save() {
    return (await this.request({ type: 'save' })).bytes;
  }

  /** Destroys the WebGPU device, as a driver reset would. */
  loseGpu() {
    return this.request({ type: 'lose-gpu' });
  }

  step(count = 1) {
    return this.request({ type: 'step', count });
  }

  select(index) {
    return this.request({ type: 'select', index });
  }

  /** The network on show as `json`, `js` or `python` source text. */
  exportGenome(format) {
    return this.request({ type: 'export', format });
  }

  nodeGrid(index, node) {
    return this.request({ type: 'node-grid', index, node });
  }
}

/**
 * Trainer workers for the pool: one per core (the owner only breeds and scores), none on a
 * single core. `?workers=N` in the page's query overrides it (tests compare 1 against many).
 */
export function poolSize(cores) {
  const query = new URLSearchParams(location.search);
  const asked = Number(query.get('workers'));
  if (query.has('workers') && Number.isInteger(asked) && asked >= 0 && asked <= 16) return asked;
  return cores >= 2 ? Math.min(cores, 8) : 0;
}
