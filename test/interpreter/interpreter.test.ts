import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../../schema/enums.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { writeModel } from '../../schema/model_writer.js';
import type { Kernel } from '../../kernels/kernel.js';
import { createBuiltinResolver } from '../../kernels/register_builtins.js';
import { InterpreterError, ModelError, PrepareError, UnsupportedOpError } from '../../schema/errors.js';
import { Interpreter } from '../../src/interpreter.js';

const F32 = TensorType.FLOAT32;
const NONE = ActivationFunctionType.NONE;

/**
 * x → RELU → ADD(·, 1) → MUL(·, 2) → y, with every intermediate named. (The RELU comes first: after an ADD it would be
 * folded into it, see src/graph_fusion.ts.)
 */
function chain(shapeSignature: number[] | null = null): Uint8Array {
  const b = new ModelBuilder();
  const x = b.input('x', F32, [1, 2, 2, 3], { shapeSignature });
  const one = b.constant('one', F32, [1], [1]);
  const two = b.constant('two', F32, [1], [2]);
  const a = b.tensor('added', F32, [1, 2, 2, 3]);
  const r = b.tensor('relu', F32, [1, 2, 2, 3]);
  const y = b.tensor('y', F32, [1, 2, 2, 3]);
  b.op(BuiltinOperator.RELU, [x], [r]);
  b.op(BuiltinOperator.ADD, [r, one], [a], { kind: 'AddOptions', fusedActivationFunction: NONE, potScaleInt16: true });
  b.op(BuiltinOperator.MUL, [a, two], [y], { kind: 'MulOptions', fusedActivationFunction: NONE });
  b.output(y);
  return writeModel(b.build());
}

describe('Interpreter', () => {
  it('runs a chain and reuses arena memory across tensors', () => {
    const it = Interpreter.create(chain());
    (it.input(0).data as Float32Array).set([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    it.invoke();
    expect(Array.from(it.output(0).data as Float32Array)).toEqual([2, 2, 2, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    // x, relu, added, y are 48 bytes each; x and y live throughout, relu and added can share one slot.
    expect(it.activationBytes).toBe(4 * 48);
    expect(it.arenaBytes).toBe(3 * 48);
  });

  it('keepTensors keeps an intermediate tensor readable after invoke', () => {
    const it = Interpreter.create(chain(), { keepTensors: ['relu'] });
    (it.input(0).data as Float32Array).set([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    it.invoke();
    expect(Array.from(it.tensor('relu').data as Float32Array)).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(it.arenaBytes).toBe(4 * 48);
    expect(() => Interpreter.create(chain(), { keepTensors: ['nope'] })).toThrow(new InterpreterError("no tensor named 'nope'"));
  });

  it('resizeInput re-prepares a model with dynamic dimensions', () => {
    const it = Interpreter.create(chain([-1, -1, -1, 3]));
    it.resizeInput(0, [1, 3, 5, 3]);
    const x = it.input(0);
    expect(x.shape).toEqual([1, 3, 5, 3]);
    (x.data as Float32Array).fill(1);
    it.invoke();
    expect(it.output(0).shape).toEqual([1, 3, 5, 3]);
    expect(Array.from(it.output(0).data as Float32Array).every((v) => v === 4)).toBe(true);
    expect(() => it.resizeInput(0, [1, 3, 5, 4])).toThrow('dimension 3 is fixed at 3');
    expect(() => it.resizeInput(0, [1, 3, 5])).toThrow('has rank 4');
    expect(() => Interpreter.create(chain()).resizeInput(0, [1, 3, 3, 3])).toThrow('dimension 1 is fixed at 2');
  });

  it('names an unsupported op, its version and the node', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [4]);
    const y = b.tensor('y', F32, [4]);
    b.op(BuiltinOperator.LSTM, [x], [y]);
    b.output(y);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(new UnsupportedOpError('unsupported operator: LSTM version 1 at node 0'));
  });

  it('names an unsupported op version with the highest supported one', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [4]);
    const y = b.tensor('y', F32, [4]);
    b.op(BuiltinOperator.RELU, [x], [y], null, 99);
    b.output(y);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(/RELU version 99 at node 0 \(supported up to version \d+\)/);
  });

  it('runs user kernels for custom ops and names a missing one', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [3]);
    const y = b.tensor('y', F32, [3]);
    b.customOp('Negate', [x], [y]);
    b.output(y);
    const bytes = writeModel(b.build());
    expect(() => Interpreter.create(bytes)).toThrow("unsupported operator: CUSTOM 'Negate' version 1 at node 0");
    const negate: Kernel<null> = {
      prepare(node) { node.outputs[0]!.shape = [...node.inputs[0]!.shape]; return null; },
      eval(node) {
        const src = node.inputs[0]!.data as Float32Array, dst = node.outputs[0]!.data as Float32Array;
        for (let i = 0; i < src.length; i++) dst[i] = -src[i]!;
      },
    };
    const it = Interpreter.create(bytes, { resolver: createBuiltinResolver().addCustom('Negate', negate) });
    (it.input(0).data as Float32Array).set([1, -2, 3]);
    it.invoke();
    expect(Array.from(it.output(0).data as Float32Array)).toEqual([-1, 2, -3]);
  });

  it('folds nodes whose inputs are constants (DEQUANTIZE of float16 weights) at prepare time', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [1, 1, 1, 2]);
    // float16 1.0 = 0x3c00, 2.0 = 0x4000
    const w16 = b.constant('w16', TensorType.FLOAT16, [1, 1, 1, 2], [0x3c00, 0x4000]);
    const w = b.tensor('w', F32, [1, 1, 1, 2]);
    const y = b.tensor('y', F32, [1, 1, 1, 1]);
    b.op(BuiltinOperator.DEQUANTIZE, [w16], [w], null, 3);
    b.op(BuiltinOperator.CONV_2D, [x, w, -1], [y], {
      kind: 'Conv2DOptions', padding: Padding.VALID, strideW: 1, strideH: 1, fusedActivationFunction: NONE,
      dilationWFactor: 1, dilationHFactor: 1,
    });
    b.output(y);
    const it = Interpreter.create(writeModel(b.build()));
    expect(it.tensor('w').isConstant).toBe(true);
    (it.input(0).data as Float32Array).set([3, 4]);
    const timings = it.invokeProfiled();
    expect(timings.map((t) => t.op)).toEqual(['CONV_2D']);
    expect(Array.from(it.output(0).data as Float32Array)).toEqual([11]);
  });

  it('refuses a sparse tensor anywhere but as the input of DENSIFY', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [2]);
    const s = b.constant('s', F32, [2], [1, 2], {
      sparsity: { traversalOrder: [0], blockMap: [], dimMetadata: [{ format: 0, denseSize: 2, arraySegments: null, arrayIndices: null }] },
    });
    const y = b.tensor('y', F32, [2]);
    b.op(BuiltinOperator.ADD, [x, s], [y], { kind: 'AddOptions', fusedActivationFunction: NONE, potScaleInt16: true });
    b.output(y);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(ModelError);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(/tensor 1 's' .* is sparse and used by node 0 ADD \(input 1\)/);
  });

  it('reports a broken kernel rule as a PrepareError naming the node', () => {
    const b = new ModelBuilder();
    const x = b.input('x', F32, [2, 3]);
    const z = b.input('z', F32, [4]);
    const y = b.tensor('y', F32, [2, 3]);
    b.op(BuiltinOperator.ADD, [x, z], [y], { kind: 'AddOptions', fusedActivationFunction: NONE, potScaleInt16: true });
    b.output(y);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(PrepareError);
    expect(() => Interpreter.create(writeModel(b.build()))).toThrow(/^node 0 ADD \(v1\): .*\[2,3\].*\[4\]/);
  });

  it('takes the engine options and names the choices on a typo', () => {
    const it1 = Interpreter.create(chain(), { quantizedArithmetic: 'reference', backend: 'js' });
    expect(it1.context.quantizedArithmetic).toBe('reference');
    expect(Interpreter.create(chain()).context.quantizedArithmetic).toBe('tflite-cpu');
    expect(() => Interpreter.create(chain(), { quantizedArithmetic: 'xnnpack' as never }))
      .toThrow(/quantizedArithmetic must be one of tflite-cpu, reference, got 'xnnpack'/);
    expect(() => Interpreter.create(chain(), { backend: 'gpu' as never })).toThrow(/backend must be one of auto, wasm, js, got 'gpu'/);
  });

  it('checks input and output indices', () => {
    const it = Interpreter.create(chain());
    expect(() => it.input(1)).toThrow('input 1 does not exist (model has 1)');
    expect(() => it.output(2)).toThrow('output 2 does not exist (model has 1)');
    expect(() => it.tensor(99)).toThrow('tensor 99 does not exist');
  });
});
