// PostgreSQL and Redis for n8n's queue mode, started on 127.0.0.1 from Debian's packages (`postgresql`,
// `redis-server`; .ci/run installs them) in throw-away folders, and stopped again. Recipe: the real-n8n guide §8.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './n8n-lab.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function need(bin, pkg) {
	if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: install Debian's ${pkg} (apt-get install -y ${pkg})`);
	return bin;
}

/** The newest PostgreSQL server installed under /usr/lib/postgresql/<major>/bin. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'bin/initdb'))) : [];
	if (!majors.length) throw new Error('PostgreSQL server is missing: apt-get install -y postgresql');
	return path.join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A private PostgreSQL cluster (trust auth, user `n8n`, database `n8n`). PostgreSQL refuses to run as root, so
 * the cluster belongs to the `postgres` user the Debian package creates. Returns { host, port, user, database, stop() }.
 */
export async function startPostgres() {
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pg-'));
	fs.chmodSync(dir, 0o777);
	const data = path.join(dir, 'data');
	const port = await freePort();
	const asPostgres = (cmd) => execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { stdio: 'pipe', cwd: '/' });
	asPostgres(`${bin}/initdb -D ${data} -A trust -U n8n >/dev/null`);
	asPostgres(`${bin}/pg_ctl -D ${data} -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off" -l ${dir}/pg.log -w start >/dev/null`);
	execFileSync(`${bin}/createdb`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { stdio: 'pipe' });
	return {
		host: '127.0.0.1',
		port,
		user: 'n8n',
		database: 'n8n',
		dir,
		async stop() {
			try {
				asPostgres(`${bin}/pg_ctl -D ${data} -m immediate stop >/dev/null`);
			} catch {
				/* already stopped */
			}
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A Redis server without persistence. Returns { host, port, stop() }. */
export async function startRedis() {
	const bin = need('/usr/bin/redis-server', 'redis-server');
	const port = await freePort();
	const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	const exited = new Promise((r) => child.on('exit', r));
	const deadline = Date.now() + 10_000;
	for (;;) {
		try {
			execFileSync('/usr/bin/redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
			break;
		} catch (error) {
			if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port}: ${error}`);
			await sleep(100);
		}
	}
	return {
		host: '127.0.0.1',
		port,
		async stop() {
			child.kill('SIGKILL');
			await exited;
		},
	};
}
