/** RentEngine's instances of the shared routing hooks, referenced by the generated descriptions. */
import {
	expectOne,
	listItems,
	pagedRequest,
	responseCheck,
	simplifyOutput,
	singleRequest,
	unwrapProperty,
} from '../../shared/transport';
import { rentEngineProfile } from './profile';

export const check = responseCheck(rentEngineProfile);
export const list = listItems(rentEngineProfile);
export const paged = pagedRequest(rentEngineProfile);
export const single = singleRequest(rentEngineProfile);
export const one = expectOne;
export { simplifyOutput as simplify, unwrapProperty as unwrap };
