import { stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative as relativePath, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { readBoundedFile } from '../fs/bounded.js';
import { parseStructuredObject } from '../formats/structured.js';
import { buildManifest, sha256Hex } from '../hash/index.js';
import type { TrainingSection } from '../record/predicate.js';
import { isMlflowRun, readMlflowRun, readMlmodel } from './mlflow.js';
import type { Collector, CollectContext } from './types.js';

export interface TrainingOptions {
  /**
   * `--training`: a JSON or YAML file (seeds, hyper-parameters, sample sizes, metrics, times,
   * entry point — any keys), an MLflow `MLmodel` file or model folder, or an MLflow run folder
   * (`meta.yaml`, `params/`, `metrics/`, `tags/`). Relative to the repository root.
   */
  path: string;
}

/** Training descriptions are small; anything bigger is not one. */
const MAX_TRAINING_FILE = 16 * 1024 * 1024;

/**
 * How the model was trained, recorded as given: values typed as written (numbers stay numbers,
 * strings stay strings), unknown keys kept. `sourceSha256` is the file's SHA-256; for an MLflow
 * run folder, the digest of the manifest (`<sha256>  <path>` lines) of the files read.
 */
export class TrainingCollector implements Collector<'training'> {
  readonly section = 'training';
  constructor(private readonly options: TrainingOptions) {}

  async collect(context: CollectContext): Promise<TrainingSection | null> {
    const given = this.options.path.replace(/^\.\//, '').replace(/\/+$/, '');
    if (given === '') return null;
    const absolute = isAbsolute(given) ? given : join(context.cwd, given);
    const inside = relativePath(context.cwd, absolute);
    const source =
      inside === '' || inside.startsWith('..') || isAbsolute(inside) ? given : inside.split(sep).join('/');

    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      const missing = errnoCode(error) === 'ENOENT';
      throw new LedgerError(
        'BAD_INPUT',
        missing ? 'training file not found' : `cannot read (${describeError(error)})`,
        {
          file: source,
          field: 'training',
          cause: error,
          fix: missing ? 'check the path, relative to the repository root' : 'check the permissions',
        },
      );
    }

    if (!info.isFile() && !info.isDirectory()) {
      // A FIFO would block the run forever, a device never end.
      throw new LedgerError('BAD_INPUT', 'is not a regular file or a folder', {
        file: source,
        field: 'training',
        fix: 'name a JSON or YAML file, an MLmodel file or an MLflow run folder',
      });
    }
    let section: TrainingSection;
    let notes: string[];
    if (info.isDirectory()) {
      ({ section, notes } = await readFolder(absolute, source));
    } else if (basename(absolute) === 'meta.yaml' && (await isMlflowRun(dirname(absolute)))) {
      const folder = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : '.';
      ({ section, notes } = await readFolder(dirname(absolute), folder));
    } else {
      ({ section, notes } = await readTrainingFile(absolute, source, info.size));
    }
    notes.forEach((note) => context.note(`training: ${note}`));
    context.log.info(`training: ${section.sourceKind} ${section.source}`);
    return section;
  }
}

async function readFolder(
  absolute: string,
  source: string,
): Promise<{ section: TrainingSection; notes: string[] }> {
  if (await isMlflowRun(absolute)) {
    const read = await readMlflowRun(absolute, source);
    const manifest = buildManifest(read.files);
    return {
      section: { source, sourceSha256: manifest.digest, sourceKind: 'mlflow-run', run: read.run },
      notes: read.notes,
    };
  }
  let hasModel = false;
  try {
    hasModel = (await stat(join(absolute, 'MLmodel'))).isFile();
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT')
      throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
        file: `${source}/MLmodel`,
        cause: error,
      });
  }
  if (!hasModel) {
    throw new LedgerError(
      'BAD_INPUT',
      'is a directory but neither an MLflow run folder (meta.yaml) nor an MLflow model (MLmodel)',
      {
        file: source,
        field: 'training',
        fix: 'name a JSON or YAML file, an MLflow run folder (mlruns/<experiment>/<run>) or an MLflow model folder',
      },
    );
  }
  const model = await readMlmodel(join(absolute, 'MLmodel'), `${source}/MLmodel`);
  return {
    section: {
      source: `${source}/MLmodel`,
      sourceSha256: sha256Hex(model.text),
      sourceKind: 'mlflow-model',
      run: model.value,
    },
    notes: model.notes,
  };
}

async function readTrainingFile(
  absolute: string,
  source: string,
  size: number,
): Promise<{ section: TrainingSection; notes: string[] }> {
  if (size > MAX_TRAINING_FILE) {
    throw new LedgerError('BAD_INPUT', `is ${size} bytes; a training description should be far smaller`, {
      file: source,
      field: 'training',
      fix: 'record the run parameters and metrics, not the data',
    });
  }
  if (basename(absolute) === 'MLmodel') {
    const model = await readMlmodel(absolute, source);
    return {
      section: { source, sourceSha256: sha256Hex(model.text), sourceKind: 'mlflow-model', run: model.value },
      notes: model.notes,
    };
  }
  const extension = extname(absolute).toLowerCase();
  const kind = extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : null;
  if (!kind) {
    throw new LedgerError(
      'BAD_INPUT',
      `has the extension "${extension}"; model-ledger reads .json, .yaml and .yml training files`,
      {
        file: source,
        field: 'training',
        fix: 'rename the file, or name an MLflow run folder or MLmodel file',
      },
    );
  }
  const bytes = await readBoundedFile(absolute, MAX_TRAINING_FILE, source, { field: 'training' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new LedgerError('BAD_INPUT', 'is not UTF-8 text', {
      file: source,
      field: 'training',
      cause: error,
      fix: 'save the file as UTF-8',
    });
  }
  const { value, notes } = parseStructuredObject(text, kind, source);
  return { section: { source, sourceSha256: sha256Hex(bytes), sourceKind: kind, run: value }, notes };
}
