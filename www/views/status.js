// The status line's, the plot readout's and the network view's words about the network on show.
import { lrText } from './gallery.js';

/** An accuracy as the status and the readout write it. */
const percent = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '\u2013');

/** The test accuracy the status shows: the champion's, or the shared champion's as it is. */
function statusAccuracy(frame) {
  return percent(frame?.shared?.test_accuracy ?? (frame?.generation > 0 ? frame.summary.best.test_accuracy : null));
}

/**
 * Beside the plot (`readout`): the generation, which network it shows, and that network's
 * accuracies. Beside the network (`note`, with its Back to the champion): that the network on
 * show is not the champion.
 */
export function showReadout(readout, note, frame) {
  const items = frame?.gallery?.items ?? [];
  const shown = frame && !frame.shared ? items.find((item) => item.index === frame.selected) : null;
  const champion = !frame || frame.shared || frame.selected === frame.summary.best.index;
  readout.replaceChildren();
  if (!frame) return;
  note.hidden = champion;
  if (frame.generation === 0 && !frame.shared) {
    readout.append('Generation 0 \u00B7 nothing trained yet: press play (space) to evolve, or step (\u2192) one generation');
    return;
  }
  const strong = (text) => Object.assign(document.createElement('strong'), { textContent: text });
  const accuracy = frame.shared ? frame.shared.test_accuracy : shown?.test_accuracy ?? frame.summary.best.test_accuracy;
  const who = frame.shared ? 'the champion this link carries' : champion ? 'the champion' : `network ${frame.selected + 1}`;
  readout.append(`Generation ${frame.generation} \u00B7 ${who} \u00B7 test accuracy `, strong(percent(accuracy)));
  if (shown && Number.isFinite(shown.train_accuracy)) readout.append(` \u00B7 training ${percent(shown.train_accuracy)}`);
  note.querySelector('span').textContent = champion ? '' : `Showing network ${frame.selected + 1} of ${items.length}, not the champion.`;
}

function statusSize(frame) {
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

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const byStatus = (name) => document.querySelector(`[data-status="${name}"]`);

/** The top bar's generation and the footer's status line for `frame`; `speed` is generations
 *  per second while playing (null: not playing). */
export function showStatus(frame, speed) {
  const generation = String(frame?.generation ?? 0);
  byTestId('generation').textContent = generation;
  byStatus('generation').textContent = generation;
  byStatus('trained').textContent = String(frame?.summary.trained ?? 0);
  byTestId('test-accuracy').textContent = statusAccuracy(frame);
  byStatus('size').textContent = statusSize(frame);
  byStatus('speed').textContent = speed ? speed.toFixed(1) : '\u2013';
}

/** An embed's status strip's words for `frame`: the generation, test accuracy and size. */
export function stripItems(frame) {
  if (frame?.shared) return ['the champion this link carries', `test ${percent(frame.shared.test_accuracy)}`, `${frame.genome.nodes.length} nodes`];
  if (!(frame?.generation > 0)) return ['generation 0', 'press play'];
  const best = frame.summary.best;
  return [`generation ${frame.generation}`, `test ${percent(best.test_accuracy)}`, `${best.nodes} nodes, ${best.connections} connections`];
}
