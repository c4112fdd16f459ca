/** RentEngine's instances of the shared routing hooks, referenced by the generated descriptions. */
import {
	expectOne,
	keepMatching,
	listItems,
	pagedRequest,
	responseCheck,
	simplifyOutput,
	singleRequest,
	unwrapProperty,
} from '../../common/transport';
import { rentEngineProfile } from './profile';

export const check = responseCheck(rentEngineProfile);
export const list = listItems(rentEngineProfile);
export const paged = pagedRequest(rentEngineProfile);
/** A list operation that pages in one of the profile's other styles (timeWindow, envelope, report…). */
export const pagedBy = (style: string) => pagedRequest(rentEngineProfile, style);
export const single = singleRequest(rentEngineProfile);
export const one = expectOne;
export { keepMatching as keep, simplifyOutput as simplify, unwrapProperty as unwrap };
