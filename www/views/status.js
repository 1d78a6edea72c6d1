// The status line's and the network view's words about the network on show.
import { lrText } from './gallery.js';

/** The test accuracy the status shows: the champion's, or the shared champion's as it is. */
export function statusAccuracy(frame) {
  const accuracy = frame?.shared?.test_accuracy ?? (frame?.generation > 0 ? frame.summary.best.test_accuracy : null);
  return accuracy === null || accuracy === undefined ? '–' : `${(accuracy * 100).toFixed(1)}%`;
}

export function statusSize(frame) {
  if (frame?.shared) {
    const enabled = frame.genome.conns.filter((c) => c.enabled).length;
    return `${frame.genome.nodes.length} nodes, ${enabled} connections (the champion this link carries; play evolves anew)`;
  }
  const best = frame?.summary.best;
  if (!(frame?.generation > 0)) return '–';
  // Where the run evolves them, the champion's own learning rate and steps.
  const own = frame.genome?.hyper ? `, lr ${lrText(best.lr)}, ${best.steps} steps` : '';
  return `${best.nodes} nodes, ${best.connections} connections${own}`;
}

/** The network view's note on the shown network's own training settings, if it has them. */
export function hyperCaption(genome) {
  const hyper = genome?.hyper;
  return hyper ? `It trains with its own evolved settings: learning rate ${lrText(hyper.lr)}, ${hyper.steps} steps.` : '';
}
