/**
 * The image pipeline must run in browsers and workers unchanged: bundle src/image with esbuild for the browser
 * platform (a Node built-in import would fail the build) and run the bundle in a bare VM context without Buffer,
 * process or require.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { decodeImage, packedPixels } from '../../src/image/index.js';
import { fixtureImages, repoRoot } from './helpers.js';

describe('browser bundle of src/image', () => {
  it('builds for the browser and decodes JPEG, PNG and BMP without Node globals', async () => {
    const result = await build({
      entryPoints: [path.join(repoRoot, 'src/image/index.ts')], bundle: true, platform: 'browser', format: 'iife',
      globalName: 'embedliteImage', write: false, logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["'](node:)?(zlib|fs|stream|buffer|util)["']\)/);
    const ctx: Record<string, unknown> = {
      Uint8Array, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array, Float32Array, Float64Array,
      Uint8ClampedArray, ArrayBuffer, DataView, Math, Object, Error, TypeError, RangeError, Array, String, Number,
      Symbol, Promise, JSON, Map, Set, TextDecoder, TextEncoder, setTimeout, clearTimeout, queueMicrotask,
    };
    ctx['self'] = ctx; ctx['window'] = ctx; ctx['globalThis'] = ctx;
    vm.createContext(ctx);
    vm.runInContext(code, ctx);
    const lib = ctx['embedliteImage'] as { decodeImage: typeof decodeImage; packedPixels: typeof packedPixels };
    expect(ctx['Buffer']).toBeUndefined();
    for (const f of ['png_interlaced_rgba16.png', 'png_palette_trns.png', 'jpeg_gray.jpg', 'bmp8_palette.bmp']) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(fixtureImages, f)));
      const inVm = lib.packedPixels(lib.decodeImage(new (ctx['Uint8Array'] as typeof Uint8Array)(bytes)));
      expect(Array.from(inVm), f).toEqual(Array.from(packedPixels(decodeImage(bytes))));
    }
  });
});
