// Module-loading hooks for modules.mjs: report every module URL that is loaded (ESM and CommonJS
// through import) to the main thread.
let port;
export function initialize(data) {
  port = data.port;
}
export async function load(url, context, nextLoad) {
  port.postMessage(url);
  return nextLoad(url, context);
}
