/**
 * Resource-locator lists for the IDs users type most. Buildium's list endpoints have no free-text search on most
 * records, so each search page is one API page (1000 records max, ordered by name where Buildium allows it) filtered
 * here; the pagination token is the next offset.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { buildiumBaseUrl } from '../../credentials/BuildiumApi.credentials';
import { vendorRequest } from '../common/transport';
import { buildiumProfile } from './common/profile';

const PAGE = 200;

type Label = (record: IDataObject) => string;

const address = (r: IDataObject) => {
	const a = (r.Address ?? r.PrimaryAddress) as IDataObject | undefined;
	return a ? [a.AddressLine1, a.City].filter(Boolean).join(', ') : '';
};
const person = (r: IDataObject) => [r.FirstName, r.LastName].filter(Boolean).join(' ') || String(r.CompanyName ?? '');

function search(path: string, label: Label, qs: IDataObject = {}) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const offset = Number(paginationToken ?? 0);
		const credentials = await this.getCredentials('buildiumApi');
		const records =
			buildiumProfile.extractItems(
				await vendorRequest.call(
					this,
					buildiumProfile,
					{ method: 'GET', url: `${buildiumBaseUrl(credentials)}${path}`, qs: { ...qs, limit: PAGE, offset } },
					credentials,
				),
			) ?? [];
		const wanted = filter?.toLowerCase();
		return {
			results: records
				.map((r) => ({ name: `${label(r) || `#${r.Id}`} (#${r.Id})`, value: String(r.Id) }))
				.filter((r) => !wanted || r.name.toLowerCase().includes(wanted)),
			paginationToken: records.length === PAGE ? String(offset + PAGE) : undefined,
		};
	};
}

export const searchRentalProperties = search('/v1/rentals', (r) => [r.Name, address(r)].filter(Boolean).join(' · '), { orderby: 'Name' });
export const searchRentalUnits = search('/v1/rentals/units', (r) => [r.UnitNumber, address(r)].filter(Boolean).join(' · '));
export const searchLeases = search('/v1/leases', (r) => [r.UnitNumber, r.LeaseFromDate, r.LeaseStatus].filter(Boolean).join(' · '));
export const searchTenants = search('/v1/leases/tenants', person);
export const searchApplicants = search('/v1/applicants', person);
export const searchAssociations = search('/v1/associations', (r) => String(r.Name ?? ''), { orderby: 'Name' });
export const searchRentalOwners = search('/v1/rentals/owners', person);
export const searchVendors = search('/v1/vendors', (r) => String(r.CompanyName ?? '') || person(r));
export const searchGlAccounts = search('/v1/glaccounts', (r) => [r.AccountNumber, r.Name].filter(Boolean).join(' '));
export const searchBankAccounts = search('/v1/bankaccounts', (r) => String(r.Name ?? ''));

export const buildiumListSearch = {
	searchRentalProperties,
	searchRentalUnits,
	searchLeases,
	searchTenants,
	searchApplicants,
	searchAssociations,
	searchRentalOwners,
	searchVendors,
	searchGlAccounts,
	searchBankAccounts,
};
