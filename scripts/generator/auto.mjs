// Operation names derived from an OpenAPI summary, for specs too large to curate by hand (Buildium: 439).
// "Retrieve all property images" on tag "Rental Properties" → name "Get Many Images", value "getManyImages",
// action "Get many property images"; the tag's own record ("Retrieve all properties") → "Get Many" / "getAll".
// Curated entries in the vendor's JSON (`operations[operationId]`) still win field by field.
import { camel } from './model.mjs';

const VERBS = {
	retrieve: 'Get',
	retrieves: 'Get',
	get: 'Get',
	edit: 'Update',
};
const ARTICLES = new Set(['a', 'an', 'the']);

/** Singular of one English word ("properties" → "property", "addresses" → "address", "status" stays). */
export function singular(word) {
	const w = word.toLowerCase();
	if (/(ss|us|is)$/.test(w)) return word;
	if (/ies$/.test(w)) return `${word.slice(0, -3)}y`;
	if (/(ches|shes|sses|xes|zes)$/.test(w)) return word.slice(0, -2);
	if (/s$/.test(w)) return word.slice(0, -1);
	return word;
}

const words = (text) => String(text).split(/\s+/).filter(Boolean);
const title = (text) =>
	words(text.replace(/'s\b/g, ''))
		.map((w) => w.replace(/(^|[(-])([a-z])(?=[a-z]*\W*$|[a-z]*-)/g, (m, p, c) => p + c.toUpperCase()))
		.join(' ');
/** n8n's linter wants actions in plain sentence case ("Get epay settings"). */
const sentence = (text) => {
	const plain = text.replace(/\((.*?)\)/g, '$1').replace(/\//g, ' or ').replace(/'s\b/g, '').replace(/-/g, '');
	return plain[0].toUpperCase() + plain.slice(1).toLowerCase();
};

/**
 * Splits a summary into the n8n verb and the rest: "Retrieve all X" → Get Many X, "Retrieve a X" → Get X,
 * "Create/Update a X" → Create/Update X, anything else keeps its verb ("Inactivate a property").
 */
export function parseSummary(summary) {
	const [first, ...rest] = words(String(summary).replace(/\.$/, ''));
	let verb = VERBS[first.toLowerCase()] ?? title(first);
	let many = false;
	if (rest[0]?.toLowerCase() === 'all') {
		rest.shift();
		many = verb === 'Get';
	}
	while (rest.length && ARTICLES.has(rest[0].toLowerCase())) rest.shift();
	if (many) verb = 'Get Many';
	return { verb, noun: rest.join(' ') };
}

/**
 * Drops the words of the resource itself from the front of a noun: on "Applicants", "applicant group notes" →
 * "group notes"; on "Rental Properties", "property images" → "images" and "properties" → "" (the tag's own record).
 */
function stripResource(nounIn, tagWords) {
	// "files for a check" → "check files"; "settings for a lease" on Leases → "settings".
	const noun = nounIn.replace(/^(.+?) for (?:a|an) (\w+)$/i, (m, what, owner) =>
		tagWords.has(singular(owner).toLowerCase()) ? what : `${owner} ${what}`,
	);
	const parts = words(noun);
	let i = 0;
	while (i < parts.length && tagWords.has(singular(parts[i]).toLowerCase())) i++;
	// A noun made only of resource words is the resource's own record.
	return i === parts.length ? '' : parts.slice(i).join(' ');
}

/**
 * Auto-derived overrides for every operation of the spec that has no curated entry, with names unique within each
 * resource. `kind` is "list" when the operation takes the profile's paging parameters.
 */
export function autoOverrides(cfg, rawOps) {
	const out = {};
	const byTag = new Map();
	for (const raw of rawOps) {
		if (!byTag.has(raw.tag)) byTag.set(raw.tag, []);
		byTag.get(raw.tag).push(raw);
	}
	const paging = new Set(cfg.skipParameters ?? []);
	for (const [tag, ops] of byTag) {
		const tagWords = new Set(words(tag).map((w) => singular(w).toLowerCase()));
		for (const w of cfg.resources[tag]?.aliases ?? []) tagWords.add(w.toLowerCase());
		const named = ops.map((raw) => {
			let { verb, noun } = parseSummary(raw.summary ?? raw.operationId);
			// "Retrieve all amenities" that answers one object is a plain Get.
			if (verb === 'Get Many' && !raw.returnsArray) verb = 'Get';
			const rest = stripResource(noun, tagWords);
			// A list pages an array; the spec's one paged GET that answers a single object (architectural request files)
			// is a plain Get (without limit/offset, see buildModel), so the node reads what the spec says it returns.
			const list = raw.method === 'GET' && raw.returnsArray && (raw.parameters ?? []).some((p) => p.in === 'query' && paging.has(p.name));
			return { raw, verb, noun, rest, list };
		});
		const counts = new Map();
		for (const n of named) n.name = n.rest ? `${n.verb} ${title(n.rest)}` : n.verb;
		for (const n of named) counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
		for (const n of named) {
			// Same words for two operations (rare): the path's last static segment tells them apart.
			// PUT replaces, PATCH changes some fields: the PATCH one is the partial update.
			const group = named.filter((m) => m.name === n.name);
			if (group.length > 1 && group.some((m) => m.raw.method === 'PATCH')) {
				if (n.raw.method === 'PATCH') n.partial = true;
			} else if (counts.get(n.name) > 1) {
				const segment = n.raw.path.split('/').filter((s) => s && !s.startsWith('{')).pop();
				n.name = `${n.name} (${segment})`;
			}
		}
		for (const n of named) if (n.partial) n.name = `${n.name} (Partial)`;
		for (const n of named) {
			const value = n.name === 'Get Many' ? 'getAll' : camel(n.name);
			out[n.raw.operationId] = {
				value,
				name: n.name,
				kind: n.list ? 'list' : 'single',
				// Actions read as the vendor's own sentence with n8n's verbs: "Get many property images".
				// The resource's own record gets the model's default action ("Get many rental properties").
				action: n.rest
					? sentence(`${n.partial ? 'Partially ' : ''}${n.verb} ${n.noun}`)
					: n.partial || /[^\w\s]/.test(n.name)
						? sentence(`${n.partial ? 'Partially ' : ''}${n.verb} ${cfg.resources[tag].name}`)
						: undefined,
				auto: true,
			};
		}
	}
	return out;
}
