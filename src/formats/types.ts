import type { ArtifactWarning, JsonObject, ModelSafety } from '../record/predicate.js';

/** What a model file's bytes say about it: its format, header metadata, and anything alarming. */
export interface FormatInfo {
  /** `safetensors`, `gguf`, `onnx`, `pytorch`, `torchscript`, `pickle`, `pytorch-legacy`, `pytorch-legacy-tar`, `tar`, `zip`, `npz`, `npy`, `keras`, `hdf5`, `gzip`, `zlib`, `bzip2`, `xz`, `lz4`, `zstd`, `lzma`, or `raw` (not a format model-ledger reads). */
  format: string;
  metadata: JsonObject;
  warnings: ArtifactWarning[];
  /** The safety scan's verdict (see ModelSafety). */
  safety?: ModelSafety;
}
