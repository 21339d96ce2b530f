/**
 * Registration of the ops TensorFlow emits around dilated convolutions with dynamic shapes
 * (SHAPE → STRIDED_SLICE → PACK → FLOOR_MOD … → SPACE_TO_BATCH_ND → CONV_2D → BATCH_TO_SPACE_ND).
 */
import { BuiltinOperator, TensorType } from '../schema/enums.js';
import { floorMod } from './floor_mod.js';
import { pack } from './pack.js';
import type { KernelSpec } from './registry.js';
import { batchToSpaceNd, spaceToBatchNd } from './space_to_batch_nd.js';

export const FLOAT_SHAPE_KERNELS: KernelSpec[] = [
  // Later versions add input types; other types are refused by type at prepare.
  { op: BuiltinOperator.FLOOR_MOD, maxVersion: 2, types: [TensorType.FLOAT32, TensorType.INT32], kernel: floorMod },
  // Versions differ only in the input types they allow; data movement is the same for every type.
  { op: BuiltinOperator.PACK, maxVersion: 4, types: [], kernel: pack },
  { op: BuiltinOperator.SPACE_TO_BATCH_ND, maxVersion: 4, types: [], kernel: spaceToBatchNd },
  { op: BuiltinOperator.BATCH_TO_SPACE_ND, maxVersion: 4, types: [], kernel: batchToSpaceNd },
];
