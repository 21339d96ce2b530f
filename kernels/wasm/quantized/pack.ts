/**
 * Prepare-time packing for the quantized SIMD kernels, written straight into wasm memory: IGEMM weight panels
 * (gemm.ts), depthwise weight blocks (dwconv.ts), indirection buffers and zero-point rows.
 */
import type { ConvGeometry } from '../../internal/conv_geometry.js';
import { type ChannelParams, type QMode, paramBlockBytes, writeRequantBlock } from './requant.js';
import { dwBlockBytes } from './dwconv.js';
import { QGEMM_NR, panelBytes } from './gemm.js';

/** What packing needs of the wasm runtime (kernels/wasm/runtime.ts WasmRuntime has it). */
export interface QMemory {
  readonly memory: WebAssembly.Memory;
  /** Zero-filled bytes (16-aligned by default) with readable slack after them; may grow memory. */
  alloc(bytes: number, align?: number, slack?: number): number;
}

/** Offset in an indirection buffer that stands for "padding: read the zero-point row". */
export const PAD = -1;

/**
 * Packs IGEMM weights: n output channels, ks taps of kc input values each; `at(c, t, k)` is the weight minus its
 * zero point. bias' = bias[c] - zpIn * sum_{t,k} at(c, t, k) folds the input zero point (the kernels read raw
 * inputs). Returns the pointer.
 */
export function packIgemm(
  rt: QMemory, n: number, ks: number, kc: number, at: (c: number, t: number, k: number) => number,
  bias: ArrayLike<number> | null, zpIn: number, params: ChannelParams,
): number {
  const mode: QMode = params.mode;
  const kc8 = Math.ceil(kc / 8);
  const panels = Math.ceil(n / QGEMM_NR);
  const pb = panelBytes(mode, ks, kc8);
  const ptr = rt.alloc(panels * pb);
  const dv = new DataView(rt.memory.buffer, ptr, panels * pb);
  const wOff = 32 + paramBlockBytes(mode);
  for (let p = 0; p < panels; p++) {
    const base = p * pb;
    writeRequantBlock(dv, base + 32, params, p * QGEMM_NR, n);
    for (let j = 0; j < QGEMM_NR; j++) {
      const c = p * QGEMM_NR + j;
      if (c >= n) continue;
      let sum = 0;
      for (let t = 0; t < ks; t++) {
        for (let k = 0; k < kc; k++) {
          const v = at(c, t, k);
          sum += v;
          // block (t, k >> 3), pair (k & 7) >> 1, half j >> 2, lane pair (j & 3), element k & 1
          const o = base + wOff + (t * kc8 + (k >> 3)) * 128 + ((k & 7) >> 1) * 32 + (j >> 2) * 16 + (j & 3) * 4 + (k & 1) * 2;
          dv.setInt16(o, v, true);
        }
      }
      dv.setInt32(base + 4 * j, ((bias ? bias[c]! : 0) - zpIn * sum) | 0, true);
    }
  }
  return ptr;
}

/**
 * Packs depthwise weights: c channels, ks taps; `at(ch, t)` is the weight minus its zero point. Input zero point
 * folded as in packIgemm. Returns the pointer.
 */
export function packDwconv(
  rt: QMemory, c: number, ks: number, at: (ch: number, t: number) => number, bias: ArrayLike<number> | null,
  zpIn: number, params: ChannelParams,
): number {
  const bb = dwBlockBytes(params.mode, ks);
  const blocks = Math.ceil(c / 8);
  const ptr = rt.alloc(blocks * bb);
  const dv = new DataView(rt.memory.buffer, ptr, blocks * bb);
  const wOff = 32 + paramBlockBytes(params.mode);
  for (let b = 0; b < blocks; b++) {
    const base = b * bb;
    writeRequantBlock(dv, base + 32, params, b * 8, c);
    for (let j = 0; j < 8; j++) {
      const ch = b * 8 + j;
      if (ch >= c) continue;
      let sum = 0;
      for (let t = 0; t < ks; t++) {
        const v = at(ch, t);
        sum += v;
        // pair t >> 1, half j >> 2, lane pair j & 3, element t & 1
        dv.setInt16(base + wOff + 32 * (t >> 1) + 16 * (j >> 2) + 4 * (j & 3) + 2 * (t & 1), v, true);
      }
      dv.setInt32(base + 4 * j, ((bias ? bias[ch]! : 0) - zpIn * sum) | 0, true);
    }
  }
  return ptr;
}

/** A row of `bytes` bytes filled with the input zero point (what padding taps read), plus 16 bytes of slack. */
export function allocZeroPointRow(rt: QMemory, bytes: number, zp: number): number {
  const ptr = rt.alloc(bytes + 16);
  new Uint8Array(rt.memory.buffer, ptr, bytes + 16).fill(zp & 255);
  return ptr;
}

/**
 * An indirection buffer: `count` input-relative byte offsets (PAD for padding taps) at `rel`, and the same as
 * pointers at `abs`, rebuilt by `q8_rebase` whenever the input tensor's address differs from `base`.
 */
export interface Indirection {
  rel: number;
  abs: number;
  count: number;
  /** The zero-point row padding taps point at (0 when there is no padding). */
  zero: number;
  /** The input address `abs` was built for (-1: not yet). */
  base: number;
}

function allocIndirection(rt: QMemory, count: number, zero: number): { ind: Indirection; rel: Int32Array } {
  const abs = rt.alloc(count * 4);
  const relPtr = rt.alloc(count * 4);
  return { ind: { rel: relPtr, abs, count, zero, base: -1 }, rel: new Int32Array(rt.memory.buffer, relPtr, count) };
}

/** Rebuilds the pointers of `ind` for an input at `a` when it moved (no allocation). */
export function rebase(ind: Indirection, a: number, fn: (...args: number[]) => number): number {
  if (ind.base !== a) {
    fn(ind.rel, ind.abs, ind.count, a, ind.zero);
    ind.base = a;
  }
  return ind.abs;
}

/**
 * IGEMM indirection for a plain matrix: m rows at `rowBytes` apart (1x1 convolutions, FULLY_CONNECTED, im2col
 * buffers); blocks of `mr` rows, rows past m repeat the last.
 */
export function rowIndirection(rt: QMemory, m: number, rowBytes: number, mr: number): Indirection {
  const blocks = Math.ceil(m / mr);
  const { ind, rel } = allocIndirection(rt, blocks * mr, 0);
  for (let i = 0; i < blocks * mr; i++) rel[i] = Math.min(i, m - 1) * rowBytes;
  return ind;
}

/**
 * The IGEMM indirection buffer of a convolution over all images of the batch: per block of `mr` output pixels,
 * per tap (ky, kx), `mr` byte offsets of the tap's input pixel relative to the input, or PAD (then the pointer
 * is `zero`). Rows past the last pixel repeat it. With `mr` = 1 it is also the depthwise layout ([pixel][tap]).
 */
export function convIndirection(rt: QMemory, g: ConvGeometry, mr: number, zero: number): Indirection {
  const perImage = g.outH * g.outW, m = g.batch * perImage, ks = g.filterH * g.filterW;
  const blocks = Math.ceil(m / mr);
  const { ind, rel } = allocIndirection(rt, blocks * ks * mr, zero);
  let q = 0;
  for (let blk = 0; blk < blocks; blk++) {
    for (let ky = 0; ky < g.filterH; ky++) {
      for (let kx = 0; kx < g.filterW; kx++) {
        for (let r = 0; r < mr; r++) {
          const pix = Math.min(blk * mr + r, m - 1);
          const b = Math.floor(pix / perImage), p = pix - b * perImage;
          const oy = Math.floor(p / g.outW), ox = p - oy * g.outW;
          const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
          const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
          rel[q++] = iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW ? PAD : ((b * g.inH + iy) * g.inW + ix) * g.inC;
        }
      }
    }
  }
  return ind;
}
