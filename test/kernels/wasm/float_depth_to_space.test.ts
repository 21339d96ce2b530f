import { describe, expect, it } from 'vitest';
import { BuiltinOperator, TensorType } from '../../../schema/enums.js';
import { randArray, rng } from '../../helpers/naive_float.js';
import { runOpInterpreter } from '../../helpers/run_op.js';
import { expectTwin } from './twin.js';

describe('SIMD DEPTH_TO_SPACE of 4-byte tensors against the typed-array kernel', () => {
  it('batches, block sizes 1-4, odd sizes and depths; float32 equal, int32 equal', () => {
    const r = rng(1212);
    for (let t = 0; t < 40; t++) {
      const b = 1 + (t % 3 === 0 ? 1 : 0), h = 1 + Math.floor(r() * 6), w = 1 + Math.floor(r() * 7);
      const bs = 1 + Math.floor(r() * 4), co = 1 + Math.floor(r() * 9), c = bs * bs * co;
      const n = b * h * w * c;
      const shape = [b, h, w, c], options = { kind: 'DepthToSpaceOptions' as const, blockSize: bs };
      const label = `[${shape}] bs=${bs}`;
      const f = expectTwin({
        op: BuiltinOperator.DEPTH_TO_SPACE, options, inputs: [{ type: TensorType.FLOAT32, shape, data: randArray(r, n) }],
        outputs: [{ type: TensorType.FLOAT32 }],
      }, label);
      expect(f.wasm, label).toEqual(f.js);
      const ints = Int32Array.from({ length: n }, () => Math.floor((r() - 0.5) * 2 ** 31));
      const run = (backend: 'js' | 'wasm') => Array.from(runOpInterpreter({
        op: BuiltinOperator.DEPTH_TO_SPACE, options, inputs: [{ type: TensorType.INT32, shape, data: ints }], outputs: [{ type: TensorType.INT32 }],
      }, { backend }).outputs[0]!.data as Int32Array);
      expect(run('wasm'), label).toEqual(run('js'));
    }
  });
});
