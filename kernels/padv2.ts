/** PADV2: PAD with the fill value taken from the scalar input 2 (mirrors pad.cc PadV2); any element type, quantized only with equal quantization. */
import type { Kernel } from './kernel.js';
import type { PadData } from './pad.js';
import { evalPad, preparePad } from './pad.js';

export const padV2: Kernel<PadData> = {
  prepare: (node) => preparePad(node, true),
  eval: evalPad,
};
