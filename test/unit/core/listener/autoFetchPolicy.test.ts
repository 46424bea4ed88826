import * as assert from 'node:assert/strict';
import { listenerDefaults } from '../../../../src/core/defaults';
import type { FileReference } from '../../../../src/core/events';
import { allowedHosts, AutoFetchBudget, autoFetchRefusal, byteLimits, hostAllowed } from '../../../../src/core/listener/autoFetchPolicy';

function ref(fields: Partial<FileReference>): FileReference {
  return { shape: 'klavi', suggestedName: 'f', jsonPath: [], label: 'f', ...fields };
}

const limits = {
  hosts: allowedHosts(listenerDefaults.autoFetchHosts, 'http://127.0.0.1:4568'),
  buckets: ['mine'],
  maxFileBytes: 1000,
  maxBytesPerHour: 5000,
};

describe('auto-fetch policy (what an event alone may make S3 Hooks fetch)', () => {
  it('allows AWS S3 hosts and the configured endpoint, nothing else', () => {
    for (const host of ['s3.amazonaws.com', 'bkt.s3.amazonaws.com', 'my.dotted.bucket.s3.us-east-1.amazonaws.com', 's3.eu-west-1.amazonaws.com', 's3-us-west-2.amazonaws.com', 'b.s3.cn-north-1.amazonaws.com.cn', 'b.s3.dualstack.us-east-1.amazonaws.com', '127.0.0.1']) {
      assert.ok(hostAllowed(host, limits.hosts), host);
    }
    for (const host of ['169.254.169.254', 'localhost', 'evil.example', 's3.amazonaws.com.evil.example', 'abc.execute-api.us-east-1.amazonaws.com', 'evils3.amazonaws.com', 'sqs.us-east-1.amazonaws.com']) {
      assert.ok(!hostAllowed(host, limits.hosts), host);
    }
  });

  it('refuses URLs off the list, non-http schemes, unlisted buckets, and files or hours over the caps', () => {
    assert.equal(autoFetchRefusal(ref({ url: 'https://bkt.s3.us-east-1.amazonaws.com/k?X-Amz-Signature=x' }), limits, 0), undefined);
    assert.match(autoFetchRefusal(ref({ url: 'http://169.254.169.254/latest/meta-data/' }), limits, 0) ?? '', /not on the auto-fetch host list/);
    assert.match(autoFetchRefusal(ref({ url: 'file:///etc/passwd' }), limits, 0) ?? '', /not http/);
    assert.equal(autoFetchRefusal(ref({ bucket: 'mine', key: 'k' }), limits, 0), undefined);
    assert.match(autoFetchRefusal(ref({ bucket: 'theirs', key: 'k' }), limits, 0) ?? '', /bucket theirs is not on/);
    assert.match(autoFetchRefusal(ref({ bucket: 'mine', key: 'k', size: 1001 }), limits, 0) ?? '', /over the auto-fetch limit/);
    assert.match(autoFetchRefusal(ref({ bucket: 'mine', key: 'k', size: 10 }), limits, 4995) ?? '', /in the last hour/);
  });

  it('turns the settings\' megabytes into whole bytes', () => {
    assert.deepEqual(byteLimits(0.01, 1024), { maxFileBytes: 10485, maxBytesPerHour: 1073741824 });
    assert.deepEqual(byteLimits(listenerDefaults.autoFetchMaxFileMegabytes, 0.001), { maxFileBytes: 1073741824, maxBytesPerHour: 1048 });
  });

  it('counts bytes over a sliding hour', () => {
    const budget = new AutoFetchBudget();
    budget.record(3000, 0);
    budget.record(1000, 1_800_000);
    assert.equal(budget.used(1_800_000), 4000);
    assert.equal(budget.used(3_600_001), 1000);
  });
});
