import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { buildiumRequestDefaults, buildiumRequestOperations } from './common/node';
import { buildiumListSearch } from './listSearch';
import { enumLoadOptions } from './resources/options';
import { properties } from './resources/buildiumLeasing';

export class BuildiumLeasing implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buildium Leasing',
		name: 'buildiumLeasing',
		icon: { light: 'file:../../icons/buildium.svg', dark: 'file:../../icons/buildium.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Leases, lease transactions, applicants and applications in Buildium',
		defaults: { name: 'Buildium Leasing' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'buildiumApi', required: true }],
		requestDefaults: buildiumRequestDefaults,
		requestOperations: buildiumRequestOperations,
		properties,
	};

	methods = { listSearch: buildiumListSearch, loadOptions: enumLoadOptions };
}
