import type { JsonObject } from '../record/predicate.js';
import { Cursor, formatFailure, type ByteSource, type Failure } from './reader.js';
import type { FormatInfo } from './types.js';

/**
 * ONNX: a protobuf `ModelProto`. A minimal protobuf reader walks the top-level fields and those of
 * the graph, skipping every length-delimited field it does not need (the initializers' data, i.e.
 * the weights) by seeking over it, so only the small fields are read.
 *
 * ModelProto fields read: 1 ir_version, 2 producer_name, 3 producer_version, 4 domain,
 * 5 model_version, 6 doc_string, 7 graph, 8 opset_import, 14 metadata_props, 25 functions.
 * GraphProto fields counted: 1 node, 2 name, 5 initializer, 11 input, 12 output, 15 sparse_initializer.
 * TensorProto fields read: 1 dims, 14 data_location; SparseTensorProto: 3 dims.
 *
 * `parameters` is the elements of the main graph's initializers (the product of each one's dims,
 * whether its data is in the file or external), sparse initializers by their dense shape as
 * numel() counts them. Constants inside nodes and subgraphs are not counted.
 */

const FIX =
  'the file is not a valid ONNX model; re-export it (torch.onnx.export, onnx.save) or check the download';
const MAX_TEXT = 64 * 1024;
const MAX_DOC = 4 * 1024;
const MAX_FIELDS = 5_000_000;
const MAX_METADATA_PROPS = 10_000;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const DATA_LOCATION_EXTERNAL = 1n;

class ProtoReader {
  private seen = 0;
  constructor(
    readonly cursor: Cursor,
    readonly fail: Failure,
  ) {}

  async varint(what: string): Promise<bigint> {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = await this.cursor.u8(what);
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw this.fail(`a varint longer than 10 bytes at byte ${this.cursor.position}`, what);
  }

  /** Calls `onField` for each field in [position, end); it must consume LEN payloads itself. */
  async fields(
    end: number,
    what: string,
    onField: (field: number, wire: number, end: number) => Promise<boolean>,
  ): Promise<void> {
    while (this.cursor.position < end) {
      if (++this.seen > MAX_FIELDS) throw this.fail(`more than ${MAX_FIELDS} protobuf fields`, what);
      const tag = await this.varint(`${what} field tag`);
      const field = Number(tag >> 3n);
      const wire = Number(tag & 7n);
      if (field === 0) throw this.fail(`field number 0 at byte ${this.cursor.position}`, what);
      if (!(await onField(field, wire, end))) await this.skip(wire, end, `${what} field ${field}`);
      if (this.cursor.position > end) throw this.fail(`a field runs past the end of its message`, what);
    }
  }

  async skip(wire: number, end: number, what: string): Promise<void> {
    switch (wire) {
      case WIRE_VARINT:
        await this.varint(what);
        return;
      case WIRE_FIXED64:
        await this.cursor.skip(8, what);
        return;
      case WIRE_LEN:
        await this.cursor.skip(await this.length(end, what), what);
        return;
      case WIRE_FIXED32:
        await this.cursor.skip(4, what);
        return;
      default:
        throw this.fail(`unsupported protobuf wire type ${wire}`, what);
    }
  }

  /** A LEN payload's length, checked against the enclosing message. */
  async length(end: number, what: string): Promise<number> {
    const length = await this.varint(`${what} length`);
    if (length > BigInt(end - this.cursor.position)) {
      throw this.fail(`length ${length} runs past the end of its message (truncated or corrupt)`, what);
    }
    return Number(length);
  }

  async text(end: number, what: string, keep: number): Promise<string> {
    const length = await this.length(end, what);
    if (length > keep) {
      const head = (await this.cursor.bytes(keep, what)).toString('utf8');
      await this.cursor.skip(length - keep, what);
      return `${head}…`;
    }
    return (await this.cursor.bytes(length, what)).toString('utf8');
  }

  expect(wire: number, wanted: number, what: string): void {
    if (wire !== wanted) throw this.fail(`has protobuf wire type ${wire}, expected ${wanted}`, what);
  }
}

function integer(value: bigint): number | string {
  // int64 fields arrive as two's complement in 64 bits.
  const signed = BigInt.asIntN(64, value);
  return signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(signed)
    : signed.toString();
}

export async function readOnnx(source: ByteSource, display: string): Promise<FormatInfo> {
  const fail = formatFailure(display, FIX);
  if (source.size === 0) throw fail('the file is empty', 'ModelProto');
  const cursor = new Cursor(source, 0, source.size, fail);
  const proto = new ProtoReader(cursor, fail);
  const metadata: JsonObject = {};
  const opsets: JsonObject = {};
  const props: [string, string][] = [];
  let functions = 0;
  let graph: Graph | undefined;

  await proto.fields(source.size, 'ModelProto', async (field, wire, end) => {
    switch (field) {
      case 1:
      case 5: {
        proto.expect(wire, WIRE_VARINT, field === 1 ? 'ir_version' : 'model_version');
        metadata[field === 1 ? 'irVersion' : 'modelVersion'] = integer(await proto.varint('ir_version'));
        return true;
      }
      case 2:
      case 3:
      case 4:
      case 6: {
        const name = ({ 2: 'producerName', 3: 'producerVersion', 4: 'domain', 6: 'docString' } as const)[
          field
        ];
        proto.expect(wire, WIRE_LEN, name);
        metadata[name] = await proto.text(end, name, field === 6 ? MAX_DOC : MAX_TEXT);
        return true;
      }
      case 7: {
        proto.expect(wire, WIRE_LEN, 'graph');
        const length = await proto.length(end, 'graph');
        graph = await readGraph(proto, cursor.position + length);
        return true;
      }
      case 8: {
        proto.expect(wire, WIRE_LEN, 'opset_import');
        const length = await proto.length(end, 'opset_import');
        const [domain, version] = await readOpset(proto, cursor.position + length);
        Object.defineProperty(opsets, domain === '' ? 'ai.onnx' : domain, {
          value: version,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return true;
      }
      case 14: {
        proto.expect(wire, WIRE_LEN, 'metadata_props');
        if (props.length >= MAX_METADATA_PROPS)
          throw fail(`more than ${MAX_METADATA_PROPS} entries`, 'metadata_props');
        const length = await proto.length(end, 'metadata_props');
        props.push(await readEntry(proto, cursor.position + length));
        return true;
      }
      case 25:
        proto.expect(wire, WIRE_LEN, 'functions');
        functions++;
        return false;
      default:
        return false;
    }
  });

  if (metadata['irVersion'] === undefined) {
    throw fail('has no ir_version: this is not an ONNX ModelProto', 'ir_version');
  }
  metadata['opsets'] = opsets;
  if (props.length > 0) metadata['metadataProps'] = Object.fromEntries(props);
  if (graph) {
    metadata['graph'] = graph.counts;
    const { parameters } = graph;
    metadata['parameters'] =
      parameters <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parameters) : parameters.toString();
  }
  if (functions > 0) metadata['functions'] = functions;
  return { format: 'onnx', metadata, warnings: [] };
}

interface Graph {
  counts: JsonObject;
  parameters: bigint;
}

async function readGraph(proto: ProtoReader, end: number): Promise<Graph> {
  const counts = { nodes: 0, initializers: 0, inputs: 0, outputs: 0 };
  let sparse = 0;
  let external = 0;
  let parameters = 0n;
  let name: string | undefined;
  await proto.fields(end, 'graph', async (field, wire, messageEnd) => {
    if (field === 2) {
      proto.expect(wire, WIRE_LEN, 'graph.name');
      name = await proto.text(messageEnd, 'graph.name', MAX_TEXT);
      return true;
    }
    if (field === 5 || field === 15) {
      const what =
        field === 5 ? `graph.initializer[${counts.initializers}]` : `graph.sparse_initializer[${sparse}]`;
      proto.expect(wire, WIRE_LEN, what);
      const length = await proto.length(messageEnd, what);
      const tensor = await readTensorShape(proto, proto.cursor.position + length, field === 5 ? 1 : 3, what);
      parameters += tensor.elements;
      if (tensor.external) external++;
      if (field === 5) counts.initializers++;
      else sparse++;
      return true;
    }
    const counted = ({ 1: 'nodes', 11: 'inputs', 12: 'outputs' } as const)[field as 1 | 11 | 12];
    if (counted) counts[counted]++;
    return false;
  });
  return {
    counts: {
      ...(name === undefined ? {} : { name }),
      ...counts,
      ...(sparse > 0 ? { sparseInitializers: sparse } : {}),
      ...(external > 0 ? { externalInitializers: external } : {}),
    },
    parameters,
  };
}

/**
 * The element count of a TensorProto (dims at field 1) or SparseTensorProto (dense dims at field
 * 3), and whether its data lives in another file; everything else, the data above all, is skipped.
 */
async function readTensorShape(
  proto: ProtoReader,
  end: number,
  dimsField: number,
  what: string,
): Promise<{ elements: bigint; external: boolean }> {
  let elements = 1n;
  let external = false;
  const dim = (value: bigint): void => {
    const signed = BigInt.asIntN(64, value);
    if (signed < 0n) throw proto.fail(`has a negative dimension ${signed}`, `${what}.dims`);
    elements *= signed;
  };
  await proto.fields(end, what, async (field, wire, messageEnd) => {
    if (field === dimsField && wire === WIRE_VARINT) {
      dim(await proto.varint(`${what}.dims`));
      return true;
    }
    if (field === dimsField) {
      // proto3 writers may pack repeated int64s into one length-delimited field.
      proto.expect(wire, WIRE_LEN, `${what}.dims`);
      const length = await proto.length(messageEnd, `${what}.dims`);
      const packedEnd = proto.cursor.position + length;
      while (proto.cursor.position < packedEnd) dim(await proto.varint(`${what}.dims`));
      if (proto.cursor.position !== packedEnd)
        throw proto.fail('a packed varint runs past its field', `${what}.dims`);
      return true;
    }
    if (dimsField === 1 && field === 14 && wire === WIRE_VARINT) {
      external = (await proto.varint(`${what}.data_location`)) === DATA_LOCATION_EXTERNAL;
      return true;
    }
    return false;
  });
  return { elements, external };
}

async function readOpset(proto: ProtoReader, end: number): Promise<[string, number | string]> {
  let domain = '';
  let version: number | string = 0;
  await proto.fields(end, 'opset_import', async (field, wire, messageEnd) => {
    if (field === 1) {
      proto.expect(wire, WIRE_LEN, 'opset_import.domain');
      domain = await proto.text(messageEnd, 'opset_import.domain', MAX_TEXT);
      return true;
    }
    if (field === 2) {
      proto.expect(wire, WIRE_VARINT, 'opset_import.version');
      version = integer(await proto.varint('opset_import.version'));
      return true;
    }
    return false;
  });
  return [domain, version];
}

async function readEntry(proto: ProtoReader, end: number): Promise<[string, string]> {
  let key = '';
  let value = '';
  await proto.fields(end, 'metadata_props', async (field, wire, messageEnd) => {
    if (field === 1 || field === 2) {
      proto.expect(wire, WIRE_LEN, field === 1 ? 'metadata_props.key' : 'metadata_props.value');
      const text = await proto.text(messageEnd, 'metadata_props', MAX_TEXT);
      if (field === 1) key = text;
      else value = text;
      return true;
    }
    return false;
  });
  return [key, value];
}
