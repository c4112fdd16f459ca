#!/usr/bin/env node
// Generates the declarative node descriptions from the vendor specs + curated overrides.
//   node scripts/generate.mjs           write nodes/<Vendor>/resources/** and the README tables
//   node scripts/generate.mjs --check   exit 1 if anything on disk differs from what would be written
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { enumsFile, indexFile, operationsTable, resetEnums, resourceFile } from './generator/emit.mjs';
import { loadCatalogue, rpcInput } from './generator/entrata.mjs';
import { buildModel } from './generator/model.mjs';
import { loadSpec, rawOperations } from './generator/openapi.mjs';
import { specPath } from './lib/specs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VENDORS = ['rentengine', 'buildium', 'entrata'];

/**
 * The two input kinds: an OpenAPI file (REST: RentEngine, Buildium) or an RPC method catalogue (Entrata: one POST
 * per service, the method named in the body). Both end as raw operations + overrides for the same model.
 */
export function loadVendor(id) {
	const curated = { id, ...JSON.parse(readFileSync(join(root, 'scripts/generator', `${id}.json`), 'utf8')) };
	if (curated.kind === 'rpc') {
		const { cfg, rawOps } = rpcInput(curated, loadCatalogue(specPath(curated.spec)));
		return { cfg, model: buildModel(cfg, rawOps) };
	}
	return { cfg: curated, model: buildModel(curated, rawOperations(loadSpec(specPath(curated.spec)))) };
}


export function generate() {
	const files = new Map();
	for (const id of VENDORS) {
		const { cfg, model } = loadVendor(id);
		resetEnums();
		for (const entry of model) files.set(join(cfg.out, entry.resource.value, 'index.ts'), resourceFile(cfg, entry));
		if (cfg.maxInlineOptions) files.set(join(cfg.out, 'options.ts'), enumsFile(cfg));
		if (cfg.nodes) for (const key of Object.keys(cfg.nodes)) files.set(join(cfg.out, `${key}.ts`), indexFile(cfg, model, key));
		else files.set(join(cfg.out, 'index.ts'), indexFile(cfg, model));
		const readme = join(root, 'README.md');
		if (files.has('README.md') || existsSync(readme)) {
			// Each vendor's table goes into the README as the previous vendors left it.
			const text = files.get('README.md') ?? readFileSync(readme, 'utf8');
			const start = `<!-- generated:${id}-operations -->`;
			const end = `<!-- /generated:${id}-operations -->`;
			const a = text.indexOf(start);
			const b = text.indexOf(end);
			if (a >= 0 && b > a) files.set('README.md', `${text.slice(0, a + start.length)}\n${operationsTable(cfg, model)}\n${text.slice(b)}`);
		}
	}
	return files;
}

function main() {
	const check = process.argv.includes('--check');
	const files = generate();
	const stale = [];
	for (const [rel, content] of files) {
		const abs = join(root, rel);
		const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
		if (current === content) continue;
		stale.push(rel);
		if (!check) {
			mkdirSync(dirname(abs), { recursive: true });
			writeFileSync(abs, content);
		}
	}
	// Resource folders that no longer exist in the model are stale too.
	for (const id of VENDORS) {
		const cfg = JSON.parse(readFileSync(join(root, 'scripts/generator', `${id}.json`), 'utf8'));
		const dir = join(root, cfg.out);
		if (!existsSync(dir)) continue;
		for (const name of readdirSync(dir)) {
			if (!files.has(join(cfg.out, name)) && !files.has(join(cfg.out, name, 'index.ts'))) stale.push(join(cfg.out, name) + ' (not generated any more)');
		}
	}
	if (check) {
		if (stale.length) {
			console.error(`Generated files are out of date; run \`npm run generate\`:\n  ${stale.join('\n  ')}`);
			process.exit(1);
		}
		console.log(`generated files are current (${files.size} files)`);
	} else {
		console.log(stale.length ? `wrote ${stale.length} file(s):\n  ${stale.join('\n  ')}` : 'nothing to write');
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
