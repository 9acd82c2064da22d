// Parses one IDX file (the MNIST container: 2 zero bytes, a type byte, a dimension count, big-endian
// uint32 dimensions, then the data), gunzipping it first when it is gzip-compressed.
import { readFile } from 'node:fs/promises';
import { constants, gunzip, gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { DatasetError } from './dataset';
import { readFileStart } from './readFileStart';
import { errorMessage } from '../errorMessage';

const gunzipAsync = promisify(gunzip);

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double',
};
const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  dims: number[];
  /** The uint8 values, row-major (a view into the file's bytes). */
  data: Uint8Array;
}

/** Reads an IDX file of unsigned bytes with `allowedRanks` dimensions; every problem is a DatasetError naming the file. */
export async function readIdxFile(file: string, allowedRanks: readonly number[]): Promise<IdxArray> {
  let bytes: Uint8Array = await readFile(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new DatasetError(`${file} is a damaged gzip file (${errorMessage(error)}).`);
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(`${file} is not an IDX file (it does not start with the IDX magic number).`);
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[type];
    throw new DatasetError(
      `${file} holds ${name ? `${name} values` : `an unknown data type (0x${type.toString(16)})`}; only unsigned bytes are supported.`,
    );
  }
  const rank = bytes[3];
  if (!allowedRanks.includes(rank)) {
    throw new DatasetError(`${file} has ${rank} dimensions; expected ${allowedRanks.join(' or ')}.`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DatasetError(`${file} is truncated (its header is incomplete).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
  const expected = headerBytes + dims.reduce((n, d) => n * d, 1);
  if (bytes.length !== expected) {
    throw new DatasetError(
      `${file} is ${bytes.length < expected ? 'truncated' : 'longer than its header says'}: ` +
      `dimensions ${dims.join(' x ')} need ${expected} bytes, the file has ${bytes.length}.`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** The dimensions in an IDX file's header, reading (and gunzipping) only its first bytes. */
export async function readIdxDims(file: string): Promise<number[]> {
  let head = await readFileStart(file, 1024);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // A sync flush decompresses what the partial stream holds instead of failing at its cut end.
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new DatasetError(`${file} is a damaged gzip file (${errorMessage(error)}).`);
    }
  }
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) {
    throw new DatasetError(`${file} is not an IDX file (it does not start with the IDX magic number).`);
  }
  const rank = head[3];
  if (head.length < 4 + 4 * rank) throw new DatasetError(`${file} is truncated (its header is incomplete).`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
}
