// The recurrent scene's tables: final test losses of the evolved and the named cells with their bands over weight seeds, and the population.

const LABELS = { evolved: 'best evolved', lstm: 'LSTM', gru: 'GRU', rnn: 'tanh RNN', nascell: 'NASCell' };
export const cellLabel = (name) => LABELS[name] ?? name;

const lossText = (v) => (Number.isFinite(v) ? (v < 0.01 ? v.toExponential(2) : v.toFixed(4)) : 'diverged');
const percent = (v) => (v == null ? '' : `${(v * 100).toFixed(1)}%`);

function row(cells, head = false) {
  const tr = document.createElement('tr');
  cells.forEach((content, k) => {
    const td = document.createElement(head && k === 0 ? 'th' : 'td');
    if (head && k === 0) td.scope = 'row';
    td.textContent = content;
    tr.append(td);
  });
  return tr;
}

/** Fills the losses table from a summary: one row per cell, the best evolved first, then chance. */
export function showLosses(table, summary, { solvedBelow = null, bits = false } = {}) {
  const body = table.tBodies[0];
  if (!summary?.best) {
    body.replaceChildren(row(['the first generation is training\u2026', '', '', '', '', ''], true));
    return;
  }
  const entries = [['evolved', summary.best], ...Object.entries(summary.baselines)];
  // Text is scored in bits per character (the cross-entropy over ln 2), bands too.
  const scale = bits ? 1 / Math.LN2 : 1;
  const loss = (v) => lossText(v * scale);
  table.querySelector('[data-col="loss"]').textContent = bits ? 'test bits/char' : 'test loss';
  const accuracy = summary.best.test_accuracy != null;
  table.querySelector('[data-col="accuracy"]').hidden = !accuracy;
  body.replaceChildren(...entries.map(([name, s]) => {
    const band = s.band ? `${loss(s.band.mean)} [${loss(s.band.low)}, ${loss(s.band.high)}]` : 'training\u2026';
    const solved = solvedBelow != null && s.test_loss < solvedBelow ? ' \u2713 solved' : '';
    const tr = row([cellLabel(name), `${loss(s.test_loss)}${solved}`, band, ...(accuracy ? [percent(s.test_accuracy)] : []), String(s.memory_cells), String(s.parameters)], true);
    tr.dataset.cell = name;
    tr.title = s.cell;
    return tr;
  }), row(['chance', loss(summary.chance_loss), '', ...(accuracy ? [percent(summary.chance_accuracy)] : []), '', ''], true));
}

/** Fills the population table (best validation loss first); a click on a row calls `onPick(index)`
 *  with its place in the queue, and the row on show is marked. */
export function showMembers(table, members, { shown = null, onPick = () => {} } = {}) {
  const order = members.map((m, k) => [m, k]).sort((a, b) => a[0].validation_loss - b[0].validation_loss || a[1] - b[1]);
  table.tBodies[0].replaceChildren(...order.map(([m, k]) => {
    const tr = row([String(m.born), lossText(m.validation_loss), lossText(m.test_loss), String(m.memory_cells), String(m.nodes), String(m.parameters), m.cell]);
    tr.tabIndex = 0;
    tr.dataset.member = String(k);
    tr.classList.toggle('shown', k === shown);
    tr.addEventListener('click', () => onPick(k));
    tr.addEventListener('keydown', (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), onPick(k)));
    return tr;
  }));
}
