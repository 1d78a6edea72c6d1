// A recurrent-cell run, in the run worker (workers/evolution.js): its RecurrentExperiment breeds, a pool of trainer workers trains each generation's cells.
import { RecurrentExperiment } from '../pkg/evonas.js';
import { connect } from './rpc.js';
import { poolSize } from './engine.js';

const WORKER = new URL('../workers/recurrent.js', import.meta.url);

/**
 * The run of `link`, one generation at a time. `state`: 'idle' between generations, 'training'
 * while one is in the workers, 'stopped' once replaced, 'failed' (with `error`). `onUpdate()`
 * follows every finished generation, band and change of state.
 */
export class Evolution {
  /** `saved`: a save file's bytes, whose run goes on instead of a new run of `link`. */
  constructor(link, onUpdate = () => {}, saved = undefined) {
    this.experiment = saved ? RecurrentExperiment.resume(saved) : new RecurrentExperiment(link);
    this.link = this.experiment.link();
    Object.assign(this, { onUpdate, state: 'idle', error: null, summary: null, trained: saved ? this.experiment.summary().trained : 0 });
    /** Seconds each finished generation took, and when the run's training began. */
    this.times = [];
    const size = Math.max(1, poolSize(navigator.hardwareConcurrency || 1));
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER, { type: 'module' });
      worker.addEventListener('error', (event) => event.preventDefault());
      const rpc = connect(worker);
      rpc.ready = rpc.call('init', { link: this.link });
      return rpc;
    });
  }

  get generation() {
    return this.experiment.generation;
  }

  /** Cells trained per second over the generations so far (the named cells and bands included). */
  get rate() {
    const seconds = this.times.reduce((a, b) => a + b, 0);
    return seconds > 0 ? this.trained / seconds : 0;
  }

  /** Trains `jobs` over the pool, each worker taking the next as it finishes; outcomes in job order. */
  async train(jobs) {
    const outcomes = new Array(jobs.length);
    let next = 0;
    const feed = async (rpc) => {
      await rpc.ready;
      while (next < jobs.length && this.state !== 'stopped') {
        const k = next++;
        outcomes[k] = (await rpc.call('train', { job: jobs[k] })).outcome;
        this.trained += 1;
        this.onUpdate();
      }
    };
    await Promise.all(this.workers.map(feed));
    if (this.state === 'stopped') throw new Error('the run was replaced');
    return outcomes;
  }

  /** Trains the bands over weight seeds of the cells the summary reports that lack one (a run
   *  opened from a save file has none until its next generation: they change no choice of the
   *  run, and are not saved). */
  async trainBands() {
    const bands = this.experiment.bandJobs();
    if (bands.length) this.experiment.finishBands(await this.train(bands));
    this.summary = this.experiment.summary();
  }

  /** One generation, then the bands of the cells it reports (trained only where they lack one). */
  async step() {
    if (this.state !== 'idle') throw new Error(`a generation is ${this.state === 'training' ? 'training already' : this.state}`);
    this.state = 'training';
    this.onUpdate();
    try {
      const started = performance.now();
      this.summary = this.experiment.finishStep(await this.train(this.experiment.beginStep()));
      this.lastSeconds = (performance.now() - started) / 1000;
      this.onUpdate();
      await this.trainBands();
      this.times.push((performance.now() - started) / 1000);
      this.state = 'idle';
    } catch (error) {
      if (this.state === 'stopped') return;
      Object.assign(this, { state: 'failed', error });
    }
    this.onUpdate();
    if (this.error) throw this.error;
  }

  /** Ends the run: its workers end, a generation in flight is dropped. */
  stop() {
    this.state = 'stopped';
    for (const rpc of this.workers) rpc.worker.terminate();
    this.experiment.free();
  }
}
