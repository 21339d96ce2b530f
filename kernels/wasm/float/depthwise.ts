/**
 * float32 DEPTHWISE_CONV_2D micro-kernels, after the layout of XNNPACK's f32-dwconv wasmsimd kernels (learned
 * from, not copied): one output pixel at a time, its K filter taps read through an indirection buffer, channels
 * in tiles of 8 (two v128 accumulators) with the weights packed once at prepare.
 *
 * - Indirection: K absolute input pointers per output pixel (tap order ky, kx), each to the tap's channel 0, or
 *   to a zero row for taps in the padding. So padding, stride and dilation cost nothing in the kernel.
 *   The buffer is built at prepare against a provisional input address and moved to the real one by
 *   `f32_dwconv_rebase` when the input's address differs (first invoke, or per image of a batch).
 * - Weights (multiplier 1): per group of 8 channels, 8 bias values then 8 weights per tap: (K + 1) * 8 floats,
 *   zero past the last channel. A remainder of 1..7 channels runs on 4-lane halves of its group.
 * - Multiplier m > 1 (`f32_dwconv_mult`): per input channel, its m outputs in groups of 4 lanes, each group
 *   [4 bias, 4 weights per tap]; the input value is splatted.
 * - Epilogue: clamp to [min, max] (the fused activation), as `v < min ? min : v > max ? max : v`; `clamp`
 *   points to min and max as two f32 in wasm memory (no double crosses the JS-to-wasm call: see clampParams).
 *
 * Channel tails read up to 12 bytes past a pixel's last channel (never stored): buffers need 16 bytes of slack.
 * Pointers are byte addresses; counts are elements.
 */
import type { FunctionBuilder, Local, ModuleBuilder, Operand } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

/** Tap counts with a fully unrolled kernel (`f32_dwconv_{K}`); others use `f32_dwconv_any`. */
export const DWCONV_UNROLLED_TAPS = [4, 9, 25] as const;
/** Channels per packed weight group (multiplier 1). */
export const DWCONV_CR = 8;
/** Tap counts that also have a two-pixel kernel (`f32_dwconv_{K}x2`). */
export const DWCONV_PAIR_TAPS = [9, 25] as const;

/** v < lo ? lo : v > hi ? hi : v, lane-wise (pmax/pmin have exactly these semantics, NaN passing through). */
export function clampF32x4(f: FunctionBuilder, v: Operand, vmin: Local, vmax: Local) {
  return f.f32x4.pmin(f.f32x4.pmax(v, vmin), vmax);
}

/**
 * Stores the low `c` lanes (1..3) of `v` at `out` and advances `out` (v is clobbered). For c >= 4 the caller
 * stores a full vector.
 */
export function storePartial(f: FunctionBuilder, out: Local, v: Local, c: Operand): void {
  f.if(f.i32.and(c, 2), () => {
    f.v128.store64_lane(out, v, 0);
    f.set(v, f.i32x4.shuffle(v, v, [2, 3, 2, 3]));
    f.inc(out, 8);
  });
  f.if(f.i32.and(c, 1), () => {
    f.v128.store32_lane(out, v, 0);
    f.inc(out, 4);
  });
}

/** Stores min(c, 4) lanes of `v` at `out`, advancing it (c >= 1). */
function storeUpTo4(f: FunctionBuilder, out: Local, v: Local, c: Local): void {
  f.if(f.i32.ge_s(c, 4), () => {
    f.v128.store(out, v);
    f.inc(out, 16);
  }, () => storePartial(f, out, v, c));
}

/**
 * f32_dwconv_{K}(channels, pixels, ind, w, out, clamp, taps): `pixels` output pixels of `channels` channels
 * written contiguously from `out`; `ind` holds K pointers per pixel. K = null: the generic kernel
 * `f32_dwconv_any`, which reads the tap count from `taps` (the unrolled kernels ignore it).
 */
function emitDwconv(mb: ModuleBuilder, K: number | null): void {
  const params = { channels: 'i32', pixels: 'i32', ind: 'i32', w: 'i32', out: 'i32', clamp: 'i32', taps: 'i32' } as const;
  mb.addFunction(K === null ? 'f32_dwconv_any' : `f32_dwconv_${K}`, { params }, (f, p) => {
    const taps = p.taps;
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const wp = f.local('i32', 'wp'), co = f.local('i32', 'co'), c = f.local('i32', 'c');
    const acc0 = f.local('v128', 'acc0'), acc1 = f.local('v128', 'acc1');
    // Unrolled: the K pointers of the pixel in locals. Generic: walk the pixel's pointers per channel group.
    const ptr = K === null ? [] : f.locals('i32', K, 'i');
    const t = f.local('i32', 't'), tp = f.local('i32', 'tp'), wt = f.local('i32', 'wt'), x = f.local('i32', 'x');
    const indStep = K === null ? f.i32.shl(taps, 2) : 4 * K;
    const groupBytes = K === null ? f.i32.shl(f.i32.add(taps, 1), 5) : 32 * (K + 1);

    /** acc0 (and acc1 when `both`) += input * weight over all taps, for the channels at byte offset co. */
    const accumulate = (both: boolean): void => {
      if (K !== null) {
        for (let k = 0; k < K; k++) {
          f.set(x, f.i32.add(ptr[k]!, co));
          f.set(acc0, f.f32x4.add(acc0, f.f32x4.mul(f.v128.load(x), f.v128.load(wp, 32 + 32 * k))));
          if (both) f.set(acc1, f.f32x4.add(acc1, f.f32x4.mul(f.v128.load(x, 16), f.v128.load(wp, 48 + 32 * k))));
        }
        return;
      }
      f.set(tp, p.ind);
      f.set(wt, f.i32.add(wp, 32));
      f.set(t, taps);
      f.while(t, () => {
        f.set(x, f.i32.add(f.i32.load(tp), co));
        f.set(acc0, f.f32x4.add(acc0, f.f32x4.mul(f.v128.load(x), f.v128.load(wt))));
        if (both) f.set(acc1, f.f32x4.add(acc1, f.f32x4.mul(f.v128.load(x, 16), f.v128.load(wt, 16))));
        f.inc(tp, 4);
        f.inc(wt, 32);
        f.set(t, f.i32.sub(t, 1));
      });
    };

    f.while(f.i32.gt_s(p.pixels, 0), () => {
      ptr.forEach((l, k) => f.set(l, f.i32.load(p.ind, 4 * k)));
      f.set(wp, p.w);
      f.set(co, 0);
      f.set(c, p.channels);
      f.while(f.i32.ge_s(c, 8), () => {
        f.set(acc0, f.v128.load(wp));
        f.set(acc1, f.v128.load(wp, 16));
        accumulate(true);
        f.v128.store(p.out, clampF32x4(f, acc0, vmin, vmax));
        f.v128.store(p.out, clampF32x4(f, acc1, vmin, vmax), 16);
        f.inc(p.out, 32);
        f.inc(co, 32);
        f.set(wp, f.i32.add(wp, groupBytes));
        f.set(c, f.i32.sub(c, 8));
      });
      // 1..7 channels left: 4-lane halves of the last (zero-padded) group.
      f.while(f.i32.gt_s(c, 0), () => {
        f.set(acc0, f.v128.load(wp));
        accumulate(false);
        f.set(acc0, clampF32x4(f, acc0, vmin, vmax));
        storeUpTo4(f, p.out, acc0, c);
        f.inc(co, 16);
        f.inc(wp, 16);
        f.set(c, f.i32.sub(c, 4));
      });
      f.set(p.ind, f.i32.add(p.ind, indStep));
      f.set(p.pixels, f.i32.sub(p.pixels, 1));
    });
  });
}

/**
 * f32_dwconv_{K}x2(channels, pixels, ind, w, out, clamp, taps): as f32_dwconv_{K}, two output pixels per step,
 * so each weight vector loaded serves both (about 10% faster at 9 and 25 taps). Channel tails (1..7) run one
 * pixel at a time; an odd last pixel is computed twice over and stored once.
 */
function emitDwconvPair(mb: ModuleBuilder, K: number): void {
  const params = { channels: 'i32', pixels: 'i32', ind: 'i32', w: 'i32', out: 'i32', clamp: 'i32', taps: 'i32' } as const;
  mb.addFunction(`f32_dwconv_${K}x2`, { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const wp = f.local('i32', 'wp'), co = f.local('i32', 'co'), c = f.local('i32', 'c'), x = f.local('i32', 'x');
    const rowBytes = f.local('i32', 'rowBytes'), outB = f.local('i32', 'outB');
    const a0 = f.local('v128', 'a0'), a1 = f.local('v128', 'a1'), b0 = f.local('v128', 'b0'), b1 = f.local('v128', 'b1');
    const w0 = f.local('v128', 'w0'), w1 = f.local('v128', 'w1');
    const pa = f.locals('i32', K, 'pa'), pb = f.locals('i32', K, 'pb');
    const groupBytes = 32 * (K + 1);
    f.set(rowBytes, f.i32.shl(p.channels, 2));

    /** One pixel's remaining 1..7 channels from (wp, co): 4-lane halves of the last group, stored at `out`. */
    const tail = (ptr: Local[], out: Local): void => {
      f.while(f.i32.gt_s(c, 0), () => {
        f.set(a0, f.v128.load(wp));
        for (let k = 0; k < K; k++) {
          f.set(a0, f.f32x4.add(a0, f.f32x4.mul(f.v128.load(f.i32.add(ptr[k]!, co)), f.v128.load(wp, 32 + 32 * k))));
        }
        f.set(a0, clampF32x4(f, a0, vmin, vmax));
        storeUpTo4(f, out, a0, c);
        f.inc(co, 16);
        f.inc(wp, 16);
        f.set(c, f.i32.sub(c, 4));
      });
    };

    f.while(f.i32.gt_s(p.pixels, 0), () => {
      const pair = f.i32.ge_s(p.pixels, 2);
      pa.forEach((l, k) => f.set(l, f.i32.load(p.ind, 4 * k)));
      // The second pixel: the next one, or the first again when it is the last (stores skipped).
      pb.forEach((l, k) => f.set(l, pa[k]!));
      f.if(pair, () => pb.forEach((l, k) => f.set(l, f.i32.load(p.ind, 4 * (K + k)))));
      f.set(outB, f.i32.add(p.out, rowBytes));
      f.set(wp, p.w);
      f.set(co, 0);
      f.set(c, p.channels);
      f.while(f.i32.ge_s(c, 8), () => {
        f.set(a0, f.v128.load(wp));
        f.set(a1, f.v128.load(wp, 16));
        f.set(b0, a0);
        f.set(b1, a1);
        for (let k = 0; k < K; k++) {
          f.set(w0, f.v128.load(wp, 32 + 32 * k));
          f.set(w1, f.v128.load(wp, 48 + 32 * k));
          f.set(x, f.i32.add(pa[k]!, co));
          f.set(a0, f.f32x4.add(a0, f.f32x4.mul(f.v128.load(x), w0)));
          f.set(a1, f.f32x4.add(a1, f.f32x4.mul(f.v128.load(x, 16), w1)));
          f.set(x, f.i32.add(pb[k]!, co));
          f.set(b0, f.f32x4.add(b0, f.f32x4.mul(f.v128.load(x), w0)));
          f.set(b1, f.f32x4.add(b1, f.f32x4.mul(f.v128.load(x, 16), w1)));
        }
        f.v128.store(p.out, clampF32x4(f, a0, vmin, vmax));
        f.v128.store(p.out, clampF32x4(f, a1, vmin, vmax), 16);
        f.if(pair, () => {
          f.v128.store(outB, clampF32x4(f, b0, vmin, vmax));
          f.v128.store(outB, clampF32x4(f, b1, vmin, vmax), 16);
        });
        f.inc(p.out, 32);
        f.inc(outB, 32);
        f.inc(co, 32);
        f.inc(wp, groupBytes);
        f.set(c, f.i32.sub(c, 8));
      });
      f.if(c, () => {
        const wTail = f.local('i32', 'wTail'), coTail = f.local('i32', 'coTail'), cTail = f.local('i32', 'cTail');
        f.set(wTail, wp);
        f.set(coTail, co);
        f.set(cTail, c);
        tail(pa, p.out);
        f.if(pair, () => {
          f.set(wp, wTail);
          f.set(co, coTail);
          f.set(c, cTail);
          tail(pb, outB);
        });
      });
      // Past both pixels (the first pixel's output ends where the second's begins).
      f.set(p.out, f.select(outB, p.out, pair));
      f.set(p.ind, f.i32.add(p.ind, f.select(8 * K, 4 * K, pair)));
      f.set(p.pixels, f.i32.sub(p.pixels, f.select(2, 1, pair)));
    });
  });
}

/**
 * f32_dwconv_mult(inC, m, taps, pixels, ind, w, out, clamp): depth multiplier m > 1; output channel
 * ic * m + q of a pixel reads input channel ic.
 */
function emitDwconvMult(mb: ModuleBuilder): void {
  const params = {
    inC: 'i32', m: 'i32', taps: 'i32', pixels: 'i32', ind: 'i32', w: 'i32', out: 'i32', clamp: 'i32',
  } as const;
  mb.addFunction('f32_dwconv_mult', { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const wp = f.local('i32', 'wp'), co = f.local('i32', 'co'), ic = f.local('i32', 'ic'), q = f.local('i32', 'q');
    const t = f.local('i32', 't'), tp = f.local('i32', 'tp'), acc = f.local('v128', 'acc');
    f.while(f.i32.gt_s(p.pixels, 0), () => {
      f.set(wp, p.w);
      f.set(co, 0);
      f.set(ic, p.inC);
      f.while(ic, () => {
        f.set(q, p.m);
        f.while(f.i32.gt_s(q, 0), () => {
          f.set(acc, f.v128.load(wp));
          f.inc(wp, 16);
          f.set(tp, p.ind);
          f.set(t, p.taps);
          f.while(t, () => {
            const x = f.v128.load32_splat(f.i32.add(f.i32.load(tp), co));
            f.set(acc, f.f32x4.add(acc, f.f32x4.mul(x, f.v128.load(wp))));
            f.inc(wp, 16);
            f.inc(tp, 4);
            f.set(t, f.i32.sub(t, 1));
          });
          f.set(acc, clampF32x4(f, acc, vmin, vmax));
          storeUpTo4(f, p.out, acc, q);
          f.set(q, f.i32.sub(q, 4));
        });
        f.inc(co, 4);
        f.set(ic, f.i32.sub(ic, 1));
      });
      f.set(p.ind, f.i32.add(p.ind, f.i32.shl(p.taps, 2)));
      f.set(p.pixels, f.i32.sub(p.pixels, 1));
    });
  });
}

/**
 * f32_dwconv_rebase(ind, count, delta, zero): adds `delta` to each of `count` pointers except those equal to
 * `zero` (padding taps), moving an indirection buffer to a new input address.
 */
function emitRebase(mb: ModuleBuilder): void {
  mb.addFunction('f32_dwconv_rebase', { params: { ind: 'i32', count: 'i32', delta: 'i32', zero: 'i32' } }, (f, p) => {
    const v = f.local('i32', 'v');
    f.while(f.i32.gt_s(p.count, 0), () => {
      f.set(v, f.i32.load(p.ind));
      f.i32.store(p.ind, f.select(v, f.i32.add(v, p.delta), f.i32.eq(v, p.zero)));
      f.inc(p.ind, 4);
      f.set(p.count, f.i32.sub(p.count, 1));
    });
  });
}

export const f32DepthwiseSource: KernelSource = (mb) => {
  for (const k of DWCONV_UNROLLED_TAPS) emitDwconv(mb, k);
  for (const k of DWCONV_PAIR_TAPS) emitDwconvPair(mb, k);
  emitDwconv(mb, null);
  emitDwconvMult(mb);
  emitRebase(mb);
};

/** The multiplier-1 kernel for K taps (all take the same arguments). */
export function dwconvKernelName(K: number): string {
  if ((DWCONV_PAIR_TAPS as readonly number[]).includes(K)) return `f32_dwconv_${K}x2`;
  return (DWCONV_UNROLLED_TAPS as readonly number[]).includes(K) ? `f32_dwconv_${K}` : 'f32_dwconv_any';
}
