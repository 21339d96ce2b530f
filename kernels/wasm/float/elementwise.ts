/**
 * float32 element-wise micro-kernels (after XNNPACK's f32-vbinary, f32-vclamp, f32-vhswish; own code):
 *
 * - Binary `f32_v{op}{,c,rc}(a, b, out, n, outer, aStride, bStride, clamp)`: `outer` runs of `n` outputs
 *   written contiguously from `out`; after each run a and b move by aStride / bStride bytes (0 repeats them).
 *   Within a run: `v{op}` steps both inputs; `v{op}c` repeats b[0] (a scalar per run); `v{op}rc` repeats a[0]
 *   (b steps). So TFLite broadcasting reduces to one call per innermost two levels of the broadcast plan.
 *   Results are clamped to [min, max] (a fused activation; +-Infinity without one), two f32 at `clamp`.
 * - Unary `f32_v{op}(x, y, n, params)`: clamp (RELU family), hswish, lrelu, sigmoid; p0 and p1 are two f32 at
 *   `params` (clamp: the bounds; lrelu: p0 = alpha).
 *
 * Runs are 8 lanes per step, then 4, then single lanes (load32_zero / store32_lane), so nothing is read or
 * written past the tensors.
 */
import type { Expr, FunctionBuilder, Local, ModuleBuilder } from '../asm/index.js';
import type { KernelSource } from '../kernel_source.js';

/** `tmp` is a scratch v128 local for ops that use a value twice. */
type BinaryOp = (f: FunctionBuilder, a: Expr | Local, b: Expr | Local, tmp: Local) => Expr;

/** The binary ops, as the typed-array kernels compute them (MAXIMUM: a > b ? a : b, MINIMUM: a < b ? a : b). */
export const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  add: (f, a, b) => f.f32x4.add(a, b),
  sub: (f, a, b) => f.f32x4.sub(a, b),
  mul: (f, a, b) => f.f32x4.mul(a, b),
  div: (f, a, b) => f.f32x4.div(a, b),
  max: (f, a, b) => f.f32x4.pmax(b, a),
  min: (f, a, b) => f.f32x4.pmin(b, a),
  sqdiff: (f, a, b, tmp) => f.f32x4.mul(f.tee(tmp, f.f32x4.sub(a, b)), tmp),
};

export type BinaryOpName = keyof typeof BINARY_OPS;

/** How the inner run steps its inputs: both, b repeated ('c'), a repeated ('rc'). */
export type BinaryKind = '' | 'c' | 'rc';

export function binaryKernelName(op: string, kind: BinaryKind): string {
  return `f32_v${op}${kind}`;
}

/** v < lo ? lo : v > hi ? hi : v, lane-wise. */
function clamp(f: FunctionBuilder, v: Expr, vmin: Local, vmax: Local): Expr {
  return f.f32x4.pmin(f.f32x4.pmax(v, vmin), vmax);
}

/**
 * The run loop shared by binary and unary kernels: `body(load, offset)` gives the result vector for the lanes
 * at byte offset `offset` of the run, where `load(ptr, step, offset)` reads the operand (a vector when it steps,
 * else the pre-splatted value). Advances `out` by the run.
 */
function runLoop(f: FunctionBuilder, n: Local, out: Local, ptrs: Local[], body: (single: boolean, off: number) => Expr): void {
  const i = f.local('i32', 'i');
  f.set(i, n);
  f.while(f.i32.ge_u(i, 8), () => {
    f.v128.store(out, body(false, 0));
    f.v128.store(out, body(false, 16), 16);
    for (const p of ptrs) f.inc(p, 32);
    f.inc(out, 32);
    f.set(i, f.i32.sub(i, 8));
  });
  f.if(f.i32.ge_u(i, 4), () => {
    f.v128.store(out, body(false, 0));
    for (const p of ptrs) f.inc(p, 16);
    f.inc(out, 16);
    f.set(i, f.i32.sub(i, 4));
  });
  f.while(i, () => {
    f.v128.store32_lane(out, body(true, 0), 0);
    for (const p of ptrs) f.inc(p, 4);
    f.inc(out, 4);
    f.set(i, f.i32.sub(i, 1));
  });
}

function emitBinary(mb: ModuleBuilder, op: string, fn: BinaryOp, kind: BinaryKind): void {
  const params = {
    a: 'i32', b: 'i32', out: 'i32', n: 'i32', outer: 'i32', aStride: 'i32', bStride: 'i32', clamp: 'i32',
  } as const;
  mb.addFunction(binaryKernelName(op, kind), { params }, (f, p) => {
    const vmin = f.local('v128', 'vmin'), vmax = f.local('v128', 'vmax');
    f.set(vmin, f.v128.load32_splat(p.clamp));
    f.set(vmax, f.v128.load32_splat(p.clamp, 4));
    const pa = f.local('i32', 'pa'), pb = f.local('i32', 'pb'), s = f.local('v128', 's'), tmp = f.local('v128', 'tmp');
    const stepped = kind === '' ? [pa, pb] : kind === 'c' ? [pa] : [pb];
    f.while(f.i32.gt_s(p.outer, 0), () => {
      f.set(pa, p.a);
      f.set(pb, p.b);
      if (kind === 'c') f.set(s, f.v128.load32_splat(pb));
      if (kind === 'rc') f.set(s, f.v128.load32_splat(pa));
      runLoop(f, p.n, p.out, stepped, (single, off) => {
        const ld = (ptr: Local): Expr => (single ? f.v128.load32_zero(ptr) : f.v128.load(ptr, off));
        const x = kind === 'rc' ? f.get(s) : ld(pa);
        const y = kind === 'c' ? f.get(s) : ld(pb);
        return clamp(f, fn(f, x, y, tmp), vmin, vmax);
      });
      f.inc(p.a, p.aStride);
      f.inc(p.b, p.bStride);
      f.set(p.outer, f.i32.sub(p.outer, 1));
    });
  });
}

type UnaryOp = (f: FunctionBuilder, x: Expr, p0: Local, p1: Local) => Expr;

/** Unary ops; p0/p1 are splatted parameters. */
export const UNARY_OPS: Readonly<Record<string, UnaryOp>> = {
  // RELU, RELU6, RELU_N1_TO_1: clamp to [p0, p1].
  clamp: (f, x, p0, p1) => clamp(f, x, p0, p1),
  // HARD_SWISH: x * min(max(x + 3, 0), 6) / 6, divided as the typed-array kernel (exact, not times 1/6).
  hswish: (f, x) => {
    const t = f.f32x4.pmin(f.f32x4.pmax(f.f32x4.add(x, f.f32x4.const(3, 3, 3, 3)), f.f32x4.const(0, 0, 0, 0)), f.f32x4.const(6, 6, 6, 6));
    return f.f32x4.div(f.f32x4.mul(x, t), f.f32x4.const(6, 6, 6, 6));
  },
  // LEAKY_RELU: x > 0 ? x : x * alpha.
  lrelu: (f, x, p0) => f.v128.bitselect(x, f.f32x4.mul(x, p0), f.f32x4.gt(x, f.f32x4.const(0, 0, 0, 0))),
  sigmoid: (f, x) => sigmoid(f, x),
};

const splat4 = (f: FunctionBuilder, v: number): Expr => f.f32x4.const(v, v, v, v);

/**
 * LOGISTIC: 1 / (1 + exp(-x)), from e = exp(-|x|): x >= 0 gives 1 / (1 + e), x < 0 gives e / (1 + e), so e
 * never overflows. exp(-z) = 2^n * exp(t) with n = round(-z / ln 2) and t = -z - n ln 2 (ln 2 split in two
 * parts so t is exact), exp(t) by its Taylor polynomial to degree 6 (|t| <= ln2/2: relative error < 2e-7),
 * 2^n built in the exponent bits. z is capped at 87 so 2^n stays normal (the result there is ~1e-38).
 */
function sigmoid(f: FunctionBuilder, x: Expr): Expr {
  const z = f.local('v128', 'sz'), n = f.local('v128', 'sn'), t = f.local('v128', 'st'), e = f.local('v128', 'se');
  f.set(z, f.f32x4.pmin(f.f32x4.abs(x), splat4(f, 87)));
  f.set(n, f.f32x4.nearest(f.f32x4.mul(z, splat4(f, -Math.LOG2E))));
  f.set(t, f.f32x4.sub(f.f32x4.sub(f.f32x4.neg(z), f.f32x4.mul(n, splat4(f, LN2_HI))), f.f32x4.mul(n, splat4(f, LN2_LO))));
  // Horner: 1 + t(1 + t(1/2 + t(1/6 + t(1/24 + t(1/120 + t/720))))).
  let poly: Expr = splat4(f, 1 / 720);
  for (const c of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = f.f32x4.add(f.f32x4.mul(poly, t), splat4(f, c));
  const pow2n = f.i32x4.shl(f.i32x4.add(f.i32x4.trunc_sat_f32x4_s(n), f.i32x4.const(127, 127, 127, 127)), 23);
  f.set(e, f.f32x4.mul(poly, pow2n));
  const num = f.v128.bitselect(e, splat4(f, 1), f.f32x4.lt(x, splat4(f, 0)));
  return f.f32x4.div(num, f.f32x4.add(e, splat4(f, 1)));
}

/** ln 2 = LN2_HI + LN2_LO, LN2_HI with few mantissa bits so n * LN2_HI is exact for |n| < 2^10. */
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.4286067653302e-6;

export function unaryKernelName(op: string): string {
  return `f32_v${op}`;
}

function emitUnary(mb: ModuleBuilder, op: string, fn: UnaryOp): void {
  const params = { x: 'i32', y: 'i32', n: 'i32', params: 'i32' } as const;
  mb.addFunction(unaryKernelName(op), { params }, (f, p) => {
    const v0 = f.local('v128', 'v0'), v1 = f.local('v128', 'v1'), t = f.local('v128', 't');
    f.set(v0, f.v128.load32_splat(p.params));
    f.set(v1, f.v128.load32_splat(p.params, 4));
    runLoop(f, p.n, p.y, [p.x], (single, off) => {
      // x is used more than once by some ops: read it into a local first.
      f.set(t, single ? f.v128.load32_zero(p.x) : f.v128.load(p.x, off));
      return fn(f, f.get(t), v0, v1);
    });
  });
}

export const f32ElementwiseSource: KernelSource = (mb) => {
  for (const [op, fn] of Object.entries(BINARY_OPS)) {
    for (const kind of ['', 'c', 'rc'] as const) emitBinary(mb, op, fn, kind);
  }
  for (const [op, fn] of Object.entries(UNARY_OPS)) emitUnary(mb, op, fn);
};
