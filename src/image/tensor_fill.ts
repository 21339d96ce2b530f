/**
 * Filling a model's image input tensor from a preprocessed frame, as the Task Library's ImagePreprocessor does
 * (uint8: raw pixels; float32: (x - mean[c]) / std[c]), plus int8 inputs of full-integer models.
 */
import { ImageError } from '../../schema/errors.js';
import { validateFrameBuffer, type FrameBuffer } from './frame_buffer.js';

export type ImageTensorType = 'uint8' | 'int8' | 'float32';

export interface Normalization {
  /** One value for all channels, or one per channel. */
  mean: readonly number[];
  /** One value for all channels, or one per channel; zero is an error. */
  std: readonly number[];
}

export interface TensorFillSpec {
  /** The tensor's typed array (e.g. `tensor.data`), of exactly batch*H*W*C elements. */
  data: Uint8Array | Int8Array | Float32Array;
  /** [1, H, W, C] (NHWC, the TFLite layout) or [1, C, H, W] with layout 'NCHW'; C is 3 (RGB) or 1 (GRAY). */
  shape: readonly number[];
  dtype: ImageTensorType;
  /** Quantization of the tensor; required for int8. */
  quantization?: { scale: number; zeroPoint: number };
  /** Mean/std normalization; required for float32, optional for int8, ignored for uint8 (raw pixels). */
  normalization?: Normalization;
  /** Default 'NHWC'. */
  layout?: 'NHWC' | 'NCHW';
}

/** Height, width and channels a tensor spec expects; throws ImageError on a shape no image can fill. */
export function imageTensorGeometry(shape: readonly number[], layout: 'NHWC' | 'NCHW' = 'NHWC'): { height: number; width: number; channels: number } {
  if (shape.length !== 4 || shape[0] !== 1) {
    throw new ImageError(`image input tensor must have shape [1, H, W, C] (or [1, C, H, W] with layout NCHW), got [${shape.join(', ')}]`);
  }
  const [, a, b, c] = shape as [number, number, number, number];
  const g = layout === 'NCHW' ? { channels: a, height: b, width: c } : { height: a, width: b, channels: c };
  if (g.channels !== 1 && g.channels !== 3) throw new ImageError(`image input tensor must have 1 or 3 channels, got ${g.channels}`);
  if (!(g.height > 0) || !(g.width > 0)) throw new ImageError(`image input tensor has an empty size [${shape.join(', ')}]`);
  return g;
}

/** TFLite rounding (TfLiteRound / std::round): halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function perChannel(values: readonly number[], channels: number, name: string): number[] {
  if (values.length === 1) return new Array<number>(channels).fill(values[0]!);
  if (values.length === channels) return [...values];
  throw new ImageError(`normalization ${name} needs 1 or ${channels} values, got ${values.length}`);
}

/**
 * Writes `frame` (RGB for 3-channel tensors, GRAY for 1-channel ones, of the tensor's height and width, e.g. the
 * result of `preprocess`) into `spec.data`:
 * - uint8: the raw pixels (normalization is ignored, as in the Task Library);
 * - float32: (x - mean[c]) / std[c], computed as the Task Library's ImagePreprocessor does in float32:
 *   `(1.0f / std[c]) * ((float)x - mean[c])` (one rounding less than a division would give can differ in the last bit);
 * - int8: q = clamp(zeroPoint + round(v / scale), -128, 127) with v = (x - mean[c]) / std[c] (TFLite's QUANTIZE
 *   rule, rounding halves away from zero). Without normalization, int8 gets x - 128: the converter's convention for
 *   int8-input models made from models that take raw 0..255 pixels (their input is quantized so that one step is one
 *   pixel level: scale 1/255 with zero point -128 for [0, 1] inputs, 1/127.5 with 0 for [-1, 1]); the tensor's
 *   scale is then not consulted.
 */
export function fillInputTensor(frame: FrameBuffer, spec: TensorFillSpec): void {
  validateFrameBuffer(frame);
  const layout = spec.layout ?? 'NHWC';
  const { height, width, channels } = imageTensorGeometry(spec.shape, layout);
  const want = channels === 3 ? 'RGB' : 'GRAY';
  if (frame.format !== want) throw new ImageError(`a ${channels}-channel input tensor needs a ${want} frame, got ${frame.format}`);
  if (frame.width !== width || frame.height !== height) {
    throw new ImageError(`frame is ${frame.width}x${frame.height} but the input tensor expects ${width}x${height}`);
  }
  if (spec.data.length !== width * height * channels) {
    throw new ImageError(`tensor data has ${spec.data.length} elements, shape [${spec.shape.join(', ')}] needs ${width * height * channels}`);
  }
  const expectedArray = { uint8: Uint8Array, int8: Int8Array, float32: Float32Array }[spec.dtype];
  if (!expectedArray) throw new ImageError(`unsupported image input tensor type ${String(spec.dtype)} (uint8, int8 or float32)`);
  if (!(spec.data instanceof expectedArray)) throw new ImageError(`${spec.dtype} tensor needs a ${expectedArray.name}`);

  let mean = new Array<number>(channels).fill(0);
  let std = new Array<number>(channels).fill(1);
  if (spec.normalization && spec.dtype !== 'uint8') {
    mean = perChannel(spec.normalization.mean, channels, 'mean');
    std = perChannel(spec.normalization.std, channels, 'std');
    for (let c = 0; c < channels; c++) {
      if (!Number.isFinite(mean[c]!) || !Number.isFinite(std[c]!)) throw new ImageError('normalization mean/std must be finite numbers');
      if (std[c] === 0) throw new ImageError('normalization std must not be zero');
    }
  } else if (spec.dtype === 'float32') {
    throw new ImageError('a float32 input tensor needs normalization (mean and std, from metadata or the caller)');
  }
  // int8 without normalization shifts by -128; with it, the normalized value is quantized.
  let scale = 1, zeroPoint = 0;
  const quantizeNormalized = spec.dtype === 'int8' && spec.normalization !== undefined;
  if (quantizeNormalized) {
    const q = spec.quantization;
    if (!q || !(q.scale > 0) || !Number.isFinite(q.scale) || !Number.isInteger(q.zeroPoint)) {
      throw new ImageError('an int8 input tensor with normalization needs a positive scale and an integer zero point');
    }
    scale = q.scale;
    zeroPoint = q.zeroPoint;
  }

  const invStd = std.map((v) => Math.fround(1 / Math.fround(v)));
  const p = frame.planes[0]!;
  const src = p.data, ps = p.pixelStride;
  const out = spec.data;
  const plane = width * height;
  for (let y = 0; y < height; y++) {
    let s = y * p.rowStride;
    for (let x = 0; x < width; x++, s += ps) {
      const pix = y * width + x;
      for (let c = 0; c < channels; c++) {
        const idx = layout === 'NHWC' ? pix * channels + c : c * plane + pix;
        const v = src[s + c]!;
        if (spec.dtype === 'uint8') out[idx] = v;
        else if (spec.dtype === 'float32') out[idx] = Math.fround(invStd[c]! * Math.fround(v - mean[c]!));
        else if (!quantizeNormalized) out[idx] = v - 128;
        else {
          const q = zeroPoint + roundHalfAway((v - mean[c]!) / std[c]! / scale);
          out[idx] = q < -128 ? -128 : q > 127 ? 127 : q;
        }
      }
    }
  }
}
