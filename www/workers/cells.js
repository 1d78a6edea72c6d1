// The cell search's worker: holds the NAS-Bench-201 table and the comparison's CellLab, runs its searches a slice at a time, and posts progress, reports and finished searches.
import init, { CellLab } from '../pkg/evonas.js';

/** Lookups per slice (a few milliseconds; one whole search at least), and points along each curve. */
const SLICE = 20_000;
const POINTS = 60;
const TABLE_URL = new URL('../data/nasbench201.bin', import.meta.url);

const ready = init();
/** The table's bytes (a promise, made once; a failed load is tried again by the next run). */
let table = null;
/** The comparison: `{id, lab, paused, looping, finished, wanted}`, wanted the searches the page
 *  asked for (by `strategy|seed`) that it has not been sent yet. */
let current = null;

function loadTable() {
  table ??= fetch(TABLE_URL).then(async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }).catch((error) => {
    table = null;
    throw new Error(`the NAS-Bench-201 table (www/data/nasbench201.bin, written by ./build.sh build) did not load: ${error.message}`);
  });
  return table;
}

const messageOf = (error) => String(error?.message ?? error);

/** Yields to the worker's messages (a Stop, a new link) without the 4 ms floor of nested timeouts. */
const channel = new MessageChannel();
const queue = [];
channel.port1.onmessage = () => queue.shift()?.();
const yieldToMessages = () => new Promise((resolve) => {
  queue.push(resolve);
  channel.port2.postMessage(0);
});

/** The searches asked for that have run, taken off the wanted list; at the end of the comparison
 *  one that still cannot be had is answered with its error. */
function found(run) {
  const searches = [];
  for (const [key, { strategy, seed }] of run.wanted) {
    try {
      searches.push({ strategy, seed, search: run.lab.search(strategy, BigInt(seed)) });
    } catch (error) {
      if (!run.finished) continue;
      searches.push({ strategy, seed, error: messageOf(error) });
    }
    run.wanted.delete(key);
  }
  return searches;
}

function post(run, message) {
  self.postMessage({ ...message, run: run.id });
}

/** Ends a run on an error: the page is told, and the lab let go. */
function fail(run, message) {
  if (current !== run) return;
  post(run, { type: 'error', message });
  run.lab?.free();
  current = null;
}

function progress(run, state) {
  const lab = run.lab;
  return { type: 'progress', state, done: lab.done(), runs: lab.runs(), reports: lab.reports(POINTS), searches: found(run) };
}

async function start(id, link) {
  current?.lab?.free();
  const run = { id, lab: null, paused: false, looping: false, finished: false, wanted: new Map() };
  current = run;
  try {
    await ready;
    const bytes = await loadTable();
    if (current !== run) return;
    run.lab = new CellLab(bytes, link);
    post(run, { type: 'started', runs: run.lab.runs(), oracle: run.lab.oracle() });
  } catch (error) {
    fail(run, messageOf(error));
    return;
  }
  if (run.paused) post(run, progress(run, 'paused'));
  else loop(run);
}

/** Slices until the comparison is done, stopped or replaced, posting after each. */
async function loop(run) {
  if (run.looping) return;
  run.looping = true;
  try {
    while (current === run && !run.paused && !run.finished) {
      run.finished = run.lab.advance(SLICE) >= run.lab.runs();
      post(run, progress(run, run.finished ? 'finished' : 'running'));
      if (!run.finished) await yieldToMessages();
    }
  } catch (error) {
    fail(run, `cell search: ${messageOf(error)}`);
  } finally {
    run.looping = false;
  }
}

/**
 * Requests, each with the page's run id (one for another run is ignored):
 * `{type: 'start', run, link}` replaces the comparison; `stop` and `resume` pause and continue it;
 * `{type: 'search', run, strategy, seed}` asks for a search, sent as soon as it has run.
 * Replies: `started` `{runs, oracle}`; `progress` `{state, done, runs, reports, searches}` after each
 * slice and on a stop (state 'paused'); `error` `{message}`, after which the run is over.
 */
self.onmessage = ({ data: msg }) => {
  if (msg.type === 'start') {
    start(msg.run, msg.link);
    return;
  }
  const run = current;
  if (!run || run.id !== msg.run) return;
  try {
    if (msg.type === 'stop' && !run.paused && !run.finished) {
      run.paused = true;
      if (run.lab) post(run, progress(run, 'paused'));
    } else if (msg.type === 'resume' && run.paused) {
      run.paused = false;
      if (run.lab) loop(run);
    } else if (msg.type === 'search') {
      run.wanted.set(`${msg.strategy}|${msg.seed}`, { strategy: msg.strategy, seed: msg.seed });
      const searches = run.lab ? found(run) : [];
      if (searches.length) post(run, { type: 'searches', searches });
    }
  } catch (error) {
    fail(run, `cell search: ${messageOf(error)}`);
  }
};
