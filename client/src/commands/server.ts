import type { Ctx } from '../context';

/** Commands about the language server itself. */
export function restartServer(ctx: Ctx) {
  return async () => {
    ctx.log.info('Restarting the language server on request.');
    await ctx.restart();
  };
}

export function showOutput(ctx: Ctx) {
  return () => ctx.log.show(true);
}
