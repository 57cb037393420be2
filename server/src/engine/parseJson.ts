import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { arrayNode, objectNode, propertyNode, scalarNode, shortenForMessage, type DataNode, type ScalarNode } from './dataNode';
import { diagnostic, duplicateKeyMessage, type EngineDiagnostic } from './diagnostics';
import { LIMITS } from './limits';
import type { ParsedValue } from './parseYaml';

const JSON_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol: expected a JSON value (NaN, Infinity and unquoted words are not JSON)',
  InvalidNumberFormat: 'Invalid number: expected digits with an optional fraction and exponent',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected a colon after the property name',
  CommaExpected: 'Expected a comma between values',
  CloseBraceExpected: 'Expected a closing brace `}`',
  CloseBracketExpected: 'Expected a closing bracket `]`',
  EndOfFileExpected: 'Expected the end of the file after the top-level value',
  InvalidCommentToken: 'Comments are not allowed in JSON: expected plain JSON, without the comment',
  UnexpectedEndOfComment: 'A comment is not closed (and comments are not JSON): expected plain JSON',
  UnexpectedEndOfString: 'A string is not closed: expected a closing double quote',
  UnexpectedEndOfNumber: 'A number is not finished: expected digits',
  InvalidUnicode: 'Invalid unicode escape: expected \\u and four hex digits',
  InvalidEscapeCharacter: 'Invalid escape in a string: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u',
  InvalidCharacter: 'Invalid character in a string: expected control characters to be escaped (\\n, \\t)',
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
  let previousEnd = -1;
  let previousMessage = '';
  for (const error of errors) {
    const name = printParseErrorCode(error.error);
    // jsonc-parser reports the token after a bad one again (NaN, then "value expected"): one fault, one diagnostic.
    if (previousEnd >= 0 && error.offset >= previousEnd && !text.slice(previousEnd, error.offset).trim()) {
      const last = diagnostics[diagnostics.length - 1];
      if (name === 'InvalidSymbol' && error.offset === previousEnd && last?.range.end === previousEnd) {
        // `-Infinity` comes as `-` then `Infinity`: one token.
        const end = error.offset + error.length;
        diagnostics[diagnostics.length - 1] = diagnostic('json-syntax', 'error', { start: last.range.start, end }, `${previousMessage}${foundText(text, last.range.start, end - last.range.start)}.`);
      }
      previousEnd = Math.max(previousEnd, error.offset + Math.max(error.length, 1));
      continue;
    }
    previousEnd = error.offset + Math.max(error.length, 1);
    previousMessage = JSON_ERROR_TEXT[name] ?? name;
    if (name === 'ValueExpected' || name === 'PropertyNameExpected') {
      const before = text.slice(0, error.offset).trimEnd();
      if (before.endsWith(',') && /^\s*[}\]]/.test(text.slice(error.offset))) {
        const comma = before.length - 1;
        diagnostics.push(diagnostic('json-syntax', 'error', { start: comma, end: comma + 1 }, 'Trailing comma: JSON does not allow a comma before a closing bracket. Expected another value after it, or no comma.'));
        continue;
      }
    }
    const message = JSON_ERROR_TEXT[name] ?? name;
    diagnostics.push(diagnostic('json-syntax', 'error', visibleRange(text, error.offset, error.length), `${message}${foundText(text, error.offset, error.length)}.`));
  }
  const syntaxErrors = diagnostics.length > 0;
  const root = tree ? convert(text, tree, diagnostics) : undefined;
  return { root, diagnostics, complete: true, syntaxErrors };
}

/** A range the editor can show: errors at a line break or the end move back onto the last token. */
function visibleRange(text: string, offset: number, length: number): { start: number; end: number } {
  let start = Math.min(offset, text.length);
  if (length === 0 || start >= text.length || /\s/.test(text[start])) {
    while (start > 0 && /\s/.test(text[start - 1])) start--;
    if (start > 0 && (length === 0 || start >= text.length || /\s/.test(text[start] ?? ' '))) start--;
    return { start, end: Math.min(start + 1, text.length) };
  }
  return { start, end: Math.min(Math.max(start + 1, offset + length), text.length) };
}

/** ", found …" for errors that sit on a token. */
function foundText(text: string, offset: number, length: number): string {
  if (offset >= text.length) return ', found the end of the file';
  const token = text.slice(offset, offset + Math.max(length, 1));
  if (!token.trim()) return '';
  return `, found ${JSON.stringify(token.length > 24 ? token.slice(0, 20) + '…' : token)}`;
}

function convert(text: string, node: JsonNode, diagnostics: EngineDiagnostic[]): DataNode {
  const range = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const result = objectNode(range.start, range.end, true);
      const seen = new Set<string>();
      for (const child of node.children ?? []) {
        const [keyNode, valueNode] = child.children ?? [];
        if (!keyNode) continue;
        const key = String(keyNode.value);
        const keyRange = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
        if (seen.has(key)) {
          diagnostics.push(
            diagnostic('duplicate-key', 'error', keyRange, duplicateKeyMessage(shortenForMessage(key))),
          );
          continue;
        }
        seen.add(key);
        const value: DataNode = valueNode
          ? convert(text, valueNode, diagnostics)
          : scalarNode('null', null, '', keyRange.end, keyRange.end);
        value.parent = result;
        value.key = key;
        result.properties.push(propertyNode(key, keyRange.start, keyRange.end, value));
      }
      return result;
    }
    case 'array': {
      const items = (node.children ?? []).map((child, index) => {
        const item = convert(text, child, diagnostics);
        item.key = index;
        return item;
      });
      const result = arrayNode(range.start, range.end, true, items);
      items.forEach((item) => (item.parent = result));
      return result;
    }
    case 'number': {
      const source = text.slice(range.start, range.end);
      if (!Number.isFinite(node.value)) {
        diagnostics.push(diagnostic('out-of-range', 'error', range, `The number ${source.length > 24 ? source.slice(0, 20) + '…' : source} has too many digits to be represented. Expected a finite number.`));
      }
      return scalarNode('number', node.value, source, range.start, range.end);
    }
    case 'string':
    case 'boolean':
    case 'null':
      return scalarNode(node.type, node.value as ScalarNode['value'], text.slice(range.start, range.end), range.start, range.end);
    default:
      return scalarNode('null', null, '', range.start, range.end);
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
