import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2NormalizeInPlace, quantizeEmbedding } from '../../src/embedder/embedding.js';
import { EmbedderError } from '../../schema/errors.js';

describe('cosineSimilarity', () => {
  it('[1,0,0,0] vs [0.5,0.5,0.5,0.5] is exactly 0.5', () => {
    expect(cosineSimilarity(new Float32Array([1, 0, 0, 0]), new Float32Array([0.5, 0.5, 0.5, 0.5]))).toBe(0.5);
  });

  it('int8 [127,0,0,0] vs [-128,0,0,0] is -1', () => {
    expect(cosineSimilarity(new Int8Array([127, 0, 0, 0]), new Int8Array([-128, 0, 0, 0]))).toBe(-1);
  });

  it('works on embeddings as returned by embed()', () => {
    const a = { headIndex: 0, headName: 'h', floatEmbedding: new Float32Array([3, 4]) };
    const b = { headIndex: 0, headName: 'h', floatEmbedding: new Float32Array([4, 3]) };
    expect(cosineSimilarity(a, b)).toBeCloseTo(24 / 25, 12);
  });

  it('refuses embeddings of different sizes', () => {
    expect(() => cosineSimilarity(new Float32Array([1, 2]), new Float32Array([1, 2, 3]))).toThrow(
      new EmbedderError('Cannot compute cosine similarity between embeddings of different sizes (2 vs. 3).'),
    );
  });

  it('refuses quantized vs float', () => {
    expect(() => cosineSimilarity(new Int8Array([1, 2]), new Float32Array([1, 2]))).toThrow(
      'Cannot compute cosine similarity between quantized and float embeddings.',
    );
  });

  it('refuses a zero-norm embedding', () => {
    expect(() => cosineSimilarity(new Float32Array([0, 0]), new Float32Array([1, 2]))).toThrow(
      'Cannot compute cosine similarity on embedding with 0 norm.',
    );
  });

  it('refuses empty embeddings', () => {
    expect(() => cosineSimilarity(new Float32Array([]), new Float32Array([]))).toThrow(EmbedderError);
  });
});

describe('l2NormalizeInPlace and quantizeEmbedding', () => {
  it('normalises to unit length and leaves a zero vector unchanged', () => {
    expect(Array.from(l2NormalizeInPlace(new Float32Array([3, 4])))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(l2NormalizeInPlace(new Float32Array([0, 0])))).toEqual([0, 0]);
  });

  it('quantizes as round(v*128) clamped to [-128,127], ties away from zero', () => {
    const q = quantizeEmbedding(new Float32Array([1, -1, 0.5, -0.5, 0.00390625, -0.00390625, 2, -2]));
    expect(Array.from(q)).toEqual([127, -128, 64, -64, 1, -1, 127, -128]);
  });
});
