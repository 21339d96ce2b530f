/**
 * Writes fixtures/embedder.tflite: embedlite's default image embedder, a small model with fixed, hand-designed
 * filters (no training), written with embedlite's own model and metadata writers.
 *
 *   npx tsx scripts/make_default_model.ts      (rewrites fixtures/embedder.tflite and fixtures/demo/*)
 *
 * Architecture (input float32 [1,96,96,3], normalised to [-1,1] by its NormalizationOptions mean 127.5 std 127.5):
 *   fine   = RELU(CONV_2D 5x5 stride 2)               → [1,48,48,25]: colour (R,G,B means; ±red-green; ±blue-yellow),
 *                                                        ±centre-surround, ±odd Gabor edges at 8 orientations
 *   coarse = RELU(CONV_2D 5x5 dilation 2 stride 2)    → [1,48,48,16]: ±odd Gabor edges at 8 orientations, twice the scale
 *   maps   = CONCATENATION(fine, coarse)              → [1,48,48,41]
 *   grid   = AVERAGE_POOL_2D 24x24 stride 24           → [1,2,2,41]   (where in the picture)
 *   global = MEAN over H,W                             → [1,1,1,41]   (what is in the picture)
 *   features = CONCATENATION(RESHAPE(grid), RESHAPE(global) * 2)          → [1,205]
 *   embedding = (features - mean) * invStd            (standardised per feature on a synthetic reference set)
 * so two pictures with similar colours and textures in similar places get a high cosine similarity.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ActivationFunctionType, BuiltinOperator, Padding, TensorType } from '../schema/enums.js';
import { withMetadata } from '../schema/metadata_writer.js';
import type { ModelMetadata } from '../schema/metadata_reader.js';
import { ModelBuilder } from '../schema/model_builder.js';
import { writeModel } from '../schema/model_writer.js';
import { Interpreter } from '../src/interpreter.js';
import { rng } from '../test/helpers/rng.js';

const SIZE = 96;
const F32 = TensorType.FLOAT32;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A 5x5 odd-symmetric Gabor filter at angle theta, zero mean, unit L1 norm. */
function gabor(theta: number, sigma: number, wavelength: number): number[] {
  const k: number[] = [];
  for (let y = -2; y <= 2; y++) {
    for (let x = -2; x <= 2; x++) {
      const xr = x * Math.cos(theta) + y * Math.sin(theta);
      k.push(Math.exp(-(x * x + y * y) / (2 * sigma * sigma)) * Math.sin((2 * Math.PI * xr) / wavelength));
    }
  }
  const mean = k.reduce((a, b) => a + b, 0) / k.length;
  const centred = k.map((v) => v - mean);
  const l1 = centred.reduce((a, b) => a + Math.abs(b), 0);
  return centred.map((v) => v / l1);
}

/** A 5x5 difference of Gaussians (centre minus surround), zero mean, unit L1 norm. */
function centreSurround(): number[] {
  const k: number[] = [];
  for (let y = -2; y <= 2; y++) {
    for (let x = -2; x <= 2; x++) {
      const r2 = x * x + y * y;
      k.push(Math.exp(-r2 / (2 * 0.8 * 0.8)) / 0.64 - Math.exp(-r2 / (2 * 2 * 2)) / 4);
    }
  }
  const mean = k.reduce((a, b) => a + b, 0) / k.length;
  const centred = k.map((v) => v - mean);
  const l1 = centred.reduce((a, b) => a + Math.abs(b), 0);
  return centred.map((v) => v / l1);
}

const LUMA = [0.299, 0.587, 0.114];

interface Filter { weights: (c: number, i: number) => number; bias: number }

/** Filters as functions of (input channel, tap index) → OHWI weights and biases. */
function packFilters(filters: Filter[]): { w: Float32Array; b: Float32Array } {
  const w = new Float32Array(filters.length * 25 * 3);
  filters.forEach((f, o) => {
    for (let i = 0; i < 25; i++) for (let c = 0; c < 3; c++) w[(o * 25 + i) * 3 + c] = f.weights(c, i);
  });
  return { w, b: Float32Array.from(filters.map((f) => f.bias)) };
}

function both(kernel: number[], gain: number): Filter[] {
  return [1, -1].map((sign) => ({ weights: (c: number, i: number) => sign * gain * LUMA[c]! * kernel[i]!, bias: 0 }));
}

function fineFilters(): Filter[] {
  const box = (c: number, want: number[]) => want[c]! / 25;
  const colour: Filter[] = [
    ...[0, 1, 2].map((ch) => ({ weights: (c: number) => (c === ch ? 1 / 25 : 0), bias: 1 })),
    ...[1, -1].map((s) => ({ weights: (c: number) => s * box(c, [0.5, -0.5, 0]), bias: 0 })),
    ...[1, -1].map((s) => ({ weights: (c: number) => s * box(c, [-0.25, -0.25, 0.5]), bias: 0 })),
  ];
  const edges: Filter[] = [];
  for (let k = 0; k < 8; k++) edges.push(...both(gabor((k * Math.PI) / 8, 1.2, 4), 2));
  return [...colour, ...both(centreSurround(), 2), ...edges];
}

function coarseFilters(): Filter[] {
  const edges: Filter[] = [];
  for (let k = 0; k < 8; k++) edges.push(...both(gabor((k * Math.PI) / 8, 1.2, 4), 2));
  return edges;
}

/** The feature graph without the final standardisation; returns the builder and the feature tensor. */
function featureGraph(): { b: ModelBuilder; features: number } {
  const b = new ModelBuilder();
  b.description = 'embedlite default embedder: fixed colour and Gabor filters with spatial pooling';
  const input = b.input('image', F32, [1, SIZE, SIZE, 3]);
  const half = SIZE / 2;
  const conv = (name: string, filters: Filter[], dilation: number): number => {
    const { w, b: bias } = packFilters(filters);
    const wt = b.constant(`${name}/weights`, F32, [filters.length, 5, 5, 3], w);
    const bt = b.constant(`${name}/bias`, F32, [filters.length], bias);
    const out = b.tensor(`${name}/relu`, F32, [1, half, half, filters.length]);
    b.op(BuiltinOperator.CONV_2D, [input, wt, bt], [out], {
      kind: 'Conv2DOptions', padding: Padding.SAME, strideW: 2, strideH: 2,
      fusedActivationFunction: ActivationFunctionType.RELU, dilationWFactor: dilation, dilationHFactor: dilation,
    });
    return out;
  };
  const fine = conv('fine', fineFilters(), 1);
  const coarse = conv('coarse', coarseFilters(), 2);
  const channels = 25 + 16;
  const maps = b.tensor('maps', F32, [1, half, half, channels]);
  b.op(BuiltinOperator.CONCATENATION, [fine, coarse], [maps],
    { kind: 'ConcatenationOptions', axis: 3, fusedActivationFunction: ActivationFunctionType.NONE });
  const grid = b.tensor('grid_pool', F32, [1, 2, 2, channels]);
  b.op(BuiltinOperator.AVERAGE_POOL_2D, [maps], [grid], {
    kind: 'Pool2DOptions', padding: Padding.VALID, strideW: half / 2, strideH: half / 2,
    filterWidth: half / 2, filterHeight: half / 2, fusedActivationFunction: ActivationFunctionType.NONE,
  });
  const axes = b.constant('global_pool/axes', TensorType.INT32, [2], [1, 2]);
  const global = b.tensor('global_pool', F32, [1, 1, 1, channels]);
  b.op(BuiltinOperator.MEAN, [maps, axes], [global], { kind: 'ReducerOptions', keepDims: true });
  const flat = (t: number, n: number, name: string): number => {
    const shape = b.constant(`${name}/shape`, TensorType.INT32, [2], [1, n]);
    const out = b.tensor(name, F32, [1, n]);
    b.op(BuiltinOperator.RESHAPE, [t, shape], [out], { kind: 'ReshapeOptions', newShape: [1, n] });
    return out;
  };
  const gridFlat = flat(grid, 4 * channels, 'grid_features');
  const globalFlat = flat(global, channels, 'global_features');
  // The global part counts as much as all four cells together: weight 2 = sqrt(4).
  const two = b.constant('global_weight', F32, [1], [2]);
  const globalWeighted = b.tensor('global_features_weighted', F32, [1, channels]);
  b.op(BuiltinOperator.MUL, [globalFlat, two], [globalWeighted], { kind: 'MulOptions', fusedActivationFunction: ActivationFunctionType.NONE });
  const features = b.tensor('features', F32, [1, 5 * channels]);
  b.op(BuiltinOperator.CONCATENATION, [gridFlat, globalWeighted], [features],
    { kind: 'ConcatenationOptions', axis: 1, fusedActivationFunction: ActivationFunctionType.NONE });
  return { b, features };
}


/** A synthetic reference picture: a colour gradient with random blobs and stripes, as RGB bytes. */
function syntheticPicture(r: () => number, w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  const c0 = [r(), r(), r()], c1 = [r(), r(), r()];
  const angle = r() * Math.PI, freq = 2 + r() * 20, stripeAmp = r() * 0.5;
  const blobs = Array.from({ length: 1 + Math.floor(r() * 5) }, () => ({
    x: r() * w, y: r() * h, rad: (0.05 + r() * 0.3) * w, col: [r(), r(), r()],
  }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = y / h;
      const stripe = 0.5 + 0.5 * Math.sin(((x * Math.cos(angle) + y * Math.sin(angle)) / w) * freq * Math.PI);
      const col = [0, 1, 2].map((c) => c0[c]! * (1 - t) + c1[c]! * t + stripeAmp * (stripe - 0.5));
      for (const bl of blobs) {
        if ((x - bl.x) ** 2 + (y - bl.y) ** 2 < bl.rad ** 2) for (let c = 0; c < 3; c++) col[c] = bl.col[c]!;
      }
      for (let c = 0; c < 3; c++) px[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(col[c]! * 255)));
    }
  }
  return px;
}

/** Mean and 1/std of each feature over a set of synthetic pictures, for the standardisation step. */
function referenceStatistics(model: Uint8Array, n: number): { mean: Float32Array; invStd: Float32Array } {
  const it = Interpreter.create(model);
  const input = it.input(0).data as Float32Array;
  const dim = it.output(0).size;
  const sum = new Float64Array(dim), sq = new Float64Array(dim);
  const r = rng(2024);
  for (let k = 0; k < n; k++) {
    const px = syntheticPicture(r, SIZE, SIZE);
    for (let i = 0; i < px.length; i++) input[i] = (px[i]! - 127.5) / 127.5;
    it.invoke();
    const out = it.output(0).data as Float32Array;
    for (let i = 0; i < dim; i++) { sum[i] += out[i]!; sq[i] += out[i]! * out[i]!; }
  }
  const mean = new Float32Array(dim), invStd = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    mean[i] = sum[i]! / n;
    const variance = Math.max(sq[i]! / n - mean[i]! * mean[i]!, 0);
    invStd[i] = 1 / Math.sqrt(variance + 1e-4);
  }
  return { mean, invStd };
}

function metadata(dim: number): ModelMetadata {
  return {
    name: 'embedlite default image embedder',
    description: 'Fixed colour, centre-surround and Gabor-edge filters at two scales, pooled over a 2x2 grid and globally, '
      + 'standardised per feature. Not trained: a small, dependency-free embedder for demos and tests.',
    version: '1.0',
    author: 'embedlite',
    license: 'Apache-2.0',
    minParserVersion: '1.0.0',
    associatedFiles: [],
    subgraphMetadata: [{
      name: 'embedder', description: null,
      inputTensorMetadata: [{
        name: 'image', description: 'RGB image, 96x96, values 0..255 normalised to [-1, 1].', dimensionNames: [],
        content: { properties: { kind: 'ImageProperties', colorSpace: 'RGB', defaultSize: null }, range: null },
        processUnits: [{ kind: 'NormalizationOptions', mean: [127.5], std: [127.5] }],
        stats: { min: [-1], max: [1] }, associatedFiles: [],
      }],
      outputTensorMetadata: [{
        name: 'embedding', description: `Image embedding of ${dim} standardised features.`, dimensionNames: [],
        content: { properties: { kind: 'FeatureProperties' }, range: null },
        processUnits: [], stats: null, associatedFiles: [],
      }],
      associatedFiles: [], inputProcessUnits: [], outputProcessUnits: [], inputTensorGroups: [], outputTensorGroups: [],
    }],
  };
}

export function buildDefaultModel(): Uint8Array {
  // Pass 1: features only, to measure their statistics on the reference set.
  const first = featureGraph();
  first.b.output(first.features);
  const stats = referenceStatistics(writeModel(first.b.build()), 256);
  // Pass 2: the same graph plus standardisation (SUB mean, MUL 1/std) and metadata.
  const { b, features } = featureGraph();
  const dim = stats.mean.length;
  const mean = b.constant('standardise/mean', F32, [dim], stats.mean);
  const invStd = b.constant('standardise/inv_std', F32, [dim], stats.invStd);
  const centred = b.tensor('standardise/centred', F32, [1, dim]);
  b.op(BuiltinOperator.SUB, [features, mean], [centred], { kind: 'SubOptions', fusedActivationFunction: ActivationFunctionType.NONE, potScaleInt16: true });
  const embedding = b.tensor('embedding', F32, [1, dim]);
  b.op(BuiltinOperator.MUL, [centred, invStd], [embedding], { kind: 'MulOptions', fusedActivationFunction: ActivationFunctionType.NONE });
  b.output(embedding);
  return writeModel(withMetadata(b.build(), metadata(dim)));
}

/** Demo pictures for the README: two views of one scene and a different scene (drawn here, no third-party data). */
function demoPictures(): { name: string; rgb: Uint8Array; w: number; h: number }[] {
  const w = 320, h = 240;
  const scene = (shift: number, zoom: number): Uint8Array => {
    const px = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const u = (x - w / 2) / zoom + w / 2 + shift, v = (y - h / 2) / zoom + h / 2;
        const sky = v < h * 0.6;
        let col = sky ? [90 + (v / h) * 120, 150 + (v / h) * 60, 235] : [70, 140 - ((v - h * 0.6) / h) * 80, 50];
        if ((u - 230) ** 2 + (v - 60) ** 2 < 28 ** 2) col = [255, 220, 60]; // sun
        const roof = v > 90 && v < 140 && Math.abs(u - 110) < (v - 90) * 1.2;
        if (roof) col = [150, 40, 30];
        if (v >= 140 && v < 190 && u > 60 && u < 160) col = (u > 95 && u < 125 && v > 155) ? [90, 60, 40] : [225, 210, 180];
        for (let c = 0; c < 3; c++) px[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(col[c]!)));
      }
    }
    return px;
  };
  const checks = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = (Math.floor(x / 20) + Math.floor(y / 20)) % 2 === 0;
      const col = on ? [30, 30, 40] : [230, 60, 200];
      for (let c = 0; c < 3; c++) checks[(y * w + x) * 3 + c] = col[c]!;
    }
  }
  return [
    { name: 'house.jpg', rgb: scene(0, 1), w, h },
    { name: 'house_zoomed.jpg', rgb: scene(12, 1.15), w, h },
    { name: 'checkerboard.png', rgb: checks, w, h },
  ];
}

function writePicture(path: string, rgb: Uint8Array, w: number, h: number): void {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    rgba[i * 4] = rgb[i * 3]!; rgba[i * 4 + 1] = rgb[i * 3 + 1]!; rgba[i * 4 + 2] = rgb[i * 3 + 2]!; rgba[i * 4 + 3] = 255;
  }
  if (path.endsWith('.png')) {
    const png = new PNG({ width: w, height: h });
    png.data.set(rgba);
    writeFileSync(path, PNG.sync.write(png));
  } else {
    writeFileSync(path, jpeg.encode({ data: rgba, width: w, height: h }, 90).data);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(join(root, 'fixtures/demo'), { recursive: true });
  const bytes = buildDefaultModel();
  writeFileSync(join(root, 'fixtures/embedder.tflite'), bytes);
  for (const p of demoPictures()) writePicture(join(root, 'fixtures/demo', p.name), p.rgb, p.w, p.h);
  console.log(`fixtures/embedder.tflite: ${bytes.length} bytes`);
}
