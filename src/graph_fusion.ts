/**
 * Graph rewrites at interpreter creation, the ones XNNPACK's subgraph makes for TFLite (both backends):
 *
 * 1. A PAD of the spatial dimensions folded into the convolution that alone reads it: the CONV_2D or
 *    DEPTHWISE_CONV_2D (VALID padding) then reads the PAD's input with explicit padding
 *    (`KernelNode.inputPadding`, honoured by prepareWindow in kernels/internal/conv_geometry.ts), and the PAD node
 *    is dropped. TensorFlow exports explicit padding this way; MediaPipe's face models put such a PAD before
 *    nearly every depthwise convolution, and the rewrite saves a copy of each padded activation (time and arena).
 *    Exact in both arithmetic modes: PAD fills with 0 (float32) or with its zero point (quantized; the rewrite
 *    requires PAD's output quantization to equal its input's, as TFLite's PAD itself does), and a convolution's
 *    padding taps contribute exactly that: nothing, or (zero point - zero point) * w. Not fused (the PAD runs as
 *    before): PADV2, paddings that are not a constant [4, 2] with zero batch and channel padding, 1x1 filters.
 * 2. A float32 RELU, RELU6 or RELU_N1_TO_1 folded into the producer that alone feeds it, when that producer has
 *    a fused activation option set to NONE (convolutions, FULLY_CONNECTED, element-wise arithmetic, pools): the
 *    producer clamps in its epilogue, the same min/max, and writes the activation's output tensor.
 *
 * In both, the intermediate tensor must have no other reader and must not be a graph output or kept
 * (`keepTensors`): a tensor the caller reads is always computed.
 */
import { ActivationFunctionType, Padding, TensorType } from '../schema/enums.js';
import type { KernelNode } from '../kernels/kernel.js';
import type { Tensor } from '../kernels/tensor.js';

const FUSABLE_TYPES = new Set([TensorType.FLOAT32, TensorType.UINT8, TensorType.INT8]);

/** [top, bottom, left, right] from a constant PAD's paddings, or null when it pads batch or channels. */
function spatialPadding(paddings: Tensor | null | undefined): [number, number, number, number] | null {
  if (!paddings?.isConstant || paddings.size !== 8) return null;
  if (paddings.type !== TensorType.INT32 && paddings.type !== TensorType.INT64) return null;
  const p = Array.from(paddings.data as ArrayLike<number | bigint>, Number);
  if (p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) return null;
  const [top, bottom, left, right] = [p[2]!, p[3]!, p[4]!, p[5]!];
  if (![top, bottom, left, right].every((v) => Number.isSafeInteger(v) && v >= 0)) return null;
  return [top, bottom, left, right];
}

function sameQuantization(a: Tensor, b: Tensor): boolean {
  if (a.type === TensorType.FLOAT32) return true;
  const qa = a.quant, qb = b.quant;
  if (!qa || !qb || qa.scale.length !== 1 || qb.scale.length !== 1) return false;
  return qa.scale[0] === qb.scale[0] && qa.zeroPoint[0] === qb.zeroPoint[0];
}

function isFusableConvolution(node: KernelNode, padded: Tensor): boolean {
  if (node.opName !== 'CONV_2D' && node.opName !== 'DEPTHWISE_CONV_2D') return false;
  const o = node.options as { kind?: string; padding?: Padding } | null;
  if (!o || (o.kind !== 'Conv2DOptions' && o.kind !== 'DepthwiseConv2DOptions') || o.padding !== Padding.VALID) return false;
  if (node.inputs[0] !== padded || node.inputs.indexOf(padded, 1) >= 0 || node.inputPadding) return false;
  const filter = node.inputs[1];
  return !!filter && filter.rank === 4 && !(filter.shape[1] === 1 && filter.shape[2] === 1);
}

/** How many times each tensor is read, and the node producing it. */
function dataflow<N extends KernelNode>(nodes: readonly N[]): { readers: Map<Tensor, number>; producedBy: Map<Tensor, N> } {
  const readers = new Map<Tensor, number>();
  for (const n of nodes) for (const t of n.inputs) if (t) readers.set(t, (readers.get(t) ?? 0) + 1);
  const producedBy = new Map<Tensor, N>();
  for (const n of nodes) for (const t of n.outputs) producedBy.set(t, n);
  return { readers, producedBy };
}

/**
 * The nodes with every fusable PAD folded into its convolution (new node objects for those convolutions; the
 * others unchanged). `pinned`: tensors that must stay computed (graph outputs, kept tensors).
 */
export function fusePadsIntoConvolutions<N extends KernelNode>(nodes: readonly N[], pinned: ReadonlySet<Tensor>): N[] {
  const { readers, producedBy } = dataflow(nodes);
  const dropped = new Set<N>();
  const replaced = new Map<N, N>();
  for (const conv of nodes) {
    const padded = conv.inputs[0];
    if (!padded || pinned.has(padded) || readers.get(padded) !== 1) continue;
    const pad = producedBy.get(padded);
    if (!pad || pad.opName !== 'PAD' || pad.outputs.length !== 1 || dropped.has(pad)) continue;
    const x = pad.inputs[0];
    if (!x || x.isConstant || x.rank !== 4 || x.type !== padded.type || !FUSABLE_TYPES.has(x.type)) continue;
    if (!sameQuantization(x, padded) || !isFusableConvolution(conv, padded)) continue;
    const padding = spatialPadding(pad.inputs[1]);
    if (!padding) continue;
    dropped.add(pad);
    replaced.set(conv, { ...conv, inputs: [x, ...conv.inputs.slice(1)], inputPadding: padding });
  }
  return nodes.filter((n) => !dropped.has(n)).map((n) => replaced.get(n) ?? n);
}

const ACTIVATIONS: Record<string, ActivationFunctionType> = {
  RELU: ActivationFunctionType.RELU, RELU6: ActivationFunctionType.RELU6, RELU_N1_TO_1: ActivationFunctionType.RELU_N1_TO_1,
};
/** Ops whose options carry a fused activation that their float32 kernels apply as a clamp. */
const CLAMPING_PRODUCERS = new Set([
  'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'SUB', 'MUL', 'DIV', 'AVERAGE_POOL_2D', 'MAX_POOL_2D',
]);

/** The nodes with every fusable float32 activation folded into its producer (rewrite 2 above). */
export function fuseActivations<N extends KernelNode>(nodes: readonly N[], pinned: ReadonlySet<Tensor>): N[] {
  const { readers, producedBy } = dataflow(nodes);
  const dropped = new Set<N>();
  const replaced = new Map<N, N>();
  for (const act of nodes) {
    const fused = ACTIVATIONS[act.opName];
    const x = act.inputs[0];
    if (fused === undefined || act.inputs.length !== 1 || act.outputs.length !== 1 || !x) continue;
    if (x.type !== TensorType.FLOAT32 || act.outputs[0]!.type !== TensorType.FLOAT32) continue;
    if (pinned.has(x) || readers.get(x) !== 1) continue;
    const producer = producedBy.get(x);
    if (!producer || dropped.has(producer) || replaced.has(producer) || !CLAMPING_PRODUCERS.has(producer.opName)) continue;
    const o = producer.options as { fusedActivationFunction?: ActivationFunctionType } | null;
    if (!o || o.fusedActivationFunction !== ActivationFunctionType.NONE || producer.outputs.length !== 1) continue;
    dropped.add(act);
    replaced.set(producer, { ...producer, options: { ...o, fusedActivationFunction: fused }, outputs: [act.outputs[0]!] });
  }
  return nodes.filter((n) => !dropped.has(n)).map((n) => replaced.get(n) ?? n);
}

/** Both rewrites, PADs first. */
export function fuseGraph<N extends KernelNode>(nodes: readonly N[], pinned: ReadonlySet<Tensor>): N[] {
  return fuseActivations(fusePadsIntoConvolutions(nodes, pinned), pinned);
}
