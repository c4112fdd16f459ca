/**
 * XML bodies for vendors that speak XML as well as JSON (Entrata), on fast-xml-parser. One codec both ways, with the
 * conventions JSON-from-XML APIs use, so that a vendor's XML and JSON answers parse to the same objects:
 *   - attributes are grouped under `attributesGroupName` (Entrata's JSON writes them as `"@attributes": {…}`);
 *   - repeated elements become arrays, a single one stays an object (the vendor profile turns wrappers into lists);
 *   - text (element or attribute) becomes a number only when the number writes back as exactly that text (`42`,
 *     `-5`, `0.5`; not `007`, `1.50`, `+1303…`, `1e5`), `true`/`false` become booleans, everything else stays a
 *     string; an empty element is `''`. XML carries no types, so this is the one rule both formats can share.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

import { BodyParseError } from './bodyParseError';

export interface XmlCodecOptions {
	/** Where attributes go in the objects (Entrata: '@attributes'). */
	attributesGroupName: string;
}

export interface XmlCodec {
	/** `{request: {...}}` → `<?xml …?><request>…</request>`. */
	encode(document: Record<string, unknown>): string;
	/** The document's root element's content is returned under its name, like `encode` takes it. */
	decode(text: string): Record<string, unknown>;
}

/** XML text → the JSON value it stands for (see the rule above). */
export function xmlScalar(_name: string, text: string): unknown {
	if (text === 'true') return true;
	if (text === 'false') return false;
	if (/^-?\d+(\.\d+)?$/.test(text)) {
		const n = Number(text);
		if (String(n) === text && (Number.isSafeInteger(n) || !Number.isInteger(n))) return n;
	}
	return text;
}

export function createXmlCodec(options: XmlCodecOptions): XmlCodec {
	const shared = {
		ignoreAttributes: false,
		attributeNamePrefix: '',
		attributesGroupName: options.attributesGroupName,
		textNodeName: '#text',
	};
	const parser = new XMLParser({
		...shared,
		parseTagValue: false,
		parseAttributeValue: false,
		tagValueProcessor: xmlScalar,
		attributeValueProcessor: xmlScalar,
		trimValues: true,
		ignoreDeclaration: true,
		ignorePiTags: true,
		processEntities: true,
		htmlEntities: false,
	});
	const builder = new XMLBuilder({ ...shared, format: false, suppressEmptyNode: false, suppressBooleanAttributes: false });
	return {
		encode(document) {
			return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document) as string}`;
		},
		decode(text) {
			// A full validation pass would double the cost of a large answer; a body cut off in transit is caught by its
			// missing end tag, and what the parser itself refuses is reported the same way.
			const root = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.:-]*)/.exec(text)?.[1];
			const end = text.trimEnd();
			if (!root || !(end.endsWith(`</${root}>`) || (end.endsWith('/>') && end.indexOf('<', end.indexOf(root)) === -1))) {
				throw new BodyParseError('Invalid XML: the document is empty or cut off');
			}
			let parsed: Record<string, unknown> | undefined;
			let failure: string | undefined;
			try {
				parsed = parser.parse(text) as Record<string, unknown>;
			} catch (error) {
				failure = (error as Error).message;
			}
			if (failure !== undefined || !parsed) throw new BodyParseError(`Invalid XML: ${failure ?? 'nothing parsed'}`);
			return parsed;
		},
	};
}
