import type { ArtifactWarning } from '../record/predicate.js';
import type { PickleImport, PickleScan } from './pickle.js';

/**
 * Which pickle imports are safe to load. A pickle names the callables the unpickler imports and
 * calls; anything outside a list of containers for weights can run code when loaded. Names are
 * judged by their exact `module` and `qualname`: a module that is safe says nothing about the
 * attributes reached through it (protocol 4 resolves `torch.nn.modules.module` + `torch.ctypes.CDLL`
 * attribute by attribute), so the deny rules look at every segment of the path first, and the
 * allow rules match the module and the qualname each in full.
 */

export type ImportVerdict = 'safe' | 'unsafe' | 'unknown';

/** Modules (and attributes named like them anywhere in a path) that reach commands, files, code or the network. */
const DENIED_SEGMENTS = new Set([
  'os',
  'posix',
  'nt',
  'subprocess',
  '_posixsubprocess',
  'commands',
  'ctypes',
  '_ctypes',
  'sys',
  'importlib',
  'imp',
  'runpy',
  'shutil',
  'socket',
  '_socket',
  'pty',
  'marshal',
  'dill',
  'cloudpickle',
  'webbrowser',
  'pip',
]);
const BUILTIN_MODULES = new Set(['builtins', '__builtin__', '__builtins__']);
/** Denied at the top or as attributes, not as a module's own segment (numpy.random._pickle is safe). */
const PICKLERS = new Set(['pickle', '_pickle', 'cPickle']);
/** Top-level modules with nothing a weights file needs and much that runs code or touches the system. */
const DENIED_ROOTS = new Set([
  'code',
  'codeop',
  'multiprocessing',
  'concurrent',
  'asyncio',
  'threading',
  '_thread',
  'signal',
  'http',
  'urllib',
  'urllib2',
  'urllib3',
  'requests',
  'httplib',
  'ftplib',
  'telnetlib',
  'smtplib',
  'xmlrpc',
  'socketserver',
  'ssl',
  'select',
  'selectors',
  'tempfile',
  'zipimport',
  'pdb',
  'bdb',
  'trace',
  'timeit',
  'doctest',
  'platform',
  'cProfile',
  'profile',
  'pydoc',
  'pkgutil',
  '_osx_support',
  '_aix_support',
  'setuptools',
  'distutils',
  'ensurepip',
  'venv',
  'idlelib',
  'tarfile',
  'zipfile',
  'fileinput',
  'operator',
  '_operator',
  'linecache',
  'gc',
  'inspect',
  'ast',
]);
/** builtins that evaluate code, reach attributes or open files; the rest of builtins is judged below. */
const DENIED_BUILTINS = new Set([
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
  'reload',
  'exit',
  'quit',
  'memoryview',
]);
const DENIED_NAMES = new Set([
  'functools.partial',
  'functools.reduce',
  'functools.partialmethod',
  'io.open',
  'io.open_code',
  'io.FileIO',
  '_io.open',
  '_io.FileIO',
  'codecs.open',
  'types.CodeType',
  'types.FunctionType',
  'types.LambdaType',
  'types.MethodType',
  'uuid._get_command_stdout',
  'numpy.load',
  'numpy.lib.npyio.load',
  'numpy.testing._private.utils.runstring',
  'numpy.f2py.compile',
  'torch.load',
  'torch.serialization.load',
  'torch.jit.load',
  'torch.jit._serialization.load',
  'torch.fx.graph_module._forward_from_src',
  'torch.fx.graph_module.reduce_graph_module',
  'torch.fx.graph_module.reduce_package_graph_module',
  'torch._inductor.codecache.compile_file',
  'joblib.load',
  'joblib.numpy_pickle.load',
  'pandas.read_pickle',
  'pandas.io.pickle.read_pickle',
  'keras.models.load_model',
]);
/** Module prefixes whose every attribute is refused. */
const DENIED_MODULE_PREFIXES = ['torch.hub', 'torch.package', 'torch.utils.cpp_extension', 'numpy.distutils'];

/** Exact `module.qualname` of callables and types that rebuild weights and plain data, and run nothing else. */
const SAFE_NAMES = new Set([
  'collections.OrderedDict',
  'collections.defaultdict',
  'collections.deque',
  'collections.Counter',
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
  'builtins.object',
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
  '__builtin__.object',
  '__builtin__.xrange',
  'copy_reg._reconstructor',
  'copyreg._reconstructor',
  '_codecs.encode',
  'datetime.datetime',
  'datetime.date',
  'datetime.time',
  'datetime.timedelta',
  'datetime.timezone',
  'decimal.Decimal',
  'fractions.Fraction',
  'uuid.UUID',
  'argparse.Namespace',
  'types.SimpleNamespace',
  'pathlib.Path',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
  'pathlib.PurePosixPath',
  'pathlib.PureWindowsPath',
  'typing.Any',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray._reconstruct',
  'numpy.core.multiarray.scalar',
  'numpy.core.numeric._frombuffer',
  'numpy._core.multiarray._reconstruct',
  'numpy._core.multiarray.scalar',
  'numpy._core.numeric._frombuffer',
  'numpy.ma.core._mareconstruct',
  'numpy.ma.core.MaskedArray',
  'numpy.matrixlib.defmatrix.matrix',
  'numpy.random.mtrand.RandomState',
  'numpy.random.__RandomState_ctor',
  'numpy.random._mt19937.MT19937',
  'numpy.random._pcg64.PCG64',
  'numpy.random._generator.Generator',
  'torch.Size',
  'torch.device',
  'torch.dtype',
  'torch.serialization._get_layout',
  'torch._tensor._rebuild_from_type',
  'torch._tensor._rebuild_from_type_v2',
  'torch.nn.parameter.Parameter',
  'torch.nn.parameter.UninitializedParameter',
  'torch.nn.parameter.Buffer',
  'torch.storage.TypedStorage',
  'torch.storage.UntypedStorage',
  'torch.per_tensor_affine',
  'torch.per_channel_affine',
  'torch.per_tensor_symmetric',
  'torch.per_channel_symmetric',
  'torch.per_channel_affine_float_qparams',
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'joblib.numpy_pickle_compat.NDArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
  'transformers.training_args.TrainingArguments',
  'transformers.training_args_seq2seq.Seq2SeqTrainingArguments',
  'transformers.training_args.OptimizerNames',
  'transformers.trainer_utils.IntervalStrategy',
  'transformers.trainer_utils.SchedulerType',
  'transformers.trainer_utils.HubStrategy',
  'transformers.trainer_utils.SaveStrategy',
  'transformers.trainer_utils.EvaluationStrategy',
  'transformers.trainer_utils.FSDPOption',
  'transformers.debug_utils.DebugOption',
  'accelerate.utils.dataclasses.DistributedType',
  'pytorch_lightning.utilities.parsing.AttributeDict',
  'lightning_fabric.utilities.data.AttributeDict',
  'lightning.fabric.utilities.data.AttributeDict',
  'omegaconf.dictconfig.DictConfig',
  'omegaconf.listconfig.ListConfig',
  'omegaconf.base.ContainerMetadata',
  'omegaconf.base.Metadata',
  'omegaconf.nodes.AnyNode',
]);
/** Functions pandas objects unpickle through (indexes, blocks, timestamps). */
const PANDAS_REBUILDERS = new Set([
  'pandas._libs.internals._unpickle_block',
  'pandas.core.indexes.base._new_Index',
  'pandas._libs.tslibs.timestamps._unpickle_timestamp',
  'pandas._libs.tslibs.timedeltas._timedelta_unpickle',
  'pandas._libs.tslibs.nattype.__nat_unpickle',
  'pandas.core.internals.blocks.new_block',
]);
/** Activation and other pure tensor functions PyTorch modules hold as attributes. */
const TORCH_FUNCTIONS = new Set([
  'relu',
  'relu6',
  'gelu',
  'silu',
  'mish',
  'elu',
  'selu',
  'celu',
  'leaky_relu',
  'hardswish',
  'hardsigmoid',
  'hardtanh',
  'sigmoid',
  'tanh',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'glu',
  'logsigmoid',
  'dropout',
  'layer_norm',
  'linear',
]);
const TORCH_DTYPES =
  /^(?:u?int\d+|float\d+|bfloat16|complex\d+|bool|half|double|float|long|int|short|cfloat|cdouble|chalf|float8_\w+|q(?:u?int)\d+(?:x\d+)?|bits\d+(?:x\d+)?)$/;
const TORCH_LAYOUTS =
  /^(?:strided|sparse_coo|sparse_csr|sparse_csc|sparse_bsr|sparse_bsc|_mkldnn|contiguous_format|channels_last|channels_last_3d|preserve_format)$/;
const NUMPY_SCALARS =
  /^(?:bool_|bool|int8|int16|int32|int64|uint8|uint16|uint32|uint64|intc|uintc|intp|uintp|longlong|ulonglong|float16|float32|float64|float128|longdouble|half|single|double|complex64|complex128|complex256|clongdouble|str_|bytes_|void|datetime64|timedelta64|object_)$/;
/** Lower-case dotted module path: a package's own modules. */
const MODULE_PATH = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*$/;
/** One class name (no attribute path). */
const CLASS_NAME = /^[A-Z][A-Za-z0-9_]*$/;
/** Python identifiers, dotted: anything else cannot be imported, so loading fails before it runs. */
const DOTTED_IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{Nl}_][\p{L}\p{N}_]*)*$/u;

/** Python 2 module names the unpickler maps to their Python 3 homes (Lib/_compat_pickle.py). */
const PYTHON2_MODULES: Record<string, string> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  commands: 'subprocess',
  UserDict: 'collections',
  UserList: 'collections',
  UserString: 'collections',
  urllib2: 'urllib.request',
  SocketServer: 'socketserver',
  httplib: 'http.client',
  exceptions: 'builtins',
};

/** Whether Python could import this at all; a name that is not an identifier path fails to load. */
export function isImportable(module: string, name: string): boolean {
  return DOTTED_IDENTIFIER.test(module) && DOTTED_IDENTIFIER.test(name);
}

export function classifyImport(module: string, name: string): ImportVerdict {
  const moduleParts = module.split('.');
  const nameParts = name.split('.');
  const root = moduleParts[0] as string;
  const full = `${module}.${name}`;
  if (BUILTIN_MODULES.has(root)) return moduleParts.length === 1 ? builtinVerdict(nameParts) : 'unsafe';
  const segments = [...moduleParts, ...nameParts];
  if (segments.some((segment) => DENIED_SEGMENTS.has(segment))) return 'unsafe';
  // Reached as attributes (protocol 4 qualnames), builtins and pickle are as dangerous as at the top.
  if (nameParts.some((part) => BUILTIN_MODULES.has(part) || PICKLERS.has(part))) return 'unsafe';
  const mappedRoot = PYTHON2_MODULES[root] ?? root;
  if (DENIED_ROOTS.has(root) || DENIED_ROOTS.has(mappedRoot) || PICKLERS.has(root)) return 'unsafe';
  // An attribute path through dunders (__globals__, __subclasses__, __init__...) reaches anything.
  if (nameParts.some((part) => /^__.*__$/.test(part))) return 'unsafe';
  if (DENIED_NAMES.has(full)) return 'unsafe';
  if (DENIED_MODULE_PREFIXES.some((prefix) => full.startsWith(`${prefix}.`))) return 'unsafe';
  return isSafe(module, name, full) ? 'safe' : 'unknown';
}

function builtinVerdict(nameParts: string[]): ImportVerdict {
  if (nameParts.length !== 1) return 'unsafe';
  const name = nameParts[0] as string;
  if (DENIED_BUILTINS.has(name)) return 'unsafe';
  return SAFE_NAMES.has(`builtins.${name}`) || SAFE_NAMES.has(`__builtin__.${name}`) ? 'safe' : 'unknown';
}

function isSafe(module: string, name: string, full: string): boolean {
  if (SAFE_NAMES.has(full) || PANDAS_REBUILDERS.has(full)) return true;
  if (!MODULE_PATH.test(module) && !module.startsWith('__torch__')) return false;
  switch (module) {
    case 'torch._utils':
      return /^_rebuild_[a-z0-9_]+$/.test(name);
    case 'torch':
      return /^[A-Za-z0-9]*Storage$/.test(name) || TORCH_DTYPES.test(name) || TORCH_LAYOUTS.test(name);
    case 'torch.nn.functional':
      return TORCH_FUNCTIONS.has(name);
    case 'numpy':
      return NUMPY_SCALARS.test(name);
    case 'torch.jit._pickle':
      // TorchScript's constants.pkl and data.pkl rebuild typed lists with these.
      return /^(?:build_(?:intlist|doublelist|boollist|tensorlist|tensor_from_id)|restore_type_tag)$/.test(
        name,
      );
    case 'numpy.random._pickle':
      return /^__[a-z_]+_ctor$/.test(name);
    case 'numpy.dtypes':
      return /^[A-Za-z0-9]+DType$/.test(name);
  }
  // TorchScript archives name their own classes under __torch__; the TorchScript loader, not Python, resolves them.
  if (module === '__torch__' || module.startsWith('__torch__.'))
    return /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name);
  if (module.startsWith('torch.nn.modules.') || module.startsWith('torch.optim.'))
    return CLASS_NAME.test(name);
  // Estimators, data frames and sparse matrices: classes whose unpickling sets attributes and
  // nothing else. A pickle may call a class with any arguments, so modules that read or write
  // files (io, datasets, testing helpers) stay off the list.
  if (/(?:^|\.)(?:io|datasets|testing|_testing|tests|externals|_build_utils)(?:\.|$)/.test(module))
    return false;
  if (/^sklearn(?:\.|$)/.test(module)) return isSafeSklearn(module, name);
  if (/^(?:xgboost|lightgbm|pandas)(?:\.|$)/.test(module)) return CLASS_NAME.test(name);
  if (/^scipy\.sparse(?:\._?[a-z]+)*$/.test(module))
    return /^(?:csr|csc|coo|bsr|dia|dok|lil)_(?:matrix|array)$/.test(name);
  return false;
}

/**
 * sklearn's estimators, its private helper classes (`_BinMapper`), the `__pyx_unpickle_<Type>`
 * functions Cython writes to rebuild an extension type from its state (a loss, a tree), and the
 * binary trees' `newObj(cls)`, which is `cls.__new__(cls)`: what NEWOBJ does to an imported class,
 * which is judged on its own.
 */
function isSafeSklearn(module: string, name: string): boolean {
  if (/^_?[A-Z][A-Za-z0-9_]*$/.test(name)) return true;
  if (/^__pyx_unpickle_[A-Za-z][A-Za-z0-9_]*$/.test(name)) return true;
  return (
    name === 'newObj' &&
    /^sklearn\.(?:neighbors\._(?:kd_tree|ball_tree|binary_tree)|metrics\._dist_metrics)$/.test(module)
  );
}

export type SafetyVerdict = 'clean' | 'unknown' | 'unsafe' | 'incomplete';

/** What a scan found: names that decide `unsafe`, names off the safe list, and computed names. */
export interface PickleFindings {
  unsafe: string[];
  unknown: string[];
  /** STACK_GLOBAL with computed operands: `unsafe`, since the name cannot be checked. */
  computed: number;
  /** EXT codes (the copyreg extension registry): `unknown`. */
  extensions: number;
  /** Imports whose operands the bounded memo no longer held: the scan is `incomplete`. */
  untracked: number;
}

export function pickleFindings(scan: PickleScan): PickleFindings {
  const findings: PickleFindings = {
    unsafe: [],
    unknown: [],
    computed: scan.unresolved.filter((entry) => entry.opcode === 'STACK_GLOBAL').length,
    extensions: scan.unresolved.filter((entry) => entry.opcode !== 'STACK_GLOBAL').length,
    untracked: scan.untracked,
  };
  for (const entry of scan.imports) {
    const verdict = importVerdict(entry);
    if (verdict === 'unsafe') findings.unsafe.push(`${entry.module}.${entry.name}`);
    else if (verdict === 'unknown') findings.unknown.push(`${entry.module}.${entry.name}`);
  }
  return findings;
}

/** An import's verdict, with `getattr` allowed when every use of it was the Enum idiom. */
export function importVerdict(entry: PickleImport): ImportVerdict {
  const verdict = classifyImport(entry.module, entry.name);
  if (
    verdict === 'unsafe' &&
    entry.name === 'getattr' &&
    (entry.module === 'builtins' || entry.module === '__builtin__') &&
    entry.enumIdiomCalls > 0 &&
    entry.enumIdiomCalls === entry.uses
  )
    return 'safe';
  return verdict;
}

/**
 * Warnings for a scan: PICKLE_UNSAFE_IMPORT for names that run code when loaded (os.system,
 * builtins.eval...), PICKLE_UNKNOWN_IMPORT for names outside the safe list, and
 * PICKLE_UNRESOLVED_IMPORT for imports whose name is computed. One warning per distinct name;
 * `where` names the file (and the pickle inside an archive).
 */
export function pickleWarnings(scan: PickleScan, where: string): ArtifactWarning[] {
  const warnings: ArtifactWarning[] = [];
  for (const entry of scan.imports) {
    const verdict = importVerdict(entry);
    if (verdict === 'safe') continue;
    const full = `${entry.module}.${entry.name}`;
    const how = `${entry.opcode} at byte ${entry.offset}${entry.called ? ', then called' : ''}`;
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
    warnings.push(
      entry.opcode === 'STACK_GLOBAL'
        ? {
            code: 'PICKLE_UNRESOLVED_IMPORT',
            message: `${where}: STACK_GLOBAL at byte ${entry.offset} imports a name computed at load time, which cannot be checked without running the pickle — treated as unsafe`,
          }
        : {
            code: 'PICKLE_UNKNOWN_IMPORT',
            message: `${where}: ${entry.opcode} at byte ${entry.offset} imports a name from the copyreg extension registry, which the file does not name`,
          },
    );
  }
  return warnings;
}

/** Distinct imports, sorted, for the record's metadata. */
export function importNames(scan: PickleScan): string[] {
  return [...new Set(scan.imports.map((entry) => `${entry.module}.${entry.name}`))].sort();
}
