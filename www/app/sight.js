// Drawing no more than the page must: each view's drawing timed, and views out of sight held back while a run plays.

/** While playing, a view scrolled out of sight is drawn at most this often (and at once when it
 *  comes back): at 1400x900 the gallery alone took 30 ms of every frame, unseen. */
const UNSEEN_MS = 1000;
/** Unseen views due together are drawn this far apart, not in one frame: the gallery, the
 *  Pareto view and the charts in one frame made a 40-60 ms task. */
const SPREAD_MS = 100;

/** Runs one view's drawing as a named User Timing measure (`draw:<view>`), so the page bench
 *  (tests/bench-playback.mjs) and a profiler can say which view a frame's time goes to. */
export function timed(view, fn) {
  const start = performance.now();
  fn();
  performance.measure(`draw:${view}`, { start, end: performance.now() });
}

/** Which watched views are on screen (an IntersectionObserver), and when each was drawn;
 *  `onSeen()` runs when one comes into sight, to draw it at once. */
export class Sight {
  constructor(onSeen) {
    this.onScreen = new Map();
    this.drawnAt = new Map();
    this.unseenAt = -Infinity;
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.onScreen.set(entry.target, entry.isIntersecting);
      if (entries.some((entry) => entry.isIntersecting)) onSeen();
    });
  }

  watch(element) {
    this.observer.observe(element);
  }

  /** Draws `view` (its element `element`, timed) unless `playing` and the view is out of sight
   *  and either drawn less than UNSEEN_MS ago or another unseen view was, less than SPREAD_MS ago. */
  draw(view, element, playing, fn) {
    const now = performance.now();
    if (playing && this.onScreen.get(element) === false) {
      if (now - (this.drawnAt.get(element) ?? -Infinity) < UNSEEN_MS || now - this.unseenAt < SPREAD_MS) return;
      this.unseenAt = now;
    }
    this.drawnAt.set(element, now);
    timed(view, fn);
  }
}
