import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../schema/enums.js';
import type { SparsityParams } from '../../schema/types.js';
import { DEFAULT_KERNEL_CONTEXT, type KernelNode } from '../../kernels/kernel.js';
import { densify, sparseToDense } from '../../kernels/densify.js';
import { createBuiltinResolver } from '../../kernels/register_builtins.js';
import { Tensor } from '../../kernels/tensor.js';

const dense = (n: number) => ({ format: 0 as const, denseSize: n, arraySegments: null, arrayIndices: null });
const csr = (segments: number[], indices: number[]) => ({ format: 1 as const, denseSize: 0, arraySegments: segments, arrayIndices: indices });

/** 4x4 with 2x2 blocks; block row 0 holds block columns 0 and 1, block row 1 holds column 1 (TFLite's BlockTestD0S1). */
const BLOCK: SparsityParams = {
  traversalOrder: [0, 1, 2, 3], blockMap: [0, 1],
  dimMetadata: [dense(2), csr([0, 2, 3], [0, 1, 1]), dense(2), dense(2)],
};
const BLOCK_VALUES = [1, 0, 0, 4, 2, 3, 0, 0, 5, 0, 0, 6];
const BLOCK_DENSE = [1, 0, 2, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6];

function runDensify(type: TensorType, shape: number[], values: number[], sp: SparsityParams): Tensor {
  const data = type === TensorType.FLOAT32 ? Float32Array.from(values) : Int8Array.from(values);
  const x = new Tensor(0, 'sparse', type, shape, null, true, data);
  x.sparsity = sp;
  const y = new Tensor(1, 'dense', type, [], null, false);
  const node: KernelNode = { index: 3, opName: 'DENSIFY', version: 1, options: null, customOptions: null, context: DEFAULT_KERNEL_CONTEXT, inputs: [x], outputs: [y] };
  const d = densify.prepare(node);
  y.data = type === TensorType.FLOAT32 ? new Float32Array(y.size) : new Int8Array(y.size);
  densify.eval(node, d);
  return y;
}

describe('DENSIFY', () => {
  it('block-sparse 4x4 (DENSE, SPARSE_CSR, DENSE, DENSE levels)', () => {
    const y = runDensify(TensorType.FLOAT32, [4, 4], BLOCK_VALUES, BLOCK);
    expect(y.shape).toEqual([4, 4]);
    expect(Array.from(y.data as Float32Array)).toEqual(BLOCK_DENSE);
  });
  it('plain CSR and a column-major traversal (int8)', () => {
    const y = runDensify(TensorType.INT8, [3, 4], [1, 2, 3], { traversalOrder: [0, 1], blockMap: [], dimMetadata: [dense(3), csr([0, 2, 2, 3], [0, 3, 1])] });
    expect(Array.from(y.data as Int8Array)).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0]);
    // Columns outer (traversal [1,0]), rows stored sparsely per column.
    const z = runDensify(TensorType.INT8, [2, 3], [7, 8, 9], { traversalOrder: [1, 0], blockMap: [], dimMetadata: [dense(3), csr([0, 1, 1, 3], [1, 0, 1])] });
    expect(Array.from(z.data as Int8Array)).toEqual([0, 0, 8, 7, 0, 9]);
  });
  it('sparseToDense reports malformed metadata', () => {
    const out = new Array<number>(4).fill(0);
    expect(() => sparseToDense([2, 2], { traversalOrder: [0, 1], blockMap: [], dimMetadata: [dense(2), csr([0, 1, 2], [0, 5])] }, [1, 2], out))
      .toThrow(/outside \[2,2\]/);
    expect(() => runDensify(TensorType.FLOAT32, [2, 2], [1], { traversalOrder: [0, 1], blockMap: [], dimMetadata: [dense(2), csr([0, 1, 2], [0, 1])] }))
      .toThrow(/node 3 DENSIFY \(v1\): malformed sparsity: the sparse structure addresses more than the 1 stored values/);    const bad = (sp: Partial<SparsityParams>) => () =>
      sparseToDense([2, 2], { traversalOrder: [0, 1], blockMap: [], dimMetadata: [dense(2), dense(2)], ...sp }, [1, 2, 3, 4], out);
    expect(bad({ traversalOrder: [2 ** 30, 1] })).toThrow(/traversal order \[1073741824,1\] is not a permutation of 0..1/);
    expect(bad({ traversalOrder: [1, 1] })).toThrow(/not a permutation/);
    expect(bad({ dimMetadata: [dense(2), dense(100000)] })).toThrow(/dense_size 100000 exceeds its dimension's extent 2/);
    expect(bad({ traversalOrder: [0, 1, 2], blockMap: [5], dimMetadata: [dense(2), dense(2), dense(1)] })).toThrow(/block map \[5\]/);
  });
  it('is registered for version 1 only', () => {
    const r = createBuiltinResolver();
    expect(r.builtin(BuiltinOperator.DENSIFY, 1)).toBe(densify);
    expect(r.builtin(BuiltinOperator.DENSIFY, 2)).toBeUndefined();
  });
});
