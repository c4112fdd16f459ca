#!/usr/bin/env node
// `npm run scan`: n8n's verification scanner (@n8n/scan-community-package 0.32.0, `analyzePackage()`) on
//   1. the freshly packed tarball, every .js/.ts/.json in it (stricter than the gate's own tarball leg), and
//   2. the sources, with the file patterns the gate uses for the provenance-attested source checkout.
// The registry-based parts of the gate (provenance, downloading the source) need a published release; the
// release workflow (.github/workflows/publish.yml) publishes with provenance. Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerDir = execFileSync('bash', [path.join(root, 'scripts/install-scanner.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const scanner = await import(pathToFileURL(path.join(scannerDir, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs')).href);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))[0];
const tgz = path.join(work, path.basename(packed.filename));
const pkgDir = path.join(work, 'package');
fs.mkdirSync(pkgDir);
execFileSync('tar', ['-xzf', tgz, '-C', pkgDir, '--strip-components=1']);

const legs = [
	{ name: `tarball ${path.basename(tgz)} (${packed.entryCount} files, ${packed.size} bytes)`, dir: pkgDir, patterns: undefined },
	{ name: 'sources (package.json, nodes/, credentials/)', dir: root, patterns: scanner.SOURCE_FILE_PATTERNS },
];
let failed = 0;
for (const leg of legs) {
	const result = await scanner.analyzePackage(leg.dir, leg.patterns);
	console.log(`${result.passed ? 'PASS' : 'FAIL'}  ${leg.name}${result.message ? `: ${result.message}` : ''}`);
	if (result.details) console.log(result.details);
	if (!result.passed) failed++;
}
fs.rmSync(work, { recursive: true, force: true });
console.log(failed ? `scanner: ${failed} of ${legs.length} legs failed` : `scanner: 0 errors (${legs.length} legs)`);
process.exit(failed ? 1 : 0);
