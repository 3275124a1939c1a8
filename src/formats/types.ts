import type { ArtifactWarning, JsonObject } from '../record/predicate.js';

/** What a model file's bytes say about it: its format, header metadata, and anything alarming. */
export interface FormatInfo {
  /** `safetensors`, `gguf`, `onnx`, `pytorch`, `torchscript`, `pickle`, `pytorch-legacy`, `zip`, `keras`, `hdf5`. */
  format: string;
  metadata: JsonObject;
  warnings: ArtifactWarning[];
}
