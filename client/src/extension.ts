import type * as vscode from 'vscode';
import { registerLanguageModelTools, type LanguageModelTools } from './agents/lmTools';
import { BoardPanels } from './board/boardPanels';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerValidationRows } from './validation/treeRows';
import { registerViews, type Views } from './views';

let ctx: Ctx | undefined;

/** Public API for tests and other extensions. */
export interface ContractWorkbenchApi {
  ctx: Ctx;
  /** Milliseconds `activate` took, up to the start of the language server. */
  activationMs: number;
  /** Resolves once the language server answers. */
  ready: Promise<void>;
  /** The Tasks and Deployments views, their task store and the status bar item. */
  views: Views;
  /** The open board webviews. */
  boards: BoardPanels;
  /** The language model tools, by name (also registered with `vscode.lm` where it exists). */
  tools: LanguageModelTools;
}

export function activate(context: vscode.ExtensionContext): ContractWorkbenchApi {
  const started = performance.now();
  ctx = new Ctx(context);
  registerCommands(ctx);
  const views = registerViews(ctx);
  registerValidationRows(ctx);
  const tools = registerLanguageModelTools(ctx);
  const boards = BoardPanels.of(ctx);
  const ready = ctx.start().then(
    () => undefined,
    (error: unknown) => ctx?.log.error(`The language server did not start: ${String(error)}`),
  );
  const activationMs = performance.now() - started;
  ctx.log.info(`Activated in ${activationMs.toFixed(1)} ms.`);
  return { ctx, activationMs, ready, views, boards, tools };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
