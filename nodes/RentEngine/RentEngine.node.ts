import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { RENTENGINE_BASE_URL } from '../../credentials/RentEngineApi.credentials';
import { properties } from './resources';
import { single } from './common/routing';
import { searchAccounts, searchPrescreeningTemplates, searchUnits } from './listSearch';

export class RentEngine implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RentEngine',
		name: 'rentEngine',
		icon: { light: 'file:../../icons/rentengine.svg', dark: 'file:../../icons/rentengine.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage units, lockboxes, showings and leasing data in RentEngine',
		defaults: { name: 'RentEngine' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'rentEngineApi', required: true }],
		requestDefaults: {
			baseURL: RENTENGINE_BASE_URL,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		// Every operation sets `send.paginate`, so each request goes through the shared transport
		// (retry/backoff and error mapping); list operations override this with the page walker.
		requestOperations: { pagination: single },
		properties,
	};

	methods = {
		listSearch: { searchUnits, searchAccounts, searchPrescreeningTemplates },
	};
}
