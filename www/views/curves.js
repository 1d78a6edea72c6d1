// The cell searches' curves (mean test accuracy of the best cell by validation, with 95% bands, against the oracle) and their results table.
import { BAND_ALPHA, chartFont, drawBands, drawFrame, strategyColor, swatch } from './charts.js';
import { labelOf } from '../app/state.js';

/** A cell search's name, as the schema labels it. */
const nameOf = (strategy) => labelOf('compare', strategy, 'cells');
const INK = '#222';
const MUTED = '#555';

const percent = (v) => `${v.toFixed(2)}%`;

/** drawFrame's plot box is the canvas less these CSS pixels, top and bottom (charts.js). */
const FRAME_HEIGHT = 42;
const KEY_ROW = 15;
const SAMPLE = 20;

/** The reference lines' key: `[{label, dash}]`, oracle first. */
function referenceKeys(oracle) {
  return [
    { label: `oracle ${percent(oracle.by_test.test)} (best test accuracy in the table)`, dash: [6, 4] },
    { label: `best cell by validation: test ${percent(oracle.by_validation.test)}`, dash: [1.5, 3] },
  ];
}

/** How the key lays out above the oracle line: one row when both fit side by side, else two. */
function keyRows(ctx, keys, width) {
  ctx.font = chartFont();
  const widths = keys.map((k) => SAMPLE + 6 + ctx.measureText(k.label).width);
  return widths[0] + widths[1] + 18 <= width - 12 ? 1 : 2;
}

/** The accuracy axis: the mean curves (a band of few seeds may reach below: it is clipped) and
 *  the oracle, with `room` CSS pixels above the oracle for its key in a plot `height` pixels tall. */
function accuracyRange(reports, oracle, height, room) {
  const means = reports.flatMap((r) => r.curve.mean_test_accuracy).filter(Number.isFinite);
  const top = oracle ? oracle.by_test.test : Math.max(...means, 1);
  const lowest = means.length ? Math.min(...means) : top - 5;
  const floor = Math.floor(Math.min(lowest - 0.08 * (top - lowest), top - 1));
  const share = Math.min(0.45, room / Math.max(1, height));
  return [floor, Math.max(top + 0.2, (top - floor * share) / (1 - share))];
}

function referenceLine(ctx, box, y, dash) {
  ctx.save();
  ctx.strokeStyle = INK;
  ctx.lineWidth = 1.25;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(box.left, Math.round(y) + 0.5);
  ctx.lineTo(box.right, Math.round(y) + 0.5);
  ctx.stroke();
  ctx.restore();
}

/** The key to the reference lines, just above the oracle's: a sample of each line, its label. */
function drawKeys(ctx, box, keys, rows, bottom) {
  ctx.font = chartFont();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let [x, y] = [box.left + 6, bottom - 4 - (rows - 1) * KEY_ROW - KEY_ROW / 2];
  for (const key of keys) {
    const width = SAMPLE + 6 + ctx.measureText(key.label).width;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.88)';
    ctx.fillRect(x - 3, y - 7, width + 6, 14);
    ctx.save();
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.25;
    ctx.setLineDash(key.dash);
    ctx.beginPath();
    ctx.moveTo(x, Math.round(y) + 0.5);
    ctx.lineTo(x + SAMPLE, Math.round(y) + 0.5);
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = INK;
    ctx.fillText(key.label, x + SAMPLE + 6, y);
    if (rows === 1) x += width + 18;
    else y += KEY_ROW;
  }
}

/**
 * Draws the reports (one per strategy, accuracies in percent) against cells evaluated, up to
 * `budget`: each strategy's mean with its 95% band, the oracle (the best test accuracy in the
 * table) dashed and the best cell by validation dotted, both labelled. `note` fills an empty chart.
 */
export function drawCellChart(canvas, { reports, oracle, budget, note }) {
  const seeds = Math.max(0, ...reports.map((r) => r.seeds.length));
  const title = titleFor(canvas, seeds === 1 ? '1 search' : `${seeds} searches`);
  const keys = oracle ? referenceKeys(oracle) : [];
  const rows = keys.length ? keyRows(canvas.getContext('2d'), keys, canvas.clientWidth - 52) : 0;
  const y = accuracyRange(reports, oracle, canvas.clientHeight - FRAME_HEIGHT, rows ? rows * KEY_ROW + 8 : 8);
  const { ctx, box, sx, sy } = drawFrame(canvas, { x: [0, budget], y }, { labels: { title, formatY: (v) => `${Number(v.toFixed(1))}%` } });
  const shown = reports.filter((r) => r.curve.evaluated.length);
  if (shown.length) drawCurves(ctx, box, sx, sy, shown);
  if (oracle) {
    canvas.dataset.oracle = oracle.by_test.test.toFixed(2);
    canvas.dataset.bestValidation = oracle.by_validation.test.toFixed(2);
    referenceLine(ctx, box, sy(oracle.by_test.test), keys[0].dash);
    referenceLine(ctx, box, sy(oracle.by_validation.test), keys[1].dash);
    drawKeys(ctx, box, keys, rows, sy(oracle.by_test.test));
  }
  if (shown.length) {
    drawLegend(ctx, shown, box);
    return;
  }
  ctx.fillStyle = '#999';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(note, (box.left + box.right) / 2, (box.top + box.bottom) / 2);
}

/** The chart's title: the longest that fits the canvas. */
function titleFor(canvas, searches) {
  const ctx = canvas.getContext('2d');
  ctx.font = chartFont();
  const titles = [
    `test accuracy of the best cell by validation (mean of ${searches}, 95% band)`,
    `best cell by validation: test accuracy (mean, 95% band)`,
    'test accuracy (mean, 95% band)',
  ];
  return titles.find((t) => ctx.measureText(t).width + 8 <= canvas.clientWidth) ?? titles.at(-1);
}

/** Each strategy's 95% band, then its mean on top. */
function drawCurves(ctx, box, sx, sy, shown) {
  drawBands(ctx, box, sx, sy, shown.map(({ strategy, curve }) => ({
    x: curve.evaluated, mean: curve.mean_test_accuracy, low: curve.low, high: curve.high, color: strategyColor(strategy),
  })));
}

/** The strategies' names and colours, stacked in the bottom-right corner (where the curves,
 *  rising to the right, leave room), above the axis's name. */
function drawLegend(ctx, reports, box) {
  ctx.font = chartFont();
  const axis = 'cells evaluated \u2192';
  const rows = [...reports.map((r) => ({ name: nameOf(r.strategy), color: strategyColor(r.strategy) })), { name: axis }];
  const width = Math.max(...rows.map((row) => ctx.measureText(row.name).width + (row.color ? 23 : 0))) + 10;
  const height = rows.length * 15 + 4;
  const [left, top] = [box.right - width - 2, box.bottom - height - 2];
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(left, top, width, height);
  ctx.textBaseline = 'middle';
  rows.forEach((row, i) => {
    const y = top + 10 + i * 15;
    if (!row.color) {
      ctx.textAlign = 'right';
      ctx.fillStyle = MUTED;
      ctx.fillText(row.name, box.right - 4, y);
      return;
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = row.color;
    ctx.globalAlpha = BAND_ALPHA * 2;
    ctx.fillRect(left + 5, y - 5, 16, 10);
    ctx.globalAlpha = 1;
    ctx.fillRect(left + 5, y - 1, 16, 2);
    ctx.fillStyle = MUTED;
    ctx.fillText(row.name, left + 28, y);
  });
}


/** Per strategy at the end of its searches: mean test accuracy with its band, mean regret to the oracle. */
export function showCellTable(table, reports, budget) {
  const shown = reports.filter((r) => r.seeds.length);
  table.hidden = shown.length === 0;
  table.querySelector('[data-col="accuracy"]').textContent = `test accuracy after ${budget} cells`;
  const cell = (...parts) => {
    const td = document.createElement('td');
    td.append(...parts);
    return td;
  };
  const rows = shown.map((r) => {
    const band = document.createElement('span');
    band.className = 'compare-band';
    band.textContent = ` ${r.low.toFixed(2)}\u2013${r.high.toFixed(2)}`;
    const row = document.createElement('tr');
    row.dataset.strategy = r.strategy;
    row.append(
      cell(swatch(r.strategy), nameOf(r.strategy)),
      cell(percent(r.mean_test_accuracy), band),
      cell(`${r.mean_regret.toFixed(2)} points`),
      cell(String(r.seeds.length)),
    );
    return row;
  });
  table.tBodies[0].replaceChildren(...rows);
}
