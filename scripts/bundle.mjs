#!/usr/bin/env node
// Build step after `tsc`: turns every node and credential listed in package.json's `n8n` section into one
// self-contained CommonJS file at the path n8n's loader expects (dist/nodes/<Vendor>/<Name>.node.js, …), so the
// published package has no runtime `dependencies` (n8n's verification forbids them).
//   - our own code (transport, profiles, generated descriptions) is bundled into each entry;
//   - third-party libraries (luxon, fast-xml-parser) are bundled ONCE into dist/vendor/<lib>.js, with their licence,
//     and each entry requires that file by a relative path;
//   - n8n-workflow stays external: n8n provides it (the package's only peer dependency).
// tsc still emits the rest of dist/ for the unit tests, which load internal modules; `files` ships only the
// entries, dist/vendor and dist/icons.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
/** Libraries we use at run time and ship inside dist/vendor. */
export const VENDORED = ['luxon', 'fast-xml-parser'];
/**
 * Our own modules whose state must exist once per n8n process, not once per node file: the request pacing keeps one
 * budget per credential, and Buildium's six nodes (and its trigger) share a key's 10 requests per second. Bundled once
 * into dist/shared/<name>.js and required by every entry, so Node's module cache makes them one instance.
 */
export const SHARED = { 'nodes/common/transport/pacing.ts': 'pacing' };
const TARGET = 'node20';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials];

/** An esbuild plugin: `import … from 'luxon'` becomes `require('<relative>/vendor/luxon.js')` from `outfile`. */
function vendorPlugin(outfile, used) {
	return {
		name: 'vendor',
		setup(b) {
			const filter = new RegExp(`^(${VENDORED.map((v) => v.replace(/[-/]/g, '\\$&')).join('|')})$`);
			b.onResolve({ filter }, (args) => {
				used.add(args.path);
				let rel = relative(dirname(outfile), join(root, 'dist/vendor', `${args.path}.js`)).split('\\').join(posix.sep);
				if (!rel.startsWith('.')) rel = `./${rel}`;
				return { path: rel, external: true };
			});
		},
	};
}

/** An esbuild plugin: imports of a SHARED module become `require('<relative>/shared/<name>.js')` from `outfile`. */
function sharedPlugin(outfile) {
	return {
		name: 'shared',
		setup(b) {
			b.onResolve({ filter: /^\.\.?\// }, (args) => {
				const target = relative(root, resolve(args.resolveDir, args.path)).split('\\').join(posix.sep);
				const name = SHARED[`${target}.ts`] ?? SHARED[target];
				if (!name) return undefined;
				let rel = relative(dirname(outfile), join(root, 'dist/shared', `${name}.js`)).split('\\').join(posix.sep);
				if (!rel.startsWith('.')) rel = `./${rel}`;
				return { path: rel, external: true };
			});
		},
	};
}

/** A library's folder: from its package.json, or (when `exports` hides that file) up from its entry point. */
function packageDir(lib) {
	try {
		return dirname(require.resolve(`${lib}/package.json`));
	} catch {
		let dir = dirname(require.resolve(lib));
		while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== lib) {
			const up = dirname(dir);
			if (up === dir) throw new Error(`${lib}: package folder not found`);
			dir = up;
		}
		return dir;
	}
}

const used = new Set();
for (const [source, name] of Object.entries(SHARED)) {
	await build({
		entryPoints: [join(root, source)],
		outfile: join(root, 'dist/shared', `${name}.js`),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: TARGET,
		external: ['n8n-workflow'],
		plugins: [vendorPlugin(join(root, 'dist/shared', `${name}.js`), used)],
		logLevel: 'warning',
		legalComments: 'none',
	});
}
for (const entry of entries) {
	const outfile = join(root, entry);
	const source = join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	if (!existsSync(source)) throw new Error(`${entry}: no source ${relative(root, source)}`);
	await build({
		entryPoints: [source],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: TARGET,
		keepNames: true, // n8n's loader finds the class by the file name
		external: ['n8n-workflow'],
		plugins: [sharedPlugin(outfile), vendorPlugin(outfile, used)],
		logLevel: 'warning',
		legalComments: 'none',
	});
	rmSync(`${outfile}.map`, { force: true }); // tsc's map described the file this replaced
}

for (const lib of used) {
	const outfile = join(root, 'dist/vendor', `${lib}.js`);
	await build({
		stdin: { contents: `module.exports = require(${JSON.stringify(lib)});`, resolveDir: root, loader: 'js' },
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: TARGET,
		minify: true,
		logLevel: 'warning',
	});
	// MIT asks for the notice to travel with the code.
	const libDir = packageDir(lib);
	const licence = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => join(libDir, f)).find(existsSync);
	if (!licence) throw new Error(`${lib}: no licence file to ship`);
	mkdirSync(dirname(outfile), { recursive: true });
	copyFileSync(licence, join(root, 'dist/vendor', `${lib}.LICENSE`));
	const { version } = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8'));
	writeFileSync(`${outfile}`, `/*! ${lib} ${version} | see ${lib}.LICENSE */\n${readFileSync(outfile, 'utf8')}`);
}
console.log(`bundled ${entries.length} entries; shared: ${Object.values(SHARED).join(', ')}; vendored: ${[...used].join(', ') || 'none'}`);
