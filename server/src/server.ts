import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from './startServer';
import { ContentLengthGuard } from './stdioGuard';

// `node dist/server.js --stdio` (or the IPC transport the client picks). The analysis pool's
// workers run this bundle too, and serve analyses (analysisPool.ts): only the main thread talks LSP.
if (isMainThread && process.argv.includes('--stdio')) {
  // A bad Content-Length would wedge the reader for ever: answer with a parse error and close instead.
  const guard = new ContentLengthGuard();
  guard.on('error', (error) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Closing the connection: ${error.message}.` } });
    process.stderr.write(`contracts language server: ${error.message}; closing the connection.\n`);
    process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, () => process.exit(1));
  });
  process.stdin.pipe(guard);
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(guard), new StreamMessageWriter(process.stdout)));
} else if (isMainThread) {
  startServer(createConnection(ProposedFeatures.all));
}
