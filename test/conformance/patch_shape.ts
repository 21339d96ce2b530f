/**
 * A copy of a .tflite file with one input's static shape changed in place (same rank, so the flatbuffer keeps its
 * layout). TFLite's wasm runtime cannot resize inputs, so this is how the oracle runs a dynamic-shape model
 * (dilated_conv, shape_signature [-1,-1,-1,3]) at another size; every other shape is inferred at prepare time.
 */

/** Byte position of field `id` of the table at `table`, or 0 when absent (schema.fbs field ids). */
function field(dv: DataView, table: number, id: number): number {
  const vt = table - dv.getInt32(table, true);
  const vtLen = dv.getUint16(vt, true);
  const e = 4 + 2 * id;
  if (e >= vtLen) return 0;
  const off = dv.getUint16(vt + e, true);
  return off ? table + off : 0;
}

const deref = (dv: DataView, p: number): number => p + dv.getUint32(p, true);

/** Start (after the length word) and length of the vector referenced at field position `p`. */
function vector(dv: DataView, p: number): { at: number; len: number } {
  const v = deref(dv, p);
  return { at: v + 4, len: dv.getUint32(v, true) };
}

export function withInputShape(model: Uint8Array, inputIndex: number, shape: readonly number[]): Uint8Array {
  const bytes = model.slice();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = deref(dv, 0);
  const subgraphs = vector(dv, field(dv, root, 2));
  const sg = deref(dv, subgraphs.at);
  const tensors = vector(dv, field(dv, sg, 0));
  const inputs = vector(dv, field(dv, sg, 1));
  if (inputIndex >= inputs.len) throw new Error(`model has ${inputs.len} inputs`);
  const tensorIndex = dv.getInt32(inputs.at + 4 * inputIndex, true);
  const shapeAt = (t: number): number => {
    const table = deref(dv, tensors.at + 4 * t);
    const p = field(dv, table, 0);
    return p ? deref(dv, p) : 0;
  };
  const target = shapeAt(tensorIndex);
  if (!target) throw new Error(`input tensor ${tensorIndex} has no shape vector`);
  for (let t = 0; t < tensors.len; t++) {
    if (t !== tensorIndex && shapeAt(t) === target) throw new Error(`tensor ${t} shares the input's shape vector`);
  }
  const rank = dv.getUint32(target, true);
  if (rank !== shape.length) throw new Error(`input has rank ${rank}, new shape [${shape.join(',')}]`);
  shape.forEach((d, k) => dv.setInt32(target + 4 + 4 * k, d, true));
  return bytes;
}
