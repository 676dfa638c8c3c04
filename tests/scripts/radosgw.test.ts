import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { deleteBucketFully, s3TestClient, s3TestServer, uniqueBucketName } from '../helpers/s3-server';

const server = s3TestServer();
const describeWithS3 = server ? describe : describe.skip;

/** The S3 server that scripts/radosgw.sh starts is a real one: it stores bytes and checks signatures. */
describeWithS3('the test S3 server (radosgw)', () => {
  const bucket = uniqueBucketName('yym-radosgw-test');
  const body = Buffer.concat([Buffer.from('收据 一眼明\n'), randomBytes(64 * 1024)]);
  let client: S3Client;

  beforeAll(async () => {
    client = s3TestClient(server!);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    await deleteBucketFully(server!, bucket);
    client?.destroy();
  });

  test('stores an object and gives the same bytes back', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'receipts/a.bin', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'receipts/a.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  test('a presigned GET URL works with plain fetch; the same URL unsigned is refused', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'receipts/b.bin', Body: body }));
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: 'receipts/b.bin' }), { expiresIn: 60 });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    const unsigned = await fetch(url.split('?')[0]);
    expect(unsigned.status).toBe(403);
  });

  test('a request signed with a wrong secret is refused', async () => {
    const wrong = s3TestClient(server!, 'not-the-secret-key');
    try {
      await expect(wrong.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({
        name: expect.stringMatching(/^(SignatureDoesNotMatch|InvalidAccessKeyId)$/),
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      wrong.destroy();
    }
  });
});
