/** Public API of the TFLite schema layer: model reader/writer, metadata reader/writer, types and enums. */
export { readModel, isTfliteModel, SCHEMA_VERSION, TFLITE_IDENTIFIER } from './model_reader.js';
export { writeModel } from './model_writer.js';
export {
  readMetadata, readModelMetadata, listAssociatedFiles, readAssociatedFile, METADATA_BUFFER_NAME, METADATA_IDENTIFIER,
} from './metadata_reader.js';
export type {
  ModelMetadata, ModelMetadataWithFiles, SubGraphMetadata, TensorMetadata, TensorGroup, Content, ContentProperties,
  ProcessUnit, Stats, AssociatedFile, AssociatedFileType, ColorSpace, ImageSize, PackedFile,
} from './metadata_reader.js';
export { writeMetadata, withMetadata, packAssociatedFiles } from './metadata_writer.js';
export * from './enums.js';
export type * from './types.js';
export type * from './builtin_options.js';
export { ModelBuilder, constantBytes, type TensorInit } from './model_builder.js';
