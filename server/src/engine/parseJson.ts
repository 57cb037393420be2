import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { DataNode, ObjectNode, ScalarNode } from './dataNode';
import { diagnostic, type EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import type { ParsedValue } from './parseYaml';

const JSON_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol: expected a JSON value (NaN, Infinity and unquoted words are not JSON)',
  InvalidNumberFormat: 'Invalid number format',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected a colon after the property name',
  CommaExpected: 'Expected a comma between values',
  CloseBraceExpected: 'Expected a closing brace `}`',
  CloseBracketExpected: 'Expected a closing bracket `]`',
  EndOfFileExpected: 'Expected the end of the file after the top-level value',
  InvalidCommentToken: 'Comments are not allowed in JSON',
  UnexpectedEndOfComment: 'A comment is not closed',
  UnexpectedEndOfString: 'A string is not closed',
  UnexpectedEndOfNumber: 'A number is not finished',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character in a string',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped)',
};

/** Parses a whole JSON document into a DataNode tree. */
export function parseJsonDocument(text: string): ParsedValue {
  const diagnostics: EngineDiagnostic[] = [];
  const tooDeep = findExcessiveNesting(text, LIMITS.maxDepth);
  if (tooDeep !== undefined) {
    diagnostics.push(
      diagnostic('nesting-too-deep', 'error', { start: tooDeep, end: tooDeep + 1 }, `The JSON nests deeper than ${LIMITS.maxDepth} levels here; the file is not checked.`),
    );
    return { diagnostics, complete: false };
  }

  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  for (const error of errors) {
    const name = printParseErrorCode(error.error);
    let message = JSON_ERROR_TEXT[name] ?? name;
    if (name === 'ValueExpected' || name === 'PropertyNameExpected') {
      const before = text.slice(0, error.offset).trimEnd();
      if (before.endsWith(',') && /^\s*[}\]]/.test(text.slice(error.offset))) message = 'Trailing comma: JSON does not allow a comma before a closing bracket';
    }
    const start = Math.min(error.offset, Math.max(0, text.length - 1));
    const end = Math.max(start + 1, Math.min(error.offset + error.length, text.length));
    diagnostics.push(diagnostic('json-syntax', 'error', { start, end }, `${message}.`));
  }
  const root = tree ? convert(text, tree, diagnostics) : undefined;
  return { root, diagnostics, complete: true };
}

function convert(text: string, node: JsonNode, diagnostics: EngineDiagnostic[]): DataNode {
  const range = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const result: ObjectNode = { type: 'object', properties: [], range, flow: true };
      const seen = new Set<string>();
      for (const child of node.children ?? []) {
        const [keyNode, valueNode] = child.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        const keyRange = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
        if (seen.has(key)) {
          diagnostics.push(
            diagnostic('duplicate-key', 'error', keyRange, `Duplicate key "${key}": each key may appear once in an object; the later one would silently win.`),
          );
          continue;
        }
        seen.add(key);
        const value: DataNode = valueNode
          ? convert(text, valueNode, diagnostics)
          : { type: 'null', value: null, source: '', range: { start: keyRange.end, end: keyRange.end } };
        value.parent = result;
        value.key = key;
        result.properties.push({ key, keyRange, value });
      }
      return result;
    }
    case 'array': {
      const items = (node.children ?? []).map((child, index) => {
        const item = convert(text, child, diagnostics);
        item.key = index;
        return item;
      });
      const result = { type: 'array' as const, items, range, flow: true };
      items.forEach((item) => (item.parent = result));
      return result;
    }
    case 'number': {
      const source = text.slice(range.start, range.end);
      if (!Number.isFinite(node.value)) {
        diagnostics.push(diagnostic('out-of-range', 'error', range, `The number ${source.length > 24 ? source.slice(0, 20) + '…' : source} has too many digits to be represented. Expected a finite number.`));
      }
      return { type: 'number', value: node.value, source, range };
    }
    case 'string':
    case 'boolean':
    case 'null':
      return { type: node.type, value: node.value, source: text.slice(range.start, range.end), range } as ScalarNode;
    default:
      return { type: 'null', value: null, source: '', range };
  }
}

/** Offset of the first bracket deeper than `limit`, ignoring brackets in strings. */
function findExcessiveNesting(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      if (++depth > limit) return i;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return undefined;
}
