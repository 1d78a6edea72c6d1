// What every scene's controls share: the error banner, and settings put into their controls.
import { writtenIn } from './state.js';

/** Names a problem on the page's banner (an empty message clears it). */
export function showError(message) {
  document.querySelector('[data-testid="error"]').textContent = message;
}

/**
 * Puts every setting into the controls carrying `attribute` (data-key, data-cell-key), numbers
 * as `link` writes them (not as f32 noise), `values` for the keys the link leaves out; each
 * control's `<output data-for>` echoes it.
 */
export function putSettings(attribute, link, values) {
  const written = writtenIn(link);
  for (const input of document.querySelectorAll(`[${attribute}]`)) {
    const key = input.getAttribute(attribute);
    input.value = written.get(key) ?? values[key];
    const out = document.querySelector(`output[data-for="${key}"]`);
    if (out) out.textContent = input.value;
  }
}
