// webm.js in node, on WebM files written here byte by byte as MediaRecorder writes them (a live
// stream: Segment and Clusters of unknown size); the values expected are derived by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameCounter, frameTimes, withDuration } from '../www/app/webm.js';

/** An element: its ID's bytes, a 1-byte size (data under 127 bytes) and its data. */
const el = (id, ...data) => [...id, 0x80 | data.flat().length, ...data.flat()];
/** An 8-byte size of all ones: "unknown", as a live stream writes its Segment and Clusters. */
const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const HEADER = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], [0x77, 0x65, 0x62, 0x6d])); // EBML, DocType "webm": 12 bytes
const SEGMENT = [0x18, 0x53, 0x80, 0x67, ...UNKNOWN];
const INFO_ID = [0x15, 0x49, 0xa9, 0x66];
/** Info's data: a TimecodeScale of `scale` (3 bytes) and a MuxingApp, 14 bytes. */
const infoData = (scale) => [...el([0x2a, 0xd7, 0xb1], scale), ...el([0x4d, 0x80], [0x74, 0x65, 0x73, 0x74])];
const MS = [0x0f, 0x42, 0x40]; // 1,000,000 ns: ticks of a millisecond
const TENTH_MS = [0x01, 0x86, 0xa0]; // 100,000 ns
/** A SimpleBlock of track 1 at `ticks` after its Cluster's time: a keyframe of 3 bytes, 9 bytes in all. */
const simple = (ticks) => el([0xa3], [0x81, ticks >> 8, ticks & 0xff, 0x80, 0x9d, 0x01, 0x2a]);
const cluster = (time, ...blocks) => [0x1f, 0x43, 0xb6, 0x75, ...UNKNOWN, ...el([0xe7], time), ...blocks.flat()];
const file = (scale, ...clusters) => new Uint8Array([...HEADER, ...SEGMENT, ...el(INFO_ID, infoData(scale)), ...clusters.flat()]);
const float64 = (value) => [...new Uint8Array(new Float64Array([value]).buffer)].reverse();

/** Frames at 0, 40 and 80 ms; a Void; a second Cluster at 1000 ms (0x03e8) with a BlockGroup
 *  whose Block names track 129 (a 2-byte number: 0x40 0x81) 20 ms after it, and a ReferenceBlock. */
const FRAMES = file(
  MS,
  cluster([0], simple(0), simple(40), simple(80)),
  el([0xec], [0, 0, 0]),
  cluster([0x03, 0xe8], el([0xa0], el([0xa1], [0x40, 0x81, 0x00, 0x14, 0x00, 0x9d, 0x01, 0x2a]), el([0xfb], [0x28]))),
);

test('frameTimes: a Cluster\'s time plus each block\'s, past a Void, in a BlockGroup, with a 2-byte track number, in the file\'s ticks', () => {
  assert.deepEqual(frameTimes(FRAMES), [0, 40, 80, 1020]);
  assert.deepEqual(frameTimes(file(TENTH_MS, cluster([0], simple(0), simple(400)))), [0, 40]);
});

test('withDuration writes Duration last in Info (the last frame\'s time plus the mean spacing, in ticks) and moves nothing else', () => {
  const clusters = cluster([0], simple(0), simple(40), simple(80));
  // Info's 1-byte size (14) becomes an 8-byte one of 14 + 11, and the Duration (0x4489, an
  // 8-byte float) of 80 + 40 = 120 ticks follows its data.
  const expected = [...HEADER, ...SEGMENT, ...INFO_ID, 0x01, 0, 0, 0, 0, 0, 0, 25, ...infoData(MS), 0x44, 0x89, 0x88, ...float64(120), ...clusters];
  const out = withDuration(file(MS, clusters));
  assert.deepEqual([...out], expected);
  assert.deepEqual(frameTimes(out), [0, 40, 80], 'the frames read as before');
  assert.deepEqual([...withDuration(out)], expected, 'a Duration already there is kept');
  // Frames at 0 and 40 ms in ticks of 0.1 ms: 80 ms is 800 ticks.
  const tenths = [...withDuration(file(TENTH_MS, cluster([0], simple(0), simple(400))))];
  assert.deepEqual(tenths.slice(24 + 12 + 14, 24 + 12 + 25), [0x44, 0x89, 0x88, ...float64(800)]);
});

test('withDuration writes a Duration above 0 where the frames share one time (Chrome reads a Duration of 0 as none)', () => {
  const out = [...withDuration(file(MS, cluster([0], simple(0), simple(0))))];
  assert.deepEqual(out.slice(24 + 12 + 14, 24 + 12 + 25), [0x44, 0x89, 0x88, ...float64(1)], 'a millisecond, one tick');
});

test('frameCounter counts the frames of a file handed over in pieces cut anywhere: a frame once its block\'s ID and size are in', () => {
  // FRAMES: the EBML header (12 bytes), Segment's (12), Info (19), the first Cluster's header (12)
  // and time (3) put its blocks' headers at 58, 67 and 76 (2 bytes each, 9-byte blocks); a Void
  // (5), the second Cluster's header and time (16) and the BlockGroup's header (2) put the Block's at 108.
  const byCut = (cut) => [60, 69, 78, 110].filter((end) => cut >= end).length;
  for (let cut = 0; cut <= FRAMES.length; cut++) {
    const count = frameCounter();
    assert.equal(count(FRAMES.subarray(0, cut)), byCut(cut), `the first ${cut} bytes`);
    assert.equal(count(FRAMES.subarray(cut)), 4, `the rest after ${cut}`);
  }
  const count = frameCounter();
  assert.deepEqual([...FRAMES].map((byte) => count(new Uint8Array([byte]))), [...FRAMES].map((_, k) => byCut(k + 1)), 'a byte at a time');
});
