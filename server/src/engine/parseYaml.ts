import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { arrayNode, describeNode, mergedProperty, objectNode, propertyNode, scalarNode, shortenForMessage, type ArrayNode, type DataNode, type ObjectNode, type ScalarNode } from './dataNode';
import { diagnostic, duplicateKeyMessage, type EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { parseCommonYaml } from './fastYamlParse';
import { internKey } from './internKey';
import { detachedSlice, ownString, type OffsetRange, type TextReader } from './text';
import { lineFinder, yamlSyntaxDiagnostics } from './yamlErrors';

export { internKey } from './internKey';

export interface ParsedValue {
  root?: DataNode;
  diagnostics: EngineDiagnostic[];
  /** False when a limit stopped us (aliases, depth): skip schema checks. */
  complete: boolean;
  /**
   * True when the text has syntax errors: the tree is the parser's best guess,
   * so schema checks on it would report the same fault again in other words.
   */
  syntaxErrors?: boolean;
}

/**
 * Parses one YAML region of a document (front matter or a fence) into a
 * DataNode tree with document offsets. `base` is the region's start offset.
 */
export function parseYamlRegion(fullText: TextReader, content: OffsetRange): ParsedValue {
  // The tree keeps a copy of its region, not the document: after an edit, the nodes an incremental update reuses must not keep the old text alive.
  return parseYamlSource(detachedSlice(fullText, content.start, content.end), content.start);
}

/**
 * Parses YAML text that sits at offset `base` of its document: node ranges are
 * document offsets, node sources are slices of `raw`. The common shapes take
 * the fast path (`fastYamlParse.ts`); the rest, and every text `yaml` reports,
 * goes through `parseDocument`. `fastPath: false` forces the latter (for the
 * identity test).
 */
export function parseYamlSource(raw: string, base: number, fastPath = true): ParsedValue {
  // YAML and LSP count a lone CR (old Mac files) as a line break; the parser does not. Same length, same offsets.
  const source = raw.replace(/\r(?!\n)/g, '\n');

  // The parser recurses per flow level and takes a second to overflow on [[[[…: stop before it starts.
  const tooDeep = findExcessiveFlowNesting(source, LIMITS.maxDepth);
  if (tooDeep !== undefined) {
    return {
      diagnostics: [diagnostic('nesting-too-deep', 'error', clampTo(source, base, tooDeep, tooDeep + 1), `The YAML nests deeper than ${LIMITS.maxDepth} levels here; this block is not checked. Expected a flatter structure.`)],
      complete: false,
    };
  }

  const fast = fastPath ? parseCommonYaml(source, raw, base) : undefined;
  if (fast) return { root: fast.root, diagnostics: fast.diagnostics, complete: true, syntaxErrors: false };
  return parseWithYamlDocument(raw, source, base);
}

/** A range of `source` in document offsets, at least one character long where there is one, so the editor shows it. */
function clampTo(source: string, base: number, start: number, end: number): OffsetRange {
  let s = Math.max(0, Math.min(start, source.length));
  let e = Math.max(s, Math.min(end, source.length));
  if (e === s) {
    if (e < source.length && source[e] !== '\n' && source[e] !== '\r') e++;
    else if (s > 0) s--;
  }
  return { start: base + s, end: base + e };
}

/** The full parse: `yaml`'s `parseDocument`, its errors worded, its Document turned into our tree. */
function parseWithYamlDocument(raw: string, source: string, base: number): ParsedValue {
  const diagnostics: EngineDiagnostic[] = [];
  const clampRange = (start: number, end: number): OffsetRange => clampTo(source, base, start, end);
  let document: Document.Parsed;
  try {
    document = parseDocument(source, {
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      merge: true,
      keepSourceTokens: false,
      lineCounter: new LineCounter(),
    });
  } catch (error) {
    return { diagnostics: [limitDiagnostic(error, { start: base, end: base + Math.min(3, source.length) })], complete: false };
  }

  diagnostics.push(...yamlSyntaxDiagnostics(document, source, base));

  const builder = new TreeBuilder(document, base, raw);
  let root: DataNode | undefined;
  try {
    root = document.contents ? builder.build(document.contents as YamlNode, 0) : undefined;
  } catch (error) {
    return { diagnostics: [...diagnostics, limitDiagnostic(error, clampRange(0, 3))], complete: false };
  }
  // The builder's depth report is more precise than the parser's stack overflow: keep one.
  const builderTooDeep = builder.diagnostics.some((d) => d.code === 'nesting-too-deep');
  const parserTooDeep = diagnostics.some((d) => d.code === 'nesting-too-deep');
  const kept = builderTooDeep ? diagnostics.filter((d) => d.code !== 'nesting-too-deep') : diagnostics;
  // On a line with a syntax error the tree is the parser's guess: a duplicate key there is the same fault.
  const lineOf = lineFinder(source);
  const faultyLines = new Set(kept.filter((d) => d.code === 'yaml-syntax').map((d) => lineOf(d.range.start - base)));
  const fromTree = builder.diagnostics.filter((d) => !(d.code === 'duplicate-key' && faultyLines.has(lineOf(d.range.start - base))));
  const syntaxErrors = faultyLines.size > 0 || fromTree.some((d) => d.code === 'yaml-syntax');
  return { root, diagnostics: [...kept, ...fromTree], complete: builder.complete && !parserTooDeep, syntaxErrors };
}

function limitDiagnostic(error: unknown, range: OffsetRange): EngineDiagnostic {
  if (error instanceof RangeError) {
    return diagnostic('nesting-too-deep', 'error', range, 'The document nests too deeply to check (the parser ran out of stack). Flatten the structure.');
  }
  return diagnostic('yaml-syntax', 'error', range, `The YAML cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
}

class TreeBuilder {
  readonly diagnostics: EngineDiagnostic[] = [];
  complete = true;
  private readonly built = new Map<YamlNode, DataNode>();
  private expandedSize = 0;

  constructor(
    private readonly document: Document.Parsed,
    private readonly base: number,
    /** The region's text as written: offset `base` of the document is its offset 0. */
    private readonly source: string,
  ) {}

  private charCodeAt(offset: number): number {
    return this.source.charCodeAt(offset - this.base);
  }

  /** A string of its own: the tree must not keep the region's text alive (see `detachedSlice`). */
  private slice(start: number, end: number): string {
    return detachedSlice(this.source, start - this.base, end - this.base);
  }

  private range(node: { range?: [number, number, number] | null }, useValueEnd = true): OffsetRange {
    const r = node.range;
    if (!r) return { start: this.base, end: this.base };
    const start = this.base + r[0];
    let end = this.base + (useValueEnd ? r[1] : r[2]);
    // Block collections end after their last line break; the token ends before it.
    while (end > start && isSpace(this.charCodeAt(end - 1))) end--;
    return { start, end };
  }

  build(node: YamlNode, depth: number): DataNode {
    if (depth > LIMITS.maxDepth) {
      this.complete = false;
      const range = this.range(node);
      this.diagnostics.push(
        diagnostic('nesting-too-deep', 'error', { start: range.start, end: Math.min(range.end, range.start + 1) }, `The document nests deeper than ${LIMITS.maxDepth} levels here; deeper values are not checked.`),
      );
      return scalarNode('null', null, '', range.start, range.end);
    }
    if (isAlias(node)) {
      const target = node.resolve(this.document);
      const existing = target && this.built.get(target as YamlNode);
      if (existing) {
        this.expandedSize += sizeOf(existing);
        if (this.expandedSize > LIMITS.maxAliasExpansion) this.aliasLimit(node);
        return existing;
      }
      if (!target) {
        const range = this.range(node);
        this.diagnostics.push(diagnostic('yaml-syntax', 'error', range, `Unknown alias ${node.source ? `*${node.source}` : ''}: expected an anchor (&${node.source}) defined earlier in the document.`));
        return scalarNode('null', null, '', range.start, range.end);
      }
      return this.build(target as YamlNode, depth);
    }
    if (isMap(node)) {
      const range = this.range(node);
      const result = objectNode(range.start, range.end, node.flow === true);
      this.built.set(node, result);
      const seen = new Set<string>();
      const merges: Array<{ value: DataNode; written: YamlNode }> = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        // With `merge: true` the parser gives a `<<` key a symbol value; its source is still `<<`.
        const isMergeKey = !!keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN' && (keyNode.source === '<<' || typeof keyNode.value === 'symbol');
        const keyRange = keyNode ? this.range(keyNode) : this.range(node);
        // A collection as a key is named by its text: the library's toString can throw (bad merges) or recurse deeply.
        const key = internKey(isMergeKey ? '<<' : keyNode && isScalar(keyNode) ? String(keyNode.value) : keyNode ? this.slice(keyRange.start, Math.min(keyRange.end, keyRange.start + 200)) : '');
        if (isMergeKey && pair.value) {
          merges.push({ value: this.build(pair.value as YamlNode, depth + 1), written: pair.value as YamlNode });
          continue;
        }
        const value = pair.value
          ? this.build(pair.value as YamlNode, depth + 1)
          : scalarNode('null', null, '', keyRange.end + 1, keyRange.end + 1);
        if (seen.has(key)) {
          this.diagnostics.push(
            diagnostic('duplicate-key', 'error', keyRange, duplicateKeyMessage(shortenForMessage(key))),
          );
          continue;
        }
        seen.add(key);
        this.adopt(value, result, key);
        result.properties.push(propertyNode(key, keyRange.start, keyRange.end, value));
      }
      for (const { value, written } of merges) this.merge(result, value, written, seen);
      // A list grown by push keeps spare room (17 slots for one entry): a board has 100,000s of these.
      result.properties = result.properties.slice();
      this.expandedSize += 1;
      return result;
    }
    if (isSeq(node)) {
      const range = this.range(node);
      const result = arrayNode(range.start, range.end, node.flow === true);
      this.built.set(node, result);
      result.items = node.items.map((item, index) => {
        // An empty item (`-` alone) spans its list.
        const value = item ? this.build(item as YamlNode, depth + 1) : scalarNode('null', null, '', range.start, range.end);
        this.adopt(value, result, index);
        return value;
      });
      this.expandedSize += 1;
      return result;
    }
    if (isScalar(node)) {
      const range = this.range(node);
      const raw = node.value;
      let type: ScalarNode['type'];
      let value: ScalarNode['value'];
      if (raw === null || raw === undefined) [type, value] = ['null', null];
      else if (typeof raw === 'number') [type, value] = ['number', raw];
      else if (typeof raw === 'bigint') [type, value] = ['number', Number(raw)];
      else if (typeof raw === 'boolean') [type, value] = ['boolean', raw];
      else [type, value] = ['string', String(raw)];
      const source = this.slice(range.start, range.end);
      // Most values read as written: one string for both. Others (quoted, folded) may be views of the region's text.
      const result = scalarNode(type, value === source ? source : typeof value === 'string' ? ownString(value) : value, source, range.start, range.end);
      this.built.set(node, result);
      this.expandedSize += 1;
      return result;
    }
    const range = this.range(node as never);
    return scalarNode('null', null, '', range.start, range.end);
  }

  private adopt(child: DataNode, parent: ObjectNode | ArrayNode, key: string | number): void {
    // A node reached through an alias already has its first parent; keep it.
    if (child.parent === undefined) {
      child.parent = parent;
      child.key = key;
    }
  }

  /** `written` is the `<<` value as written (an alias, a mapping or a list), where a fault is reported. */
  private merge(target: ObjectNode, source: DataNode, written: YamlNode, seen: Set<string>): void {
    const sources = source.type === 'array' ? source.items : [source];
    sources.forEach((item, index) => {
      if (item.type === 'object') return this.mergeProperties(target, item, seen);
      // An unknown alias is already reported as such.
      if (item.type === 'null' && item.source === '') return;
      const at = isSeq(written) && written.items[index] ? (written.items[index] as YamlNode) : written;
      this.diagnostics.push(diagnostic('invalid-type', 'error', this.range(at), `Expected a mapping (or a list of mappings) to merge with <<, found ${describeNode(item)}.`));
    });
  }

  private mergeProperties(target: ObjectNode, item: ObjectNode, seen: Set<string>): void {
    for (const property of item.properties) {
      if (seen.has(property.key)) continue;
      seen.add(property.key);
      target.properties.push(mergedProperty(property));
    }
  }

  private aliasLimit(node: YamlNode): void {
    if (!this.complete) return;
    this.complete = false;
    this.diagnostics.push(
      diagnostic(
        'alias-limit',
        'error',
        this.range(node),
        `YAML aliases here expand to more than ${LIMITS.maxAliasExpansion.toLocaleString('en-US')} values (an alias bomb?). Expected a few plain aliases; the document is not checked further.`,
      ),
    );
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

const sizes = new WeakMap<DataNode, number>();

/** The number of values a node stands for once aliases are expanded. */
function sizeOf(node: DataNode): number {
  const cached = sizes.get(node);
  if (cached !== undefined) return cached;
  let size = 1;
  sizes.set(node, size); // guards against cycles
  if (node.type === 'object') for (const p of node.properties) size += sizeOf(p.value);
  else if (node.type === 'array') for (const item of node.items) size += sizeOf(item);
  sizes.set(node, size);
  return size;
}

/**
 * Offset of the first flow bracket (`[` or `{`) deeper than `limit`, skipping
 * comments and quoted scalars. A quote only opens a string where a token
 * starts, so the apostrophe in `don't` does not hide the brackets after it.
 * It runs over every region before it is parsed: it jumps from one bracket,
 * `#` or quote to the next rather than reading each character.
 */
export function findExcessiveFlowNesting(source: string, limit: number): number | undefined {
  const interesting = /[#"'[\]{}]/g;
  let depth = 0;
  for (let match = interesting.exec(source); match; match = interesting.exec(source)) {
    const i = match.index;
    const ch = source.charCodeAt(i);
    const previous = i > 0 ? source.charCodeAt(i - 1) : 10;
    const afterSpace = previous === 32 || previous === 9 || previous === 10 || previous === 13;
    const atTokenStart = afterSpace || previous === 91 || previous === 123 || previous === 44 || previous === 58;
    if (ch === 35 /* # */) {
      if (afterSpace) interesting.lastIndex = lineBreakAfter(source, i) + 1;
    } else if (ch === 34 /* " */) {
      if (atTokenStart) interesting.lastIndex = closingDoubleQuote(source, i) + 1;
    } else if (ch === 39 /* ' */) {
      if (atTokenStart) interesting.lastIndex = closingSingleQuote(source, i) + 1;
    } else if (ch === 91 || ch === 123) {
      if (++depth > limit) return i;
    } else if (depth > 0) depth--;
  }
  return undefined;
}

/** The first CR or LF after `from`, or the end. */
function lineBreakAfter(source: string, from: number): number {
  let i = from;
  while (i < source.length && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
  return i;
}

/** The closing quote of the double-quoted string opening at `open` (backslash escapes), or the end. */
function closingDoubleQuote(source: string, open: number): number {
  let i = open + 1;
  for (; i < source.length && source.charCodeAt(i) !== 34; i++) if (source.charCodeAt(i) === 92) i++;
  return i;
}

/** The closing quote of the single-quoted string opening at `open` (`''` escapes), or the end. */
function closingSingleQuote(source: string, open: number): number {
  let i = open + 1;
  for (; i < source.length; i++) {
    if (source.charCodeAt(i) !== 39) continue;
    if (source.charCodeAt(i + 1) !== 39) break;
    i++;
  }
  return i;
}
