/**
 * Classifier heads: an output produced by SOFTMAX or LOGISTIC holds class probabilities, not an embedding. Walking
 * back from it past layout-only ops (RESHAPE, SQUEEZE, QUANTIZE, DEQUANTIZE) reaches the classifier's last
 * FULLY_CONNECTED or CONV_2D; its input (behind the same layout ops) is the pooled feature vector that serves
 * as the embedding — e.g. `MobilenetV1/Logits/AvgPool_1a/AvgPool` in MobileNet V1.
 */
import { BuiltinOperator } from '../../schema/enums.js';
import type { Model, OperatorDef, SubGraph } from '../../schema/types.js';

const PASS_THROUGH = new Set<number>([BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE, BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE]);
const RESHAPES = new Set<number>([BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE]);
const PROBABILITIES = new Set<number>([BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC]);
const CLASSIFIER = new Set<number>([BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.CONV_2D]);

export interface ClassifierHead {
  /** 'SOFTMAX' or 'LOGISTIC'. */
  activation: string;
  /** The tensor feeding the classifier's last FULLY_CONNECTED/CONV_2D, or null when there is none. */
  features: { index: number; name: string } | null;
}

function producers(sg: SubGraph): Map<number, OperatorDef> {
  const m = new Map<number, OperatorDef>();
  for (const op of sg.operators) for (const t of op.outputs) m.set(t, op);
  return m;
}

/** The classifier behind tensor `t` of subgraph 0, or null when no SOFTMAX/LOGISTIC produced it. */
export function classifierHead(model: Model, t: number): ClassifierHead | null {
  const sg = model.subgraphs[0]!;
  const made = producers(sg);
  const code = (op: OperatorDef): number => model.operatorCodes[op.opcodeIndex]?.builtinCode ?? -1;
  /** Follows layout-only ops back from tensor `t`; returns the first other producer and the tensor it made. */
  const back = (tensor: number): { op: OperatorDef; tensor: number } | null => {
    for (let seen = 0; seen < sg.operators.length; seen++) {
      const op = made.get(tensor);
      if (!op) return null;
      if (!PASS_THROUGH.has(code(op))) return { op, tensor };
      tensor = op.inputs[0]!;
    }
    return null;
  };
  const head = back(t);
  if (!head || !PROBABILITIES.has(code(head.op))) return null;
  const activation = code(head.op) === BuiltinOperator.SOFTMAX ? 'SOFTMAX' : 'LOGISTIC';
  const classifier = back(head.op.inputs[0]!);
  if (!classifier || !CLASSIFIER.has(code(classifier.op))) return { activation, features: null };
  // The classifier's input, behind any reshape/squeeze of the pooled map.
  let features = classifier.op.inputs[0]!;
  for (let op = made.get(features); op && RESHAPES.has(code(op)); op = made.get(features)) features = op.inputs[0]!;
  const def = sg.tensors[features];
  return { activation, features: def ? { index: features, name: def.name } : null };
}
