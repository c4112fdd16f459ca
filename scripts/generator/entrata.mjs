// RPC catalogue adapter (Entrata): turns specs/entrata-methods.json (service → method → version → params) plus the
// curated names in scripts/generator/entrata.json into the same raw operations and overrides the OpenAPI adapter
// feeds buildModel. Every method becomes one operation `POST /<service>`; its params become body fields under
// `method.params.<name>`; `rpc` carries what the emitter needs to build the envelope (method name, versions, date
// formats). Nothing here knows n8n: the emitter turns the model into descriptions.
import { readFileSync } from 'node:fs';

import { humanize } from './model.mjs';

/** Words Entrata writes in camelCase that read as acronyms in a label. */
const ACRONYMS = { Ar: 'AR', Ap: 'AP', Gl: 'GL', Mits: 'MITS', Po: 'PO', Ids: 'IDs', Id: 'ID' };

/** `getMitsLeaseArTransactions` → `Get MITS Lease AR Transactions`. */
export function methodLabel(method) {
	return humanize(method)
		.split(' ')
		.map((w) => ACRONYMS[w] ?? w)
		.join(' ');
}

/** Sentence case that keeps acronyms: `Get MITS Lease AR Transactions` → `Get MITS lease AR transactions`. */
export function sentenceCase(label) {
	return label
		.split(' ')
		.map((w, i) => (i === 0 || /^[A-Z]{2,}s?$|^IDs$/.test(w) ? w : w.toLowerCase()))
		.join(' ');
}

const BOILERPLATE = [
	/This is an? (?:required|optional) field\.?/gi,
	/This field accepts (?:a )?single (?:integer )?value(?: fo ?r [\w ]+)?\.?/gi,
	/This field accepts comma sep[ae]rated multiple values\.?/gi,
	/This is an conditionally mandatory field\.?/gi,
];

/** The catalogue's description without its boilerplate; undefined when only the name or nothing is left. */
export function cleanDescription(name, text) {
	let t = String(text ?? '').replace(/\\"/g, '"');
	for (const re of BOILERPLATE) t = t.replace(re, ' ');
	t = t
		.replace(/\s*-?\s*comma sep[ae]rated\b/gi, '')
		.replace(/\bsep[ae]rated\b/gi, 'separated')
		.replace(/\b(?:id|Id)\b/g, 'ID')
		.replace(/\b(?:ids|Ids)\b/g, 'IDs')
		.replace(/\s+/g, ' ')
		.replace(/\s+([,.;)])/g, '$1')
		.trim();
	t = t
		.replace(/\bi\.e\.\s*/g, 'that is ')
		.replace(/\be\.g\.\s*/gi, 'for example ')
		.replace(/\.\s+([a-z])/g, (m, c) => `. ${c.toUpperCase()}`)
		.trim();
	if (/^[a-z]/.test(t)) t = t[0].toUpperCase() + t.slice(1);
	const bare = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
	if (!t || bare(t) === bare(name) || bare(t) === bare(humanize(name))) return undefined;
	// The node's description budget (≤ 300 kB for 137 methods) allows about this much per field.
	if (t.length > 110) t = `${t.slice(0, 107).replace(/\s+\S*$/, '')}…`;
	return t;
}

const multiValued = (p) => /comma sep[ae]rated multiple|multiple values|comma-separated/i.test(p.description ?? '');

/** How a `date` param is written: MM/YYYY months, date-times by name, plain dates otherwise. */
export function dateFormat(p) {
	if (/MM\/YYYY(?!\/)/.test(p.description ?? '') && !/MM\/DD/.test(p.description ?? '')) return 'month';
	if (/date ?time$/i.test(p.name)) return 'dateTime';
	return 'date';
}

/** One catalogue param → a JSON-schema property the shared model understands. */
function schemaOf(p, curated) {
	const description = curated.params?.[p.name]?.description ?? cleanDescription(p.name, p.description);
	// queue and reports come from the legacy docs without types: text, unless described as an object.
	const type = p.type ?? (/^object\b/.test(p.description ?? '') ? 'object' : 'StrictStr');
	switch (type) {
		case 'StrictInt':
			return multiValued(p)
				? { type: 'string', description: description ? `${description.replace(/\.$/, '')} (comma-separated)` : 'Comma-separated list' }
				: { type: 'integer', description };
		case 'StrictBool':
			return { type: 'boolean', description };
		case 'date':
			return { type: 'string', format: 'date-time', description };
		case 'StrictStr':
			return { type: 'string', description: multiValued(p) ? `${(description ?? 'Values').replace(/\.$/, '')} (comma-separated)` : description };
		default:
			if (/^List\[Strict(Int|Str)/.test(type)) return { type: 'array', items: { type: /Int/.test(type) ? 'integer' : 'string' }, description };
			// Nested records the catalogue lost (its caveat): a JSON field with an example.
			return { type: 'object', description: description ?? 'JSON value (see the example)' };
	}
}

/** Newest first: r4, r3, r2, r1. */
const byNewest = (a, b) => Number(b.slice(1)) - Number(a.slice(1));

/**
 * @returns {{ cfg: object, rawOps: object[] }} cfg = the curated JSON completed with per-operation overrides,
 * rawOps = one raw operation per method, ready for buildModel.
 */
export function rpcInput(curated, catalogue) {
	const services = { ...catalogue.services, ...catalogue.extra_services_without_params };
	const resources = {};
	const operations = {};
	const rawOps = [];
	for (const [service, methods] of Object.entries(services)) {
		const resource = curated.services[service];
		if (!resource) throw new Error(`${curated.vendor}: service ${service} has no entry in "services"`);
		resources[service] = resource;
		for (const [method, versionMap] of Object.entries(methods)) {
			if (method.startsWith('_')) continue;
			const id = `${service}.${method}`;
			const ov = curated.operations?.[id] ?? {};
			const extra = curated.extraParams?.[id] ?? {};
			const versions = Object.keys(versionMap).filter((v) => /^r\d+$/.test(v)).sort(byNewest);
			const dates = {};
			const perVersion = versions.map((version) => {
				const params = [...versionMap[version], ...(extra[version] ?? extra.all ?? [])];
				const properties = {};
				const required = [];
				for (const p of params) {
					properties[p.name] = schemaOf(p, curated);
					if (p.required) required.push(p.name);
					if (p.type === 'date') dates[p.name] = dateFormat(p);
					if (!/^[A-Za-z][A-Za-z0-9]*$/.test(p.name)) throw new Error(`${id}: param name ${p.name} is not an identifier`);
				}
				return { version, body: { type: 'object', properties, required } };
			});
			const label = ov.name ?? methodLabel(method);
			operations[id] = {
				value: method,
				kind: ov.paging ? 'list' : 'single',
				paging: ov.paging && ov.paging !== 'default' ? ov.paging : undefined,
				pagination: ov.pagination,
				name: label,
				action: ov.action ?? sentenceCase(label === 'Get Many' ? `Get many ${resource.plural ?? `${resource.name}s`}` : label),
				// The action already says what a method does; a description only where the name needs one (size budget).
				description: ov.description,
				nodeFields: ov.nodeFields,
			};
			rawOps.push({
				operationId: id,
				tag: service,
				method: 'POST',
				path: `/${service}`,
				summary: undefined,
				parameters: [],
				body: perVersion[0].body,
				versions: perVersion,
				rpc: { service, method, versions, defaultVersion: versions[0], dates },
			});
		}
	}
	const cfg = { ...curated, resources, operations, fields: curated.params ?? {} };
	return { cfg, rawOps };
}

export function loadCatalogue(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}
