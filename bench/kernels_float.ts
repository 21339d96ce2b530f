/**
 * Micro-benchmark of the float32 convolution-family kernels on MobileNet v1 0.25 (224) layer shapes, plus a few
 * other shapes. Each layer is prepared once and evaluated repeatedly; prints median and minimum ms per layer
 * and the sums.
 * Run: npx tsx bench/kernels_float.ts [--runs N]
 */
import type { BuiltinOptions } from '../schema/builtin_options.js';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType, builtinName } from '../schema/enums.js';
import { DEFAULT_KERNEL_CONTEXT, type Kernel, type KernelNode } from '../kernels/kernel.js';
import { createBuiltinResolver } from '../kernels/register_builtins.js';
import { Tensor } from '../kernels/tensor.js';

const F32 = TensorType.FLOAT32;
const RELU6 = ActivationFunctionType.RELU6;

interface Layer { name: string; op: BuiltinOperator; options: BuiltinOptions; inputs: { shape: number[]; constant?: boolean }[] }

function conv(h: number, cin: number, cout: number, k: number, s: number): Layer {
  return {
    name: `conv ${k}x${k}/${s} ${h}x${h}x${cin}->${cout}`, op: BuiltinOperator.CONV_2D,
    options: { kind: 'Conv2DOptions', padding: Padding.SAME, strideH: s, strideW: s, fusedActivationFunction: RELU6, dilationHFactor: 1, dilationWFactor: 1 },
    inputs: [{ shape: [1, h, h, cin] }, { shape: [cout, k, k, cin], constant: true }, { shape: [cout], constant: true }],
  };
}
function dw(h: number, c: number, s: number, k = 3): Layer {
  return {
    name: `dw ${k}x${k}/${s} ${h}x${h}x${c}`, op: BuiltinOperator.DEPTHWISE_CONV_2D,
    options: { kind: 'DepthwiseConv2DOptions', padding: Padding.SAME, strideH: s, strideW: s, depthMultiplier: 1, fusedActivationFunction: RELU6, dilationHFactor: 1, dilationWFactor: 1 },
    inputs: [{ shape: [1, h, h, c] }, { shape: [1, k, k, c], constant: true }, { shape: [c], constant: true }],
  };
}

const mobilenet: Layer[] = [
  conv(224, 3, 8, 3, 2),
  dw(112, 8, 1), conv(112, 8, 16, 1, 1),
  dw(112, 16, 2), conv(56, 16, 32, 1, 1),
  dw(56, 32, 1), conv(56, 32, 32, 1, 1),
  dw(56, 32, 2), conv(28, 32, 64, 1, 1),
  dw(28, 64, 1), conv(28, 64, 64, 1, 1),
  dw(28, 64, 2), conv(14, 64, 128, 1, 1),
  ...Array.from({ length: 5 }, () => [dw(14, 128, 1), conv(14, 128, 128, 1, 1)]).flat(),
  dw(14, 128, 2), conv(7, 128, 256, 1, 1),
  dw(7, 256, 1), conv(7, 256, 256, 1, 1),
  {
    name: 'avgpool 7x7 7x7x256', op: BuiltinOperator.AVERAGE_POOL_2D,
    options: { kind: 'Pool2DOptions', padding: Padding.VALID, strideH: 2, strideW: 2, filterHeight: 7, filterWidth: 7, fusedActivationFunction: 0 },
    inputs: [{ shape: [1, 7, 7, 256] }],
  },
  conv(1, 256, 1001, 1, 1),
];

const others: Layer[] = [
  conv(112, 24, 24, 3, 1), dw(56, 96, 1, 5), dw(28, 48, 2, 5),
  {
    name: 'fc 1152->63', op: BuiltinOperator.FULLY_CONNECTED,
    options: { kind: 'FullyConnectedOptions', fusedActivationFunction: 0, weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false },
    inputs: [{ shape: [1, 1152] }, { shape: [63, 1152], constant: true }, { shape: [63], constant: true }],
  },
  {
    name: 'maxpool 2x2/2 64x64x32', op: BuiltinOperator.MAX_POOL_2D,
    options: { kind: 'Pool2DOptions', padding: Padding.SAME, strideH: 2, strideW: 2, filterHeight: 2, filterWidth: 2, fusedActivationFunction: 0 },
    inputs: [{ shape: [1, 64, 64, 32] }],
  },
];

function setup(layer: Layer): { kernel: Kernel; node: KernelNode; data: unknown } {
  const resolver = createBuiltinResolver();
  const kernel = resolver.builtin(layer.op, 1)!;
  let seed = 1;
  const inputs = layer.inputs.map((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let j = 0; j < n; j++) { seed = (seed * 1103515245 + 12345) >>> 0; data[j] = (seed / 4294967296 - 0.5) * 0.2; }
    return new Tensor(i, `in${i}`, F32, s.shape, null, !!s.constant, data);
  });
  const output = new Tensor(inputs.length, 'out', F32, [], null, false);
  const node: KernelNode = { index: 0, opName: builtinName(layer.op), version: 1, options: layer.options, customOptions: null, context: DEFAULT_KERNEL_CONTEXT, inputs, outputs: [output] };
  const data = kernel.prepare(node);
  output.data = new Float32Array(output.shape.reduce((a, b) => a * b, 1));
  return { kernel, node, data };
}

/** Median and minimum ms per eval (on a shared, loaded machine the minimum is the least disturbed run). */
function time(layer: Layer, runs: number): { median: number; min: number } {
  const { kernel, node, data } = setup(layer);
  for (let i = 0; i < 3; i++) kernel.eval(node, data);
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    kernel.eval(node, data);
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)]!, min: ts[0]! };
}

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
for (const [title, layers] of [['MobileNet v1 0.25 (224) layers', mobilenet], ['other shapes', others]] as const) {
  console.log(`\n${title} (${runs} runs: median / min ms):`);
  let median = 0, min = 0;
  const byKind = new Map<string, number>();
  for (const l of layers) {
    const t = time(l, runs);
    median += t.median; min += t.min;
    const kind = l.name.split(' ')[0]! + (l.name.includes('1x1') ? ' 1x1' : '');
    byKind.set(kind, (byKind.get(kind) ?? 0) + t.min);
    console.log(`  ${l.name.padEnd(32)} ${t.median.toFixed(3)} / ${t.min.toFixed(3)}`);
  }
  console.log(`  total median ${median.toFixed(2)} ms, min ${min.toFixed(2)} ms; min by kind: ${[...byKind].map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
}
