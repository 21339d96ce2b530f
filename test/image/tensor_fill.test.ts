import { describe, expect, it } from 'vitest';
import { ImageError } from '../../schema/errors.js';
import { createFrameBuffer, fillInputTensor, imageTensorGeometry } from '../../src/image/index.js';

// 2x2 RGB frame with known pixels: (0,0) = 0,64,128  (1,0) = 255,1,2  (0,1) = 10,20,30  (1,1) = 127,128,129
const rgb = createFrameBuffer(2, 2, 'RGB', Uint8Array.of(0, 64, 128, 255, 1, 2, 10, 20, 30, 127, 128, 129));
const gray = createFrameBuffer(2, 2, 'GRAY', Uint8Array.of(0, 100, 200, 255));

describe('fillInputTensor', () => {
  it('uint8: raw pixels (normalization ignored, as in the Task Library)', () => {
    const data = new Uint8Array(12);
    fillInputTensor(rgb, { data, shape: [1, 2, 2, 3], dtype: 'uint8', normalization: { mean: [127.5], std: [127.5] } });
    expect(Array.from(data)).toEqual(Array.from(rgb.planes[0]!.data));
  });
  it('float32: (x - mean[c]) / std[c], with one or three values', () => {
    const data = new Float32Array(12);
    fillInputTensor(rgb, { data, shape: [1, 2, 2, 3], dtype: 'float32', normalization: { mean: [127.5], std: [127.5] } });
    expect(data[0]).toBeCloseTo(-1, 6);
    expect(data[3]).toBeCloseTo(1, 6);
    // The Task Library's float32 arithmetic: (1.0f / std) * (x - mean). For 64 that is -0.49803924560546875, one
    // float below the correctly rounded quotient -0.49803921580314636.
    const inv = Math.fround(1 / 127.5);
    expect(data[1]).toBe(Math.fround(inv * (64 - 127.5)));
    const per = new Float32Array(12);
    const mean = [10, 20, 30], std = [2, 4, 8];
    fillInputTensor(rgb, { data: per, shape: [1, 2, 2, 3], dtype: 'float32', normalization: { mean, std } });
    const src = rgb.planes[0]!.data;
    for (let i = 0; i < 12; i++) expect(per[i]).toBe(Math.fround(Math.fround(1 / std[i % 3]!) * (src[i]! - mean[i % 3]!)));
  });
  it('int8 with normalization: zp + round(v / scale), halves away from zero, clamped', () => {
    const data = new Int8Array(4);
    // v = (x - 0) / 1 = x; scale 2, zp -128: x=0 -> -128, 100 -> -78, 200 -> -28, 255 -> 127.5 rounds to 128 -> -0
    fillInputTensor(gray, { data, shape: [1, 2, 2, 1], dtype: 'int8', quantization: { scale: 2, zeroPoint: -128 }, normalization: { mean: [0], std: [1] } });
    expect(Array.from(data)).toEqual([-128, -78, -28, 0]);
    // negative halves: v = (x - 101) / 1 -> -101, -1, 99, 154 with scale 2 -> -50.5 -> -51, -0.5 -> -1, 49.5 -> 50, 77
    fillInputTensor(gray, { data, shape: [1, 2, 2, 1], dtype: 'int8', quantization: { scale: 2, zeroPoint: 0 }, normalization: { mean: [101], std: [1] } });
    expect(Array.from(data)).toEqual([-51, -1, 50, 77]);
    // clamping
    fillInputTensor(gray, { data, shape: [1, 2, 2, 1], dtype: 'int8', quantization: { scale: 0.5, zeroPoint: 0 }, normalization: { mean: [127.5], std: [1] } });
    expect(Array.from(data)).toEqual([-128, -55, 127, 127]);
  });
  it('int8 without normalization: pixel - 128', () => {
    const data = new Int8Array(4);
    fillInputTensor(gray, { data, shape: [1, 2, 2, 1], dtype: 'int8', quantization: { scale: 1 / 255, zeroPoint: -128 } });
    expect(Array.from(data)).toEqual([-128, -28, 72, 127]);
  });
  it('NCHW layout (PyTorch-converted models)', () => {
    const data = new Uint8Array(12);
    fillInputTensor(rgb, { data, shape: [1, 3, 2, 2], dtype: 'uint8', layout: 'NCHW' });
    expect(Array.from(data)).toEqual([0, 255, 10, 127, 64, 1, 20, 128, 128, 2, 30, 129]);
  });
  it('reads strided (cropped) frames', () => {
    const big = createFrameBuffer(3, 2, 'GRAY', Uint8Array.of(1, 2, 3, 4, 5, 6));
    const view = { ...big, width: 2, planes: [{ ...big.planes[0]!, data: big.planes[0]!.data.subarray(1) }] };
    const data = new Uint8Array(4);
    fillInputTensor(view, { data, shape: [1, 2, 2, 1], dtype: 'uint8' });
    expect(Array.from(data)).toEqual([2, 3, 5, 6]);
  });
  it('refuses mismatches and bad parameters with ImageError', () => {
    const f32 = new Float32Array(12);
    const norm = { mean: [0], std: [1] };
    expect(() => fillInputTensor(rgb, { data: f32, shape: [1, 2, 2, 3], dtype: 'float32', normalization: { mean: [0], std: [0] } })).toThrow(/std must not be zero/);
    expect(() => fillInputTensor(rgb, { data: f32, shape: [1, 2, 2, 3], dtype: 'float32', normalization: { mean: [0, 1], std: [1] } })).toThrow(/1 or 3 values/);
    expect(() => fillInputTensor(rgb, { data: f32, shape: [1, 2, 2, 3], dtype: 'float32' })).toThrow(/needs normalization/);
    expect(() => fillInputTensor(rgb, { data: f32, shape: [1, 4, 1, 3], dtype: 'float32', normalization: norm })).toThrow(/expects 1x4/);
    expect(() => fillInputTensor(gray, { data: f32, shape: [1, 2, 2, 3], dtype: 'float32', normalization: norm })).toThrow(/RGB frame/);
    expect(() => fillInputTensor(rgb, { data: new Float32Array(11), shape: [1, 2, 2, 3], dtype: 'float32', normalization: norm })).toThrow(ImageError);
    expect(() => fillInputTensor(rgb, { data: new Uint8Array(12), shape: [1, 2, 2, 3], dtype: 'float32', normalization: norm })).toThrow(/Float32Array/);
    expect(() => fillInputTensor(gray, { data: new Int8Array(4), shape: [1, 2, 2, 1], dtype: 'int8', normalization: norm })).toThrow(/scale/);
    expect(() => imageTensorGeometry([2, 2, 2, 3])).toThrow(ImageError);
    expect(() => imageTensorGeometry([1, 2, 2, 4])).toThrow(/1 or 3 channels/);
    expect(imageTensorGeometry([1, 3, 224, 200], 'NCHW')).toEqual({ channels: 3, height: 224, width: 200 });
  });
});
