// Recording a canvas as WebM video with MediaRecorder: one video frame per frame the caller draws.
import { frameCounter, withDuration } from './webm.js';

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
/** Frames sent and not yet in the file, at most, before the next is drawn: Chrome drops a frame
 *  that finds 10 waiting for its encoder (whose start alone can take most of a second). */
const IN_FLIGHT = 4;
/** While waiting for the encoder, what it has written is asked for this often. */
const POLL_MS = 50;
/** A wait for the encoder gives up after this long with no new frame in the file (a frame the
 *  browser dropped never comes). */
const STALL_MS = 10_000;

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
 *
 * Chrome's MediaRecorder drops, when stopped, the frames its encoder has not finished: a short
 * recording stopped at once could lose its last frames, or all of them (an empty file). So the
 * recorder stops only once the file holds every frame sent, which needs each frame sent to be
 * one frame captured: Chrome captures a canvas at the end of a task that drew on it, where a
 * frame was asked for (and, unasked, the first time). The frames are therefore taken from a
 * canvas of the recording's own, drawn on only by a whole copy of `canvas` in the same task
 * that asks for the frame: never a slide half drawn (its drawing spans tasks), never two frames
 * for one or one for two.
 */
export async function recordCanvas(canvas, { frames, drawFrame, signal = null }) {
  const mimeType = webmType();
  const shown = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
  // Opaque, as a slide is: no alpha plane to encode. 'copy': a copy replaces all it covers.
  const ctx = shown.getContext('2d', { alpha: false });
  ctx.globalCompositeOperation = 'copy';
  // captureStream(0): a frame is taken only when asked for (requestFrame), never by a clock.
  const stream = shown.captureStream(0);
  const [track] = stream.getVideoTracks();
  const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: BITRATE });
  const chunks = [];
  const count = frameCounter();
  let encoded = 0; // frames in the file so far
  let reading = Promise.resolve(); // the chunks, read in the order they come
  recorder.addEventListener('dataavailable', ({ data }) => {
    reading = reading.then(async () => {
      const bytes = new Uint8Array(await data.arrayBuffer());
      chunks.push(bytes);
      encoded = count(bytes);
    });
  });
  const stopped = new Promise((resolve, reject) => {
    recorder.addEventListener('stop', resolve);
    recorder.addEventListener('error', (event) => reject(event.error ?? new Error('recording failed')));
  });
  stopped.catch(() => {}); // awaited below; a failure while drawing is the one reported
  let sent = 0;
  let sentAt = performance.now();
  const send = (source) => {
    ctx.drawImage(source, 0, 0);
    track.requestFrame();
    sent += 1;
    sentAt = performance.now();
  };
  /** Waits until the file holds `target` frames (or the recorder has stopped, or stalled). */
  const encodedUpTo = async (target) => {
    for (let seen = encoded, since = performance.now(); encoded < target && recorder.state === 'recording' && performance.now() - since < STALL_MS;) {
      recorder.requestData();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      await reading;
      if (encoded > seen) [seen, since] = [encoded, performance.now()];
    }
  };
  // The last frame again: the copy already shown.
  const keepAlive = setInterval(() => sent && performance.now() - sentAt >= KEEP_ALIVE_MS && send(shown), KEEP_ALIVE_MS / 4);
  recorder.start(SLICE_MS);
  let drawn = 0;
  try {
    while (drawn < frames && !signal?.aborted) {
      await drawFrame(drawn);
      send(canvas);
      drawn += 1;
      await encodedUpTo(sent - IN_FLIGHT);
    }
    clearInterval(keepAlive); // no frame is sent past those waited for
    await encodedUpTo(sent);
  } finally {
    clearInterval(keepAlive);
    if (recorder.state !== 'inactive') recorder.stop();
    track.stop();
  }
  await stopped;
  await reading;
  if (!encoded) throw new Error('recording: the browser encoded no frame of the video');
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  return { blob: new Blob([withDuration(bytes)], { type: 'video/webm' }), frames: drawn };
}
