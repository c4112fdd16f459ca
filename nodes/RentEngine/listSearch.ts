import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { vendorRequest } from '../common/transport';
import { rentEngineBaseUrl, rentEngineProfile } from './common/profile';

const PAGE = 100;

async function listPage(this: ILoadOptionsFunctions, url: string, page: number, qs: IDataObject = {}) {
	const credentials = await this.getCredentials('rentEngineApi');
	const body = await vendorRequest.call(
		this,
		rentEngineProfile,
		{ method: 'GET', url: `${rentEngineBaseUrl(credentials)}${url}`, qs: { ...qs, limit: PAGE, page_number: page } },
		credentials,
	);
	return rentEngineProfile.extractItems(body) ?? [];
}

const matches = (filter: string | undefined, ...values: unknown[]) =>
	!filter || values.some((v) => String(v ?? '').toLowerCase().includes(filter.toLowerCase()));

function unitLabel(unit: IDataObject): string {
	const address = unit.address_details as IDataObject | undefined;
	const street = address ? [address.street_number, address.street_name, address.unit].filter(Boolean).join(' ') : '';
	return [street || `Unit ${unit.id}`, unit.status].filter(Boolean).join(' · ');
}

/** Units page by page (the list endpoint has no text search: the filter is applied per page). */
export async function searchUnits(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 0);
	const units = await listPage.call(this, '/units', page);
	return {
		results: units
			.filter((u) => matches(filter, u.id, unitLabel(u)))
			.map((u) => ({ name: `${unitLabel(u)} (#${u.id})`, value: String(u.id) })),
		paginationToken: units.length === PAGE ? String(page + 1) : undefined,
	};
}

/**
 * RentEngine has no accounts endpoint: the accounts a token can reach are the ones that own its
 * units and lockboxes, so the list is collected from those (first page of each per search page).
 */
export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 0);
	const [units, lockboxes] = await Promise.all([
		listPage.call(this, '/units', page),
		listPage.call(this, '/lockboxes', page),
	]);
	const ids = [...new Set([...units, ...lockboxes].map((r) => r.account_id).filter(Boolean).map(String))].sort();
	return {
		results: ids.filter((id) => matches(filter, id)).map((id) => ({ name: id, value: id })),
		paginationToken: units.length === PAGE || lockboxes.length === PAGE ? String(page + 1) : undefined,
	};
}

export async function searchPrescreeningTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 0);
	const templates = await listPage.call(this, '/prescreening_templates', page);
	return {
		results: templates
			.filter((t) => matches(filter, t.id, t.name))
			.map((t) => ({ name: String(t.name ?? t.id), value: String(t.id) })),
		paginationToken: templates.length === PAGE ? String(page + 1) : undefined,
	};
}
