// Downloads of what is on show (the network as JSON, JavaScript or Python; the plot as PNG)
// and genome files read back in.

const FILES = {
  json: { name: 'evonas-genome.json', type: 'application/json' },
  js: { name: 'evonas-champion.js', type: 'text/javascript' },
  python: { name: 'evonas_champion.py', type: 'text/x-python' },
};

/** Offers `blob` as a download named `name` (a temporary object URL, revoked after). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the network on show in `format` (json, js or python); `source(format)` gives its text. */
export async function exportNetwork(format, source) {
  const file = FILES[format];
  download(new Blob([await source(format)], { type: file.type }), file.name);
}

/** Downloads a canvas as a PNG. */
export function exportPng(canvas, name = 'evonas-boundary.png') {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) return reject(new Error('the plot could not be encoded as PNG'));
      download(blob, name);
      resolve();
    }, 'image/png');
  });
}

/** Reads the chosen genome file as text (at most 1 MiB: a genome link holds far less). */
export async function readGenomeFile(file) {
  if (file.size > 1 << 20) throw new Error(`${file.name} is too large for a genome file (${file.size} bytes)`);
  return file.text();
}
