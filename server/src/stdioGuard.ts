import { Transform, type TransformCallback } from 'node:stream';

/**
 * Checks the framing of LSP messages on stdio before vscode-jsonrpc reads
 * them. Its reader waits forever for the body of a message whose
 * `Content-Length` is negative, missing or enormous: the connection wedges and
 * nothing says why. Here such a header ends the connection with a reason.
 */

/** Bodies above this are refused: more than any document we would check (see contracts.maxFileSizeKB). */
export const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
/** A header block longer than this is not LSP. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

export class FramingError extends Error {}

/** Passes bytes through unchanged while they frame valid messages; fails on the first bad header. */
export class ContentLengthGuard extends Transform {
  private header = Buffer.alloc(0);
  /** Body bytes still to pass through before the next header. */
  private bodyLeft = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.bodyLeft > 0) {
          const take = Math.min(this.bodyLeft, chunk.length - at);
          this.bodyLeft -= take;
          at += take;
          continue;
        }
        // Reading a header: look for its end in what we have so far.
        const before = this.header.length;
        this.header = Buffer.concat([this.header, chunk.subarray(at)]);
        const end = this.header.indexOf(HEADER_END);
        if (end < 0) {
          if (this.header.length > MAX_HEADER_BYTES) throw new FramingError(`a message header longer than ${MAX_HEADER_BYTES} bytes`);
          at = chunk.length;
          break;
        }
        this.bodyLeft = contentLength(this.header.subarray(0, end).toString('ascii'));
        at += end + HEADER_END.length - before;
        this.header = Buffer.alloc(0);
      }
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }
}

/** The `Content-Length` of a header block, or a FramingError saying what is wrong with it. */
export function contentLength(block: string): number {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new FramingError(`a header line without ":" (${JSON.stringify(line.slice(0, 40))})`);
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,12}$/.test(value)) throw new FramingError(`Content-Length ${JSON.stringify(value.slice(0, 40))} is not a byte count`);
    length = Number(value);
  }
  if (length === undefined) throw new FramingError('a message header without Content-Length');
  if (length > MAX_MESSAGE_BYTES) throw new FramingError(`Content-Length ${length} is over the ${MAX_MESSAGE_BYTES}-byte limit`);
  return length;
}
