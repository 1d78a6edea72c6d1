// Saving a run to a file and opening one, in any scene: the CLI's own format (evonas run --save writes it, --resume reads it), checked strictly by wasm.
import { savedRun } from '../pkg/evonas.js';
import { showError } from './controls.js';
import { resumeScene, saveScene, sceneOnShow } from './tabs.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** The run on show as a save file: a Blob of type application/octet-stream. */
export async function saveRun() {
  const bytes = await saveScene();
  return new Blob([bytes], { type: 'application/octet-stream' });
}

/**
 * Opens the run a save file holds (a File, a Blob or bytes) in its own scene, from the
 * generation it was saved at. A file that is not a run, is cut short, corrupted or of another
 * version is named on the banner (and the promise rejects); the run on show goes on untouched.
 * Resolves to `{scene, link, generation}`.
 */
export async function openRun(file) {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
  let about;
  try {
    about = savedRun(bytes);
  } catch (error) {
    const message = `open: ${file.name ? `${file.name}: ` : ''}${error.message}`;
    showError(message);
    throw new Error(message, { cause: error });
  }
  showError('');
  await resumeScene(about.scene, bytes, about);
  return about;
}

/** Saves the run on show as `evonas-<scene>-g<generation>.run`. */
async function download() {
  const blob = await saveRun();
  const generation = window.evonas.summary()?.generation ?? 0;
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `evonas-${sceneOnShow()}-g${generation}.run` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}

/** Wires Save and Open in the top bar, and a run file dropped anywhere on the page. */
export function wireSaving() {
  const picker = byTestId('open-run-file');
  byTestId('save-run').addEventListener('click', () => download().catch((error) => showError(`save: ${error.message}`)));
  byTestId('open-run').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const [file] = picker.files;
    picker.value = '';
    if (file) openRun(file).catch(() => {}); // named on the banner
  });
  // Only files are taken: a dragged link or text is left to the page.
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragover', (event) => {
    if (carriesFiles(event)) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const [file] = event.dataTransfer.files;
    if (file) openRun(file).catch(() => {});
  });
}
