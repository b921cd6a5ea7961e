import { attr, child, children, elements, text, type XmlNode } from './xml-tree.js';
import type { MTConnectErrorEntry } from './types.js';

/** "OutOfRange" -> "OUT_OF_RANGE", for 2.6+ structured errors that lack errorCode. */
function codeFromElement(element: string): string {
  return element.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function entry(element: string, node: XmlNode): MTConnectErrorEntry {
  const code = attr(node, 'errorCode') || codeFromElement(element);
  // 2.6+ puts the text in <ErrorMessage>; older shapes use the element's own text.
  const message = text(child(node, 'ErrorMessage')) || text(node);
  return { code: code.toUpperCase(), message };
}

/**
 * Accepts the three shapes agents send: legacy `<Error>` directly under the root, `<Errors><Error>…`,
 * and 2.6+ structured elements (`<Errors><OutOfRange errorCode=…><ErrorMessage>…`).
 */
export function parseErrors(root: XmlNode): MTConnectErrorEntry[] {
  const out: MTConnectErrorEntry[] = children(root, 'Error').map((node) => entry('Error', node));
  for (const wrapper of children(root, 'Errors')) {
    for (const [element, node] of elements(wrapper)) out.push(entry(element, node));
  }
  return out;
}
