// A pool of trainer workers: each takes the next job as it finishes one, in an order the caller
// picks; the outcomes come back in job order. A pass can pause between jobs and resume.
import { connect } from './rpc.js';

export class TrainerPool {
  /** `size` workers of the module at `url`, each sent `init` (the fields of its `init` request). */
  constructor(url, size, init) {
    this.paused = false;
    this.stopped = false;
    this.wake = null;
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(url, { type: 'module' });
      worker.addEventListener('error', (event) => event.preventDefault());
      const rpc = connect(worker);
      rpc.ready = rpc.call('init', init);
      return rpc;
    });
  }

  /** Resolves once every worker holds its trainer (rejects with the first that failed). */
  get ready() {
    return Promise.all(this.workers.map((rpc) => rpc.ready));
  }

  /**
   * Trains `jobs` (each worker's `train` request is `{job}`, its reply `{outcome, ms}`), handing
   * them out in `order` (a permutation of their indices; job order by default); calls
   * `onOutcome(k, outcome, ms)` as each arrives. Resolves to the outcomes in job order; rejects
   * once the pool is stopped.
   */
  async train(jobs, { order = jobs.map((_, k) => k), onOutcome = () => {} } = {}) {
    const outcomes = new Array(jobs.length);
    let next = 0;
    const feed = async (rpc) => {
      await rpc.ready;
      for (;;) {
        while (this.paused && !this.stopped) await new Promise((resolve) => (this.wake ??= []).push(resolve));
        if (this.stopped || next >= order.length) return;
        const k = order[next++];
        const { outcome, ms } = await rpc.call('train', { job: jobs[k] });
        outcomes[k] = outcome;
        if (!this.stopped) onOutcome(k, outcome, ms);
      }
    };
    await Promise.all(this.workers.map(feed));
    if (this.stopped) throw new Error('the run was replaced');
    return outcomes;
  }

  /** Holds every worker after the job it is training; `resume()` lets them go on. */
  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
    for (const resolve of this.wake?.splice(0) ?? []) resolve();
  }

  /** Ends the workers; a pass in flight rejects. */
  stop() {
    this.stopped = true;
    this.resume();
    for (const rpc of this.workers) rpc.worker.terminate();
  }
}
