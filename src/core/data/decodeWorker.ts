// Entry of a decode worker thread: decodes the image files it is sent and posts the packed pixels
// back (transferred, not copied). Bundled on its own as dist/decodeWorker.js.
import { parentPort } from 'node:worker_threads';
import type { ImageShape } from '../runSpec';
import { decodeImageFiles, type DecodeFailure } from './decodeImageFiles';

export interface DecodeRequest {
  id: number;
  paths: string[];
  shape: ImageShape;
}

export interface DecodeReply {
  id: number;
  /** Packed [paths.length, ...shape] uint8. */
  pixels: Uint8Array;
  failures: DecodeFailure[];
}

const port = parentPort;
if (port) {
  port.on('message', async (request: DecodeRequest) => {
    const { pixels, failures } = await decodeImageFiles(request.paths, request.shape);
    const reply: DecodeReply = { id: request.id, pixels, failures };
    port.postMessage(reply, [pixels.buffer as ArrayBuffer]);
  });
}
