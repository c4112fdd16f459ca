import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { ENTRATA_BASE_URL } from '../../credentials/EntrataApi.credentials';
import { properties } from './resources';
import { single } from './common/routing';

export class Entrata implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Entrata',
		name: 'entrata',
		icon: { light: 'file:../../icons/entrata.svg', dark: 'file:../../icons/entrata.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Call any Entrata API method: leads, leases, residents, properties, units, maintenance, accounting and reports',
		defaults: { name: 'Entrata' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'entrataApi', required: true }],
		requestDefaults: {
			baseURL: ENTRATA_BASE_URL,
			method: 'POST',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=utf-8' },
		},
		// Every operation sets `send.paginate`, so each request goes through the shared transport (envelope, XML,
		// retry and error mapping); paged methods and reports override this with their own walkers.
		requestOperations: { pagination: single },
		properties,
	};
}
