/**
 * XML bodies for vendors that speak XML as well as JSON (Entrata), on fast-xml-parser. One codec both ways, with the
 * conventions JSON-from-XML APIs use, so that a vendor's XML and JSON answers parse to the same objects:
 *   - attributes are grouped under `attributesGroupName` (Entrata's JSON writes them as `"@attributes": {…}`);
 *   - repeated elements become arrays, a single one stays an object (the vendor profile turns wrappers into lists);
 *   - text (element or attribute) becomes a number only when the number writes back as exactly that text (`42`,
 *     `-5`, `0.5`; not `007`, `1.50`, `+1303…`, `1e5`), `true`/`false` become booleans, everything else stays a
 *     string; an empty element is `''`. XML carries no types, so this is the one rule both formats can share.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

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
			const valid = XMLValidator.validate(text);
			if (valid !== true) throw new BodyParseError(`Invalid XML: ${valid.err.msg} (line ${valid.err.line})`);
			return parser.parse(text) as Record<string, unknown>;
		},
	};
}
