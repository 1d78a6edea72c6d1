// A comparison of any scene: each (seed, strategy) search of a link is a job for a pool of comparison workers, seeds outermost, so that every curve fills in together.
import { connect } from './rpc.js';
import { poolSize } from './engine.js';

/** The comparison worker: runs a search of any scene, and answers the cell search's lookups. */
export const COMPARE_WORKER = new URL('../workers/compare.js', import.meta.url);

/** A comparison worker with the page's RPC; a worker that fails to load rejects its calls (rpc.js),
 *  and the caller shows why, not the console. */
export function compareWorker() {
  const worker = new Worker(COMPARE_WORKER, { type: 'module' });
  worker.addEventListener('error', (event) => event.preventDefault());
  return connect(worker);
}

/**
 * `link`'s searches: every strategy of `strategies` from seeds 1 to `seeds`, each until `budget`
 * evaluations. `state`: 'running'; 'pausing' once paused with searches still in flight, then
 * 'paused'; 'finished', 'stopped' or 'failed' (with `error` and the `failedJob`). `promise` resolves to the traces
 * once all have run and rejects when the comparison stops or fails. `onUpdate()` follows every
 * finished search and every change of state.
 */
export class Comparison {
  constructor({ link, strategies, seeds, budget, onUpdate = () => {} }) {
    Object.assign(this, { link, strategies, seeds, budget, onUpdate });
    this.jobs = [];
    for (let seed = 1; seed <= seeds; seed++) {
      for (const strategy of strategies) this.jobs.push({ strategy, seed });
    }
    Object.assign(this, { next: 0, done: 0, inFlight: 0, state: 'running', error: null, seconds: 0 });
    /** Finished searches by strategy, in the order they finished. */
    this.traces = new Map(strategies.map((name) => [name, []]));
    this.finished = new Set();
    this.startedAt = performance.now();
    this.promise = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    this.promise.catch(() => {}); // a stop or a failure is the scene's to show; callers see it too
    const size = Math.min(this.jobs.length, Math.max(1, poolSize(navigator.hardwareConcurrency || 1)));
    this.workers = Array.from({ length: size }, () => compareWorker());
    for (const rpc of this.workers) this.feed(rpc);
  }

  get total() {
    return this.jobs.length;
  }

  get over() {
    return ['finished', 'stopped', 'failed'].includes(this.state);
  }

  get paused() {
    return this.state === 'pausing' || this.state === 'paused';
  }

  /** Whether the search of `strategy` from `seed` has run. */
  has(strategy, seed) {
    return this.finished.has(`${strategy}|${seed}`);
  }

  /** A strategy's finished searches in seed order (so sums over them never vary). */
  tracesOf(strategy) {
    return [...(this.traces.get(strategy) ?? [])].sort((a, b) => a.seed - b.seed);
  }

  /** Every finished search as `[strategy, trace]`, in the order they finished. */
  pairs() {
    return [...this.traces].flatMap(([name, traces]) => traces.map((trace) => [name, trace]));
  }

  /** Why the comparison failed: the failed search, named by `nameOf(strategy)`, and its error. */
  failure(nameOf = (strategy) => strategy) {
    const job = this.failedJob;
    return job ? `${nameOf(job.strategy)}, seed ${job.seed}: ${this.error}` : this.error;
  }

  /** Gives an idle `rpc` the next job, unless paused or over; on its reply, the one after. */
  feed(rpc) {
    const job = this.jobs[this.next];
    if (!job || rpc.busy || this.paused || this.over) return;
    this.next += 1;
    this.inFlight += 1;
    rpc.busy = true;
    rpc.call('trace', { link: this.link, ...job, budget: this.budget }).then(({ trace }) => {
      if (this.over) return;
      this.inFlight -= 1;
      rpc.busy = false;
      this.traces.get(job.strategy).push(trace);
      this.finished.add(`${job.strategy}|${job.seed}`);
      this.done += 1;
      if (this.done === this.total) this.end('finished');
      else if (this.state === 'pausing' && this.inFlight === 0) this.state = 'paused';
      else this.feed(rpc);
      this.onUpdate();
      if (this.state === 'finished') this.resolve(this.traces);
    }, (error) => this.fail(error.message, job));
  }

  /** Lets the searches in flight finish and starts no more. */
  pause() {
    if (this.paused || this.over) return;
    this.state = this.inFlight ? 'pausing' : 'paused';
    this.onUpdate();
  }

  resume() {
    if (!this.paused) return;
    this.state = 'running';
    for (const rpc of this.workers) this.feed(rpc);
    this.onUpdate();
  }

  /** Ends the comparison at once (its workers too); `reason` goes into the promise's rejection. */
  stop(reason = '') {
    if (this.over) return;
    this.end('stopped');
    this.reject(new Error(`comparison stopped${reason ? `: ${reason}` : ''}`));
    this.onUpdate();
  }

  /** Ends the comparison on `message`, the error of search `job` (`{strategy, seed}`) if one failed. */
  fail(message, job = null) {
    if (this.over) return;
    this.end('failed');
    Object.assign(this, { error: message, failedJob: job });
    this.reject(new Error(this.failure()));
    this.onUpdate();
  }

  end(state) {
    this.state = state;
    this.seconds = (performance.now() - this.startedAt) / 1000;
    for (const rpc of this.workers) rpc.worker.terminate();
  }
}
