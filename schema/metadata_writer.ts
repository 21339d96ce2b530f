/**
 * Writer of TFLite Metadata FlatBuffers (identifier "M001") for the subset `metadata_reader.ts` reads, plus
 * `packAssociatedFiles`, which appends a zip archive of stored files (as the metadata populator does) to
 * model bytes. Field ids: see metadata_reader.ts. To embed metadata in a model, add a buffer with the
 * `writeMetadata` bytes and a metadata entry named `TFLITE_METADATA` pointing at it (`withMetadata`).
 */
import { Builder } from 'flatbuffers';
import { ModelError } from './errors.js';
import {
  ASSOCIATED_FILE_TYPES, BOUNDING_BOX_TYPES, COLOR_SPACES, CONTENT_PROPERTIES_UNION, COORDINATE_TYPES,
  METADATA_BUFFER_NAME, METADATA_IDENTIFIER, PROCESS_UNIT_UNION, SCORE_TRANSFORMATIONS,
} from './metadata_reader.js';
import type {
  AssociatedFile, Content, ModelMetadata, ProcessUnit, SubGraphMetadata, TensorGroup, TensorMetadata,
} from './metadata_reader.js';
import type { Model } from './types.js';

type Offset = number;

/** Serialises model metadata as a metadata FlatBuffer. */
export function writeMetadata(meta: ModelMetadata): Uint8Array {
  const b = new Builder(1024);
  const name = str(b, meta.name);
  const description = str(b, meta.description);
  const version = str(b, meta.version);
  const subgraphs = offsets(b, meta.subgraphMetadata.map((s) => writeSubGraph(b, s)));
  const author = str(b, meta.author);
  const license = str(b, meta.license);
  const files = writeFiles(b, meta.associatedFiles);
  const minParser = str(b, meta.minParserVersion);
  // table ModelMetadata { name (0); description (1); version (2); subgraph_metadata (3); author (4);
  //   license (5); associated_files (6); min_parser_version (7) }
  b.startObject(8);
  addOffset(b, 0, name);
  addOffset(b, 1, description);
  addOffset(b, 2, version);
  addOffset(b, 3, subgraphs);
  addOffset(b, 4, author);
  addOffset(b, 5, license);
  addOffset(b, 6, files);
  addOffset(b, 7, minParser);
  b.finish(b.endObject(), METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

/**
 * A copy of `model` whose TFLITE_METADATA entry holds `meta` (replacing an existing one). The model's
 * other buffers are shared, not copied.
 */
export function withMetadata(model: Model, meta: ModelMetadata): Model {
  const data = writeMetadata(meta);
  const existing = model.metadata.find((m) => m.name === METADATA_BUFFER_NAME);
  const buffers = [...model.buffers];
  let metadata = model.metadata;
  if (existing) buffers[existing.buffer] = { data };
  else {
    buffers.push({ data });
    metadata = [...model.metadata, { name: METADATA_BUFFER_NAME, buffer: buffers.length - 1 }];
  }
  return { ...model, buffers, metadata };
}

function str(b: Builder, s: string | null): Offset {
  return s === null ? 0 : b.createString(s);
}

function addOffset(b: Builder, id: number, off: Offset): void {
  if (off) b.addFieldOffset(id, off, 0);
}

function offsets(b: Builder, list: Offset[]): Offset {
  b.startVector(4, list.length, 4);
  for (let i = list.length - 1; i >= 0; i--) b.addOffset(list[i]!);
  return b.endVector();
}

function floats(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function enumValue(names: readonly string[], value: string, what: string): number {
  const i = names.indexOf(value);
  if (i < 0) throw new ModelError(`metadata: cannot write unknown ${what} '${value}'`);
  return i;
}

function writeFiles(b: Builder, files: AssociatedFile[]): Offset {
  if (files.length === 0) return 0;
  return offsets(b, files.map((f) => {
    const name = b.createString(f.name);
    const description = str(b, f.description);
    const locale = str(b, f.locale);
    // table AssociatedFile { name (0); description (1); type (2); locale (3) }
    b.startObject(4);
    addOffset(b, 0, name);
    addOffset(b, 1, description);
    b.addFieldInt8(2, enumValue(ASSOCIATED_FILE_TYPES, f.type, 'associated file type'), 0);
    addOffset(b, 3, locale);
    return b.endObject();
  }));
}

function writeProcessUnits(b: Builder, units: ProcessUnit[]): Offset {
  if (units.length === 0) return 0;
  return offsets(b, units.map((u) => {
    let options: Offset;
    switch (u.kind) {
      case 'NormalizationOptions': {
        const mean = floats(b, u.mean);
        const std = floats(b, u.std);
        b.startObject(2);
        b.addFieldOffset(0, mean, 0);
        b.addFieldOffset(1, std, 0);
        options = b.endObject();
        break;
      }
      case 'ScoreCalibrationOptions':
        b.startObject(2);
        b.addFieldInt8(0, enumValue(SCORE_TRANSFORMATIONS, u.scoreTransformation, 'score transformation'), 0);
        b.addFieldFloat32(1, u.defaultScore, 0);
        options = b.endObject();
        break;
      case 'ScoreThresholdingOptions':
        b.startObject(1);
        b.addFieldFloat32(0, u.globalScoreThreshold, 0);
        options = b.endObject();
        break;
      default:
        b.startObject(0);
        options = b.endObject();
    }
    // table ProcessUnit { options_type (0); options (1) }
    b.startObject(2);
    b.addFieldInt8(0, enumValue(PROCESS_UNIT_UNION, u.kind, 'process unit') + 1, 0);
    b.addFieldOffset(1, options, 0);
    return b.endObject();
  }));
}

function writeContent(b: Builder, c: Content): Offset {
  let props = 0;
  const p = c.properties;
  if (p) {
    if (p.kind === 'ImageProperties') {
      let size = 0;
      if (p.defaultSize) {
        b.startObject(2);
        b.addFieldInt32(0, p.defaultSize.width, 0);
        b.addFieldInt32(1, p.defaultSize.height, 0);
        size = b.endObject();
      }
      b.startObject(2);
      b.addFieldInt8(0, enumValue(COLOR_SPACES, p.colorSpace, 'color space'), 0);
      addOffset(b, 1, size);
      props = b.endObject();
    } else if (p.kind === 'BoundingBoxProperties') {
      b.startVector(4, p.index.length, 4);
      for (let i = p.index.length - 1; i >= 0; i--) b.addInt32(p.index[i]!);
      const index = b.endVector();
      b.startObject(3);
      b.addFieldOffset(0, index, 0);
      b.addFieldInt8(1, enumValue(BOUNDING_BOX_TYPES, p.type, 'bounding box type'), 0);
      b.addFieldInt8(2, enumValue(COORDINATE_TYPES, p.coordinateType, 'coordinate type'), 0);
      props = b.endObject();
    } else {
      b.startObject(0);
      props = b.endObject();
    }
  }
  let range = 0;
  if (c.range) {
    b.startObject(2);
    b.addFieldInt32(0, c.range.min, 0);
    b.addFieldInt32(1, c.range.max, 0);
    range = b.endObject();
  }
  // table Content { content_properties_type (0); content_properties (1); range (2) }
  b.startObject(3);
  if (p) {
    b.addFieldInt8(0, enumValue(CONTENT_PROPERTIES_UNION, p.kind, 'content properties') + 1, 0);
    b.addFieldOffset(1, props, 0);
  }
  addOffset(b, 2, range);
  return b.endObject();
}

function writeTensor(b: Builder, t: TensorMetadata): Offset {
  const name = str(b, t.name);
  const description = str(b, t.description);
  const dims = t.dimensionNames.length > 0 ? offsets(b, t.dimensionNames.map((d) => b.createString(d))) : 0;
  const content = t.content ? writeContent(b, t.content) : 0;
  const units = writeProcessUnits(b, t.processUnits);
  let stats = 0;
  if (t.stats) {
    const max = floats(b, t.stats.max);
    const min = floats(b, t.stats.min);
    // table Stats { max (0); min (1) }
    b.startObject(2);
    b.addFieldOffset(0, max, 0);
    b.addFieldOffset(1, min, 0);
    stats = b.endObject();
  }
  const files = writeFiles(b, t.associatedFiles);
  // table TensorMetadata { name (0); description (1); dimension_names (2); content (3); process_units (4);
  //   stats (5); associated_files (6) }
  b.startObject(7);
  addOffset(b, 0, name);
  addOffset(b, 1, description);
  addOffset(b, 2, dims);
  addOffset(b, 3, content);
  addOffset(b, 4, units);
  addOffset(b, 5, stats);
  addOffset(b, 6, files);
  return b.endObject();
}

function writeGroups(b: Builder, groups: TensorGroup[]): Offset {
  if (groups.length === 0) return 0;
  return offsets(b, groups.map((g) => {
    const name = str(b, g.name);
    const names = offsets(b, g.tensorNames.map((n) => b.createString(n)));
    b.startObject(2);
    addOffset(b, 0, name);
    b.addFieldOffset(1, names, 0);
    return b.endObject();
  }));
}

function writeSubGraph(b: Builder, s: SubGraphMetadata): Offset {
  const name = str(b, s.name);
  const description = str(b, s.description);
  const inputs = offsets(b, s.inputTensorMetadata.map((t) => writeTensor(b, t)));
  const outputs = offsets(b, s.outputTensorMetadata.map((t) => writeTensor(b, t)));
  const files = writeFiles(b, s.associatedFiles);
  const inUnits = writeProcessUnits(b, s.inputProcessUnits);
  const outUnits = writeProcessUnits(b, s.outputProcessUnits);
  const inGroups = writeGroups(b, s.inputTensorGroups);
  const outGroups = writeGroups(b, s.outputTensorGroups);
  // table SubGraphMetadata { name (0); description (1); input_tensor_metadata (2); output_tensor_metadata (3);
  //   associated_files (4); input_process_units (5); output_process_units (6); input_tensor_groups (7);
  //   output_tensor_groups (8) }
  b.startObject(9);
  addOffset(b, 0, name);
  addOffset(b, 1, description);
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  addOffset(b, 4, files);
  addOffset(b, 5, inUnits);
  addOffset(b, 6, outUnits);
  addOffset(b, 7, inGroups);
  addOffset(b, 8, outGroups);
  return b.endObject();
}

// ---------------------------------------------------------------------------------------------------------
// Zip appendix: stored (uncompressed) entries, offsets relative to the file start (APPNOTE.TXT 4.3).

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3 polynomial 0xEDB88320, reflected), as zip requires. */
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Model bytes followed by a zip archive holding `files` uncompressed (how label files ship in a model). */
export function packAssociatedFiles(modelBytes: Uint8Array, files: { name: string; data: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const entries = files.map((f) => ({ name: enc.encode(f.name), data: f.data, crc: crc32(f.data), offset: 0 }));
  let size = modelBytes.length;
  for (const e of entries) size += 30 + e.name.length + e.data.length + 46 + e.name.length;
  size += 22;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set(modelBytes, 0);
  let p = modelBytes.length;
  for (const e of entries) {
    e.offset = p;
    dv.setUint32(p, 0x04034b50, true);
    dv.setUint16(p + 4, 10, true); // version needed: 1.0
    dv.setUint32(p + 14, e.crc, true);
    dv.setUint32(p + 18, e.data.length, true);
    dv.setUint32(p + 22, e.data.length, true);
    dv.setUint16(p + 26, e.name.length, true);
    out.set(e.name, p + 30);
    out.set(e.data, p + 30 + e.name.length);
    p += 30 + e.name.length + e.data.length;
  }
  const cdStart = p;
  for (const e of entries) {
    dv.setUint32(p, 0x02014b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 6, 10, true);
    dv.setUint32(p + 16, e.crc, true);
    dv.setUint32(p + 20, e.data.length, true);
    dv.setUint32(p + 24, e.data.length, true);
    dv.setUint16(p + 28, e.name.length, true);
    dv.setUint32(p + 42, e.offset, true);
    out.set(e.name, p + 46);
    p += 46 + e.name.length;
  }
  dv.setUint32(p, 0x06054b50, true);
  dv.setUint16(p + 8, entries.length, true);
  dv.setUint16(p + 10, entries.length, true);
  dv.setUint32(p + 12, p - cdStart, true);
  dv.setUint32(p + 16, cdStart, true);
  return out;
}
