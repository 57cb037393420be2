import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

// `node dist/server.js --stdio` (or the IPC transport the client picks).
startServer(createConnection(ProposedFeatures.all));
