import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { malformedXml } from './errors';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
});

/** XML elements: a value, a nested element, or a repeated element (array). */
export type XmlValue = string | number | boolean | XmlElement | XmlElement[] | string[];
export interface XmlElement {
  [name: string]: XmlValue | undefined;
}

/** An S3 response document: declaration, then `root` with the S3 namespace. */
export function xmlDocument(root: string, body: XmlElement, namespaced = true): string {
  const element = namespaced ? { '@_xmlns': S3_XMLNS, ...body } : body;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: element })}`;
}

// Values stay strings (keys like `007` or ` a ` must not become numbers or be trimmed).
const REPEATED = new Set(['Object', 'Part']);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  isArray: (name) => REPEATED.has(name),
});

/** Parses a request's XML body and returns its root element; `MalformedXML` when it is not. */
export function parseXmlRoot(body: Buffer, root: string): Record<string, unknown> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body.toString('utf8'), true) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
  const element = parsed[root];
  if (element === null || typeof element !== 'object') throw malformedXml();
  return element as Record<string, unknown>;
}

/** The text of a child element, or undefined when absent; `MalformedXML` when it is nested. */
export function childText(element: Record<string, unknown>, name: string): string | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // An empty element parses as '' or as an object holding only whitespace text.
  if (value && typeof value === 'object' && Object.keys(value).every((k) => k === '#text')) {
    return String((value as Record<string, unknown>)['#text'] ?? '');
  }
  throw malformedXml();
}

/** The repeated child elements `name` (objects only; whitespace text is skipped). */
export function children(
  element: Record<string, unknown>,
  name: string,
): Record<string, unknown>[] {
  const value = element[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw malformedXml();
  return value.map((item) => {
    if (item === null || typeof item !== 'object') throw malformedXml();
    return item as Record<string, unknown>;
  });
}
