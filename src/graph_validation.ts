/**
 * Graph validation at create time: the dataflow rules a TFLite graph must keep for its result to mean anything.
 * TFLite's runtime assumes them (an arena tensor nobody wrote holds whatever the last user left there); embedlite
 * refuses a graph that breaks one, with a ModelError naming the node, the tensor and the rule:
 *
 * - use before definition: a node reads only graph inputs, constants, variables and outputs of earlier nodes;
 * - one writer: no tensor is written by two nodes (or twice by one);
 * - no node writes a graph input, a constant, or one of its own inputs;
 * - every graph output is a graph input, a constant, a variable or written by a node;
 * - control flow (CALL, IF, WHILE, CALL_ONCE): subgraph indices are in range and no subgraph calls itself,
 *   directly or through others.
 *
 * Index ranges are checked here too, for models built in memory (`Interpreter.fromModel`); `readModel` already
 * refuses out-of-range indices in files.
 */
import { BuiltinOperator, builtinName } from '../schema/enums.js';
import { ModelError } from '../schema/errors.js';
import type { BuiltinOptions } from '../schema/builtin_options.js';
import type { Model, OperatorDef, SubGraph } from '../schema/types.js';

/** Validates the subgraph the interpreter runs and every subgraph it reaches through control-flow ops. */
export function validateGraph(model: Model, subgraphIndex: number): void {
  for (const k of reachableSubgraphs(model, subgraphIndex)) checkDataflow(model, k);
}

/** Subgraph indices a control-flow op refers to, with the schema field names (for messages). */
function subgraphRefs(options: BuiltinOptions | null): { field: string; index: number }[] {
  if (!options) return [];
  const o = options as unknown as Record<string, number>;
  switch (options.kind) {
    case 'CallOptions': return [{ field: 'subgraph', index: o.subgraph! }];
    case 'IfOptions': return [
      { field: 'then_subgraph_index', index: o.thenSubgraphIndex! }, { field: 'else_subgraph_index', index: o.elseSubgraphIndex! }];
    case 'WhileOptions': return [
      { field: 'cond_subgraph_index', index: o.condSubgraphIndex! }, { field: 'body_subgraph_index', index: o.bodySubgraphIndex! }];
    case 'CallOnceOptions': return [{ field: 'init_subgraph_index', index: o.initSubgraphIndex! }];
    default: return [];
  }
}

function opName(model: Model, op: OperatorDef): string {
  const code = model.operatorCodes[op.opcodeIndex];
  if (!code) return `(opcode index ${op.opcodeIndex})`;
  return code.builtinCode === BuiltinOperator.CUSTOM ? (code.customCode ?? 'CUSTOM') : builtinName(code.builtinCode);
}

function where(sgIndex: number): string {
  return sgIndex === 0 ? '' : `subgraph ${sgIndex} `;
}

/**
 * Depth-first walk of the call graph from `root`: every control-flow index must name a subgraph, and no path may
 * come back to a subgraph still on the stack (recursion, which TFLite's runtime would follow until it runs out
 * of stack). Returns the reachable subgraphs, root first.
 */
function reachableSubgraphs(model: Model, root: number): number[] {
  const state = new Map<number, 'active' | 'done'>();
  const order: number[] = [];
  const stack: number[] = [];
  const visit = (k: number): void => {
    state.set(k, 'active');
    stack.push(k);
    order.push(k);
    model.subgraphs[k]!.operators.forEach((op, i) => {
      for (const ref of subgraphRefs(op.builtinOptions)) {
        const label = `${where(k)}node ${i} ${opName(model, op)}: ${ref.field} ${ref.index}`;
        if (!Number.isInteger(ref.index) || ref.index < 0 || ref.index >= model.subgraphs.length) {
          throw new ModelError(`${label} is out of range (model has ${model.subgraphs.length} subgraphs)`);
        }
        const s = state.get(ref.index);
        if (s === 'active') {
          const cycle = [...stack.slice(stack.indexOf(ref.index)), ref.index].join(' -> ');
          throw new ModelError(`${label} makes subgraphs call themselves recursively (${cycle}); recursion is not allowed`);
        }
        if (s === undefined) visit(ref.index);
      }
    });
    stack.pop();
    state.set(k, 'done');
  };
  visit(root);
  return order;
}

function checkDataflow(model: Model, sgIndex: number): void {
  const sg: SubGraph = model.subgraphs[sgIndex]!;
  const n = sg.tensors.length;
  const at = where(sgIndex);
  const describe = (t: number): string => `tensor ${t} '${sg.tensors[t]!.name}'`;
  const inRange = (t: number, what: string): void => {
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new ModelError(`${at}${what}: tensor index ${t} out of range (subgraph has ${n} tensors)`);
  };
  const isConstant = (t: number): boolean => (model.buffers[sg.tensors[t]!.buffer]?.data?.length ?? 0) > 0;

  const graphInputs = new Set<number>();
  sg.inputs.forEach((t, k) => { inRange(t, `graph input ${k}`); graphInputs.add(t); });
  // Tensors that hold a value before the first node runs.
  const defined = new Set<number>(graphInputs);
  sg.tensors.forEach((def, t) => { if (def.isVariable || isConstant(t)) defined.add(t); });
  const writer = new Map<number, number>();
  const laterWriter = (t: number, after: number): number =>
    sg.operators.findIndex((op, j) => j > after && op.outputs.includes(t));

  sg.operators.forEach((op, i) => {
    const label = `${at}node ${i} ${opName(model, op)}`;
    op.inputs.forEach((t, k) => {
      if (t === -1) return; // omitted optional input
      inRange(t, `${label} input ${k}`);
      if (defined.has(t)) return;
      const later = laterWriter(t, i - 1);
      throw new ModelError(`${label}: input ${k} reads ${describe(t)} before any node writes it` +
        `${later >= 0 ? ` (node ${later} writes it later)` : ' (no node writes it)'}; ` +
        'a node may read only graph inputs, constants, variables and outputs of earlier nodes');
    });
    op.outputs.forEach((t, k) => {
      inRange(t, `${label} output ${k}`);
      const rule = `${label}: output ${k} writes ${describe(t)}`;
      if (graphInputs.has(t)) throw new ModelError(`${rule}, a graph input; graph inputs are read-only`);
      if (isConstant(t)) throw new ModelError(`${rule}, a constant; constants are read-only`);
      if (op.inputs.includes(t)) throw new ModelError(`${rule}, which is also its input ${op.inputs.indexOf(t)}; a node may not write its own inputs`);
      const w = writer.get(t);
      if (w !== undefined) {
        throw new ModelError(`${rule}, already written by ${w === i ? 'this node' : `node ${w}`}; each tensor has one writer`);
      }
      writer.set(t, i);
      defined.add(t);
    });
  });

  sg.outputs.forEach((t, k) => {
    inRange(t, `graph output ${k}`);
    if (!defined.has(t)) {
      throw new ModelError(`${at}graph output ${k} is ${describe(t)}, which no node writes; ` +
        'a graph output must be a graph input, a constant, a variable or the output of a node');
    }
  });
}
