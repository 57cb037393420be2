import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Position,
  type TextEdit,
} from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/analyze';
import { cursorContextAt, type CursorContext, type ItemCursor, type KeyCursor, type ValueCursor } from '../engine/cursorContext';
import type { PathSegment } from '../engine/dataNode';
import { childSchema, schemaAtPath, SchemaIds, type JsonSchema, type SchemaAt } from '../engine/schemaStore';
import type { OffsetRange } from '../engine/text';
import { toRange } from './convert';
import { boardTasks, type FeatureContext } from './featureContext';
import { codeSpan, escapeMarkdown } from './markdown';

/**
 * Completion in board front matter, fenced task blocks, v2 task files and
 * deployment JSON: missing keys with snippets, enum values in lifecycle order,
 * task ids in `blockedBy`, workspace paths and column ids. Reads the cached
 * analysis only; never throws (a broken document just gives fewer items).
 */
export function provideCompletions(analysis: DocumentAnalysis, position: Position, context: FeatureContext): CompletionItem[] {
  try {
    const cursor = cursorContextAt(analysis, analysis.lines.offsetAt(position));
    if (!cursor) return [];
    const builder = new CompletionBuilder(analysis, cursor, context);
    switch (cursor.position) {
      case 'key':
        return builder.keyItems(cursor);
      case 'value':
        return builder.valueItems(cursor);
      case 'item':
        return builder.itemItems(cursor);
    }
  } catch {
    return [];
  }
}

/** How deep a snippet fills in nested required keys. */
const MAX_SKELETON_DEPTH = 3;

/** Keys whose snippet is a fixed skeleton rather than the required keys. */
const SKELETONS: Record<string, string[]> = {
  contract: ['status', 'deliverables', 'validation', 'constraints'],
};

const RETRIGGER = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ------------------------------------------------------------ schema helpers

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (!schema.type && !!schema.properties);
}

function isArraySchema(schema: JsonSchema): boolean {
  return schema.type === 'array';
}

function isBooleanSchema(schema: JsonSchema): boolean {
  return schema.type === 'boolean';
}

function enumValues(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  return undefined;
}

/** Examples worth offering as values: several one-word strings (deliverable types, assignees), not sample sentences or hashes. */
function exampleValues(schema: JsonSchema): string[] {
  const examples = schema.examples ?? [];
  if (examples.length < 2 || schema.pattern || schema.format) return [];
  return examples.every((e) => typeof e === 'string' && /^[\w.-]+$/.test(e)) ? (examples as string[]) : [];
}

function propertyEntries(schema: JsonSchema): Array<[string, JsonSchema]> {
  return Object.entries(schema.properties ?? {}).filter(([, s]) => !s.deprecationMessage);
}

/**
 * The keys a snippet for an object writes out: the required ones, plus
 * category fields listed before them (a deliverable's `type`), or else the first key.
 */
function skeletonKeys(schema: JsonSchema, key?: string): string[] {
  const entries = propertyEntries(schema);
  const override = key !== undefined ? SKELETONS[key] : undefined;
  if (override) return override.filter((k) => schema.properties?.[k]);
  const required = new Set(schema.required ?? []);
  const firstRequired = entries.findIndex(([k]) => required.has(k));
  if (firstRequired < 0) return entries.slice(0, 1).map(([k]) => k);
  return entries
    .filter(([k, s], index) => required.has(k) || (index < firstRequired && !k.startsWith('$') && (s.enum || exampleValues(s).length > 0)))
    .map(([k]) => k);
}

function typeLabel(schema: JsonSchema): string {
  const values = enumValues(schema);
  if (values) return values.map(String).join(' | ');
  if (isArraySchema(schema)) return 'list';
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'object';
}

function markdown(text: string | undefined): { kind: typeof MarkupKind.Markdown; value: string } | undefined {
  return text ? { kind: MarkupKind.Markdown, value: text } : undefined;
}

function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}

// ------------------------------------------------------------ snippet text

/** Escapes literal snippet text. */
function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}

function escapeChoice(text: string): string {
  return text.replace(/[\\$}|,]/g, '\\$&');
}

/** Numbers tab stops across one snippet. */
class TabStops {
  private next = 1;

  empty(): string {
    return `\${${this.next++}}`;
  }

  placeholder(text: string): string {
    return `\${${this.next++}:${escapeSnippet(text)}}`;
  }

  choice(values: string[]): string {
    return `\${${this.next++}|${values.map(escapeChoice).join(',')}|}`;
  }
}

const spaces = (n: number) => ' '.repeat(Math.max(0, n));

/** A plain YAML scalar when it reads back as the same string, else a double-quoted one. */
function yamlScalar(value: string): string {
  const plainSafe =
    value !== '' &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
    !/[:#]\s|\s#|:$|\s$|[,[\]{}]/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[\da-fA-F]+|\.inf|\.nan)$/i.test(value);
  return plainSafe ? value : JSON.stringify(value);
}

function yamlKey(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
}

/** Snippet text for a YAML scalar value: choices for enums and booleans, the default as placeholder. */
function yamlScalarSnippet(schema: JsonSchema, stops: TabStops): string {
  const values = enumValues(schema);
  if (values) return stops.choice(values.map((v) => yamlScalar(String(v))));
  if (isBooleanSchema(schema)) return stops.choice(['true', 'false']);
  if (schema.default !== undefined && typeof schema.default !== 'object') return stops.placeholder(String(schema.default));
  return stops.empty();
}

/**
 * `key: value` as YAML starting at column `col` (the first line carries no
 * indentation; later lines are indented absolutely, for InsertTextMode.asIs).
 */
function yamlProperty(key: string, at: SchemaAt | undefined, col: number, unit: number, stops: TabStops, depth: number): string {
  const name = escapeSnippet(yamlKey(key));
  const schema = at?.schema;
  if (!schema || !at) return `${name}: ${stops.empty()}`;
  const childCol = col + unit;
  if (isObjectSchema(schema)) {
    const keys = depth < MAX_SKELETON_DEPTH ? skeletonKeys(schema, depth === 0 ? key : undefined) : [];
    if (keys.length === 0) return `${name}:\n${spaces(childCol)}${stops.empty()}`;
    return `${name}:` + keys.map((k) => `\n${spaces(childCol)}${yamlProperty(k, childSchema(at, k), childCol, unit, stops, depth + 1)}`).join('');
  }
  if (isArraySchema(schema)) return `${name}:\n${spaces(childCol)}- ${yamlItem(childSchema(at, 0), childCol + 2, unit, stops, depth + 1)}`;
  return `${name}: ${yamlScalarSnippet(schema, stops)}`;
}

/** The text after `- ` for a new list item whose content starts at column `col`. */
function yamlItem(at: SchemaAt | undefined, col: number, unit: number, stops: TabStops, depth: number): string {
  const schema = at?.schema;
  if (!schema || !at) return stops.empty();
  if (isObjectSchema(schema)) {
    const keys = depth < MAX_SKELETON_DEPTH ? skeletonKeys(schema) : [];
    if (keys.length === 0) return stops.empty();
    return keys.map((k, i) => (i === 0 ? '' : `\n${spaces(col)}`) + yamlProperty(k, childSchema(at, k), col, unit, stops, depth + 1)).join('');
  }
  return yamlScalarSnippet(schema, stops);
}

/** Snippet text for a JSON value at a line indented by `indent`. */
function jsonValueSnippet(at: SchemaAt | undefined, indent: number, unit: number, stops: TabStops, depth: number, key?: string): string {
  const schema = at?.schema;
  if (!schema || !at) return stops.empty();
  const values = enumValues(schema);
  if (values) {
    return values.every((v) => typeof v === 'string') ? `"${stops.choice(values as string[])}"` : stops.choice(values.map((v) => JSON.stringify(v)));
  }
  if (isBooleanSchema(schema)) return stops.choice(['true', 'false']);
  if (isObjectSchema(schema)) {
    const keys = depth < MAX_SKELETON_DEPTH ? skeletonKeys(schema, key) : [];
    if (keys.length === 0) return `{${stops.empty()}}`;
    const inner = keys.map((k) => `${spaces(indent + unit)}${escapeSnippet(JSON.stringify(k))}: ${jsonValueSnippet(childSchema(at, k), indent + unit, unit, stops, depth + 1)}`);
    return `{\n${inner.join(',\n')}\n${spaces(indent)}}`;
  }
  if (isArraySchema(schema)) return `[${stops.empty()}]`;
  if (schema.type === 'number' || schema.type === 'integer') return stops.placeholder(String(schema.default ?? 0));
  return `"${schema.default !== undefined ? stops.placeholder(String(schema.default)) : stops.empty()}"`;
}

// ------------------------------------------------------------ items

type Cursor = CursorContext;

class CompletionBuilder {
  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly cursor: Cursor,
    private readonly context: FeatureContext,
  ) {}

  private schemaAt(path: readonly PathSegment[]): SchemaAt | undefined {
    return schemaAtPath(this.cursor.schemaId, path);
  }

  private edit(range: OffsetRange, newText: string): TextEdit {
    return { range: toRange(this.analysis.lines, range), newText };
  }

  /** JSON: a comma to add before the cursor when the previous value lacks one. */
  private commaBefore(): TextEdit[] | undefined {
    const at = this.cursor.commaBefore;
    return at === undefined ? undefined : [this.edit({ start: at, end: at }, ',')];
  }

  // ---------------------------------------------------------- keys

  keyItems(cursor: KeyCursor): CompletionItem[] {
    const container = this.schemaAt(cursor.containerPath);
    if (!container) return [];
    if (cursor.syntax === 'yaml' && isArraySchema(container.schema) && !cursor.hasColon && cursor.typed === '') {
      return this.newListItem(cursor, container);
    }
    const present = cursor.objectKeys.get(cursor.containerPath.length) ?? new Map<string, string>();
    return this.propertyItems(container, new Set(present.keys()), cursor.replace, cursor.indent, cursor.hasColon, cursor);
  }

  private propertyItems(container: SchemaAt, present: Set<string>, replace: OffsetRange, indent: number, hasColon: boolean, cursor: Cursor): CompletionItem[] {
    if (!isObjectSchema(container.schema)) return [];
    const required = new Set(container.schema.required ?? []);
    const items: CompletionItem[] = [];
    propertyEntries(container.schema).forEach(([key], index) => {
      if (present.has(key)) return;
      const at = childSchema(container, key);
      if (!at) return;
      const isRequired = required.has(key);
      const skeleton = key in SKELETONS && isObjectSchema(at.schema);
      const stops = new TabStops();
      let newText: string;
      let filterText: string | undefined;
      if (cursor.syntax === 'yaml') {
        newText = hasColon ? escapeSnippet(yamlKey(key)) : yamlProperty(key, at, indent, cursor.indentUnit, stops, 0);
      } else {
        const quoted = escapeSnippet(JSON.stringify(key));
        newText = hasColon ? quoted : `${quoted}: ${jsonValueSnippet(at, indent, cursor.indentUnit, stops, 0, key)}${cursor.commaAfter ? ',' : ''}`;
        filterText = 'inString' in cursor && cursor.inString ? JSON.stringify(key) : key;
      }
      items.push({
        label: key,
        kind: CompletionItemKind.Property,
        detail: skeleton ? `${typeLabel(at.schema)} · skeleton with ${SKELETONS[key].join(', ')}` : `${isRequired ? 'required · ' : ''}${typeLabel(at.schema)}`,
        documentation: markdown(at.schema.description),
        sortText: sortKey(isRequired ? 0 : 1, index),
        filterText,
        textEdit: this.edit(replace, newText),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
        additionalTextEdits: this.commaBefore(),
      });
    });
    return items;
  }

  /** On an empty line at a list's `- ` column: a whole new item. */
  private newListItem(cursor: KeyCursor, list: SchemaAt): CompletionItem[] {
    const itemSchema = childSchema(list, 0);
    if (!itemSchema) return [];
    const stops = new TabStops();
    const body = yamlItem(itemSchema, cursor.indent + 2, cursor.indentUnit, stops, 0);
    const keys = isObjectSchema(itemSchema.schema) ? skeletonKeys(itemSchema.schema) : [];
    return [
      {
        label: keys.length ? `- ${keys.join(', ')}` : '- ',
        kind: CompletionItemKind.Snippet,
        detail: 'New list item',
        documentation: markdown(itemSchema.schema.description ?? list.schema.description),
        filterText: '-',
        textEdit: this.edit(cursor.replace, `- ${body}`),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
    ];
  }

  // ---------------------------------------------------------- values

  valueItems(cursor: ValueCursor): CompletionItem[] {
    if (cursor.syntax === 'json' && cursor.valuePath.length === 0) return this.wholeDocument(cursor);
    return this.scalarChoices(cursor.valuePath, cursor, []);
  }

  itemItems(cursor: ItemCursor): CompletionItem[] {
    const list = this.schemaAt(cursor.containerPath);
    if (!list || !isArraySchema(list.schema)) return [];
    const itemSchema = childSchema(list, 0);
    if (itemSchema && isObjectSchema(itemSchema.schema)) {
      // `- |` in a list of objects: the first key of a new item.
      if (cursor.syntax !== 'yaml' || cursor.flow || cursor.quote || !(cursor.wordTyped || cursor.typed === '')) return [];
      const container = this.schemaAt([...cursor.containerPath, cursor.index]);
      return container ? this.propertyItems(container, cursor.itemKeys, cursor.replace, cursor.itemKeyIndent, false, cursor) : [];
    }
    return this.scalarChoices([...cursor.containerPath, cursor.index], cursor, cursor.presentItems);
  }

  /** Values for the scalar at `path`: task ids, paths, columns, enum values, booleans, examples. */
  private scalarChoices(path: PathSegment[], cursor: ValueCursor | ItemCursor, present: string[]): CompletionItem[] {
    const at = this.schemaAt(path);
    if (!at) return [];
    const schema = at.schema;
    const last = path[path.length - 1];
    const parentKey = path[path.length - 2];
    if (typeof last === 'number' && (parentKey === 'blockedBy' || parentKey === 'dependsOn')) return this.taskIdItems(path, cursor, present, path.length - 2);
    if (last === 'parentId') return this.taskIdItems(path, cursor, [], path.length - 1);
    if ((last === 'path' && path[path.length - 3] === 'deliverables') || (typeof last === 'number' && (parentKey === 'relevantFiles' || parentKey === 'relatedFiles'))) {
      return this.pathItems(cursor);
    }
    if (this.isColumnReference(path)) {
      const columns = this.context.boards().columnsOf(this.analysis).filter((c) => c.id && !present.includes(c.id));
      if (columns.length > 0) {
        return columns.map((column, index) =>
          this.valueItem(column.id!, cursor, { kind: CompletionItemKind.EnumMember, detail: column.title, sortText: sortKey(0, index), documentation: schema.description }),
        );
      }
    }
    if (cursor.syntax === 'json' && cursor.position === 'value' && (isObjectSchema(schema) || isArraySchema(schema)) && cursor.typed === '') {
      return [this.jsonContainerValue(cursor, at)];
    }
    const values = enumValues(schema);
    if (values) {
      return values
        .map((value, index) => ({ value, index }))
        .filter(({ value }) => !present.includes(String(value)))
        .map(({ value, index }) =>
          this.valueItem(value, cursor, {
            kind: CompletionItemKind.EnumMember,
            detail: value === schema.default ? 'default' : undefined,
            documentation: schema.enumDescriptions?.[index] ?? schema.description,
            sortText: sortKey(0, index),
          }),
        );
    }
    if (isBooleanSchema(schema)) {
      return [true, false].map((value, index) => this.valueItem(value, cursor, { kind: CompletionItemKind.Value, documentation: schema.description, sortText: sortKey(0, index) }));
    }
    return exampleValues(schema)
      .filter((value) => !present.includes(value))
      .map((value, index) => this.valueItem(value, cursor, { kind: CompletionItemKind.Value, detail: 'example', documentation: schema.description, sortText: sortKey(0, index) }));
  }

  /** A v2 task's `column`, or a board's `statsConfig.columns` entry. */
  private isColumnReference(path: PathSegment[]): boolean {
    const id = this.cursor.schemaId;
    if (id === SchemaIds.taskV2 && this.analysis.kind === 'task') return path.length === 1 && path[0] === 'column';
    if (id === SchemaIds.boardV1 || id === SchemaIds.boardV2) return path.length === 3 && path[0] === 'statsConfig' && path[1] === 'columns';
    return false;
  }

  /** One value item, written as the syntax at the cursor needs it. */
  private valueItem(
    value: unknown,
    cursor: ValueCursor | ItemCursor,
    extra: { kind: CompletionItemKind; detail?: string; documentation?: string; sortText?: string },
  ): CompletionItem {
    const label = String(value);
    let newText: string;
    let filterText: string | undefined;
    if (cursor.syntax === 'json') {
      const literal = JSON.stringify(value);
      newText = literal + (cursor.commaAfter ? ',' : '');
      filterText = 'inString' in cursor && cursor.inString ? literal : label;
    } else if (cursor.quote) {
      newText = cursor.quote === '"' ? JSON.stringify(label).slice(1, -1) : label.replace(/'/g, "''");
    } else {
      newText = yamlScalar(label);
      if (cursor.position === 'value' && cursor.needsSpace) newText = ' ' + newText;
    }
    return {
      label,
      kind: extra.kind,
      detail: extra.detail,
      documentation: markdown(extra.documentation),
      sortText: extra.sortText,
      filterText,
      textEdit: this.edit(cursor.replace, newText),
      additionalTextEdits: cursor.syntax === 'json' ? this.commaBefore() : undefined,
    };
  }

  /** JSON: `{ ...required keys }` or `[]` for an object or list value. */
  private jsonContainerValue(cursor: ValueCursor, at: SchemaAt): CompletionItem {
    const stops = new TabStops();
    const text = jsonValueSnippet(at, cursor.indent, cursor.indentUnit, stops, 0, cursor.key);
    const keys = isObjectSchema(at.schema) ? skeletonKeys(at.schema, cursor.key) : [];
    return {
      label: isObjectSchema(at.schema) ? (keys.length ? `{ ${keys.join(', ')} }` : '{}') : '[]',
      kind: CompletionItemKind.Snippet,
      documentation: markdown(at.schema.description),
      textEdit: this.edit(cursor.replace, text + (cursor.commaAfter ? ',' : '')),
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
    };
  }

  /** An empty JSON file: the whole document with its required keys. */
  private wholeDocument(cursor: ValueCursor): CompletionItem[] {
    const at = this.schemaAt([]);
    if (!at) return [];
    const stops = new TabStops();
    return [
      {
        label: at.schema.title ?? 'document',
        kind: CompletionItemKind.Snippet,
        detail: `{ ${skeletonKeys(at.schema).join(', ')} }`,
        documentation: markdown(at.schema.description),
        textEdit: this.edit(cursor.replace, jsonValueSnippet(at, 0, cursor.indentUnit, stops, 0) + '\n'),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.asIs,
      },
    ];
  }

  // ---------------------------------------------------------- task ids

  /** Ids of the board's tasks; `ownerDepth` is the depth of the task holding the reference, whose own id is left out. */
  private taskIdItems(path: PathSegment[], cursor: ValueCursor | ItemCursor, present: string[], ownerDepth: number): CompletionItem[] {
    const taskKeys = cursor.objectKeys.get(ownerDepth);
    const ownId = taskKeys?.get('id') ?? (this.analysis.kind === 'task' && ownerDepth === 0 ? this.analysis.task?.id : undefined);
    const seen = new Set<string>([...present, ...(ownId ? [ownId] : [])]);
    const items: CompletionItem[] = [];
    for (const ref of boardTasks(this.context, this.analysis)) {
      const id = ref.task.id;
      if (!id || seen.has(id)) continue;
      seen.add(id);
      const status = ref.task.contract?.status;
      const title = ref.task.title ?? '';
      items.push(
        this.valueItem(id, cursor, {
          kind: CompletionItemKind.Reference,
          detail: [title, status].filter(Boolean).join(' · ') || undefined,
          // Titles, statuses and columns are someone else's text: escaped, never Markdown.
          documentation: [title && `**${escapeMarkdown(title)}**`, status && `Contract status: ${codeSpan(status)}`, ref.task.columnId && `Column: ${codeSpan(ref.task.columnId)}`]
            .filter(Boolean)
            .join('\n\n'),
          sortText: sortKey(0, items.length),
        }),
      );
    }
    return items;
  }

  // ---------------------------------------------------------- paths

  /** Workspace entries one level below the folder typed so far; folders end with `/` and ask for more. */
  private pathItems(cursor: ValueCursor | ItemCursor): CompletionItem[] {
    const typed = cursor.typed.replace(/\\/g, '/').replace(/^\.\//, '');
    const folder = typed.slice(0, typed.lastIndexOf('/') + 1);
    const items: CompletionItem[] = [];
    for (const entry of this.context.listPaths(this.context.projectFolder(this.analysis))) {
      if (!entry.startsWith(folder) || entry === folder) continue;
      const rest = entry.slice(folder.length);
      const slash = rest.indexOf('/');
      if (slash >= 0 && slash !== rest.length - 1) continue;
      const isFolder = entry.endsWith('/');
      const item = this.valueItem(entry, cursor, { kind: isFolder ? CompletionItemKind.Folder : CompletionItemKind.File, sortText: sortKey(isFolder ? 0 : 1, items.length) });
      item.filterText = entry;
      if (isFolder) item.command = RETRIGGER;
      items.push(item);
      if (items.length >= 500) break;
    }
    return items;
  }
}
