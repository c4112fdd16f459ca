import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { buildiumRequestDefaults, buildiumRequestOperations } from './common/node';
import { buildiumListSearch } from './listSearch';
import { enumLoadOptions } from './resources/options';
import { properties } from './resources/buildiumAssociations';

export class BuildiumAssociations implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buildium Associations',
		name: 'buildiumAssociations',
		icon: { light: 'file:../../icons/buildium.svg', dark: 'file:../../icons/buildium.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Associations, their units, owners, ownership accounts, tenants and board in Buildium',
		defaults: { name: 'Buildium Associations' },
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
