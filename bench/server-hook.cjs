// Preloaded into the n8n server by `bench/triggers.mjs` (measurement hygiene, not part of the package):
// - SIGWINCH: a full garbage collection, so each run starts with the heap the previous run left collected (an
//   accepted run leaves garbage whose collection otherwise lands in the next side's window);
// - SIGUSR2 (with --profile): starts a CPU profile of the main thread; the next SIGUSR2 writes it to
//   $BENCH_PROFILE_DIR/<n>.cpuprofile, so a profile covers one side's load window only (not n8n's start-up).
'use strict';
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
process.on('SIGWINCH', () => session.post('HeapProfiler.collectGarbage'));

if (process.env.BENCH_PROFILE_DIR) {
	session.post('Profiler.enable');
	let running = false;
	let written = 0;
	process.on('SIGUSR2', () => {
		if (!running) {
			running = true;
			session.post('Profiler.start');
			return;
		}
		running = false;
		session.post('Profiler.stop', (error, result) => {
			if (!error) fs.writeFileSync(`${process.env.BENCH_PROFILE_DIR}/${++written}.cpuprofile`, JSON.stringify(result.profile));
		});
	});
}
