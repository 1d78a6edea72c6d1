// The UI state <-> link: settings live in the URL hash; the wasm config checks and rewrites them.
import init, { parseLink, defaultLink, encodePoints } from './pkg/evonas.js';

/** Loads the wasm module on the main thread (used only to read and write links). */
export const engineReady = init();

/** Reads a link: `{config, link}` when valid, else the defaults with `error` set. */
export function readLink(text) {
  const body = text.replace(/^[#?]/, '');
  try {
    return { ...parseLink(body), error: '' };
  } catch (error) {
    return { ...parseLink(defaultLink()), error: String(error?.message ?? error) };
  }
}

/** The link with one setting changed (checked by `readLink`, which names any problem). */
export function linkWith(link, key, value) {
  const pairs = link.replace(/^[#?]/, '').split('&').filter(Boolean).map((p) => p.split('='));
  const text = encodeURIComponent(String(value)).replace(/%2C/gi, ',');
  const at = pairs.findIndex(([k]) => k === key);
  if (at >= 0) pairs[at] = [key, text];
  else pairs.push([key, text]);
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The link without the given keys (a settings change drops the champion it carried). */
export function linkWithout(link, ...keys) {
  return link.replace(/^[#?]/, '').split('&').filter((pair) => pair && !keys.includes(pair.split('=')[0])).join('&');
}

/** Drawn points (an array of [x, y, label]) as the link's `drawn=` text. */
export function drawnText(points) {
  return encodePoints(new Float32Array(points.flat()));
}

/** Puts the link in the address bar without adding a history entry. */
export function writeHash(link) {
  history.replaceState(null, '', `#${link}`);
}
