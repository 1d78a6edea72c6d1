// The custom dataset's points: drawn on the plot or imported from a CSV file, carried by the
// link's `drawn=` (the link is their one home: the page's copy is always read back from it).
import { drawnText, linkWith, linkWithout } from './state.js';
import { showError } from './controls.js';
import { pointsFromCsv } from '../pkg/evonas.js';
import { planePoint } from '../views/plot.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** Largest points file read: a link holds at most 2000 points, some 60 KB of CSV. */
const MAX_FILE_BYTES = 1 << 20;
/** A point's split code (dataset::Split): by the train fraction, or as a file marked it. */
const SPLIT = { fraction: 0, train: 1, test: 2 };

/** The points of the custom dataset, each `[x, y, class, split code]`. */
export class CustomPoints {
  constructor() {
    this.list = [];
  }

  /** Takes the points a parsed link carries (flat quadruples, as `parseLink` gives them). */
  readFrom(parsed) {
    const flat = parsed.drawn;
    this.list = Array.from({ length: flat.length / 4 }, (_, i) => Array.from(flat.slice(4 * i, 4 * i + 4)));
  }

  /** The points as the views' data, shown before a run can start: marked test points as test. */
  asData() {
    const side = (test) => {
      const points = this.list.filter((p) => (p[3] === SPLIT.test) === test);
      const column = (k) => Float32Array.from(points, (p) => p[k]);
      return { x: column(0), y: column(1), label: column(2) };
    };
    return { train: side(false), test: side(true) };
  }

  /** The link with one more point (class 1 blue, 0 orange), split by the fraction. */
  linkWithPoint(link, x, y, label) {
    return linkWith(linkWithout(link, 'genome'), 'drawn', drawnText([...this.list, [x, y, label, SPLIT.fraction]]));
  }

  /** Shows or hides the plot's prompt: a run needs two points. */
  showPrompt(waiting) {
    const prompt = byTestId('draw-prompt');
    prompt.hidden = !waiting;
    const left = 2 - this.list.length;
    prompt.textContent = `Click the plot to add a blue point, shift-click for an orange one, or import a CSV file: the run starts with ${left === 2 ? 'two points' : 'one more point'}.`;
  }
}

/** What an imported file became, in words, beside the import button. */
function importNote(name, file) {
  const [zero, one] = file.classes.map((c) => `'${c}'`);
  const marked = file.test ? `, ${file.test} marked test` : '';
  const scaled = file.scaled ? '; scaled into the plane, keeping their proportions' : '';
  return `${name}: ${file.points} points, ${one} blue and ${zero} orange${marked}${scaled}.`;
}

/**
 * Wires the plot's clicks, the clear button and the CSV import to `points`: each makes a link
 * that `apply` (the scene's) takes or refuses, naming its problem; `link` is the current link and
 * `active` whether the custom dataset is on show (clicks draw only then).
 */
export function wireCustomPoints(points, { link, apply, active }) {
  const note = byTestId('import-note');
  byTestId('boundary').addEventListener('click', (event) => {
    if (!active()) return;
    const { x, y } = planePoint(event.currentTarget, event.clientX, event.clientY);
    apply(points.linkWithPoint(link(), x, y, event.shiftKey ? 0 : 1));
  });
  byTestId('clear-points').addEventListener('click', () => {
    note.textContent = '';
    apply(linkWithout(link(), 'genome', 'drawn'));
  });
  byTestId('import-csv').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    event.target.value = '';
    if (!file) return;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(`${file.size} bytes is too large for a points file (at most ${MAX_FILE_BYTES})`);
      const read = pointsFromCsv(await file.text());
      const base = linkWithout(link(), 'genome', 'drawn');
      if (apply(linkWith(linkWith(base, 'dataset', 'custom'), 'drawn', read.drawn))) note.textContent = importNote(file.name, read);
    } catch (error) {
      showError(`${file.name}: ${error.message}`);
    }
  });
}
