/**
 * HTTP for S3 Hooks' small exchanges and the hop policy every request follows
 * (downloads included): where a request may go, checked before a socket opens.
 */
export { httpRequest, flattenHeaders, HttpRequestError, type HttpAnswer, type HttpFailure, type HttpRequestOptions } from './request';
export { checkHop, nextHop, checkedLookup, resolveChecked, forbiddenAddressReason, HopRefusedError, type HopRefusal, type LookupFunction } from './hops';
