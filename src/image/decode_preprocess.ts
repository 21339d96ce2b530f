/**
 * Decoding and preprocessing in one pass. For a colour JPEG whose preprocessing shrinks it (the usual case: a photo
 * to a model's input), the decoder's rows go straight into the resize: libyuv's shrinking scalers read source
 * rows in increasing order, two at a time, so the decoder writes into a band of a few rows (jpeg/rows.ts) and no
 * full-size frame is ever made. A 50 MP photo then needs its file plus about 1 MB instead of a 150 MB frame.
 *
 * JPEGs with an EXIF turn to apply are decoded whole, but the resize reads the stored frame through an upright view
 * instead of a turned copy (a 50 MP portrait photo: one 150 MB frame, not two).
 *
 * The bytes are those of `preprocess(decodeImage(bytes, decode), pre)`. Other inputs (PNG, BMP, grey JPEGs,
 * enlargements) take exactly that path.
 */
import { ImageError } from '../../schema/errors.js';
import { validateRoi } from './crop.js';
import { DEFAULT_MAX_PIXELS, decodeImage, detectImageFormat, planJpeg, type DecodeOptions } from './decode.js';
import { decodeJpeg } from './jpeg/index.js';
import { orient, orientedView, storedCoordinates, swapsDimensions } from './orientation.js';
import { createFrameBuffer } from './frame_buffer.js';
import { ARGB_SCALE_MAX, argbScalePlan, bilinearDownByColumns } from './libyuv/scale_argb.js';
import type { FrameBuffer } from './frame_buffer.js';
import { JpegRows } from './jpeg/rows.js';
import { finishPreprocess, planPreprocess, preprocess, type PreprocessOptions } from './preprocess.js';
import { resizeRows, resizeView } from './resize.js';

export interface DecodedAndPreprocessed {
  /** The preprocessed frame (as `preprocess` returns it). */
  frame: FrameBuffer;
  /** Milliseconds spent decoding (the rest of the call is preprocessing). */
  decodeMs: number;
  /** True when the decoder's rows were resized as they came (no full-size frame). */
  streamed: boolean;
  /** The decoder's warnings about damaged data (as DecodedImage.warnings). */
  warnings: string[];
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** `preprocess(decodeImage(data, decode), pre)`, streaming JPEG rows into the resize where it can. Throws ImageError. */
export function decodeAndPreprocess(data: Uint8Array | ArrayBuffer, decode: DecodeOptions = {},
  pre: PreprocessOptions = {}): DecodedAndPreprocessed {
  const t0 = now();
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (bytes instanceof Uint8Array && detectImageFormat(bytes) === 'jpeg') {
    const maxPixels = decode.maxPixels ?? DEFAULT_MAX_PIXELS;
    if (!(maxPixels > 0)) throw new ImageError(`maxPixels must be positive, got ${maxPixels}`);
    const plan = planJpeg(bytes, decode, maxPixels);
    const s = plan.scaleDenom;
    // 'apply' with an orientation other than 1 turns the whole frame before the crop: no streaming.
    if (plan.info.components !== 1 && (plan.mode !== 'apply' || plan.orientation === 1)) {
      const width = Math.ceil(plan.info.width / s), height = Math.ceil(plan.info.height / s);
      const orientation = plan.mode === 'tag' ? plan.orientation : 1;
      const p = planPreprocess({ width, height, orientation }, pre);
      const resizes = p.preW !== p.roi.width || p.preH !== p.roi.height;
      if (resizes && p.preH <= p.roi.height) {
        validateRoi(p.roi, width, height);
        const planMs = now() - t0;
        const rows = new JpegRows(bytes, { maxPixels, variant: plan.variant, scaleDenom: s, backend: decode.backend });
        const small = resizeRows(rows, p.roi, p.preW, p.preH, orientation);
        const warnings = rows.finish();
        return { frame: finishPreprocess(small, 'RGB', p), decodeMs: planMs + rows.decodeMs, streamed: true, warnings };
      }
    }
    if (plan.info.components !== 1 && plan.mode === 'apply' && swapsDimensions(plan.orientation)) {
      // Turns by 90 degrees: the stored rows are the upright image's columns. When the resize is libyuv's bilinear
      // shrink, the columns it reads are taken from the decoder's rows as they come (no frame at all).
      const o = plan.orientation;
      const width = Math.ceil(plan.info.height / s), height = Math.ceil(plan.info.width / s);
      const p = planPreprocess({ width, height, orientation: 1 }, pre);
      if (argbScalePlan(p.roi.width, p.roi.height, p.preW, p.preH).path === 'down' &&
          p.roi.width <= ARGB_SCALE_MAX && p.roi.height <= ARGB_SCALE_MAX) {
        validateRoi(p.roi, width, height);
        const planMs = now() - t0;
        const rows = new JpegRows(bytes, { maxPixels, variant: plan.variant, scaleDenom: s, backend: decode.backend });
        const W = rows.width, H = rows.height, { x: rx, y: ry } = p.roi;
        // Upright pixel (X, Y) is stored at (sx, sy): sy depends on X only, sx on Y only.
        const sy = (X: number): number => storedCoordinates(o, X, 0, W, H)[1];
        const sx = (Y: number): number => storedCoordinates(o, 0, Y, W, H)[0];
        const step = (sx(1) - sx(0)) * 3;
        const small = createFrameBuffer(p.preW, p.preH, 'RGB');
        const q = small.planes[0]!;
        bilinearDownByColumns(p.roi.width, p.roi.height, { data: q.data, offset: 0, rowStride: q.rowStride, pixelStride: 3 },
          p.preW, p.preH, 3, (x) => {
            const r = sy(rx + x);
            return { data: rows.data, offset: rows.rows(r, r) + sx(ry) * 3, step };
          }, sy(1) < sy(0));
        const warnings = rows.finish();
        return { frame: finishPreprocess(small, 'RGB', p), decodeMs: planMs + rows.decodeMs, streamed: true, warnings };
      }
    }
    if (plan.info.components !== 1 && plan.mode === 'apply' && plan.orientation !== 1) {
      // The stored frame, read by the resize through an upright view (orientedView): no turned full-size copy.
      const o = plan.orientation;
      const { frame: stored, warnings } = decodeJpeg(bytes, { maxPixels, variant: plan.variant, scaleDenom: s, backend: decode.backend });
      const decodeMs = now() - t0;
      const swap = swapsDimensions(o);
      const width = swap ? stored.height : stored.width, height = swap ? stored.width : stored.height;
      const p = planPreprocess({ width, height, orientation: 1 }, pre);
      if (p.preW !== p.roi.width || p.preH !== p.roi.height) {
        validateRoi(p.roi, width, height);
        const sp = stored.planes[0]!;
        const v = orientedView(o, stored.width, stored.height, sp.rowStride, sp.pixelStride);
        const small = resizeView({
          data: sp.data, offset: v.offset + p.roi.y * v.rowStride + p.roi.x * v.pixelStride, rowStride: v.rowStride,
          pixelStride: v.pixelStride,
        }, p.roi.width, p.roi.height, p.preW, p.preH);
        return { frame: finishPreprocess(small, 'RGB', p), decodeMs, streamed: false, warnings };
      }
      return { frame: preprocess(orient(stored, o), pre), decodeMs, streamed: false, warnings };
    }
  }
  const decoded = decodeImage(data, decode);
  const decodeMs = now() - t0;
  return { frame: preprocess(decoded, pre), decodeMs, streamed: false, warnings: decoded.warnings };
}
