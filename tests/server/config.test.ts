import { loadConfig } from '../../server/config';

const S3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'yiyanming-files', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret' };

describe('configuration for several processes', () => {
  test('by default: local files, images streamed, 2 OCR threads, a worker waits one lease before handing its job back', () => {
    const config = loadConfig({}, '/srv/yym');
    expect(config).toMatchObject({ storageDriver: 'local', storageDir: '/srv/yym/data/files', s3: null, publicImageDelivery: 'stream', ocrThreads: 2, workerShutdownGraceMs: 60_000 });
  });

  test('S3 settings: path-style by default off AWS, virtual-host style on AWS; no bucket creation unless asked', () => {
    expect(loadConfig({ ...S3, S3_ENDPOINT: 'http://rgw.local:7480/' }).s3).toEqual({
      endpoint: 'http://rgw.local:7480',
      region: 'us-east-1',
      bucket: 'yiyanming-files',
      accessKeyId: 'key',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      prefix: '',
      createBucket: false,
      publicEndpoint: 'http://rgw.local:7480',
    });
    expect(loadConfig({ ...S3, S3_REGION: 'cn-north-1', S3_CREATE_BUCKET: '1', S3_PREFIX: 'town-a/' }).s3).toMatchObject({
      endpoint: null,
      region: 'cn-north-1',
      forcePathStyle: false,
      createBucket: true,
      prefix: 'town-a/',
      publicEndpoint: null,
    });
    expect(loadConfig({ ...S3, S3_ENDPOINT: 'http://10.0.0.5:7480', S3_PUBLIC_ENDPOINT: 'https://files.example.cn', PUBLIC_IMAGE_DELIVERY: 'redirect' })).toMatchObject({
      publicImageDelivery: 'redirect',
      s3: { publicEndpoint: 'https://files.example.cn' },
    });
  });

  test('numbers out of range are refused with the variable named', () => {
    expect(() => loadConfig({ OCR_THREADS: '0' })).toThrow(/OCR_THREADS must be an integer from 1 to 64/);
    expect(() => loadConfig({ PUBLIC_IMAGE_URL_TTL_SECONDS: '5', ...S3 })).toThrow(/PUBLIC_IMAGE_URL_TTL_SECONDS/);
    expect(() => loadConfig({ WORKER_SHUTDOWN_GRACE_MS: '-1' })).toThrow(/WORKER_SHUTDOWN_GRACE_MS/);
    expect(() => loadConfig({ ...S3, S3_BUCKET: 'Has_Upper' })).toThrow(/S3_BUCKET must be a bucket name/);
  });
});
