// Recording a canvas as WebM video with MediaRecorder: one video frame per frame the caller draws.
import { withDuration } from './webm.js';

/** The containers and codecs tried, best first. */
const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
/** Bits per second of video: a slide's flat colours and thin lines stay sharp at 1080p. */
const BITRATE = 8_000_000;
/** MediaRecorder hands over what it has encoded this often (a long recording never holds it all
 *  in the encoder). */
const SLICE_MS = 1000;
/** Between drawn frames (a slow generation), the last frame is sent again this often, so the
 *  video stays a live stream rather than a gap that players may treat as its end. */
const KEEP_ALIVE_MS = 1000;

/** The WebM type this browser records (VP9, else VP8, else its own choice); throws, naming
 *  what is missing, where it records none. */
export function webmType() {
  if (typeof MediaRecorder === 'undefined' || !HTMLCanvasElement.prototype.captureStream) {
    throw new Error('recording: this browser has no MediaRecorder or canvas capture (a current Chrome, Edge or Firefox has both)');
  }
  const type = WEBM_TYPES.find((name) => MediaRecorder.isTypeSupported(name));
  if (!type) throw new Error('recording: this browser records no WebM video (neither VP9 nor VP8)');
  return type;
}

/**
 * Records `canvas` while `drawFrame(k)` draws frames k = 0, 1, ... into it (each a promise; a
 * frame enters the video once drawn), until `frames` are drawn or `signal` aborts (the frame
 * being drawn finishes first). Resolves to `{blob, frames}`: the video (type `video/webm`, its
 * Duration written in: webm.js) and how many frames were drawn.
 */
export async function recordCanvas(canvas, { frames, drawFrame, signal = null }) {
  const mimeType = webmType();
  // captureStream(0): a frame is taken only when asked for (requestFrame), never by a clock.
  const stream = canvas.captureStream(0);
  const [track] = stream.getVideoTracks();
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: BITRATE });
  const chunks = [];
  recorder.addEventListener('dataavailable', (event) => event.data.size && chunks.push(event.data));
  const stopped = new Promise((resolve, reject) => {
    recorder.addEventListener('stop', resolve);
    recorder.addEventListener('error', (event) => reject(event.error ?? new Error('recording failed')));
  });
  stopped.catch(() => {}); // awaited below; a failure while drawing is the one reported
  let sent = performance.now();
  const send = () => {
    track.requestFrame();
    sent = performance.now();
  };
  const keepAlive = setInterval(() => performance.now() - sent >= KEEP_ALIVE_MS && send(), KEEP_ALIVE_MS / 4);
  recorder.start(SLICE_MS);
  let drawn = 0;
  try {
    while (drawn < frames && !signal?.aborted) {
      await drawFrame(drawn);
      send();
      drawn += 1;
    }
    // The last frame asked for is taken at the next paint: the track must live until then.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  } finally {
    clearInterval(keepAlive);
    if (recorder.state !== 'inactive') recorder.stop();
    track.stop();
  }
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  return { blob: new Blob([withDuration(bytes)], { type: 'video/webm' }), frames: drawn };
}
