/**
 * Where the real models and images live. Shared data is read from ../shared (relative to the repo root) and is
 * never copied into the repo; MediaPipe's models come from the devDependencies under node_modules/@mediapipe.
 * Tests must skip visibly when a file is absent: use `available(...)` with `describe.skipIf`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const sharedDir = path.resolve(repoRoot, '../shared');
export const sharedModelsDir = path.join(sharedDir, 'models');
export const sharedImagesDir = path.join(sharedDir, 'images');
export const sharedAvailable = fs.existsSync(sharedModelsDir) && fs.existsSync(sharedImagesDir);

const shared = (f: string) => path.join(sharedModelsDir, f);
const mediapipe = (pkg: string, f: string) => path.join(repoRoot, 'node_modules/@mediapipe', pkg, f);

/** Paths of the real models, by short name. */
export const MODELS = {
  mobilenetFloat: shared('mobilenet_v1_0.25_224_1_default_1.tflite'),
  mobilenetFloatMetadata: shared('mobilenet_v1_0.25_224_1_metadata_1.tflite'),
  mobilenetQuant: shared('mobilenet_v1_0.25_224_quant.tflite'),
  mobilenetQuantNoMetadata: shared('mobilenet_v1_0.25_224_quant_without_subgraph_metadata.tflite'),
  mobilenetV2Int8: shared('mobilenet_v2_quantized_1x3x224x224.tflite'),
  dilatedConv: shared('dilated_conv.tflite'),
  selfiePatched: shared('selfie_segmentation.patched.tflite'),
  faceShort: mediapipe('face_detection', 'face_detection_short_range.tflite'),
  faceFull: mediapipe('face_detection', 'face_detection_full_range.tflite'),
  faceFullSparse: mediapipe('face_detection', 'face_detection_full_range_sparse.tflite'),
  selfie: mediapipe('selfie_segmentation', 'selfie_segmentation.tflite'),
  handLite: mediapipe('hands', 'hand_landmark_lite.tflite'),
  handFull: mediapipe('hands', 'hand_landmark_full.tflite'),
} as const;

export type ModelName = keyof typeof MODELS;

/** Paths of the shared test images. */
export const IMAGES = {
  burger224: path.join(sharedImagesDir, 'burger-224.png'),
  burger: path.join(sharedImagesDir, 'burger.jpg'),
  burgerCrop: path.join(sharedImagesDir, 'burger_crop.jpg'),
  catsAndDogs: path.join(sharedImagesDir, 'cats_and_dogs.jpg'),
  segmentation: path.join(sharedImagesDir, 'segmentation_input_rotation0.jpg'),
  colorGrid: path.join(sharedImagesDir, 'color_grid.png'),
} as const;

/**
 * True when every file exists; otherwise warns (so the skip is visible in the test log) and returns false.
 * Use as `describe.skipIf(!available('quantized conformance', [MODELS.mobilenetQuant]))(...)`.
 */
export function available(what: string, files: readonly string[]): boolean {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return true;
  console.warn(`SKIPPED ${what}: missing ${missing.map((f) => path.relative(repoRoot, f)).join(', ')}`);
  return false;
}

export function loadModelFile(file: string): Uint8Array {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
