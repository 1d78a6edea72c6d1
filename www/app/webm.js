// WebM as MediaRecorder writes it (a live stream: clusters of unknown size, no Duration): its frames' times, and its Duration written in.

/** The EBML elements read: those walked into, and those that time a frame. */
const ID = {
  segment: 0x18538067, cluster: 0x1f43b675, info: 0x1549a966, group: 0xa0,
  scale: 0x2ad7b1, duration: 0x4489, clusterTime: 0xe7, simpleBlock: 0xa3, block: 0xa1,
};
const CONTAINERS = new Set([ID.segment, ID.cluster, ID.info, ID.group]);
/** WebM's default timestamp tick, in nanoseconds (a millisecond). */
const DEFAULT_SCALE = 1e6;

/** An EBML variable-length integer at `at`: `{value, length}` (an ID keeps its marker bit; a size
 *  of all ones, a live stream's "unknown", reads as Infinity). */
function vint(bytes, at, isId) {
  let length = 1;
  while (length < 8 && !(bytes[at] & (0x100 >> length))) length += 1;
  let value = isId ? bytes[at] : bytes[at] & (0xff >> length);
  let ones = value === 0xff >> length;
  for (let k = 1; k < length; k++) {
    value = value * 256 + bytes[at + k];
    ones &&= bytes[at + k] === 0xff;
  }
  return { value: !isId && ones ? Infinity : value, length };
}

const uint = (bytes, at, length) => bytes.subarray(at, at + length).reduce((v, b) => v * 256 + b, 0);

/** The header of the element at `at`: `{id, size, data}` (`data`: where its data starts); null
 *  where the bytes end within it. */
function header(bytes, at) {
  if (at >= bytes.length) return null;
  const id = vint(bytes, at, true);
  if (at + id.length >= bytes.length) return null;
  const size = vint(bytes, at + id.length, false);
  const data = at + id.length + size.length;
  return data <= bytes.length ? { id: id.value, size: size.value, data } : null;
}

/** Where the element after `element` starts: inside it for the segment, its info, clusters and
 *  block groups, past its data otherwise. */
const next = ({ id, size, data }) => (CONTAINERS.has(id) ? data : data + size);

/** Every element of the file in order, `{id, at, data, size}` (where it starts, where its data
 *  starts, its data's size), walking into the segment, its info, clusters and block groups. */
function* elements(bytes) {
  for (let at = 0, element; (element = header(bytes, at)); at = next(element)) yield { ...element, at };
}

/** Counts the frames of a WebM file handed over in pieces as it is written, cut anywhere:
 *  `count(piece)` reads the next piece and says how many frames have come (a frame counts once its
 *  block's ID and size have; its data is passed over, never held). */
export function frameCounter() {
  let rest = new Uint8Array(0); // an element's header that the last piece cut short
  let skip = 0; // how much of the last element's data is still to come
  let frames = 0;
  return (piece) => {
    const bytes = new Uint8Array(rest.length + piece.length);
    bytes.set(rest);
    bytes.set(piece, rest.length);
    let at = skip;
    for (let element; (element = header(bytes, at)); at = next(element)) {
      if (element.id === ID.simpleBlock || element.id === ID.block) frames += 1;
    }
    skip = Math.max(0, at - bytes.length);
    rest = bytes.slice(Math.min(at, bytes.length));
    return frames;
  };
}

/** The presentation time in milliseconds of every frame of a WebM file (one block per frame, a
 *  SimpleBlock or a BlockGroup's Block). */
export function frameTimes(bytes) {
  const times = [];
  let scale = DEFAULT_SCALE;
  let clusterTime = 0;
  for (const { id, data, size } of elements(bytes)) {
    if (id === ID.scale) scale = uint(bytes, data, size);
    else if (id === ID.clusterTime) clusterTime = uint(bytes, data, size);
    else if (id === ID.simpleBlock || id === ID.block) {
      const track = vint(bytes, data, false);
      const relative = new DataView(bytes.buffer, bytes.byteOffset + data + track.length, 2).getInt16(0);
      times.push(((clusterTime + relative) * scale) / 1e6);
    }
  }
  return times;
}

/**
 * The file with its Duration in its Info (players then show its length and can seek): the last
 * frame's time plus the frames' mean spacing, a millisecond at least (frames sharing one time
 * would give 0, which Chrome reads as no Duration). The file as it was where it has a Duration,
 * or no Info, or frames to time. Nothing holds a byte offset into what follows Info (MediaRecorder
 * writes no SeekHead or Cues), so growing it moves nothing that points.
 */
export function withDuration(bytes) {
  const all = [...elements(bytes)];
  const info = all.find((element) => element.id === ID.info);
  if (!info || all.some((element) => element.id === ID.duration)) return bytes;
  const scale = all.find((element) => element.id === ID.scale);
  const ticks = scale ? uint(bytes, scale.data, scale.size) : DEFAULT_SCALE;
  const times = frameTimes(bytes);
  if (times.length < 2) return bytes;
  const ms = times.at(-1) + Math.max(1, (times.at(-1) - times[0]) / (times.length - 1));
  const duration = new Uint8Array(11);
  duration.set([0x44, 0x89, 0x88]); // the Duration ID, and its size: an 8-byte float
  new DataView(duration.buffer).setFloat64(3, (ms * 1e6) / ticks);
  const end = info.data + info.size;
  // The Info's size as an 8-byte EBML integer: room for any size.
  const size = new Uint8Array(8);
  new DataView(size.buffer).setBigUint64(0, 0x01n << 56n | BigInt(info.size + duration.length));
  const idLength = vint(bytes, info.at, true).length;
  const parts = [bytes.subarray(0, info.at + idLength), size, bytes.subarray(info.data, end), duration, bytes.subarray(end)];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
  return out;
}
