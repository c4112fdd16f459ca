import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { buildiumRequestDefaults, buildiumRequestOperations } from './common/node';
import { buildiumListSearch } from './listSearch';
import { enumLoadOptions } from './resources/options';
import { properties } from './resources/buildiumAccounting';

export class BuildiumAccounting implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Buildium Accounting',
		name: 'buildiumAccounting',
		icon: { light: 'file:../../icons/buildium.svg', dark: 'file:../../icons/buildium.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Bank accounts, bills, budgets, general ledger and credit card accounts in Buildium',
		defaults: { name: 'Buildium Accounting' },
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
