import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { buildiumRequestDefaults, buildiumRequestOperations } from './common/node';
import { buildiumListSearch } from './listSearch';
import { enumLoadOptions } from './resources/options';
import { properties } from './resources/buildiumRentals';

export class BuildiumRentals implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buildium Rentals',
		name: 'buildiumRentals',
		icon: { light: 'file:../../icons/buildium.svg', dark: 'file:../../icons/buildium.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Rental properties, units, owners, tenants, listings and meter readings in Buildium',
		defaults: { name: 'Buildium Rentals' },
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
