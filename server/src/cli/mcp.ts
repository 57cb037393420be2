import path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { version } from '../../../package.json';
import { CONTRACT_STATUSES, fromText, STATUS_TRANSITIONS } from '../../../shared/lifecycle';
import { checkFiles, toCliDiagnostics } from './check';
import type { CliIo } from './command';
import { parseArgs } from './args';
import { findTask } from './boardTasks';
import { briefOf, listRows } from './lifecycle';
import { moveTask } from './moveTask';
import { validateTask } from './validate';

/**
 * `contracts mcp`: the lifecycle for agents over the Model Context Protocol
 * (stdio). The same lookups, briefs, guarded moves and runner as the CLI.
 * `validate_task` runs shell commands from the contract, so it is offered
 * only when the server was started with `--allow-validate`.
 */

const MOVES = [...new Set(STATUS_TRANSITIONS.map((t) => t.name))];
const taskId = { type: 'string', description: 'The task id, e.g. task-3.' };
const board = { type: 'string', description: 'A board file, a v2 .brainfile/brainfile.md or a folder, relative to the server root. Needed only when the id exists on several boards.' };

export function toolList(allowValidate: boolean): Tool[] {
  const tools: Tool[] = [
    {
      name: 'list_tasks',
      description: 'Lists every Brainfile task under the root (or the given paths) with its contract status, assignee, board and file. Changes nothing.',
      inputSchema: {
        type: 'object',
        properties: {
          paths: { type: 'array', items: { type: 'string' }, description: 'Folders or files to search, relative to the root; default the whole root.' },
          status: { type: 'string', enum: [...CONTRACT_STATUSES, 'none'], description: 'Only tasks with this contract status ("none": without a contract).' },
          assignee: { type: 'string', description: 'Only tasks assigned to this worker.' },
        },
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true },
    },
    {
      name: 'get_task',
      description: "A task's pickup brief in Markdown: description, deliverables, constraints, validation commands, context, feedback from a failed round, and the moves allowed next. Changes nothing.",
      inputSchema: { type: 'object', properties: { taskId, board }, required: ['taskId'], additionalProperties: false },
      annotations: { readOnlyHint: true },
    },
    {
      name: 'move_task',
      description: `Moves a task's contract along the lifecycle with a minimal edit of its file (only the status, metrics, assignee on claim and feedback on approve/reject change; comments and formatting stay). ${STATUS_TRANSITIONS.map((t) => `${t.name}: ${fromText(t)} → ${t.to}`).join('; ')}. The file is written only if nobody changed it since it was read. Approving a v2 task in board/ moves it to logs/ and appends logs/ledger.jsonl unless complete is false.`,
      inputSchema: {
        type: 'object',
        properties: {
          taskId,
          transition: { type: 'string', enum: MOVES, description: 'The move to make.' },
          board,
          expectStatus: { type: 'string', enum: [...CONTRACT_STATUSES], description: 'Refuse unless the task has this status now (compare-and-swap).' },
          assignee: { type: 'string', description: 'claim: written as the task assignee.' },
          feedback: { type: 'string', description: "approve/reject: written as the contract's feedback." },
          complete: { type: 'boolean', description: 'approve of a v2 task: complete it into logs/ (default true).' },
        },
        required: ['taskId', 'transition'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    },
    {
      name: 'check_file',
      description: 'Diagnostics of a Brainfile board, a v2 task file or a deployment contract (line, column, severity, code, message), as `contracts check` prints them. Changes nothing.',
      inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'The file, relative to the root.' } }, required: ['path'], additionalProperties: false },
      annotations: { readOnlyHint: true },
    },
  ];
  if (allowValidate) {
    tools.push({
      name: 'validate_task',
      description: "Runs a contract's checks: its deliverables must exist, then its validation commands run through the shell in the project folder. A pass moves a delivered task to done, a failure to failed with feedback; an in-progress task (or dryRun) only reports. Runs shell commands written in the contract.",
      inputSchema: {
        type: 'object',
        properties: {
          taskId,
          board,
          timeoutSeconds: { type: 'number', minimum: 1, description: 'Each command is killed with its process tree after this many seconds (default 600).' },
          continueOnFailure: { type: 'boolean', description: 'Run the remaining commands after one fails.' },
          dryRun: { type: 'boolean', description: 'Report only; the status stays.' },
        },
        required: ['taskId'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    });
  }
  return tools;
}

type Args = Record<string, unknown>;

const text = (body: string, isError = false): CallToolResult => ({ content: [{ type: 'text', text: body }], ...(isError ? { isError: true } : {}) });
const str = (args: Args, key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);

export async function callTool(name: string, args: Args, root: string, allowValidate: boolean): Promise<CallToolResult> {
  const id = str(args, 'taskId');
  const boardArg = str(args, 'board');
  switch (name) {
    case 'list_tasks': {
      const paths = Array.isArray(args.paths) ? args.paths.filter((p): p is string => typeof p === 'string') : [];
      const outside = paths.find((p) => !inside(root, p));
      if (outside) return text(`${outside} is outside the server root ${root}; list paths inside it.`, true);
      return text(JSON.stringify(listRows(paths, root, { status: str(args, 'status'), assignee: str(args, 'assignee') }), null, 2));
    }
    case 'get_task': {
      if (!id) return text('taskId is required; list_tasks shows the ids.', true);
      const lookup = findTask(id, boardArg, root);
      if ('refused' in lookup) return text(`${lookup.refused} Call list_tasks to see the task ids.`, true);
      return text(briefOf(lookup.found, boardArg, root));
    }
    case 'move_task': {
      const transition = str(args, 'transition');
      if (!id || !transition) return text('taskId and transition are required.', true);
      const outcome = moveTask(
        { taskId: id, transition, board: boardArg, expectStatus: str(args, 'expectStatus'), assignee: str(args, 'assignee'), feedback: str(args, 'feedback'), complete: args.complete !== false },
        root,
      );
      if (!outcome.ok) {
        const next = outcome.exitCode === 3 ? 'Call get_task to read the task again, then retry.' : outcome.allowed?.length ? `Allowed now: ${outcome.allowed.join(', ')}.` : 'Call get_task to see its status and what it needs.';
        return text(`${outcome.message} ${next}`, true);
      }
      const where = path.relative(root, outcome.file);
      const completed = outcome.completed ? ` Completed: moved to ${path.relative(root, outcome.completed.file)} and recorded in ${path.relative(root, outcome.completed.ledger)}.` : '';
      return text(`${id}: ${outcome.from ?? 'no status'} → ${outcome.to} (${where}).${completed}${outcome.notes.map((n) => ` Note: ${n}`).join('')}`);
    }
    case 'check_file': {
      const file = str(args, 'path');
      if (!file) return text('path is required.', true);
      if (!inside(root, file)) return text(`${file} is outside the server root ${root}.`, true);
      let results;
      try {
        results = checkFiles([path.resolve(root, file)], {}).files;
      } catch (error) {
        return text(`Cannot read ${file}: ${(error as Error).message}`, true);
      }
      const kinds = [...results.values()].map((r) => r.analysis.kind);
      if (kinds.every((k) => k === 'none')) return text(`${file} is not a Brainfile board, a v2 task file or a deployment contract.`, true);
      return text(JSON.stringify(toCliDiagnostics(results, root), null, 2));
    }
    case 'validate_task': {
      if (!allowValidate) return text('validate_task is off: start the server with `contracts mcp --allow-validate` to let it run validation commands.', true);
      if (!id) return text('taskId is required.', true);
      let output = '';
      const report = await validateTask(
        {
          taskId: id,
          board: boardArg,
          timeoutSeconds: typeof args.timeoutSeconds === 'number' && args.timeoutSeconds > 0 ? args.timeoutSeconds : 600,
          continueOnFailure: args.continueOnFailure === true,
          dryRun: args.dryRun === true,
          complete: true,
          // Bounded: the last 16 KB of what the run printed.
          onOutput: (chunk) => (output = (output + chunk).slice(-16_384)),
        },
        root,
      );
      const body = `${report.summary}\n\n${output.trimEnd()}`;
      return text(body, report.exitCode !== 0);
    }
    default:
      return text(`Unknown tool ${name}.`, true);
  }
}

function inside(root: string, given: string): boolean {
  const relative = path.relative(root, path.resolve(root, given));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export async function mcpCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['root'], flags: ['allow-validate'] });
  const root = path.resolve(io.cwd, parsed.values.get('root') ?? '.');
  const allowValidate = parsed.flags.has('allow-validate');
  const server = new Server({ name: 'contracts', version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolList(allowValidate) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return await callTool(request.params.name, (request.params.arguments ?? {}) as Args, root, allowValidate);
    } catch (error) {
      return text(`${request.params.name} failed: ${(error as Error).message}`, true);
    }
  });
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  await closed;
  return 0;
}
