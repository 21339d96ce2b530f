/**
 * Image pipeline: decode (JPEG, PNG, BMP), FrameBuffer formats, crop / resize / colour conversion / orientation,
 * the Task Library's preprocessing order, and input-tensor filling. No Node built-ins: runs in browsers and workers.
 */
export {
  createFrameBuffer, validateFrameBuffer, packedPixels, isPacked, isYuv, frameByteSize, chromaSize, PIXEL_FORMATS,
  type FrameBuffer, type Plane, type PixelFormat, type Orientation,
} from './frame_buffer.js';
export {
  decodeImage, readImageInfo, detectImageFormat, chooseDecodeScale, scaleRegion, DEFAULT_MAX_PIXELS,
  type DecodeOptions, type DecodedImage, type JpegDecoderName, type ImageFormat, type ImageInfo,
} from './decode.js';
export { readExifOrientation } from './exif.js';
export { crop, validateRoi, type Rect } from './crop.js';
export { resize } from './resize.js';
export { convertFormat, rgbToGray, yuvToRgbPixel } from './color.js';
export {
  orient, rotate, flip, composeOrientations, rotationToOrientation, swapsDimensions, storedCoordinates,
} from './orientation.js';
export { preprocess, type PreprocessOptions } from './preprocess.js';
export { decodeAndPreprocess, type DecodedAndPreprocessed } from './decode_preprocess.js';
export {
  fillInputTensor, imageTensorGeometry, type TensorFillSpec, type Normalization, type ImageTensorType,
} from './tensor_fill.js';
