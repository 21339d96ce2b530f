/**
 * ImageEmbedder: the TFLite Task Library's image embedder (and MediaPipe Tasks' web API names) in TypeScript.
 *
 *   const embedder = ImageEmbedder.createFromModelBuffer(modelBytes, { l2Normalize: true });
 *   const a = embedder.embed(jpegBytes).embeddings[0];
 *   const b = embedder.embed(otherBytes, { regionOfInterest: { x: 0, y: 0, width: 400, height: 325 } }).embeddings[0];
 *   ImageEmbedder.cosineSimilarity(a, b);
 *
 * This module imports no Node built-ins; `src/node.ts` adds file paths.
 */
import { TensorType } from '../../schema/enums.js';
import { readModel } from '../../schema/model_reader.js';
import type { Model } from '../../schema/types.js';
import { classifierHead } from './classifier_head.js';
import { readModelMetadata, type ModelMetadataWithFiles, type TensorMetadata } from '../../schema/metadata_reader.js';
import type { OpResolver } from '../../kernels/registry.js';
import type { Backend, QuantizedArithmetic } from '../../kernels/kernel.js';
import { EmbedderError, ImageError } from '../../schema/errors.js';
import {
  chooseDecodeScale, DEFAULT_MAX_PIXELS, decodeImage, detectImageFormat, readImageInfo, scaleRegion, type DecodeOptions,
  type JpegDecoderName,
} from '../image/decode.js';
import { decodeAndPreprocess } from '../image/decode_preprocess.js';
import { checkPixelBudget, createFrameBuffer, type FrameBuffer, type PixelFormat, PIXEL_FORMATS } from '../image/frame_buffer.js';
import { preprocess } from '../image/preprocess.js';
import { validateRoi } from '../image/crop.js';
import { fillInputTensor, type Normalization } from '../image/tensor_fill.js';
import type { Rect } from '../image/crop.js';
import { precompileKernels } from '../../kernels/wasm/runtime.js';
import { Interpreter } from '../interpreter.js';
import type { Tensor } from '../../kernels/tensor.js';
import { type Embedding, type EmbeddingResult, cosineSimilarity, l2NormalizeInPlace, quantizeEmbedding } from './embedding.js';

/** Where the time of one `embed` call went (ImageEmbedder.lastTimings). */
export interface EmbedTimings {
  decodeMs: number;
  preprocessMs: number;
  inferenceMs: number;
}

const now = (): number => globalThis.performance.now();

export interface ImageEmbedderOptions {
  /** Divide each embedding by its L2 norm (unchanged when the norm is 0). Default false. */
  l2Normalize?: boolean;
  /** Return int8 `quantizedEmbedding`s: round(v * 128) clamped to [-128, 127], after l2Normalize. Default false. */
  quantize?: boolean;
  /**
   * Tensors (names or indices) to use as embedding heads instead of the model's outputs — any tensor of the
   * graph, e.g. a classifier's pooled features `MobilenetV1/Logits/AvgPool_1a/AvgPool`. Every element but the
   * batch dimension becomes part of the vector. `'auto'` takes, for each model output made by SOFTMAX or LOGISTIC,
   * the tensor feeding the classifier's last FULLY_CONNECTED/CONV_2D (its pooled features), and the other outputs
   * as they are.
   */
  outputTensors?: readonly (string | number)[];
  /**
   * Return embeddings holding NaN or Infinity instead of throwing an EmbedderError (default false: a model whose
   * weights or arithmetic overflow gives no usable embedding, and cosine similarity on it would be NaN).
   */
  allowNonFinite?: boolean;
  /** Receives warnings (e.g. a classifier's probabilities used as the embedding); default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Mean and std for float32 (and int8) inputs: x' = (x - mean[c]) / std[c], with 1 or 3 values each.
   * Overrides the model's NormalizationOptions; required for float32 models without them.
   */
  normalization?: { mean: number | readonly number[]; std: number | readonly number[] };
  /** Apply the EXIF orientation of JPEGs (default true; the Task Library ignores it). */
  applyExifOrientation?: boolean;
  /**
   * Whose JPEG pixels: 'stb' (default) decodes as stb_image, like the Task Library, so that embeddings equal the Task
   * Library's; 'libjpeg' decodes as libjpeg-turbo (browsers, Pillow, OpenCV, MediaPipe on CPU).
   */
  jpegDecoder?: JpegDecoderName;
  /** Largest image accepted, in pixels (default 100 MP): decoded images and frames passed in alike. */
  maxImagePixels?: number;
  /**
   * 'full' (default) decodes JPEGs at full size. 'auto' decodes them at 1/2, 1/4 or 1/8 size in the DCT domain
   * (libjpeg's scaled IDCTs), the largest reduction that keeps the region of interest at least as large as the
   * model input: much faster and lighter for photos, slightly different embeddings (CLI: --fast-decode).
   */
  decodeScale?: 'full' | 'auto';
  /** Largest activation arena the model may ask for, in bytes (default 1 GiB); see InterpreterOptions. */
  maxArenaBytes?: number;
  /** Kernels to run the model with (to add custom ops). */
  resolver?: OpResolver;
  /** Quantized kernels' arithmetic: 'tflite-cpu' (default, TFLite's CPU bytes) or 'reference'. */
  quantizedArithmetic?: QuantizedArithmetic;
  /** Kernels: 'auto' (default), 'wasm' (WebAssembly SIMD) or 'js' (typed arrays); the JPEG decoder's stages too. */
  backend?: Backend;
  /** A compiled `embedlite/kernels.wasm`, for runtimes that forbid compiling WebAssembly at run time. */
  wasmModule?: WebAssembly.Module;
}

export interface ImageEmbedderCreateOptions extends ImageEmbedderOptions {
  baseOptions: { modelAssetBuffer?: Uint8Array | ArrayBuffer; modelAssetPath?: string };
}

/** A region of interest: in pixels ({x, y, width, height}) or normalized to [0, 1] ({left, top, right, bottom}). */
export type RegionOfInterest =
  | { x: number; y: number; width: number; height: number }
  | { left: number; top: number; right: number; bottom: number };

export interface ImageProcessingOptions {
  /** Region to embed, in the coordinates of the upright image (before `rotationDegrees`). */
  regionOfInterest?: RegionOfInterest;
  /** Clockwise rotation (a multiple of 90, may be negative) that makes the image upright. */
  rotationDegrees?: number;
}

/** Encoded bytes (JPEG/PNG/BMP), a FrameBuffer, a packed frame `{data, width, height, format}`, or ImageData. */
export type ImageSource =
  | Uint8Array | ArrayBuffer
  | FrameBuffer
  | { data: Uint8Array | Uint8ClampedArray; width: number; height: number; format?: PixelFormat };

interface Head {
  index: number;
  name: string;
  tensor: Tensor;
  /** Dequantization of uint8/int8 heads; null for float32. */
  scale: number;
  zeroPoint: number;
  dimension: number;
}

/** Reads a model by path or URL. Browsers and workers fetch; the Node entry (`src/node.ts`) installs a file reader. */
export type ModelLoader = (pathOrUrl: string) => Promise<Uint8Array>;

let modelLoader: ModelLoader = async (url) => {
  const res = await fetch(url);
  if (!res.ok) throw new EmbedderError(`could not fetch model ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};

/** Replaces how `modelAssetPath` / `createFromModelPath` load a model. */
export function setModelLoader(loader: ModelLoader): void {
  modelLoader = loader;
}

function asBytes(b: Uint8Array | ArrayBuffer): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

function toList(v: number | readonly number[], what: string): number[] {
  const list = typeof v === 'number' ? [v] : [...v];
  if (list.length === 0 || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new EmbedderError(`normalization ${what} must be a finite number or a list of them`);
  }
  return list;
}

export class ImageEmbedder {
  private readonly interpreter: Interpreter;
  private readonly heads: Head[];
  private readonly input: Tensor;
  private readonly inputType: 'uint8' | 'int8' | 'float32';
  private readonly normalization: Normalization | undefined;
  private readonly options: ImageEmbedderOptions;
  private closed = false;
  /** The model's TFLite Metadata, or null. */
  readonly metadata: ModelMetadataWithFiles | null;

  private constructor(modelBytes: Uint8Array, options: ImageEmbedderOptions) {
    this.options = { ...options };
    if (options.jpegDecoder !== undefined && options.jpegDecoder !== 'stb' && options.jpegDecoder !== 'libjpeg') {
      throw new EmbedderError(`jpegDecoder must be 'stb' (the Task Library's pixels) or 'libjpeg', got ${String(options.jpegDecoder)}`);
    }
    const model = readModel(modelBytes);
    this.metadata = readModelMetadata(model, modelBytes);
    const sg = model.subgraphs[0];
    if (!sg) throw new EmbedderError('the model has no subgraph');
    if (sg.inputs.length !== 1) {
      throw new EmbedderError(`Image embedding models must have exactly 1 input tensor, found ${sg.inputs.length}.`);
    }
    const outputTensors = resolveAuto(model, options.outputTensors);
    (outputTensors ?? []).forEach((t, i) => {
      const known = typeof t === 'number' ? Number.isInteger(t) && t >= 0 && t < sg.tensors.length : sg.tensors.some((d) => d.name === t);
      if (!known) {
        throw new EmbedderError(`outputTensors[${i}]: no tensor ${typeof t === 'number' ? t : `named '${t}'`} in the model (it has ${sg.tensors.length} tensors; \`embedlite inspect\` lists the outputs)`);
      }
    });
    this.interpreter = Interpreter.fromModel(model, {
      ...(options.resolver ? { resolver: options.resolver } : {}),
      ...(outputTensors ? { keepTensors: outputTensors } : {}),
      ...(options.quantizedArithmetic ? { quantizedArithmetic: options.quantizedArithmetic } : {}),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.wasmModule ? { wasmModule: options.wasmModule } : {}),
      ...(options.maxArenaBytes ? { maxArenaBytes: options.maxArenaBytes } : {}),
    });
    this.input = this.interpreter.input(0);
    this.inputType = checkInputTensor(this.input);
    const inputMeta = this.metadata?.subgraphMetadata[0]?.inputTensorMetadata[0];
    this.normalization = this.resolveNormalization(inputMeta);
    this.heads = outputTensors && outputTensors.length > 0
      ? outputTensors.map((t, i) => this.customHead(t, i))
      : this.interpreter.outputs.map((t, i) => this.modelHead(t, i));
    this.warnAboutClassifierHeads(model);
  }

  /** An embedder over model bytes (a .tflite file's content). Throws EmbedderError/ModelError on a model it cannot use. */
  static createFromModelBuffer(modelBytes: Uint8Array | ArrayBuffer, options: ImageEmbedderOptions = {}): ImageEmbedder {
    return new ImageEmbedder(asBytes(modelBytes), options);
  }

  /**
   * MediaPipe-style creation: `{baseOptions: {modelAssetBuffer} | {modelAssetPath}, ...options}`. In browsers and
   * workers `modelAssetPath` is fetched as a URL; under Node (the package's `node` export) it is a file path.
   */
  static async createFromOptions(options: ImageEmbedderCreateOptions): Promise<ImageEmbedder> {
    const { baseOptions, ...rest } = options;
    await precompileFor(rest);
    if (baseOptions?.modelAssetBuffer) return ImageEmbedder.createFromModelBuffer(baseOptions.modelAssetBuffer, rest);
    if (baseOptions?.modelAssetPath) return ImageEmbedder.createFromModelPath(baseOptions.modelAssetPath, rest);
    throw new EmbedderError('baseOptions needs modelAssetBuffer or modelAssetPath');
  }

  /** An embedder over a model file (Node) or URL (browsers, workers). */
  static async createFromModelPath(path: string, options: ImageEmbedderOptions = {}): Promise<ImageEmbedder> {
    await precompileFor(options);
    return ImageEmbedder.createFromModelBuffer(await modelLoader(path), options);
  }

  /** Cosine similarity of two embeddings (both float or both quantized), with the Task Library's errors. */
  static cosineSimilarity(u: Embedding | Float32Array | Int8Array, v: Embedding | Float32Array | Int8Array): number {
    return cosineSimilarity(u, v);
  }

  /** Number of embedding heads (model outputs, or `outputTensors`). */
  getNumberOfOutputLayers(): number {
    return this.heads.length;
  }

  /** Length of the vector of head `i`. */
  getEmbeddingDimension(i = 0): number {
    const h = this.heads[i];
    if (!h) throw new EmbedderError(`output layer ${i} does not exist (the embedder has ${this.heads.length})`);
    return h.dimension;
  }

  /** The kernels that run the model: 'wasm' (WebAssembly SIMD) or 'js' (typed arrays; also the fallback of 'auto'). */
  get backend(): 'wasm' | 'js' {
    return this.interpreter.backend;
  }

  /** The model input size the image is resized to. */
  get inputSize(): { width: number; height: number; channels: number } {
    const [, height, width, channels] = this.input.shape as [number, number, number, number];
    return { width, height, channels };
  }

  /**
   * Wall-clock milliseconds of the last successful `embed` call: decoding (bytes -> frame), preprocessing (crop,
   * resize, rotate, tensor fill) and inference (invoke + reading the heads). For `--profile`.
   */
  lastTimings: EmbedTimings | null = null;

  /** Embeds one image: one embedding per head. */
  embed(image: ImageSource, processing: ImageProcessingOptions = {}): EmbeddingResult {
    if (this.closed) throw new EmbedderError('the embedder is closed');
    const { width, height, channels } = this.inputSize;
    const t0 = now();
    const rotation = processing.rotationDegrees ?? 0;
    if (!Number.isInteger(rotation) || rotation % 90 !== 0) {
      throw new EmbedderError(`rotationDegrees must be a multiple of 90, got ${rotation}`);
    }
    const format = channels === 1 ? 'GRAY' as const : 'RGB' as const;
    let pre: FrameBuffer, t1: number;
    const jpeg = this.jpegInput(image, processing, width, height);
    if (jpeg) {
      // Decoded rows go straight into the resize where possible (no full-size frame): decode_preprocess.ts.
      const r = decodeAndPreprocess(jpeg.bytes, jpeg.decode, { width, height, format, ...(jpeg.roi ? { roi: jpeg.roi } : {}), rotation });
      pre = r.frame;
      t1 = t0 + r.decodeMs;
    } else {
      const frame = this.toFrame(image);
      t1 = now();
      const roi = processing.regionOfInterest ? toPixelRect(processing.regionOfInterest, frame) : undefined;
      pre = preprocess(frame, { width, height, format, ...(roi ? { roi } : {}), rotation });
    }
    fillInputTensor(pre, {
      data: this.input.data as Uint8Array | Int8Array | Float32Array,
      shape: this.input.shape,
      dtype: this.inputType,
      ...(this.input.quant ? { quantization: { scale: this.input.scale, zeroPoint: this.input.zeroPoint } } : {}),
      ...(this.normalization ? { normalization: this.normalization } : {}),
    });
    const t2 = now();
    this.interpreter.invoke();
    const embeddings = this.heads.map((h) => this.readHead(h));
    this.lastTimings = { decodeMs: t1 - t0, preprocessMs: t2 - t1, inferenceMs: now() - t2 };
    return { embeddings };
  }

  /** Releases the model. Further calls to `embed` throw. */
  close(): void {
    this.closed = true;
  }

  /** One warning for all heads made by SOFTMAX/LOGISTIC, naming the pooled features to use instead. */
  private warnAboutClassifierHeads(model: Model): void {
    const found: string[] = [];
    for (const h of this.heads) {
      const c = classifierHead(model, h.tensor.index);
      if (!c) continue;
      found.push(`head ${h.index} '${h.name}' is made by ${c.activation}: it holds class probabilities, not an embedding. `
        + (c.features
          ? `The classifier's pooled features are tensor '${c.features.name}': pass outputTensors: ['${c.features.name}'] or ['auto'] (CLI: --output-tensor auto).`
          : 'Pick the tensor before the classifier with outputTensors (CLI: --output-tensor; `embedlite inspect` lists the tensors).'));
    }
    if (found.length === 0) return;
    (this.options.onWarning ?? ((m: string) => console.warn(`embedlite: ${m}`)))(found.join(' '));
  }

  private readHead(h: Head): Embedding {
    const src = h.tensor.data;
    const v = new Float32Array(h.dimension);
    if (h.tensor.type === TensorType.FLOAT32) v.set(src as Float32Array);
    else for (let i = 0; i < v.length; i++) v[i] = ((src[i] as number) - h.zeroPoint) * h.scale;
    if (!this.options.allowNonFinite) checkFinite(v, h);
    if (this.options.l2Normalize) l2NormalizeInPlace(v);
    const base = { headIndex: h.index, headName: h.name };
    return this.options.quantize ? { ...base, quantizedEmbedding: quantizeEmbedding(v) } : { ...base, floatEmbedding: v };
  }

  /**
   * JPEG bytes: how to decode them and the ROI in the decoded frame's pixels. With decodeScale 'auto' the largest
   * DCT-domain reduction that keeps the ROI at least the model input size (after the rotation); the ROI given in
   * full-size upright pixels is mapped to the reduced frame. Null for other inputs.
   */
  private jpegInput(image: ImageSource, processing: ImageProcessingOptions, width: number, height: number):
    { bytes: Uint8Array; decode: DecodeOptions; roi?: Rect } | null {
    if (!(image instanceof Uint8Array || image instanceof ArrayBuffer)) return null;
    const bytes = image instanceof Uint8Array ? image : new Uint8Array(image);
    if (detectImageFormat(bytes) !== 'jpeg') return null;
    const info = readImageInfo(bytes);
    const exif = this.options.applyExifOrientation === false ? 'ignore' as const : 'apply' as const;
    const swap = exif === 'apply' && info.orientation >= 5;
    const W = swap ? info.height : info.width, H = swap ? info.width : info.height;
    const given = processing.regionOfInterest;
    const full = given ? toPixelRect(given, { width: W, height: H, orientation: 1 } as FrameBuffer) : { x: 0, y: 0, width: W, height: H };
    validateRoi(full, W, H);
    let s: 1 | 2 | 4 | 8 = 1;
    if (this.options.decodeScale === 'auto') {
      const turn = ((((processing.rotationDegrees ?? 0) % 360) + 360) % 360) % 180 !== 0;
      s = chooseDecodeScale(full.width, full.height, turn ? height : width, turn ? width : height);
    }
    const decode: DecodeOptions = {
      exifOrientation: exif, decodeScale: s, jpegDecoder: this.options.jpegDecoder ?? 'stb',
      ...(this.options.maxImagePixels ? { maxPixels: this.options.maxImagePixels } : {}),
      ...(this.options.backend ? { backend: this.options.backend } : {}),
    };
    return { bytes, decode, ...(given ? { roi: scaleRegion(full, s, Math.ceil(W / s), Math.ceil(H / s)) } : {}) };
  }

  private toFrame(image: ImageSource): FrameBuffer {
    const frame = this.callerFrame(image);
    checkPixelBudget(frame.width, frame.height, this.options.maxImagePixels ?? DEFAULT_MAX_PIXELS);
    return frame;
  }

  private callerFrame(image: ImageSource): FrameBuffer {
    const decodeOptions = {
      exifOrientation: this.options.applyExifOrientation === false ? 'ignore' as const : 'apply' as const,
      jpegDecoder: this.options.jpegDecoder ?? 'stb',
      ...(this.options.maxImagePixels ? { maxPixels: this.options.maxImagePixels } : {}),
      ...(this.options.backend ? { backend: this.options.backend } : {}),
    };
    if (image instanceof Uint8Array || image instanceof ArrayBuffer) return decodeImage(image, decodeOptions);
    if (!image || typeof image !== 'object') throw new ImageError('embed() needs image bytes, a frame or an ImageData-like object');
    if ('planes' in image && Array.isArray((image as FrameBuffer).planes)) return image as FrameBuffer;
    const { data, width, height } = image as { data: Uint8Array | Uint8ClampedArray; width: number; height: number };
    const format = (image as { format?: PixelFormat }).format ?? 'RGBA'; // ImageData is RGBA
    if (!PIXEL_FORMATS.includes(format)) throw new ImageError(`unknown pixel format ${String(format)} (${PIXEL_FORMATS.join(', ')})`);
    if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
      throw new ImageError('frame data must be a Uint8Array or Uint8ClampedArray');
    }
    return createFrameBuffer(width, height, format, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  private resolveNormalization(meta: TensorMetadata | undefined): Normalization | undefined {
    const given = this.options.normalization;
    if (given) return { mean: toList(given.mean, 'mean'), std: toList(given.std, 'std') };
    const unit = meta?.processUnits.find((u) => u.kind === 'NormalizationOptions');
    if (unit && unit.kind === 'NormalizationOptions') return { mean: unit.mean, std: unit.std };
    if (this.inputType === 'float32') {
      throw new EmbedderError(
        'Input tensor has type kTfLiteFloat32: it requires specifying NormalizationOptions metadata to preprocess input images. '
        + 'This model has none: pass `normalization: {mean, std}` (CLI: --mean/--std).',
      );
    }
    return undefined;
  }

  private modelHead(t: Tensor, index: number): Head {
    const s = t.shape;
    const ok = (s.length === 2 && s[0] === 1) || (s.length === 4 && s[0] === 1 && s[1] === 1 && s[2] === 1);
    if (!ok) {
      throw new EmbedderError(
        `Expected output tensor ${index} '${t.name}' to have shape [1, N] or [1, 1, 1, N], found [${s.join(', ')}]. `
        + 'Use outputTensors to pick another tensor as the embedding.',
      );
    }
    const meta = this.metadata?.subgraphMetadata[0]?.outputTensorMetadata[index];
    return this.makeHead(t, index, meta?.name ?? t.name, 'output');
  }

  private customHead(nameOrIndex: string | number, index: number): Head {
    const t = this.interpreter.tensor(nameOrIndex);
    if (t.shape.length === 0 || t.shape[0] !== 1) {
      throw new EmbedderError(`outputTensors[${index}] '${t.name}' has shape [${t.shape.join(', ')}]; a head needs batch size 1`);
    }
    return this.makeHead(t, index, t.name, 'tensor');
  }

  private makeHead(t: Tensor, index: number, name: string, what: string): Head {
    if (t.type !== TensorType.FLOAT32 && t.type !== TensorType.UINT8 && t.type !== TensorType.INT8) {
      throw new EmbedderError(
        `Expected ${what} tensor ${index} '${t.name}' to have type kTfLiteFloat32, kTfLiteUInt8 or kTfLiteInt8, found ${TensorType[t.type]}.`,
      );
    }
    if (t.type !== TensorType.FLOAT32 && (!t.quant || !(t.scale > 0))) {
      throw new EmbedderError(`${what} tensor ${index} '${t.name}' is ${TensorType[t.type]} without quantization parameters`);
    }
    return { index, name, tensor: t, scale: t.scale, zeroPoint: t.zeroPoint, dimension: t.size };
  }
}

/** Throws when the vector holds NaN or ±Infinity, naming the head and how many values. */
function checkFinite(v: Float32Array, h: Head): void {
  let nan = 0, inf = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x) nan++;
    else if (x === Infinity || x === -Infinity) inf++;
  }
  if (nan + inf === 0) return;
  const what = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
  throw new EmbedderError(
    `head ${h.index} '${h.name}': ${what} value(s) of ${v.length} in the embedding; the model's weights or arithmetic `
    + 'produce them for this image (option allowNonFinite returns them as they are).',
  );
}

/** outputTensors with 'auto' replaced (see ImageEmbedderOptions.outputTensors); undefined: the model's outputs. */
function resolveAuto(model: Model, requested: readonly (string | number)[] | undefined): readonly (string | number)[] | undefined {
  if (!requested || !requested.includes('auto')) return requested;
  const sg = model.subgraphs[0];
  if (!sg) return requested;
  const auto = sg.outputs.map((t) => classifierHead(model, t)?.features?.index ?? t);
  if (requested.length === 1 && auto.every((t, i) => t === sg.outputs[i])) return undefined; // no classifier: the outputs as they are
  return requested.flatMap((t) => (t === 'auto' ? auto : [t]));
}

function checkInputTensor(t: Tensor): 'uint8' | 'int8' | 'float32' {
  const s = t.shape;
  if (s.length !== 4) {
    throw new EmbedderError(`Expected input tensor '${t.name}' to have 4 dimensions [1, height, width, channels], found [${s.join(', ')}].`);
  }
  if (s[0] !== 1) throw new EmbedderError(`Expected batch size of 1 for input tensor '${t.name}', found [${s.join(', ')}].`);
  if (s[3] !== 3 && s[3] !== 1) {
    throw new EmbedderError(
      `Expected input tensor '${t.name}' to have 3 (RGB) or 1 (greyscale) channels in the last dimension, found [${s.join(', ')}]`
      + (s[1] === 3 || s[1] === 1 ? ' (an NCHW layout is not supported)' : '') + '.',
    );
  }
  switch (t.type) {
    case TensorType.UINT8: return 'uint8';
    case TensorType.INT8: return 'int8';
    case TensorType.FLOAT32: return 'float32';
    default:
      throw new EmbedderError(`Expected input tensor '${t.name}' to have type kTfLiteUInt8, kTfLiteInt8 or kTfLiteFloat32, found ${TensorType[t.type]}.`);
  }
}

/** A pixel rect from a pixel or normalized ROI, in the frame's upright coordinates. */
function toPixelRect(roi: RegionOfInterest, frame: FrameBuffer): Rect {
  const swap = frame.orientation >= 5;
  const w = swap ? frame.height : frame.width, h = swap ? frame.width : frame.height;
  if ('left' in roi) {
    const vals = [roi.left, roi.top, roi.right, roi.bottom];
    if (vals.some((v) => !Number.isFinite(v) || v < 0 || v > 1) || roi.right <= roi.left || roi.bottom <= roi.top) {
      throw new ImageError(`normalized region of interest must satisfy 0 <= left < right <= 1 and 0 <= top < bottom <= 1, got ${JSON.stringify(roi)}`);
    }
    const x = Math.round(roi.left * w), y = Math.round(roi.top * h);
    return { x, y, width: Math.max(1, Math.round(roi.right * w) - x), height: Math.max(1, Math.round(roi.bottom * h) - y) };
  }
  return { x: roi.x, y: roi.y, width: roi.width, height: roi.height };
}

/**
 * The async creators compile the SIMD kernels asynchronously first (browsers' main threads refuse to compile
 * large modules synchronously); where that is impossible the interpreter falls back as `backend` says.
 */
async function precompileFor(options: ImageEmbedderOptions): Promise<void> {
  if (options.backend !== 'js' && !options.wasmModule) await precompileKernels();
}
