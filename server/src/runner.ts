import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver';

/**
 * Runs a request handler so that one bad document never takes the server
 * down: errors are logged and answered with a default, and work for a
 * cancelled request is answered with RequestCancelled.
 */
export function runSafe<T>(connection: Connection, name: string, token: CancellationToken | undefined, fallback: T, work: () => T): T | ResponseError<void> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = work();
    if (token?.isCancellationRequested) return cancelled();
    return result;
  } catch (error) {
    connection.console.error(`${name} failed: ${formatError(error)}`);
    return fallback;
  }
}

export async function runSafeAsync<T>(connection: Connection, name: string, token: CancellationToken | undefined, fallback: T, work: () => Promise<T>): Promise<T | ResponseError<void>> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = await work();
    if (token?.isCancellationRequested) return cancelled();
    return result;
  } catch (error) {
    connection.console.error(`${name} failed: ${formatError(error)}`);
    return fallback;
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export function formatError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
