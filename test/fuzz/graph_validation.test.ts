/**
 * Graph validation and memory budgets, on the cases of issue 14's "Why": each model is built with the project's
 * own writer, written to bytes and handed to Interpreter.create, and each is refused with a message naming the
 * node, the tensor and the rule (or, for the big-but-legal model, refused by the budget and run when it allows).
 */
import { describe, expect, it } from 'vitest';
import { ActivationFunctionType, BuiltinOperator as Op, TensorType } from '../../schema/enums.js';
import { BudgetError, ModelError } from '../../schema/errors.js';
import { ModelBuilder } from '../../schema/model_builder.js';
import { readModel } from '../../schema/model_reader.js';
import { writeModel } from '../../schema/model_writer.js';
import type { BuiltinOptions } from '../../schema/builtin_options.js';
import type { Model } from '../../schema/types.js';
import { Interpreter } from '../../src/interpreter.js';
import { DEFAULT_MAX_ARENA_BYTES } from '../../src/budget.js';

const F32 = TensorType.FLOAT32;
const ADD_OPTIONS: BuiltinOptions = { kind: 'AddOptions', fusedActivationFunction: ActivationFunctionType.NONE, potScaleInt16: true };

/** Builds, writes and re-reads a model: what a user's file would give. */
function bytesOf(build: (b: ModelBuilder) => void): Uint8Array {
  const b = new ModelBuilder();
  build(b);
  return writeModel(b.build());
}

function refusal(bytes: Uint8Array, options = {}): Error {
  try {
    Interpreter.create(bytes, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error('the model was accepted');
}

describe('graph validation at create time', () => {
  it('use before definition: a node reads a tensor no earlier node writes', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const u = b.tensor('never_written', F32, [1, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      b.op(Op.ADD, [x, u], [y], ADD_OPTIONS);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe("node 0 ADD: input 1 reads tensor 1 'never_written' before any node writes it (no node writes it); " +
      'a node may read only graph inputs, constants, variables and outputs of earlier nodes');
  });

  it('use before definition: a node reads what a later node writes', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const a = b.tensor('a', F32, [1, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      b.op(Op.RELU, [a], [y]);
      b.op(Op.RELU, [x], [a]);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain("node 0 RELU: input 0 reads tensor 1 'a' before any node writes it (node 1 writes it later)");
  });

  it('a node that writes its own input: ADD(x, y) -> y', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      b.op(Op.RELU, [x], [y]);
      b.op(Op.ADD, [x, y], [y], ADD_OPTIONS);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe("node 1 ADD: output 0 writes tensor 1 'y', which is also its input 1; a node may not write its own inputs");
  });

  it('two nodes writing one tensor', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      b.op(Op.RELU, [x], [y]);
      b.op(Op.RELU6, [x], [y]);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe("node 1 RELU6: output 0 writes tensor 1 'y', already written by node 0; each tensor has one writer");
  });

  it('one node writing a tensor twice', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [2, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      const axis = b.constant('axis', TensorType.INT32, [], [0]);
      b.op(Op.SPLIT, [axis, x], [y, y], { kind: 'SplitOptions', numSplits: 2 });
      b.output(y);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain("node 0 SPLIT: output 1 writes tensor 1 'y', already written by this node");
  });

  it('a node that overwrites a graph input', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const z = b.input('z', F32, [1, 4]);
      b.op(Op.RELU, [x], [z]);
      b.output(z);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe("node 0 RELU: output 0 writes tensor 1 'z', a graph input; graph inputs are read-only");
  });

  it('a node that overwrites a constant', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const c = b.constant('weights', F32, [1, 4], [1, 2, 3, 4]);
      b.op(Op.RELU, [x], [c]);
      b.output(c);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe("node 0 RELU: output 0 writes tensor 1 'weights', a constant; constants are read-only");
  });

  it('a graph output nothing writes', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const y = b.tensor('y', F32, [1, 4]);
      const orphan = b.tensor('orphan', F32, [1, 4]);
      b.op(Op.RELU, [x], [y]);
      b.output(orphan);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain("graph output 0 is tensor 2 'orphan', which no node writes");
  });

  it('variables and constants count as defined; omitted optional inputs are skipped', () => {
    const bytes = bytesOf((b) => {
      const x = b.input('x', F32, [1, 4]);
      const w = b.constant('w', F32, [3, 4], new Float32Array(12).fill(1));
      const y = b.tensor('y', F32, [1, 3]);
      b.op(Op.FULLY_CONNECTED, [x, w, -1], [y], {
        kind: 'FullyConnectedOptions', fusedActivationFunction: ActivationFunctionType.NONE, weightsFormat: 0,
        keepNumDims: false, asymmetricQuantizeInputs: false,
      });
      b.output(y);
    });
    const it = Interpreter.create(bytes);
    (it.input(0).data as Float32Array).set([1, 2, 3, 4]);
    it.invoke();
    expect(Array.from(it.output(0).data as Float32Array)).toEqual([10, 10, 10]);
  });
});

/** A model with a control-flow op in subgraph 0 pointing at `targets`, and `extra` more subgraphs that may call on. */
function controlFlow(options: BuiltinOptions, code: Op, extra: Model['subgraphs'] = []): Uint8Array {
  const b = new ModelBuilder();
  const x = b.input('x', F32, [1]);
  const y = b.tensor('y', F32, [1]);
  b.op(code, [x], [y], options);
  b.output(y);
  const m = b.build();
  m.subgraphs.push(...extra);
  return writeModel(m);
}

function callingSubgraph(target: number): Model['subgraphs'][number] {
  return {
    name: `calls_${target}`,
    tensors: [
      { name: 'a', shape: [1], shapeSignature: null, type: F32, buffer: 0, quantization: null, isVariable: false, sparsity: null },
      { name: 'b', shape: [1], shapeSignature: null, type: F32, buffer: 0, quantization: null, isVariable: false, sparsity: null },
    ],
    inputs: [0], outputs: [1],
    operators: [{ opcodeIndex: 0, inputs: [0], outputs: [1], intermediates: [], builtinOptions: { kind: 'CallOptions', subgraph: target } as BuiltinOptions, customOptions: null }],
  };
}

const IDENTITY = { ...callingSubgraph(0), operators: [], outputs: [0], name: 'identity' };

describe('control-flow subgraph indices', () => {
  it('the writer and reader keep IF/WHILE/CALL_ONCE/CALL subgraph indices', () => {
    const opts = { kind: 'WhileOptions', condSubgraphIndex: 1, bodySubgraphIndex: 2 } as BuiltinOptions;
    const m = readModel(controlFlow(opts, Op.WHILE));
    expect(m.subgraphs[0]!.operators[0]!.builtinOptions).toEqual(opts);
  });

  it('an IF whose else branch is out of range', () => {
    const e = refusal(controlFlow({ kind: 'IfOptions', thenSubgraphIndex: 1, elseSubgraphIndex: 5 } as BuiltinOptions, Op.IF, [IDENTITY]));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe('node 0 IF: else_subgraph_index 5 is out of range (model has 2 subgraphs)');
  });

  it('a negative CALL_ONCE index', () => {
    const e = refusal(controlFlow({ kind: 'CallOnceOptions', initSubgraphIndex: -1 } as BuiltinOptions, Op.CALL_ONCE));
    expect(e.message).toBe('node 0 CALL_ONCE: init_subgraph_index -1 is out of range (model has 1 subgraphs)');
  });

  it('a WHILE whose body is the subgraph itself', () => {
    const e = refusal(controlFlow({ kind: 'WhileOptions', condSubgraphIndex: 0, bodySubgraphIndex: 0 } as BuiltinOptions, Op.WHILE));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe('node 0 WHILE: cond_subgraph_index 0 makes subgraphs call themselves recursively (0 -> 0); recursion is not allowed');
  });

  it('recursion through other subgraphs: 0 -> 1 -> 2 -> 1', () => {
    const e = refusal(controlFlow({ kind: 'CallOptions', subgraph: 1 } as BuiltinOptions, Op.CALL, [callingSubgraph(2), callingSubgraph(1)]));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain('subgraph 2 node 0 CALL: subgraph 1 makes subgraphs call themselves recursively (1 -> 2 -> 1)');
  });

  it('valid indices pass validation and end at the missing kernel', () => {
    const e = refusal(controlFlow({ kind: 'IfOptions', thenSubgraphIndex: 1, elseSubgraphIndex: 1 } as BuiltinOptions, Op.IF,
      [IDENTITY]));
    expect(e.constructor.name).toBe('UnsupportedOpError');
  });
});

describe('memory budgets', () => {
  it('the [1,60000,60000,3] float32 input is refused by the budget, not with a RangeError', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 60000, 60000, 3]);
      const y = b.tensor('y', F32, [1, 60000, 60000, 3]);
      b.op(Op.RELU, [x], [y]);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(BudgetError);
    expect(e.message).toBe("input 0: tensor 0 'x' FLOAT32[1,60000,60000,3] needs 40.2 GiB (43200000000 bytes), over the arena " +
      'budget of 1.0 GiB (1073741824 bytes) (option maxArenaBytes, CLI --max-arena)');
  });

  it('the 300-byte [1,16000,16000,2] RELU model is refused by the default budget, saying how much it asks for', () => {
    const bytes = bytesOf((b) => {
      const x = b.input('x', F32, [1, 16000, 16000, 2]);
      const y = b.tensor('y', F32, [1, 16000, 16000, 2]);
      b.op(Op.RELU, [x], [y]);
      b.output(y);
    });
    expect(bytes.length).toBeLessThan(400);
    const e = refusal(bytes);
    expect(e).toBeInstanceOf(BudgetError);
    expect(e.message).toContain('needs 1.9 GiB (2048000000 bytes), over the arena budget of 1.0 GiB');
    // Raising the budget past one tensor still refuses the arena (two live tensors), before allocating it.
    const e2 = refusal(bytes, { maxArenaBytes: 3e9 });
    expect(e2).toBeInstanceOf(BudgetError);
    expect(e2.message).toContain('the model needs an activation arena of 3.8 GiB (4096000000 bytes), over the budget of 2.8 GiB');
  });

  it('a big-but-legal model is refused by a small budget and runs when the budget allows it', () => {
    const bytes = bytesOf((b) => {
      const x = b.input('x', F32, [1, 512, 512, 2]);
      const y = b.tensor('y', F32, [1, 512, 512, 2]);
      b.op(Op.RELU, [x], [y]);
      b.output(y);
    });
    const e = refusal(bytes, { maxArenaBytes: 3 << 20 });
    expect(e).toBeInstanceOf(BudgetError);
    expect(e.message).toContain('the model needs an activation arena of 4.0 MiB (4194304 bytes), over the budget of 3.0 MiB');
    const it = Interpreter.create(bytes, { maxArenaBytes: 4 << 20 });
    (it.input(0).data as Float32Array).fill(-1);
    it.invoke();
    expect(it.output(0).data[0]).toBe(0);
    expect(DEFAULT_MAX_ARENA_BYTES).toBe(2 ** 30);
  });

  it('an output shape inferred at prepare over the budget is refused before the next node prepares', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [1, 4, 4, 1]);
      const pads = b.constant('pads', TensorType.INT32, [4, 2], [0, 0, 100000, 100000, 100000, 100000, 0, 0]);
      const p = b.tensor('padded', F32, [1, 4, 4, 1]);
      const y = b.tensor('y', F32, [1, 4, 4, 1]);
      b.op(Op.PAD, [x, pads], [p]);
      b.op(Op.RELU, [p], [y]);
      b.output(y);
    }));
    expect(e).toBeInstanceOf(BudgetError);
    expect(e.message).toContain("node 0 PAD output 0: tensor 2 'padded' FLOAT32[1,200004,200004,1] needs 149.0 GiB");
  });

  it('a shape past 2^53 elements is refused by the reader', () => {
    const e = refusal(bytesOf((b) => {
      const x = b.input('x', F32, [2147483647, 2147483647, 2147483647]);
      b.output(x);
    }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toContain("tensor 0 'x': shape [2147483647,2147483647,2147483647] has more than 2^53 elements");
  });

  it('maxArenaBytes must be positive', () => {
    const bytes = bytesOf((b) => { const x = b.input('x', F32, [1]); b.output(x); });
    expect(refusal(bytes, { maxArenaBytes: 0 }).message).toBe('maxArenaBytes must be a positive number of bytes, got 0');
    expect(refusal(bytes, { maxArenaBytes: Number.NaN })).toBeInstanceOf(BudgetError);
  });
});
