// A WebGPU adapter in words, from the browser's own description of it (wgpu sees only part).

/** The adapter the GPU trainer will get (high performance), or null without WebGPU. */
export async function requestAdapter() {
  return (await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null)) ?? null;
}

/** Vendor, architecture and description, with '(software)' for a fallback adapter. */
export function adapterName(info, fallback = 'WebGPU adapter') {
  const words = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
  return (words || fallback) + (info?.isFallbackAdapter ? ' (software)' : '');
}
