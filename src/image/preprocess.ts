/**
 * The Task Library's preprocessing (FrameBufferUtils::Preprocess, driven by ImagePreprocessor), in its order and with
 * its arithmetic (libyuv, see src/image/libyuv/):
 * 1. crop and resize as one operation (LibyuvFrameBufferUtils::Crop: the ROI is a view, then ARGBScale / ScalePlane /
 *    NV12Scale / I420Scale to the pre-rotation size);
 * 2. for RGB and RGBA input: colour conversion, then rotation/flip to upright;
 *    for other input (YUV, GRAY): rotation/flip first, then colour conversion (which matters for odd-sized chroma).
 * Steps that would change nothing are skipped (the Task Library's same-size crop is a plain copy).
 *
 * No full-size intermediate: the crop is a view of the input and the resize reads the view and writes an
 * output-sized frame; conversion and orientation then only touch output-sized data.
 */
import { ImageError } from '../../schema/errors.js';
import { crop, type Rect } from './crop.js';
import { convertFormat } from './color.js';
import { validateFrameBuffer, type FrameBuffer, type Orientation } from './frame_buffer.js';
import { composeOrientations, orient, rotationToOrientation, swapsDimensions } from './orientation.js';
import { resize } from './resize.js';

export interface PreprocessOptions {
  /** Output width and height, after rotation (the model's input size). Default: the oriented ROI size. */
  width?: number;
  height?: number;
  /** Output format (3-channel models take RGB, 1-channel models GRAY). Default RGB. */
  format?: 'RGB' | 'GRAY';
  /** Region of interest in pixels, in the coordinates of the stored (unrotated) frame, as in the Task Library. */
  roi?: Rect;
  /**
   * Extra clockwise rotation (a multiple of 90) applied after the frame's own orientation has made it upright.
   * Default 0.
   */
  rotation?: number;
}

/**
 * Crop, resize, convert and orient `frame` into an upright (orientation 1) RGB or GRAY frame of the requested size,
 * byte for byte as the Task Library does. Aspect ratio is not kept (the image is stretched), like the Task Library.
 * When no step is needed the input frame itself is returned (possibly with row padding: read it through its planes,
 * or `packedPixels`).
 */
export function preprocess(frame: FrameBuffer, options: PreprocessOptions = {}): FrameBuffer {
  validateFrameBuffer(frame);
  const plan = planPreprocess(frame, options);
  const { roi } = plan;
  let f = frame;
  if (roi.x !== 0 || roi.y !== 0 || roi.width !== frame.width || roi.height !== frame.height) f = crop(f, roi);
  if (plan.preW !== f.width || plan.preH !== f.height) f = resize(f, plan.preW, plan.preH);
  return finishPreprocess(f, frame.format, plan);
}

/** The steps `preprocess` takes for a frame of this size, format and orientation. */
export interface PreprocessPlan {
  format: 'RGB' | 'GRAY';
  roi: Rect;
  /** Orientation that makes the resized frame upright (1: none). */
  toUpright: Orientation;
  /** Size after crop and resize, before the orientation step. */
  preW: number;
  preH: number;
}

/** Checks the options and plans the steps (ImageError for bad options). */
export function planPreprocess(frame: Pick<FrameBuffer, 'width' | 'height' | 'orientation'>,
  options: PreprocessOptions): PreprocessPlan {
  const format = options.format ?? 'RGB';
  if (format !== 'RGB' && format !== 'GRAY') throw new ImageError(`preprocess output must be RGB or GRAY, got ${String(format)}`);
  const roi = options.roi ?? { x: 0, y: 0, width: frame.width, height: frame.height };
  const toUpright = composeOrientations(frame.orientation, rotationToOrientation(options.rotation ?? 0));
  const swap = swapsDimensions(toUpright);
  const outW = options.width ?? (swap ? roi.height : roi.width);
  const outH = options.height ?? (swap ? roi.width : roi.height);
  if (!Number.isInteger(outW) || !Number.isInteger(outH) || outW <= 0 || outH <= 0) {
    throw new ImageError(`output size must be positive integers, got ${outW}x${outH}`);
  }
  return { format, roi, toUpright, preW: swap ? outH : outW, preH: swap ? outW : outH };
}

/**
 * After crop and resize (`f`, of the planned pre-rotation size): colour conversion and orientation, in the Task
 * Library's order for frames of `inputFormat`.
 */
export function finishPreprocess(f: FrameBuffer, inputFormat: FrameBuffer['format'], plan: PreprocessPlan): FrameBuffer {
  const { format, toUpright } = plan;
  const convert = (): void => {
    if (f.format !== format) f = convertFormat(f, format);
  };
  const toUprightStep = (): void => {
    if (toUpright !== 1) f = orient(f, toUpright);
    else if (f.orientation !== 1) f = { ...f, orientation: 1 };
  };
  if (inputFormat === 'RGB' || inputFormat === 'RGBA') {
    convert();
    toUprightStep();
  } else {
    toUprightStep();
    convert();
  }
  return f;
}
