import type { ArtifactWarning } from '../record/predicate.js';
import type { PickleImport, PickleScan } from './pickle.js';

/**
 * Which pickle imports are safe to load. A pickle names the callables the unpickler imports and
 * calls; anything outside a short list of containers for weights can run code when loaded.
 */

/** Imports the PyTorch, NumPy and plain-Python containers of weights need, and nothing that runs code. */
const SAFE_IMPORTS = new Set([
  'collections.OrderedDict',
  'collections.defaultdict',
  'collections.deque',
  'builtins.set',
  'builtins.frozenset',
  'builtins.list',
  'builtins.dict',
  'builtins.tuple',
  'builtins.slice',
  'builtins.range',
  'builtins.complex',
  'builtins.bytearray',
  'builtins.bytes',
  'builtins.int',
  'builtins.float',
  'builtins.str',
  'builtins.bool',
  '__builtin__.set',
  '__builtin__.frozenset',
  '__builtin__.list',
  '__builtin__.dict',
  '__builtin__.tuple',
  '__builtin__.slice',
  '__builtin__.complex',
  '__builtin__.bytearray',
  '__builtin__.int',
  '__builtin__.float',
  '__builtin__.long',
  '__builtin__.unicode',
  '__builtin__.str',
  '__builtin__.bool',
  'copy_reg._reconstructor',
  'copyreg._reconstructor',
  '_codecs.encode',
  'datetime.datetime',
  'datetime.date',
  'datetime.time',
  'datetime.timedelta',
  'datetime.timezone',
  'decimal.Decimal',
  'uuid.UUID',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray._reconstruct',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray._reconstruct',
  'numpy._core.multiarray.scalar',
  'torch.Size',
  'torch.device',
  'torch.serialization._get_layout',
  'torch._tensor._rebuild_from_type',
  'torch._tensor._rebuild_from_type_v2',
  'torch.nn.parameter.Parameter',
]);
const SAFE_PATTERNS = [
  /^torch\._utils\._rebuild_[a-z0-9_]+$/,
  /^torch\.[A-Za-z0-9]*Storage$/,
  /^torch\.(?:u?int\d+|float\d+|bfloat16|complex\d+|bool|half|double|long|short|cfloat|cdouble|float8_\w+|q(?:u?int)\d+(?:x\d+)?)$/,
  /^torch\.(?:strided|sparse_coo|sparse_csr|sparse_csc|sparse_bsr|sparse_bsc|_mkldnn|contiguous_format|channels_last|preserve_format)$/,
  /^torch\.nn\.modules\.[a-z0-9_.]+\.[A-Z][A-Za-z0-9]*$/,
  /^numpy\.dtypes\.[A-Za-z0-9]+DType$/,
];

/** Modules and names that can run commands, open files or sockets, or evaluate code. */
const UNSAFE_MODULES = new Set([
  'os',
  'posix',
  'nt',
  'subprocess',
  'socket',
  'runpy',
  'sys',
  'shutil',
  'importlib',
  'pickle',
  '_pickle',
  'cPickle',
  'marshal',
  'ctypes',
  'pty',
  'commands',
  'webbrowser',
  'code',
  'codeop',
  'multiprocessing',
  'asyncio',
  'http',
  'urllib',
  'urllib2',
  'requests',
  'httplib',
  'ftplib',
  'telnetlib',
  'smtplib',
  'signal',
  'tempfile',
  'zipimport',
  'pdb',
  'timeit',
  'platform',
  'threading',
  '_thread',
  'dill',
  'cloudpickle',
  '_posixsubprocess',
]);
const UNSAFE_BUILTINS = new Set([
  'eval',
  'exec',
  'execfile',
  'compile',
  'open',
  'file',
  '__import__',
  'getattr',
  'setattr',
  'delattr',
  'globals',
  'locals',
  'vars',
  'input',
  'raw_input',
  'breakpoint',
  'apply',
  'help',
  'memoryview',
  'reload',
]);
const UNSAFE_NAMES = new Set([
  'operator.attrgetter',
  'operator.methodcaller',
  'io.open',
  'io.open_code',
  'io.FileIO',
  'torch.load',
  'numpy.load',
  'numpy.testing._private.utils.runstring',
]);

export type ImportVerdict = 'safe' | 'unsafe' | 'unknown';

export function classifyImport(module: string, name: string): ImportVerdict {
  const full = `${module}.${name}`;
  if (SAFE_IMPORTS.has(full) || SAFE_PATTERNS.some((pattern) => pattern.test(full))) return 'safe';
  const root = module.split('.')[0] as string;
  if (UNSAFE_MODULES.has(root) || UNSAFE_NAMES.has(full)) return 'unsafe';
  if (
    (module === 'builtins' || module === '__builtin__' || module === '__builtins__') &&
    UNSAFE_BUILTINS.has(name)
  )
    return 'unsafe';
  return 'unknown';
}

/**
 * Warnings for a scan: PICKLE_UNSAFE_IMPORT for names that run code when loaded (os.system,
 * builtins.eval...), PICKLE_UNKNOWN_IMPORT for names outside the safe list, and
 * PICKLE_UNRESOLVED_IMPORT for imports whose name is computed. One warning per distinct name;
 * `where` names the file (and the pickle inside an archive).
 */
export function pickleWarnings(scan: PickleScan, where: string): ArtifactWarning[] {
  const warnings: ArtifactWarning[] = [];
  const seen = new Map<string, PickleImport & { calls: boolean }>();
  for (const entry of scan.imports) {
    const full = `${entry.module}.${entry.name}`;
    const known = seen.get(full);
    if (known) known.calls ||= entry.called;
    else seen.set(full, { ...entry, calls: entry.called });
  }
  for (const [full, entry] of seen) {
    const verdict = classifyImport(entry.module, entry.name);
    if (verdict === 'safe') continue;
    const how = `${entry.opcode} at byte ${entry.offset}${entry.calls ? ', then called' : ''}`;
    warnings.push(
      verdict === 'unsafe'
        ? {
            code: 'PICKLE_UNSAFE_IMPORT',
            message: `${where}: imports ${full} (${how}); loading this file with pickle or torch.load can run arbitrary code — do not load it, or convert the model to safetensors`,
          }
        : {
            code: 'PICKLE_UNKNOWN_IMPORT',
            message: `${where}: imports ${full} (${how}), which is not on model-ledger's list of safe imports; loading this file runs that code`,
          },
    );
  }
  for (const entry of scan.unresolved) {
    warnings.push({
      code: 'PICKLE_UNRESOLVED_IMPORT',
      message: `${where}: ${entry.opcode} at byte ${entry.offset} imports a name computed at load time, which cannot be checked without running the pickle`,
    });
  }
  return warnings;
}

/** Distinct imports, sorted, for the record's metadata. */
export function importNames(scan: PickleScan): string[] {
  return [...new Set(scan.imports.map((entry) => `${entry.module}.${entry.name}`))].sort();
}
