// An embed's status strip: play/pause and step inside the frame, what the run has reached, and
// whether the frame has the keyboard (slide software owns the keys until the frame is clicked).

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** What the strip's buttons do in the scene on show: `toggle()`, `step()` where it can step, and
 *  `keys`, the keys it answers (none: a scene that answers no key). */
let actions = { toggle: () => {}, step: null, keys: '' };
/** What a click in the views does, where the scene says (the embed's hint, shown in the strip). */
let note = '';

/** Makes the strip's buttons act on the scene on show (each scene sets its own when it opens). */
export function setStripActions(next) {
  actions = next;
  byTestId('embed-step').hidden = !next.step;
  showKeys();
}

/** What a click in the views does (embed.js says, from the views shown). */
export function setStripNote(text) {
  note = text;
  showKeys();
}

/**
 * Shows what the run has reached: `playing` (the button's icon and name), `items` (short texts,
 * e.g. the generation and the accuracy) and, for a scene with nothing to play, `canPlay: false`.
 */
export function showStrip({ playing, items, canPlay = true }) {
  const play = byTestId('embed-play');
  play.classList.toggle('playing', playing);
  play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  play.title = playing ? 'Pause' : 'Play';
  // Nothing to play (a finished cell search): no button that does nothing.
  play.hidden = !canPlay;
  const words = byTestId('embed-words');
  const texts = items.filter(Boolean);
  // Replaced only when they change, so a screen reader's live region speaks changes alone.
  if (words.dataset.shown !== texts.join('\u0000')) {
    words.dataset.shown = texts.join('\u0000');
    words.replaceChildren(...texts.map((text) => Object.assign(document.createElement('span'), { textContent: text })));
  }
}

/**
 * The frame's keyboard state: an embed answers keys only while it has the focus (a click gives
 * it), and says so; Escape hands the keys back to the page around it (the slides).
 */
function showKeys() {
  const keys = byTestId('embed-keys');
  const mine = document.hasFocus();
  keys.textContent = [note, actions.keys ? (mine ? `${actions.keys} \u00B7 Esc release` : 'click to control') : ''].filter(Boolean).join(' \u00B7 ');
  document.body.classList.toggle('embed-focused', mine);
}

/** Gives the keyboard back to the page that embeds this one (the slides); no-op when not framed. */
function release() {
  document.activeElement?.blur?.();
  // Focusing the parent (allowed across origins) moves the keyboard to it, where the slides listen.
  if (window.parent !== window) window.parent.focus();
  showKeys();
}

/** Wires the strip's buttons and its keyboard state, once. */
export function wireStrip() {
  byTestId('embed-play').addEventListener('click', () => actions.toggle());
  byTestId('embed-step').addEventListener('click', () => actions.step?.());
  window.addEventListener('focus', showKeys);
  window.addEventListener('blur', showKeys);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('embed')) release();
  });
  showKeys();
}
