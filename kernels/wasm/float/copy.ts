/**
 * 32-bit data-movement micro-kernels (PAD of float32/int32 tensors):
 * - `f32_fill(dst, n, bits)`: n words set to the bit pattern `bits`.
 * - `f32_copy_2d(src, dst, n, outer, srcStride, dstStride)`: `outer` runs of n contiguous words; after each run
 *   src and dst move by their strides (bytes).
 * 8 words per step, then 4, then single words: nothing is touched past the runs.
 */
import type { FunctionBuilder, Local } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

/** Copies (or, with src null, stores `fill`) n words from src to dst, advancing both. */
function words(f: FunctionBuilder, n: Local, dst: Local, src: Local | null, fill: Local | null): void {
  const i = f.local('i32', 'i');
  f.set(i, n);
  const vec = (off: number) => (src ? f.v128.load(src, off) : f.get(fill!));
  f.while(f.i32.ge_u(i, 8), () => {
    f.v128.store(dst, vec(0));
    f.v128.store(dst, vec(16), 16);
    f.inc(dst, 32);
    if (src) f.inc(src, 32);
    f.set(i, f.i32.sub(i, 8));
  });
  f.if(f.i32.ge_u(i, 4), () => {
    f.v128.store(dst, vec(0));
    f.inc(dst, 16);
    if (src) f.inc(src, 16);
    f.set(i, f.i32.sub(i, 4));
  });
  f.while(i, () => {
    f.i32.store(dst, src ? f.i32.load(src) : f.i32x4.extract_lane(fill!, 0));
    f.inc(dst, 4);
    if (src) f.inc(src, 4);
    f.set(i, f.i32.sub(i, 1));
  });
}

export const f32CopySource: KernelSource = (mb) => {
  mb.addFunction('f32_fill', { params: { dst: 'i32', n: 'i32', bits: 'i32' } }, (f, p) => {
    const v = f.local('v128', 'v');
    f.set(v, f.i32x4.splat(p.bits));
    words(f, p.n, p.dst, null, v);
  });
  const params = { src: 'i32', dst: 'i32', n: 'i32', outer: 'i32', srcStride: 'i32', dstStride: 'i32' } as const;
  mb.addFunction('f32_copy_2d', { params }, (f, p) => {
    const s = f.local('i32', 's'), d = f.local('i32', 'd');
    f.while(f.i32.gt_s(p.outer, 0), () => {
      f.set(s, p.src);
      f.set(d, p.dst);
      words(f, p.n, d, s, null);
      f.inc(p.src, p.srcStride);
      f.inc(p.dst, p.dstStride);
      f.set(p.outer, f.i32.sub(p.outer, 1));
    });
  });
};
