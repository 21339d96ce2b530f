/**
 * Reader of TFLite Metadata (the `TFLITE_METADATA` buffer of a .tflite model; FlatBuffer identifier "M001",
 * schema tensorflow/tflite-support tensorflow_lite_support/metadata/metadata_schema.fbs), and of the zip
 * archive the metadata writer appends after the model FlatBuffer (label files and other associated files).
 * Every read is range-checked; malformed input throws `ModelError`.
 *
 * Field ids are the declaration positions in metadata_schema.fbs (a union field takes two ids).
 */
import { ModelError } from './errors.js';
import { ByteReader, FbTable } from './byte_reader.js';
import type { Model } from './types.js';

export const METADATA_BUFFER_NAME = 'TFLITE_METADATA';
export const METADATA_IDENTIFIER = 'M001';

/** `enum AssociatedFileType : byte` (SCANN_INDEX_FILE = 6 was added in schema 1.4). */
export const ASSOCIATED_FILE_TYPES = [
  'UNKNOWN', 'DESCRIPTIONS', 'TENSOR_AXIS_LABELS', 'TENSOR_VALUE_LABELS', 'TENSOR_AXIS_SCORE_CALIBRATION',
  'VOCABULARY', 'SCANN_INDEX_FILE',
] as const;
export type AssociatedFileType = (typeof ASSOCIATED_FILE_TYPES)[number];
/** `enum ColorSpaceType : byte` */
export const COLOR_SPACES = ['UNKNOWN', 'RGB', 'GRAYSCALE'] as const;
export type ColorSpace = (typeof COLOR_SPACES)[number];
/** `enum BoundingBoxType : byte` */
export const BOUNDING_BOX_TYPES = ['UNKNOWN', 'BOUNDARIES', 'UPPER_LEFT', 'CENTER'] as const;
/** `enum CoordinateType : byte` */
export const COORDINATE_TYPES = ['RATIO', 'PIXEL'] as const;
/** `enum ScoreTransformationType : byte` */
export const SCORE_TRANSFORMATIONS = ['IDENTITY', 'LOG', 'INVERSE_LOGISTIC'] as const;

/** `union ContentProperties` members (type code = index + 1). */
export const CONTENT_PROPERTIES_UNION = ['FeatureProperties', 'ImageProperties', 'BoundingBoxProperties', 'AudioProperties'] as const;
/** `union ProcessUnitOptions` members (type code = index + 1). */
export const PROCESS_UNIT_UNION = [
  'NormalizationOptions', 'ScoreCalibrationOptions', 'ScoreThresholdingOptions', 'BertTokenizerOptions',
  'SentencePieceTokenizerOptions', 'RegexTokenizerOptions',
] as const;

export interface AssociatedFile {
  name: string;
  description: string | null;
  type: AssociatedFileType;
  locale: string | null;
}

export interface ImageSize { width: number; height: number }

export type ContentProperties =
  | { kind: 'FeatureProperties' }
  | { kind: 'ImageProperties'; colorSpace: ColorSpace; defaultSize: ImageSize | null }
  | {
    kind: 'BoundingBoxProperties'; index: number[];
    type: (typeof BOUNDING_BOX_TYPES)[number]; coordinateType: (typeof COORDINATE_TYPES)[number];
  }
  /** Parsed by name only. */
  | { kind: 'AudioProperties' };

export interface Content {
  properties: ContentProperties | null;
  /** `ValueRange`: the dimensions the content spans; null = all but the batch axis. */
  range: { min: number; max: number } | null;
}

export type ProcessUnit =
  | { kind: 'NormalizationOptions'; mean: number[]; std: number[] }
  | { kind: 'ScoreCalibrationOptions'; scoreTransformation: (typeof SCORE_TRANSFORMATIONS)[number]; defaultScore: number }
  | { kind: 'ScoreThresholdingOptions'; globalScoreThreshold: number }
  /** Tokenizer options, reported by name. */
  | { kind: 'BertTokenizerOptions' | 'SentencePieceTokenizerOptions' | 'RegexTokenizerOptions' };

export interface Stats { min: number[]; max: number[] }

export interface TensorMetadata {
  name: string | null;
  description: string | null;
  dimensionNames: string[];
  content: Content | null;
  processUnits: ProcessUnit[];
  stats: Stats | null;
  associatedFiles: AssociatedFile[];
}

export interface TensorGroup { name: string | null; tensorNames: string[] }

export interface SubGraphMetadata {
  name: string | null;
  description: string | null;
  inputTensorMetadata: TensorMetadata[];
  outputTensorMetadata: TensorMetadata[];
  associatedFiles: AssociatedFile[];
  inputProcessUnits: ProcessUnit[];
  outputProcessUnits: ProcessUnit[];
  inputTensorGroups: TensorGroup[];
  outputTensorGroups: TensorGroup[];
}

export interface ModelMetadata {
  name: string | null;
  description: string | null;
  version: string | null;
  author: string | null;
  license: string | null;
  minParserVersion: string | null;
  subgraphMetadata: SubGraphMetadata[];
  associatedFiles: AssociatedFile[];
}

/** `ModelMetadata` plus the files packed in the model's zip appendix (when the model bytes were given). */
export interface ModelMetadataWithFiles extends ModelMetadata {
  packedFiles: PackedFile[];
}

/** Parses a metadata FlatBuffer (the content of the TFLITE_METADATA buffer). */
export function readMetadata(bytes: Uint8Array): ModelMetadata {
  const r = new ByteReader(bytes, 'metadata');
  try {
    if (r.length < 8) r.fail(`buffer of ${r.length} bytes is too short`);
    const id = r.identifier();
    if (id !== METADATA_IDENTIFIER) r.fail(`file identifier ${JSON.stringify(id)}, expected "${METADATA_IDENTIFIER}"`);
    return readModelMetadataTable(r.root('ModelMetadata'));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`metadata: malformed metadata (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The parsed TFLITE_METADATA of a model, or null when it has none. With `bytes` (the whole model file),
 * `packedFiles` lists the files of the zip appendix.
 */
export function readModelMetadata(model: Model, bytes?: Uint8Array): ModelMetadataWithFiles | null {
  const entry = model.metadata.find((m) => m.name === METADATA_BUFFER_NAME);
  if (!entry) return null;
  const data = model.buffers[entry.buffer]?.data;
  if (!data || data.length === 0) throw new ModelError(`metadata: ${METADATA_BUFFER_NAME} points at empty buffer ${entry.buffer}`);
  return { ...readMetadata(data), packedFiles: bytes ? listAssociatedFiles(bytes) : [] };
}

function enumName<T extends readonly string[]>(t: FbTable, id: number, names: T, field: string): T[number] {
  const v = t.i8(id, 0, field);
  const name = names[v];
  if (name === undefined) t.r.fail(`${t.where}: unknown ${field} value ${v}`);
  return name;
}

function readModelMetadataTable(t: FbTable): ModelMetadata {
  // table ModelMetadata { name (0); description (1); version (2); subgraph_metadata (3); author (4); license (5);
  //   associated_files (6); min_parser_version (7) }
  return {
    name: t.string(0, 'name'),
    description: t.string(1, 'description'),
    version: t.string(2, 'version'),
    author: t.string(4, 'author'),
    license: t.string(5, 'license'),
    minParserVersion: t.string(7, 'min_parser_version'),
    subgraphMetadata: (t.tables(3, 'subgraph_metadata', (i) => `subgraph metadata ${i}`) ?? []).map(readSubGraphMetadata),
    associatedFiles: readFiles(t, 6),
  };
}

function readSubGraphMetadata(t: FbTable): SubGraphMetadata {
  // table SubGraphMetadata { name (0); description (1); input_tensor_metadata (2); output_tensor_metadata (3);
  //   associated_files (4); input_process_units (5); output_process_units (6); input_tensor_groups (7);
  //   output_tensor_groups (8) }
  const tensors = (id: number, what: string): TensorMetadata[] =>
    (t.tables(id, what, (i) => `${t.where} ${what} ${i}`) ?? []).map(readTensorMetadata);
  const groups = (id: number, what: string): TensorGroup[] =>
    (t.tables(id, what, (i) => `${t.where} ${what} ${i}`) ?? []).map((g) => ({
      // table TensorGroup { name (0); tensor_names:[string] (1) }
      name: g.string(0, 'name'), tensorNames: g.strings(1, 'tensor_names') ?? [],
    }));
  return {
    name: t.string(0, 'name'),
    description: t.string(1, 'description'),
    inputTensorMetadata: tensors(2, 'input_tensor_metadata'),
    outputTensorMetadata: tensors(3, 'output_tensor_metadata'),
    associatedFiles: readFiles(t, 4),
    inputProcessUnits: readProcessUnits(t, 5, 'input_process_units'),
    outputProcessUnits: readProcessUnits(t, 6, 'output_process_units'),
    inputTensorGroups: groups(7, 'input_tensor_groups'),
    outputTensorGroups: groups(8, 'output_tensor_groups'),
  };
}

function readTensorMetadata(t: FbTable): TensorMetadata {
  // table TensorMetadata { name (0); description (1); dimension_names (2); content (3); process_units (4);
  //   stats (5); associated_files (6) }
  const c = t.table(3, 'content', `${t.where} content`);
  const s = t.table(5, 'stats', `${t.where} stats`);
  return {
    name: t.string(0, 'name'),
    description: t.string(1, 'description'),
    dimensionNames: t.strings(2, 'dimension_names') ?? [],
    content: c ? readContent(c) : null,
    processUnits: readProcessUnits(t, 4, 'process_units'),
    // table Stats { max:[float] (0); min:[float] (1) }
    stats: s ? { min: s.f32Vector(1, 'min') ?? [], max: s.f32Vector(0, 'max') ?? [] } : null,
    associatedFiles: readFiles(t, 6),
  };
}

function readContent(t: FbTable): Content {
  // table Content { content_properties_type (0); content_properties (1); range:ValueRange (2) }
  const type = t.u8(0, 0, 'content_properties_type');
  let properties: ContentProperties | null = null;
  if (type !== 0) {
    const kind = CONTENT_PROPERTIES_UNION[type - 1];
    if (kind === undefined) t.r.fail(`${t.where}: unknown content_properties type ${type}`);
    const p = t.table(1, 'content_properties', `${t.where} ${kind}`);
    if (kind === 'ImageProperties') {
      // table ImageProperties { color_space (0); default_size:ImageSize (1) }; table ImageSize { width (0); height (1) }
      const size = p?.table(1, 'default_size', `${p.where} default_size`) ?? null;
      properties = {
        kind, colorSpace: p ? enumName(p, 0, COLOR_SPACES, 'color_space') : 'UNKNOWN',
        defaultSize: size ? { width: size.u32(0, 0, 'width'), height: size.u32(1, 0, 'height') } : null,
      };
    } else if (kind === 'BoundingBoxProperties') {
      // table BoundingBoxProperties { index:[uint] (0); type (1); coordinate_type (2) }
      properties = {
        kind, index: p?.u32Vector(0, 'index') ?? [],
        type: p ? enumName(p, 1, BOUNDING_BOX_TYPES, 'type') : 'UNKNOWN',
        coordinateType: p ? enumName(p, 2, COORDINATE_TYPES, 'coordinate_type') : 'RATIO',
      };
    } else {
      properties = { kind };
    }
  }
  // table ValueRange { min:int (0); max:int (1) }
  const range = t.table(2, 'range', `${t.where} range`);
  return { properties, range: range ? { min: range.i32(0, 0, 'min'), max: range.i32(1, 0, 'max') } : null };
}

function readProcessUnits(t: FbTable, id: number, what: string): ProcessUnit[] {
  return (t.tables(id, what, (i) => `${t.where} ${what} ${i}`) ?? []).map((u): ProcessUnit => {
    // table ProcessUnit { options_type (0); options:ProcessUnitOptions (1) }
    const type = u.u8(0, 0, 'options_type');
    const kind = PROCESS_UNIT_UNION[type - 1];
    if (kind === undefined) u.r.fail(`${u.where}: unknown process unit options type ${type}`);
    const o = u.table(1, 'options', `${u.where} ${kind}`);
    switch (kind) {
      // table NormalizationOptions { mean:[float] (0); std:[float] (1) }
      case 'NormalizationOptions':
        return { kind, mean: o?.f32Vector(0, 'mean') ?? [], std: o?.f32Vector(1, 'std') ?? [] };
      // table ScoreCalibrationOptions { score_transformation (0); default_score:float (1) }
      case 'ScoreCalibrationOptions':
        return {
          kind, scoreTransformation: o ? enumName(o, 0, SCORE_TRANSFORMATIONS, 'score_transformation') : 'IDENTITY',
          defaultScore: o?.f32(1, 0, 'default_score') ?? 0,
        };
      // table ScoreThresholdingOptions { global_score_threshold:float (0) }
      case 'ScoreThresholdingOptions':
        return { kind, globalScoreThreshold: o?.f32(0, 0, 'global_score_threshold') ?? 0 };
      default:
        return { kind };
    }
  });
}

function readFiles(t: FbTable, id: number): AssociatedFile[] {
  return (t.tables(id, 'associated_files', (i) => `${t.where} associated file ${i}`) ?? []).map((f) => ({
    // table AssociatedFile { name (0); description (1); type (2); locale (3) }
    name: f.string(0, 'name') ?? '',
    description: f.string(1, 'description'),
    type: enumName(f, 2, ASSOCIATED_FILE_TYPES, 'type'),
    locale: f.string(3, 'locale'),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// The zip appendix (PKWARE APPNOTE.TXT: end of central directory record, central directory file headers,
// local file headers). The metadata populator appends a zip archive after the model FlatBuffer.

export interface PackedFile {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  compressedSize: number;
  /** 0 = stored, 8 = deflate. */
  method: number;
  /** Absolute offset of the file data in the model bytes. */
  dataOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Files packed in the zip archive appended to the model, in central-directory order; [] when the bytes have
 * no zip appendix. A zip appendix whose directory is found but corrupt throws `ModelError`.
 */
export function listAssociatedFiles(modelBytes: Uint8Array): PackedFile[] {
  try {
    return listZip(new ByteReader(modelBytes, 'zip appendix'));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`zip appendix: malformed archive (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The bytes of a stored (uncompressed) packed file, as a view into the model bytes; null if absent. */
export function readAssociatedFile(modelBytes: Uint8Array, name: string): Uint8Array | null {
  const f = listAssociatedFiles(modelBytes).find((x) => x.name === name);
  if (!f) return null;
  if (f.method !== 0) throw new ModelError(`zip appendix: '${name}' is compressed (method ${f.method}); only stored files can be read`);
  return modelBytes.subarray(f.dataOffset, f.dataOffset + f.size);
}

function findEocd(r: ByteReader): number {
  // The record is 22 bytes plus a comment of up to 65535 bytes at the very end of the file.
  const last = r.length - 22;
  const first = Math.max(0, last - 65535);
  for (let p = last; p >= first; p--) {
    if (r.bytes[p] !== 0x50 || r.u32(p, 'end of central directory') !== EOCD_SIGNATURE) continue;
    if (p + 22 + r.u16(p + 20, 'end of central directory') === r.length) return p;
  }
  return -1;
}

function listZip(r: ByteReader): PackedFile[] {
  const eocd = findEocd(r);
  if (eocd < 0) return [];
  const count = r.u16(eocd + 10, 'end of central directory');
  const cdSize = r.u32(eocd + 12, 'end of central directory');
  const cdOffset = r.u32(eocd + 16, 'end of central directory');
  // Offsets may be relative to the archive start rather than the file start (an archive appended to
  // another file); the difference between where the directory is and where it claims to be fixes both.
  const shift = eocd - cdSize - cdOffset;
  const cdStart = cdOffset + shift;
  if (cdStart < 0 || cdOffset === 0xffffffff) return []; // not a (non-ZIP64) archive directory we can read
  if (count > 0 && (cdStart + 4 > r.length || r.u32(cdStart, 'central directory') !== CENTRAL_SIGNATURE)) return [];
  const files: PackedFile[] = [];
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    const where = `central directory entry ${i}`;
    if (r.u32(p, where) !== CENTRAL_SIGNATURE) r.fail(`${where}: bad signature at offset ${p}`);
    const method = r.u16(p + 10, where);
    const compressedSize = r.u32(p + 20, where);
    const size = r.u32(p + 24, where);
    const nameLen = r.u16(p + 28, where);
    const extraLen = r.u16(p + 30, where);
    const commentLen = r.u16(p + 32, where);
    const localOffset = r.u32(p + 42, where) + shift;
    const name = r.text(p + 46, nameLen, where);
    const lwhere = `local header of '${name}'`;
    if (r.u32(localOffset, lwhere) !== LOCAL_SIGNATURE) r.fail(`${lwhere}: bad signature at offset ${localOffset}`);
    const dataOffset = localOffset + 30 + r.u16(localOffset + 26, lwhere) + r.u16(localOffset + 28, lwhere);
    r.check(dataOffset, compressedSize, `data of '${name}'`);
    files.push({ name, size, compressedSize, method, dataOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}
