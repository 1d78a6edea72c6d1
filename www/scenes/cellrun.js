// The page's side of the cell search worker (cells-worker.js): one comparison run there, its progress, reports and searches as they arrive.

let worker = null;
let nextId = 1;
/** The run whose replies are taken (a reply for any other is late, and ignored). */
let live = null;

function post(message) {
  worker?.postMessage(message);
}

function openWorker() {
  worker = new Worker(new URL('../workers/cells.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (live?.id === data.run) live.take(data);
  };
  // The worker failed to load or threw outside a request: the run is over, and a new one starts a new worker.
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    worker = null;
    live?.fail(`cell search: the worker failed (${event.message || 'it did not load'})`);
  };
}

/**
 * A link's comparison, run in the worker. `state`: 'starting' until the worker has the lab, then
 * 'running', 'paused' (once the worker has stopped), 'finished' or 'failed'; `paused` is what the
 * page asked for. `started` resolves once the worker has the lab; `promise` to the final reports
 * (it rejects when the run fails or is replaced). `onUpdate()` follows every reply; `onError(message)`
 * a failure.
 */
export class CellRun {
  constructor(link, { onUpdate, onError }) {
    Object.assign(this, { id: nextId++, link, onUpdate, onError });
    Object.assign(this, { state: 'starting', paused: false, done: 0, runs: 0, reports: [], oracle: null, seconds: 0 });
    this.startedAt = performance.now();
    /** Searches by `strategy|seed`: `{promise, value}`, value set once the reply came. */
    this.searches = new Map();
    this.promise = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    this.started = new Promise((resolve, reject) => Object.assign(this, { resolveStarted: resolve, rejectStarted: reject }));
    this.promise.catch(() => {}); // a replaced or failed run is no error of the page; callers see it
    this.started.catch(() => {});
    if (!worker) openWorker();
    live?.close();
    live = this;
    post({ type: 'start', run: this.id, link });
  }

  get over() {
    return this.state === 'finished' || this.state === 'failed';
  }

  stop() {
    if (this.paused || this.over) return;
    this.paused = true;
    post({ type: 'stop', run: this.id });
    this.onUpdate();
  }

  resume() {
    if (!this.paused || this.over) return;
    this.paused = false;
    post({ type: 'resume', run: this.id });
    this.onUpdate();
  }

  /** A search (`{strategy, seed, best, population}`) once it has run; asked of the worker once. */
  search(strategy, seed) {
    const key = `${strategy}|${seed}`;
    if (!this.searches.has(key)) {
      const entry = { value: null };
      entry.promise = new Promise((resolve, reject) => Object.assign(entry, { resolve, reject }));
      entry.promise.catch(() => {});
      this.searches.set(key, entry);
      if (this.state !== 'failed') post({ type: 'search', run: this.id, strategy, seed });
    }
    return this.searches.get(key).promise;
  }

  /** The search if its reply has come, else null (and it is asked for). */
  searchNow(strategy, seed) {
    this.search(strategy, seed);
    return this.searches.get(`${strategy}|${seed}`).value;
  }

  /** A reply from the worker. */
  take(data) {
    if (data.type === 'error') {
      this.fail(data.message);
      return;
    }
    if (data.type === 'started') {
      Object.assign(this, { state: 'running', runs: data.runs, oracle: data.oracle });
      this.resolveStarted();
    }
    for (const { strategy, seed, search, error } of data.searches ?? []) {
      const entry = this.searches.get(`${strategy}|${seed}`);
      if (!entry || entry.value) continue;
      entry.value = search ?? null;
      if (error) entry.reject(new Error(error));
      else entry.resolve(search);
    }
    if (data.type === 'progress') {
      Object.assign(this, { state: data.state, done: data.done, runs: data.runs, reports: data.reports });
      if (data.state === 'finished') {
        this.seconds = (performance.now() - this.startedAt) / 1000;
        this.resolve(this.reports);
      }
    }
    this.onUpdate();
  }

  fail(message) {
    if (this.over) return;
    this.state = 'failed';
    const error = new Error(message);
    this.rejectStarted(error);
    this.reject(error);
    for (const entry of this.searches.values()) entry.reject(error);
    if (live === this) live = null;
    this.onError(message);
    this.onUpdate();
  }

  /** Replaced by a new run: its replies are dropped from now on. */
  close() {
    if (live === this) live = null;
    if (!this.over) this.reject(new Error('cell search: a new link replaced this comparison'));
  }
}
