/**
 * The XML side of Open311 (GeoReport v2 is XML first): UTF-8, no namespace, one element per
 * field. Values are the same plain objects the JSON side sends (the "Spark" mapping): an array
 * becomes a wrapper element of repeated children, an object its fields, null an empty element.
 */

/** A value that can be written: what the JSON replies hold. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

/** Characters XML 1.0 cannot carry at all (controls other than tab, newline, return). */
function isIllegal(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff;
}

export function escapeXml(text: string): string {
  return [...text]
    .filter((c) => !isIllegal(c.codePointAt(0)!))
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * Names of the child elements of list fields: `<services><service>`, `<formats><format>`,
 * `<values><value>`. A list whose name is not here repeats its own name's singular (strip one "s").
 */
const itemNames: Record<string, string> = {
  services: "service",
  service_requests: "request",
  errors: "error",
  endpoints: "endpoint",
  formats: "format",
  attributes: "attribute",
  values: "value",
  timeline: "event",
};

function itemName(listName: string): string {
  return itemNames[listName] ?? (listName.endsWith("s") ? listName.slice(0, -1) : `${listName}_item`);
}

function write(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined) return;
  if (value === null || value === "") {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    const child = itemName(name);
    for (const v of value) write(child, v, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === "object") {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) write(k, v, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/** A whole document: `toXml("services", [...])` → `<?xml …?><services><service>…</service></services>`. */
export function toXml(rootName: string, value: XmlValue): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(rootName, value, out);
  return out.join("");
}

/** A parsed element: its name, its child elements in order and its text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return entities[e]!;
  });
}

/**
 * A small strict reader for the documents this module writes (and for tests and clients of
 * them): elements, text, self-closing tags and the XML declaration; no attributes, comments or
 * CDATA. Throws on anything malformed, including mismatched or unclosed tags.
 */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const s = doc.trim();
  if (s.startsWith("<?xml")) {
    const end = s.indexOf("?>");
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  const skipSpace = () => {
    while (i < s.length && " \t\r\n".includes(s[i]!)) i++;
  };
  const readName = (): string => {
    const start = i;
    while (i < s.length && /[A-Za-z0-9_.:-]/.test(s[i]!)) i++;
    if (i === start) throw new Error(`element name expected at ${start}`);
    return s.slice(start, i);
  };
  const element = (): XmlElement => {
    if (s[i] !== "<") throw new Error(`"<" expected at ${i}`);
    i++;
    const name = readName();
    skipSpace();
    if (s.startsWith("/>", i)) {
      i += 2;
      return { name, children: [], text: "" };
    }
    if (s[i] !== ">") throw new Error(`">" expected after <${name} at ${i}`);
    i++;
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      if (i >= s.length) throw new Error(`<${name}> is not closed`);
      if (s.startsWith("</", i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) throw new Error(`</${closing}> closes <${name}>`);
        skipSpace();
        if (s[i] !== ">") throw new Error(`">" expected at ${i}`);
        i++;
        return { name, children, text: children.length > 0 ? "" : unescape(text) };
      }
      if (s[i] === "<") children.push(element());
      else text += s[i++];
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== s.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

/** The first child named `name`, or undefined. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
