import type { S3Connection } from './connection';

/** What is wrong (errors: the URL could not work) or risky (warnings) about where a URL will point. */
export interface ConnectionCheck {
  errors: string[];
  warnings: string[];
}

const loopbackHosts = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * Checks the endpoint, addressing style and region of a connection for the
 * mistakes that make a presigned URL target the wrong place: an endpoint
 * without a scheme or with the bucket in its path, virtual-hosted addressing
 * on a host that cannot have bucket subdomains, a region that differs from the
 * one in an AWS endpoint, and plain http to a remote host.
 */
export function checkConnection(connection: S3Connection, bucket?: string): ConnectionCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!connection.region || !/^[a-z0-9-]+$/.test(connection.region)) {
    errors.push(`"${connection.region}" is not a region name (for example us-east-1 or ru-msk).`);
  }
  if (!connection.endpoint) {
    return { errors, warnings };
  }
  let url: URL;
  try {
    url = new URL(connection.endpoint);
  } catch {
    errors.push(`The endpoint "${connection.endpoint}" is not a URL: write it with its scheme, for example https://${connection.endpoint}.`);
    return { errors, warnings };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    errors.push(`The endpoint must start with https:// or http://; "${connection.endpoint}" does not.`);
    return { errors, warnings };
  }
  if (url.search || url.hash) {
    errors.push(`The endpoint "${connection.endpoint}" has a query or fragment; give only the service address.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path) {
    if (bucket && path.split('/').includes(bucket)) {
      errors.push(`The endpoint "${connection.endpoint}" contains the bucket name; give the service address only (${url.origin}) and the bucket separately.`);
    } else {
      warnings.push(`The endpoint has a path (${path}); S3 endpoints are usually just an address like ${url.origin}.`);
    }
  }
  const host = url.hostname.toLowerCase();
  if (bucket && host.startsWith(`${bucket}.`)) {
    errors.push(`The endpoint host already starts with the bucket name (${host}); give the service address without it (for example https://${host.slice(bucket.length + 1)}).`);
  }
  if (!connection.forcePathStyle && host === 'localhost') {
    warnings.push(`With virtual-hosted addressing the URL goes to ${bucket ?? '<bucket>'}.localhost, which local S3 servers usually do not serve: turn on path-style addressing.`);
  }
  const awsRegion = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/.exec(host)?.[1];
  if (awsRegion && connection.region && awsRegion !== connection.region) {
    errors.push(`The endpoint is in ${awsRegion} but the region is ${connection.region}: S3 would refuse the signature. Set the region to ${awsRegion}.`);
  }
  if (url.protocol === 'http:' && !loopbackHosts.test(host)) {
    warnings.push(`The endpoint uses plain http: the presigned URL (a credential while it lives) and the uploaded data cross the network unencrypted.`);
  }
  return { errors, warnings };
}
