/** Data modules: workerd and wrangler hand a bundled binary file to the worker as an ArrayBuffer. */
declare module '*.tflite' {
  const bytes: ArrayBuffer;
  export default bytes;
}
