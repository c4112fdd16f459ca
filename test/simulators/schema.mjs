// A small JSON-Schema (OpenAPI 3.0 dialect) validator that reports errors the way ajv v6 does
// ({ keyword, dataPath: '.a.b[0]', schemaPath: '#/properties/a/...', params, message }), which is the shape
// RentEngine documents for its 400 `details`. It covers the keywords the vendor specs use: type (+ nullable),
// enum, required, properties, additionalProperties, items, minItems/maxItems, minimum/maximum,
// minLength/maxLength, pattern and format (date-time, uuid). Unlike ajv's default it collects every error.
// Schemas must already be dereferenced (no $ref / allOf), e.g. with scripts/generator/openapi.mjs `resolver`.

const FORMATS = {
	// ajv's "fast" date-time: a date, a time, optional fraction and optional zone.
	'date-time': (s) => /^\d{4}-[01]\d-[0-3]\d[tT\s][0-2]\d:[0-5]\d:[0-5]\d(\.\d+)?([zZ]|[+-]\d\d(:?\d\d)?)?$/.test(s) && !Number.isNaN(Date.parse(s)),
	uuid: (s) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(s),
};

const TYPES = {
	string: (v) => typeof v === 'string',
	number: (v) => typeof v === 'number' && Number.isFinite(v),
	integer: (v) => Number.isInteger(v),
	boolean: (v) => typeof v === 'boolean',
	object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
	array: (v) => Array.isArray(v),
	null: (v) => v === null,
};

const prop = (dataPath, key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${dataPath}.${key}` : `${dataPath}['${key}']`);

/** Validates `data` against `schema`; returns the list of ajv-style errors (empty = valid). */
export function validate(schema, data, dataPath = '', schemaPath = '#', errors = []) {
	if (!schema || typeof schema !== 'object') return errors;
	const err = (keyword, params, message, path = dataPath) => errors.push({ keyword, dataPath: path, schemaPath: `${schemaPath}/${keyword}`, params, message });

	if (data === null && schema.nullable) return errors;
	if (schema.type && !TYPES[schema.type]?.(data)) {
		err('type', { type: schema.type }, `should be ${schema.type}`);
		return errors; // like ajv: the other keywords are meaningless once the type is wrong
	}
	if (schema.enum && !schema.enum.some((e) => e === data)) {
		err('enum', { allowedValues: schema.enum }, 'should be equal to one of the allowed values');
	}
	if (typeof data === 'number') {
		if (schema.maximum !== undefined && data > schema.maximum) err('maximum', { limit: schema.maximum }, `should be <= ${schema.maximum}`);
		if (schema.minimum !== undefined && data < schema.minimum) err('minimum', { limit: schema.minimum }, `should be >= ${schema.minimum}`);
	}
	if (typeof data === 'string') {
		if (schema.maxLength !== undefined && data.length > schema.maxLength) err('maxLength', { limit: schema.maxLength }, `should NOT be longer than ${schema.maxLength} characters`);
		if (schema.minLength !== undefined && data.length < schema.minLength) err('minLength', { limit: schema.minLength }, `should NOT be shorter than ${schema.minLength} characters`);
		if (schema.pattern && !new RegExp(schema.pattern).test(data)) err('pattern', { pattern: schema.pattern }, `should match pattern "${schema.pattern}"`);
		if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format](data)) err('format', { format: schema.format }, `should match format "${schema.format}"`);
	}
	if (Array.isArray(data)) {
		if (schema.maxItems !== undefined && data.length > schema.maxItems) err('maxItems', { limit: schema.maxItems }, `should NOT have more than ${schema.maxItems} items`);
		if (schema.minItems !== undefined && data.length < schema.minItems) err('minItems', { limit: schema.minItems }, `should NOT have fewer than ${schema.minItems} items`);
		if (schema.items) data.forEach((item, i) => validate(schema.items, item, `${dataPath}[${i}]`, `${schemaPath}/items`, errors));
	}
	if (TYPES.object(data)) {
		for (const name of schema.required ?? []) {
			if (data[name] === undefined) err('required', { missingProperty: name }, `should have required property '${name}'`);
		}
		const props = schema.properties ?? {};
		for (const [key, value] of Object.entries(data)) {
			if (Object.hasOwn(props, key)) {
				if (value !== undefined) validate(props[key], value, prop(dataPath, key), `${schemaPath}/properties/${key}`, errors);
			} else if (schema.additionalProperties === false) {
				err('additionalProperties', { additionalProperty: key }, 'must NOT have additional properties');
			} else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
				validate(schema.additionalProperties, value, prop(dataPath, key), `${schemaPath}/additionalProperties`, errors);
			}
		}
	}
	return errors;
}

/** Query strings are text: coerce one value towards the schema type (ajv `coerceTypes`); leave it alone if it cannot be. */
function coerceScalar(schema, text) {
	switch (schema?.type) {
		case 'integer':
			return /^-?\d+$/.test(text) ? Number(text) : text;
		case 'number':
			return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
		case 'boolean':
			return text === 'true' ? true : text === 'false' ? false : text;
		default:
			return text;
	}
}

/**
 * Builds a strict object schema from OpenAPI query parameters and validates a parsed query against it.
 * Array parameters are `style: form, explode: false` ("comma-separated"); a repeated name is accepted too.
 * Unknown names are reported as ajv `additionalProperties` errors. Defaults are filled in after validation.
 * @returns {{ values: object, errors: object[] }}
 */
export function validateQuery(parameters, query) {
	const schema = { type: 'object', properties: {}, required: [], additionalProperties: false };
	for (const p of parameters.filter((x) => x.in === 'query')) {
		schema.properties[p.name] = p.schema ?? { type: 'string' };
		if (p.required) schema.required.push(p.name);
	}
	const values = Object.create(null); // a '__proto__' query name must stay an ordinary (unknown) key
	for (const [name, raw] of Object.entries(query)) {
		const s = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
		if (s?.type === 'array') {
			values[name] = [].concat(raw).flatMap((v) => v.split(',')).map((v) => coerceScalar(s.items, v.trim()));
		} else {
			values[name] = Array.isArray(raw) ? raw : coerceScalar(s, raw); // a repeated scalar fails the type check
		}
	}
	const errors = validate(schema, values);
	for (const [name, s] of Object.entries(schema.properties)) {
		if (values[name] === undefined && s.default !== undefined) values[name] = s.default;
	}
	return { values, errors };
}
