/** Data modules: workerd and wrangler hand a bundled binary file to the worker as an ArrayBuffer. */
declare module '*.tflite' {
  const bytes: ArrayBuffer;
  export default bytes;
}

/** The package's precompiled SIMD kernels, a Wasm module compiled by the platform when it loads the worker. */
declare module 'embedlite/kernels.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
