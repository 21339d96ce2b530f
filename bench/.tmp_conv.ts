import { conv2DQuantized } from '../kernels/quantized/conv_2d.js';
import { Tensor } from '../src/tensor.js';
import { TensorType } from '../schema/enums.js';
const P = 56, C = 32, O = 64;
const q = (s: number, z: number) => ({ scale: [s], zeroPoint: [z], quantizedDimension: 0 });
const x = new Tensor(0, 'x', TensorType.UINT8, [1, P, P, C], q(0.02, 128), false, new Uint8Array(P * P * C).map((_, i) => (i * 7919) & 255));
const w = new Tensor(1, 'w', TensorType.UINT8, [O, 1, 1, C], q(0.01, 120), true, new Uint8Array(O * C).map((_, i) => (i * 31) & 255));
const b = new Tensor(2, 'b', TensorType.INT32, [O], null, true, new Int32Array(O));
const y = new Tensor(3, 'y', TensorType.UINT8, [], q(0.05, 0), false);
const node = { index: 0, opName: 'CONV_2D', version: 1, customOptions: null, inputs: [x, w, b], outputs: [y],
  options: { kind: 'Conv2DOptions', padding: 1, strideW: 1, strideH: 1, fusedActivationFunction: 3, dilationWFactor: 1, dilationHFactor: 1 } } as any;
const d = conv2DQuantized.prepare(node);
y.data = new Uint8Array(P * P * O);
for (let k = 0; k < 5; k++) {
  const t0 = performance.now(); const R = 20;
  for (let r = 0; r < R; r++) conv2DQuantized.eval(node, d);
  const ms = (performance.now() - t0) / R;
  console.log('pointwise 56x56x32->64', ms.toFixed(2), 'ms', (P * P * C * O / ms / 1e6).toFixed(2), 'GMAC/s; paired', d.weights.paired);
}
