import { posix } from 'node:path';
import type { DocumentLink } from 'vscode-languageserver';
import { isInsideFolder } from '../../../shared/paths';
import type { DocumentAnalysis } from '../engine/analyze';
import { toPosix } from '../engine/classify';
import { getValue, type DataNode, type ScalarNode } from '../engine/dataNode';
import type { TaskInfo } from '../engine/model';
import { toRange } from './convert';
import type { FeatureContext } from './featureContext';

/**
 * Links on the file paths a task names: deliverable paths, the contract's
 * `context.relevantFiles` and the task's `relatedFiles`, when the file exists
 * inside the workspace folder.
 */
export function provideDocumentLinks(analysis: DocumentAnalysis, context: FeatureContext): DocumentLink[] {
  const tasks = analysis.task ? [analysis.task] : (analysis.board?.tasks ?? []);
  const folder = context.projectFolder(analysis);
  // Links stay inside the workspace folder, symlinks resolved: a link elsewhere would
  // also tell a repository's author whether a file exists on this machine.
  const root = context.workspaceFolderOf(analysis.path) ?? folder;
  const realRoot = context.realPath(root) ?? root;
  const links: DocumentLink[] = [];
  for (const node of tasks.flatMap(pathNodes)) {
    const written = String(node.value).trim();
    if (!isLinkablePath(written)) continue;
    const absolute = written.startsWith('/') ? posix.normalize(written) : posix.join(toPosix(folder), toPosix(written));
    const real = context.realPath(absolute);
    if (real === undefined || !isInsideFolder(real, realRoot)) continue;
    links.push({ range: toRange(analysis.lines, textRange(node)), target: context.uriOf(absolute), tooltip: `Open ${written}` });
  }
  // In document order, whichever field each path came from.
  return links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function pathNodes(task: TaskInfo): ScalarNode[] {
  const candidates: Array<DataNode | undefined> = [
    ...(task.contract?.deliverables.map((d) => d.pathNode) ?? []),
    ...items(getValue(getValue(task.contract?.node, 'context'), 'relevantFiles')),
    ...items(getValue(task.node, 'relatedFiles')),
  ];
  return candidates.filter((node): node is ScalarNode => node?.type === 'string');
}

function items(node: DataNode | undefined): DataNode[] {
  return node?.type === 'array' ? node.items : [];
}

/** Files only: folders (trailing `/`), globs and URLs do not open in an editor. */
function isLinkablePath(path: string): boolean {
  return path !== '' && !path.endsWith('/') && !/[*?[\]{}]/.test(path) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}

/** The path's own text: inside the quotes when it is quoted. */
function textRange(node: ScalarNode): { start: number; end: number } {
  const quoted = /^["']/.test(node.source) && node.range.end - node.range.start >= 2;
  return quoted ? { start: node.range.start + 1, end: node.range.end - 1 } : node.range;
}
