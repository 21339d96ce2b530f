/**
 * Types for pngjs's self-contained browser build (`pngjs/browser.js`, a browserify bundle that carries its own
 * Buffer and zlib), which @types/pngjs does not describe. Only what src/image/png.ts uses.
 */
declare module 'pngjs/browser.js' {
  interface PngBrowserMetadata {
    width: number;
    height: number;
    depth: number;
    colorType: number;
    interlace: boolean;
    alpha: boolean;
    /** RGBA, 8 bits per sample after normalisation; a Buffer of the bundle's own Buffer polyfill. */
    data: Uint8Array;
  }
  interface PngBrowserClass {
    new (options?: { width?: number; height?: number }): { data: Uint8Array | null };
    sync: { read(buffer: Uint8Array, options?: { checkCRC?: boolean; skipRescale?: boolean }): PngBrowserMetadata };
  }
  const pngjs: { PNG: PngBrowserClass };
  export default pngjs;
}
