// A local npm registry for the Community Nodes UI suite: Verdaccio over TLS as `registry.npmjs.org` inside the
// suite's network namespace (see run-in-netns.sh), with a CA made for the run, and helpers to publish tarballs.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export const REGISTRY_HOST = 'registry.npmjs.org';
export const REGISTRY_URL = `https://${REGISTRY_HOST}/`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A CA and a server certificate for registry.npmjs.org signed by it (openssl, Debian). */
export function makeCertificates(dir) {
	const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=n8n-nodes-property-management test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
	ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${REGISTRY_HOST}`, '-keyout', 'server.key', '-out', 'server.csr');
	fs.writeFileSync(path.join(dir, 'san.ext'), `subjectAltName=DNS:${REGISTRY_HOST}\nbasicConstraints=CA:FALSE\n`);
	ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt');
	return { ca: path.join(dir, 'ca.crt'), key: path.join(dir, 'server.key'), cert: path.join(dir, 'server.crt') };
}

/** JSON over HTTPS to the local registry, trusting only the run's CA. */
export function registryRequest(ca, method, urlPath, body, headers = {}) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : JSON.stringify(body);
		const req = https.request(
			{ host: REGISTRY_HOST, port: 443, path: urlPath, method, ca: fs.readFileSync(ca), headers: { 'content-type': 'application/json', ...headers } },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode, json, text });
				});
			},
		);
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}

/**
 * Starts Verdaccio (VERDACCIO_BIN) on 127.0.0.1:443 as registry.npmjs.org, with no uplinks (nothing leaves the
 * namespace), and creates a publishing user. Verdaccio 6 needs Node >= 22: pass the lab's Node 24 as `node`.
 * Returns { ca, token, logFile, stop() }.
 */
export async function startRegistry({ node = process.execPath } = {}) {
	const bin = process.env.VERDACCIO_BIN;
	if (!bin || !fs.existsSync(bin)) throw new Error('VERDACCIO_BIN is not set: run the suite through test/community/run-in-netns.sh');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-registry-'));
	const certs = makeCertificates(dir);
	fs.writeFileSync(
		path.join(dir, 'config.yaml'),
		[
			`storage: ${dir}/storage`,
			'auth:',
			'  htpasswd:',
			`    file: ${dir}/htpasswd`,
			'    max_users: 5',
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			`listen: https://127.0.0.1:443/`,
			'https:',
			`  key: ${certs.key}`,
			`  cert: ${certs.cert}`,
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'verdaccio.log');
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(node, [bin, '--config', path.join(dir, 'config.yaml')], { stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	const exited = new Promise((r) => child.on('exit', r));
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			const ping = await registryRequest(certs.ca, 'GET', '/-/ping');
			if (ping.status === 200) break;
		} catch {
			/* not up yet */
		}
		if (Date.now() > deadline) throw new Error(`verdaccio did not start:\n${fs.readFileSync(logFile, 'utf8')}`);
		await sleep(200);
	}
	const user = await registryRequest(certs.ca, 'PUT', '/-/user/org.couchdb.user:ci', { name: 'ci', password: 'ci-password-0123', type: 'user' });
	if (!user.json?.token) throw new Error(`could not create the registry user: ${user.status} ${user.text}`);
	return {
		ca: certs.ca,
		token: user.json.token,
		dir,
		logFile,
		async stop() {
			child.kill('SIGTERM');
			await exited;
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * The environment under which npm (ours, and the one n8n runs to install community packages) trusts the run's CA
 * and uses a fresh cache: the machine's npm config pins `cafile` to the system bundle, and a warm cache could answer
 * for the real registry.
 */
export function registryEnv(registry) {
	return { NODE_EXTRA_CA_CERTS: registry.ca, npm_config_cafile: registry.ca, npm_config_cache: path.join(registry.dir, 'npm-cache') };
}

/** `npm publish <tgz>` to the local registry. */
export function publish(registry, tgz) {
	execFileSync('npm', ['publish', tgz, `--registry=${REGISTRY_URL}`, `--//${REGISTRY_HOST}/:_authToken=${registry.token}`, '--loglevel=error', '--provenance=false'], {
		env: { ...process.env, ...registryEnv(registry), npm_config_ignore_scripts: 'true' },
		stdio: 'pipe',
	});
}

/** A copy of `tgz` whose package.json says `version` (npm pack of the unpacked tarball). */
export function repackWithVersion(tgz, version) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-repack-'));
	execFileSync('tar', ['-xzf', tgz, '-C', dir]);
	const pkgFile = path.join(dir, 'package/package.json');
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	pkg.version = version;
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	const out = execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', dir, path.join(dir, 'package')], {
		env: { ...process.env, npm_config_ignore_scripts: 'true' },
		encoding: 'utf8',
	});
	return path.join(dir, JSON.parse(out)[0].filename);
}
