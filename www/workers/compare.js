// A comparison worker: its own wasm instance runs one search of any scene at a time (a strategy from a seed, until the budget), and for the cell search also says where a search ended and which cells are the table's best.
import init, { CellTable, linkValue, traceStrategy } from '../pkg/evonas.js';
import { serve } from '../app/rpc.js';

const TABLE_URL = new URL('../data/nasbench201.bin', import.meta.url);

/** The NAS-Bench-201 table (a promise, made once; a failed load is tried again by the next call). */
let table = null;

function cellTable() {
  table ??= fetch(TABLE_URL).then(async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new CellTable(new Uint8Array(await response.arrayBuffer()));
  }).catch((error) => {
    table = null;
    throw new Error(`the NAS-Bench-201 table (www/data/nasbench201.bin, written by ./build.sh build) did not load: ${error.message}`);
  });
  return table;
}

serve({
  /** `{link, strategy, seed, budget}` -> `{trace}`: a cell search's link looks its cells up in the table. */
  trace: async ({ link, strategy, seed, budget }) => {
    const [s, b] = [BigInt(seed), BigInt(budget)];
    const cells = linkValue(link, 'scene') === 'cells';
    return { trace: cells ? (await cellTable()).trace(link, strategy, s, b) : traceStrategy(link, strategy, s, b) };
  },
  /** `{link, strategy, seed}` -> `{search}`: where that cell search ended (`{best, population}`). */
  search: async ({ link, strategy, seed }) => ({ search: (await cellTable()).search(link, strategy, BigInt(seed)) }),
  /** `{link, searches}` -> `{bytes}`: the save file of the cell link's comparison with its first
   *  `searches` searches made (table look-ups, made again: milliseconds). */
  save: async ({ link, searches }) => ({ bytes: (await cellTable()).save(link, searches) }),
  /** `{link}` -> `{best}`: the table's best cells on the link's dataset (`{by_test, by_validation}`). */
  best: async ({ link }) => ({ best: (await cellTable()).best(link) }),
}, init());
