// One way to talk to workers: a request carries a type and an id; the reply carries the id
// and `ok`, with the handler's fields or, on failure, its error's `message`.

/** A reply's fields with buffers to transfer rather than copy (see `serve`). */
export class Transfer {
  constructor(fields, list) {
    this.fields = fields;
    this.list = list;
  }
}

/**
 * The caller's side of `worker`: `call(type, fields, transfer)` resolves with the reply or
 * rejects with its error; if the worker dies, every pending call rejects, and so does every
 * later one (`dead` says so). Messages that answer
 * no call (a worker's own announcements) go to `onEvent`.
 */
export function connect(worker, onEvent = () => {}) {
  const pending = new Map();
  let nextId = 1;
  worker.addEventListener('message', ({ data }) => {
    const waiting = data && pending.get(data.id);
    if (!waiting) {
      onEvent(data);
      return;
    }
    pending.delete(data.id);
    if (data.ok) waiting.resolve(data);
    else waiting.reject(new Error(data.message));
  });
  const rpc = {
    worker,
    dead: null,
    call(type, fields = {}, transfer = []) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (rpc.dead) throw rpc.dead;
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...fields, type, id }, transfer);
      });
    },
  };
  worker.addEventListener('error', (event) => {
    rpc.dead = new Error(event.message || 'the worker failed to start');
    for (const waiting of pending.values()) waiting.reject(rpc.dead);
    pending.clear();
  });
  return rpc;
}

/**
 * The worker's side: `handlers[type](message)` returns (or resolves to) the reply's fields, or
 * a `Transfer`. Requests are handled one at a time in arrival order, after `ready` (the wasm
 * module loading); if it fails, every request is answered with that failure.
 */
export function serve(handlers, ready = Promise.resolve()) {
  let queue = ready.then(() => null, (error) => error);
  self.onmessage = ({ data: msg }) => {
    queue = queue.then(async (failed) => {
      try {
        if (failed) throw failed;
        const handler = handlers[msg.type];
        if (!handler) throw new Error(`unknown request ${msg.type}`);
        const out = (await handler(msg)) ?? {};
        const [fields, list] = out instanceof Transfer ? [out.fields, out.list] : [out, []];
        self.postMessage({ ...fields, id: msg.id, ok: true }, list);
      } catch (error) {
        self.postMessage({ id: msg.id, ok: false, message: String(error?.message ?? error) });
      }
      return failed;
    });
  };
  return queue;
}
