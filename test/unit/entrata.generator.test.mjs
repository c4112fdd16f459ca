// The RPC catalogue adapter of the generator (scripts/generator/entrata.mjs): names, dates, descriptions, versions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { cleanDescription, dateFormat, loadCatalogue, methodLabel, rpcInput, sentenceCase } from '../../scripts/generator/entrata.mjs';
import { buildModel } from '../../scripts/generator/model.mjs';
import { loadVendor } from '../../scripts/generate.mjs';
import { specPath } from '../../scripts/lib/specs.mjs';

const curated = JSON.parse(readFileSync(new URL('../../scripts/generator/entrata.json', import.meta.url), 'utf8'));

test('method names read as n8n operation names and sentence-case actions', () => {
	assert.equal(methodLabel('getMitsLeaseArTransactions'), 'Get MITS Lease AR Transactions');
	assert.equal(methodLabel('sendLeads'), 'Send Leads');
	assert.equal(methodLabel('getGlTrees'), 'Get GL Trees');
	assert.equal(sentenceCase('Get MITS Lease AR Transactions'), 'Get MITS lease AR transactions');
	const { model } = loadVendor('entrata');
	const lead = model.find((e) => e.resource.value === 'lead');
	const getLeads = lead.operations.find((o) => o.value === 'getLeads');
	assert.deepEqual([getLeads.name, getLeads.action, getLeads.kind], ['Get Many', 'Get many leads', 'list']);
	assert.equal(lead.operations.find((o) => o.value === 'sendLeads').action, 'Send leads');
});

test('date params: plain dates, date-times by name, posting months by description', () => {
	assert.equal(dateFormat({ name: 'moveInDate', description: '' }), 'date');
	assert.equal(dateFormat({ name: 'eventDateTime', description: '' }), 'dateTime');
	assert.equal(dateFormat({ name: 'postMonth', description: 'Accepts date in MM/YYYY format.' }), 'month');
	assert.equal(dateFormat({ name: 'fromDate', description: 'Optional parameter, accept date in MM/DD/YYYY or YYYY-MM-DD format.' }), 'date');
});

test('catalogue descriptions lose their boilerplate and keep what says something', () => {
	assert.equal(cleanDescription('propertyId', 'This is a required field. This field accepts single value. Property Id'), undefined);
	assert.equal(cleanDescription('leaseIds', 'This field accepts comma seperated multiple values. leaseIds'), undefined);
	assert.equal(
		cleanDescription('x', 'This is an optional field. required, if Remittance Type is ACH (eCheck) (i.e. apPaymentTypeId = 5 )'),
		'Required, if Remittance Type is ACH (eCheck) (that is apPaymentTypeId = 5)',
	);
	assert.ok(cleanDescription('x', 'a'.repeat(300)).length <= 110);
});

test('every method becomes one operation; versions keep their own spelling of a param', () => {
	const { cfg, rawOps } = rpcInput({ id: 'entrata', ...curated }, loadCatalogue(specPath('entrata-methods.json')));
	assert.equal(rawOps.length, 137);
	assert.equal(rawOps.reduce((n, op) => n + op.rpc.versions.length, 0), 154);
	assert.ok(rawOps.every((op) => op.method === 'POST' && op.path === `/${op.rpc.service}`));
	const model = buildModel(cfg, rawOps);
	const sendInvoices = model.find((e) => e.resource.value === 'vendor').operations.find((o) => o.value === 'sendInvoices');
	const r1 = sendInvoices.versions.find((v) => v.version === 'r1').fields.find((f) => f.key === 'apPayeeId');
	const r2 = sendInvoices.versions.find((v) => v.version === 'r2').fields.find((f) => f.key === 'apPayeeId');
	assert.equal(r1.apiPath, 'method.params.ApPayeeId');
	assert.equal(r2.apiPath, 'method.params.apPayeeId');
	const getSpecials = model.find((e) => e.resource.value === 'propertyUnit').operations.find((o) => o.value === 'getSpecials');
	assert.deepEqual(getSpecials.rpc.versions, ['r4', 'r3', 'r2', 'r1']);
	assert.equal(getSpecials.rpc.defaultVersion, 'r4');
	const report = model.find((e) => e.resource.value === 'report').operations.find((o) => o.value === 'getReportData');
	assert.equal(report.pagination, 'reportQueue');
	assert.equal(report.fields.find((f) => f.key === 'reportName').kind, 'string');
	assert.equal(report.fields.find((f) => f.key === 'filters').kind, 'json');
});

test('a service the curated file does not name stops the generator', () => {
	const catalogue = loadCatalogue(specPath('entrata-methods.json'));
	const services = { ...curated.services };
	delete services.status;
	assert.throws(() => rpcInput({ ...curated, services }, catalogue), /service status has no entry/);
});
