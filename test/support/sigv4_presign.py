#!/usr/bin/env python3
"""An independent SigV4 query-string presigner (Python standard library only).

Written from AWS's published algorithm ("Authenticating Requests: Using Query
Parameters"), sharing no code with the AWS SDK for JavaScript, so that tests can
check that S3 Hooks' URLs are what any SigV4 implementation computes for the
same request. Reads one JSON request on stdin, writes the URL and the
intermediate strings as JSON on stdout.

Request fields: method, scheme, host (with :port when not default), bucket,
key, pathStyle, region, accessKeyId, secretAccessKey, amzDate
(YYYYMMDDTHHMMSSZ), expires, headers (signed, besides host), extraQuery
(further query parameters to sign, e.g. ones an SDK adds).
"""
import hashlib
import hmac
import json
import sys
import urllib.parse


def uri_encode(text, safe='-_.~'):
    # RFC 3986 unreserved characters stay; everything else is %XX (upper case).
    return urllib.parse.quote(text, safe=safe)


def hmac_sha256(key, message):
    return hmac.new(key, message.encode('utf-8'), hashlib.sha256).digest()


def presign(req):
    day = req['amzDate'][:8]
    scope = f"{day}/{req['region']}/s3/aws4_request"
    headers = {'host': req['host']}
    for name, value in req.get('headers', {}).items():
        headers[name.lower()] = ' '.join(value.strip().split())
    signed_headers = ';'.join(sorted(headers))
    params = {
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': f"{req['accessKeyId']}/{scope}",
        'X-Amz-Date': req['amzDate'],
        'X-Amz-Expires': str(req['expires']),
        'X-Amz-SignedHeaders': signed_headers,
    }
    params.update(req.get('extraQuery', {}))
    encoded = sorted((uri_encode(k), uri_encode(v)) for k, v in params.items())
    canonical_query = '&'.join(f"{k}={v}" for k, v in encoded)
    key_path = uri_encode(req['key'], safe='-_.~/')
    path = f"/{uri_encode(req['bucket'])}/{key_path}" if req['pathStyle'] else f"/{key_path}"
    canonical_headers = ''.join(f"{name}:{headers[name]}\n" for name in sorted(headers))
    canonical_request = '\n'.join([req['method'], path, canonical_query, canonical_headers, signed_headers, 'UNSIGNED-PAYLOAD'])
    string_to_sign = '\n'.join([
        'AWS4-HMAC-SHA256',
        req['amzDate'],
        scope,
        hashlib.sha256(canonical_request.encode('utf-8')).hexdigest(),
    ])
    k = hmac_sha256(('AWS4' + req['secretAccessKey']).encode('utf-8'), day)
    k = hmac_sha256(k, req['region'])
    k = hmac_sha256(k, 's3')
    k = hmac_sha256(k, 'aws4_request')
    signature = hmac.new(k, string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    url = f"{req['scheme']}://{req['host']}{path}?{canonical_query}&X-Amz-Signature={signature}"
    return {'url': url, 'signature': signature, 'canonicalRequest': canonical_request, 'stringToSign': string_to_sign}


if __name__ == '__main__':
    json.dump(presign(json.load(sys.stdin)), sys.stdout)
