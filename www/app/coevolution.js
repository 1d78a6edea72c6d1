// A modules-and-blueprints run, in the run worker (workers/modules.js): its ModulesExperiment
// assembles and breeds, a pool of trainer workers trains each generation's networks.
import { ModulesExperiment } from '../pkg/evonas.js';
import { TrainerPool } from './pool.js';
import { poolSize } from './engine.js';

const TRAINER = new URL('../workers/modules-trainer.js', import.meta.url);

/** Job indices in the order the pool hands them out: the first assembled network first (so a
 *  network is on show soon after the page opens), then the rest in job order. The outcomes go
 *  back in job order whatever the order of training, so the run's bits do not change. */
function trainingOrder(jobs) {
  const first = jobs.findIndex((job) => !job.design.Baseline);
  const rest = jobs.map((_, k) => k).filter((k) => k !== first);
  return first < 0 ? rest : [first, ...rest];
}

/**
 * The run of `link` on `mnist1d` (the bytes of data/mnist1d.bin, or undefined for a 2-D set), one
 * generation at a time. `state`: 'idle' between generations, 'training' while one is in the
 * workers (`paused` holds it between jobs), 'stopped' once replaced, 'failed' (with `error`).
 * `onUpdate(latest)` follows every network trained (`latest`: what the page shows of it), every
 * finished generation and every change of state.
 */
export class Coevolution {
  /** `saved`: a save file's bytes, whose run goes on instead of a new run of `link`. */
  constructor(link, mnist1d, onUpdate = () => {}, saved = undefined) {
    this.experiment = saved ? ModulesExperiment.resume(saved, mnist1d) : new ModulesExperiment(link, mnist1d);
    this.link = this.experiment.link();
    Object.assign(this, { onUpdate, state: 'idle', paused: false, error: null, summary: null, lastSeconds: null });
    /** Networks trained (the baselines too), the seconds their training took in the workers,
     *  and the seconds the pool was at work (paused time not counted). */
    Object.assign(this, { trainedJobs: 0, trainSeconds: 0, activeSeconds: 0, activeSince: null });
    /** The generation in flight: its jobs and how many are trained. */
    this.flight = null;
    this.latest = null;
    this.pool = new TrainerPool(TRAINER, poolSize(navigator.hardwareConcurrency || 1), { link: this.link, mnist1d });
  }

  get generation() {
    return this.experiment.generation;
  }

  /** Networks trained per second of the pool's work, and the mean seconds one took to train. */
  get rate() {
    const seconds = this.activeSeconds + (this.activeSince == null ? 0 : (performance.now() - this.activeSince) / 1000);
    return seconds > 0 ? this.trainedJobs / seconds : 0;
  }

  get perNetwork() {
    return this.trainedJobs ? this.trainSeconds / this.trainedJobs : null;
  }

  #clock(on) {
    if (on && this.activeSince == null) this.activeSince = performance.now();
    if (!on && this.activeSince != null) {
      this.activeSeconds += (performance.now() - this.activeSince) / 1000;
      this.activeSince = null;
    }
  }

  /** What the page shows of job `k` of the generation in flight once trained. */
  #describe(k, outcome) {
    const job = this.flight.jobs[k];
    return {
      generation: this.generation + 1, index: k, of: this.flight.jobs.length,
      baseline: job.design.Baseline ?? null, drawing: job.design.Baseline ? null : this.experiment.drawing(job),
      validation_accuracy: outcome.validation_accuracy, test_accuracy: outcome.test_accuracy, parameters: outcome.parameters,
      error: outcome.error ?? null,
    };
  }

  /** Trains one generation and completes it. */
  async step() {
    if (this.state !== 'idle') throw new Error(`a generation is ${this.state === 'training' ? 'training already' : this.state}`);
    this.state = 'training';
    const started = performance.now();
    const jobs = this.experiment.beginStep();
    this.flight = { jobs, done: 0 };
    this.#clock(!this.paused);
    this.onUpdate(null);
    try {
      const outcomes = await this.pool.train(jobs, {
        order: trainingOrder(jobs),
        onOutcome: (k, outcome, ms) => {
          this.trainedJobs += 1;
          this.trainSeconds += ms / 1000;
          this.flight.done += 1;
          this.latest = this.#describe(k, outcome);
          this.onUpdate(this.latest);
        },
      });
      this.summary = this.experiment.finishStep(outcomes);
      this.lastSeconds = (performance.now() - started) / 1000;
      this.state = 'idle';
    } catch (error) {
      if (this.state === 'stopped') return;
      Object.assign(this, { state: 'failed', error });
    } finally {
      this.#clock(false);
      this.flight = null;
    }
    this.onUpdate(null);
    if (this.error) throw this.error;
  }

  /** Holds the generation in flight after the networks in training (and any generation started
   *  while paused); `resume()` goes on. */
  pause() {
    this.paused = true;
    this.pool.pause();
    this.#clock(false);
    this.onUpdate(null);
  }

  resume() {
    this.paused = false;
    this.pool.resume();
    if (this.state === 'training') this.#clock(true);
    this.onUpdate(null);
  }

  /** Ends the run: its workers end, a generation in flight is dropped. */
  stop() {
    this.state = 'stopped';
    this.pool.stop();
    this.experiment.free();
  }
}
