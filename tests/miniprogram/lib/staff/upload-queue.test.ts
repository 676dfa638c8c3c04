import {
  UPLOAD_NETWORK_MESSAGE,
  UPLOAD_SERVER_MESSAGE,
  UPLOAD_TOO_LARGE_MESSAGE,
  createUploadQueue,
  readUploadAnswer,
  summarizeUploads,
  type CancelSignal,
  type SendOutcome,
  type UploadItem,
  type UploadState,
} from '../../../../miniprogram/src/lib/staff/upload-queue';

interface Call {
  file: string;
  onProgress: (fraction: number) => void;
  signal: CancelSignal;
  resolve: (outcome: SendOutcome) => void;
  reject: (err: unknown) => void;
}

/** A transport the test answers by hand, recording how many requests run at once. */
function fakeTransport() {
  const calls: Call[] = [];
  let running = 0;
  let maxRunning = 0;
  const send = (file: string, onProgress: (f: number) => void, signal: CancelSignal) =>
    new Promise<SendOutcome>((resolve, reject) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      const done = <A>(fn: (a: A) => void) => (a: A) => {
        running--;
        fn(a);
      };
      calls.push({ file, onProgress, signal, resolve: done(resolve), reject: done(reject) });
    });
  return { calls, send, maxRunning: () => maxRunning, callsFor: (file: string) => calls.filter((c) => c.file === file) };
}

/** Lets promise callbacks and 0 ms timers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

const stateOf = (items: UploadItem<string>[], file: string): UploadState => items.find((i) => i.file === file)!.state;

describe('uploading photos one request each', () => {
  test('a file goes queued → uploading with rising progress → uploaded with its voucher id', async () => {
    const t = fakeTransport();
    const seen: UploadState[] = [];
    const queue = createUploadQueue({ send: t.send, onChange: (items) => seen.push(stateOf(items, 'a.jpg')) });
    queue.add(['a.jpg']);
    const call = t.calls[0];
    call.onProgress(0.3);
    call.onProgress(0.7);
    call.onProgress(0.5); // late, out-of-order event: ignored
    call.onProgress(1); // all bytes sent, but not answered yet
    call.resolve({ id: 41 });
    await settle();
    expect(seen).toEqual([
      { status: 'queued' },
      { status: 'uploading', progress: 0 },
      { status: 'uploading', progress: 0.3 },
      { status: 'uploading', progress: 0.7 },
      { status: 'uploading', progress: 0.99 },
      { status: 'uploaded', voucherId: 41 },
    ]);
    call.onProgress(0.2); // after the answer: ignored
    expect(queue.snapshot()[0]).toEqual({ key: 1, file: 'a.jpg', state: { status: 'uploaded', voucherId: 41 }, attempts: 1 });
  });

  test('at most two requests at once by default; the next starts when one ends, in the order added', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send });
    queue.add(['1', '2', '3', '4', '5']);
    expect(t.calls.map((c) => c.file)).toEqual(['1', '2']);
    expect(queue.snapshot().map((i) => i.state.status)).toEqual(['uploading', 'uploading', 'queued', 'queued', 'queued']);
    t.calls[1].resolve({ id: 2 });
    await settle();
    expect(t.calls.map((c) => c.file)).toEqual(['1', '2', '3']);
    t.calls[0].resolve({ id: 1 });
    t.calls[2].resolve({ id: 3 });
    await settle();
    t.calls[3].resolve({ id: 4 });
    t.calls[4].resolve({ id: 5 });
    await queue.whenIdle();
    expect(t.maxRunning()).toBe(2);
    expect(summarizeUploads(queue.snapshot())).toMatchObject({ total: 5, uploaded: 5, active: 0, progress: 1, voucherIds: [1, 2, 3, 4, 5] });
  });

  test('the bound can be set', async () => {
    const t = fakeTransport();
    createUploadQueue({ send: t.send, concurrency: 3 }).add(['1', '2', '3', '4']);
    expect(t.calls).toHaveLength(3);
    expect(t.maxRunning()).toBe(3);
  });

  test('a 503 or a dropped connection is retried once by itself; a second failure stays failed and can be retried by hand', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 0 });
    queue.add(['busy.jpg', 'offline.jpg']);
    t.calls[0].resolve({ status: 503, code: 'unavailable', message: '服务暂时不可用' });
    t.calls[1].reject(new Error('request:fail'));
    await settle();
    // Neither was shown as failed: both went straight back to the queue and were sent again.
    expect(t.callsFor('busy.jpg')).toHaveLength(2);
    expect(t.callsFor('offline.jpg')).toHaveLength(2);
    t.callsFor('busy.jpg')[1].resolve({ id: 7 });
    t.callsFor('offline.jpg')[1].reject(new Error('request:fail'));
    await queue.whenIdle();
    const items = queue.snapshot();
    expect(stateOf(items, 'busy.jpg')).toEqual({ status: 'uploaded', voucherId: 7 });
    expect(stateOf(items, 'offline.jpg')).toEqual({ status: 'failed', message: UPLOAD_NETWORK_MESSAGE, retryable: true });
    expect(items.map((i) => i.attempts)).toEqual([2, 2]);

    queue.retry(items[1].key);
    expect(t.callsFor('offline.jpg')).toHaveLength(3);
    t.callsFor('offline.jpg')[2].resolve({ id: 8 });
    await queue.whenIdle();
    expect(stateOf(queue.snapshot(), 'offline.jpg')).toEqual({ status: 'uploaded', voucherId: 8 });
  });

  test('a 5xx failing twice says so in plain words', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 0 });
    queue.add(['x']);
    t.calls[0].resolve({ status: 500 });
    await settle();
    t.calls[1].resolve({ status: 502 });
    await queue.whenIdle();
    expect(queue.snapshot()[0].state).toEqual({ status: 'failed', message: UPLOAD_SERVER_MESSAGE, retryable: true });
  });

  test.each([
    [400, 'validation_failed', '图片读不出来，请重新拍一张'],
    [413, 'payload_too_large', '文件太大了，最大 20 MB'],
    [415, 'unsupported_media_type', '只能上传 JPEG、PNG、WebP 或 HEIC 图片'],
    [409, 'conflict', '这张凭证已经上传过了'],
  ])('a %i is not retried and its Chinese message is kept', async (status, code, message) => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 0 });
    queue.add(['bad']);
    t.calls[0].resolve({ status, code, message });
    await queue.whenIdle();
    await settle();
    expect(t.calls).toHaveLength(1);
    expect(queue.snapshot()[0]).toMatchObject({ state: { status: 'failed', message, retryable: false }, attempts: 1 });
  });

  test('a 413 from a proxy without our body still gets a Chinese message', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send });
    queue.add(['big']);
    t.calls[0].resolve({ status: 413 });
    await queue.whenIdle();
    expect(queue.snapshot()[0].state).toEqual({ status: 'failed', message: UPLOAD_TOO_LARGE_MESSAGE, retryable: false });
  });

  test('retrying all failed files sends only those', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send });
    queue.add(['ok', 'bad']);
    t.calls[0].resolve({ id: 1 });
    t.calls[1].resolve({ status: 422, message: '图片读不出来' });
    await queue.whenIdle();
    queue.retryAllFailed();
    expect(t.calls.map((c) => c.file)).toEqual(['ok', 'bad', 'bad']);
    expect(stateOf(queue.snapshot(), 'bad')).toEqual({ status: 'uploading', progress: 0 });
  });

  test('cancelling: a queued file is never sent, a running one is aborted and its late failure ignored', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 0 });
    const [running, , waiting] = queue.add(['running', 'other', 'waiting']);
    const aborted = jest.fn();
    t.calls[0].signal.onCancel(aborted);
    queue.cancel(waiting);
    queue.cancel(running);
    expect(aborted).toHaveBeenCalledTimes(1);
    expect(t.calls[0].signal.cancelled).toBe(true);
    t.calls[0].reject(new Error('abort')); // what an aborted request does
    t.calls[1].resolve({ id: 2 });
    await queue.whenIdle();
    await settle();
    expect(t.calls.map((c) => c.file)).toEqual(['running', 'other']);
    const items = queue.snapshot();
    expect(items.map((i) => i.state)).toEqual([{ status: 'cancelled' }, { status: 'uploaded', voucherId: 2 }, { status: 'cancelled' }]);
    expect(summarizeUploads(items)).toMatchObject({ total: 3, uploaded: 1, cancelled: 2, active: 0, progress: 1 });

    // A cancelled file can be sent again.
    queue.retry(waiting);
    t.calls[2].resolve({ id: 3 });
    await queue.whenIdle();
    expect(stateOf(queue.snapshot(), 'waiting')).toEqual({ status: 'uploaded', voucherId: 3 });
  });

  test('a cancel that came too late: the server had the file, so it is shown as uploaded', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send });
    const [key] = queue.add(['late']);
    queue.cancel(key);
    t.calls[0].resolve({ id: 99 });
    await settle();
    expect(queue.snapshot()[0].state).toEqual({ status: 'uploaded', voucherId: 99 });
  });

  test("a 429's automatic retry waits as long as the server asked, not just the usual pause", async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 0 });
    queue.add(['a']);
    t.calls[0].resolve({ status: 429, code: 'too_many_requests', message: '上传太频繁了', retryAfterMs: 120 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(t.calls).toHaveLength(1);
    expect(queue.snapshot()[0].state).toEqual({ status: 'queued' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(t.calls).toHaveLength(2);
    t.calls[1].resolve({ id: 5 });
    await queue.whenIdle();
    expect(queue.snapshot()[0].state).toEqual({ status: 'uploaded', voucherId: 5 });
  });

  test('cancelAll stops everything, including a file waiting for its automatic retry', async () => {
    const t = fakeTransport();
    const queue = createUploadQueue({ send: t.send, autoRetryDelayMs: 50 });
    queue.add(['a', 'b', 'c']);
    t.calls[0].resolve({ status: 503 });
    await settle(); // 'a' now waits 50 ms for its retry; 'c' has started meanwhile
    expect(t.calls.map((c) => c.file)).toEqual(['a', 'b', 'c']);
    queue.cancelAll();
    await queue.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(t.calls).toHaveLength(3);
    expect(queue.snapshot().map((i) => i.state.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  test('a send that throws at once counts as a network failure', async () => {
    const queue = createUploadQueue<string>({
      send: () => {
        throw new Error('no file');
      },
      autoRetryDelayMs: 0,
    });
    queue.add(['x']);
    await queue.whenIdle();
    expect(queue.snapshot()[0]).toMatchObject({ state: { status: 'failed', message: UPLOAD_NETWORK_MESSAGE, retryable: true }, attempts: 2 });
  });

  test('overall progress counts finished files whole and running ones by their fraction', () => {
    const items: UploadItem<string>[] = [
      { key: 1, file: 'a', attempts: 1, state: { status: 'uploaded', voucherId: 1 } },
      { key: 2, file: 'b', attempts: 1, state: { status: 'uploading', progress: 0.5 } },
      { key: 3, file: 'c', attempts: 0, state: { status: 'queued' } },
      { key: 4, file: 'd', attempts: 1, state: { status: 'failed', message: 'x', retryable: false } },
    ];
    expect(summarizeUploads(items)).toEqual({ total: 4, uploaded: 1, failed: 1, cancelled: 0, active: 2, progress: 2.5 / 4, voucherIds: [1] });
  });
});

describe('reading the server\'s answer to one upload', () => {
  test('202 with the new voucher id, as text (Taro.uploadFile) or parsed (XHR json)', () => {
    const body = { results: [{ file: 'a.jpg', id: 12, status: 'processing' }] };
    expect(readUploadAnswer(202, JSON.stringify(body))).toEqual({ id: 12 });
    expect(readUploadAnswer(202, body)).toEqual({ id: 12 });
  });

  test('a refusal keeps status, code and message', () => {
    const body = { error: { code: 'unsupported_media_type', message: '不支持这种文件' }, results: [{ file: 'a.txt', error: { code: 'unsupported_media_type', message: '不支持这种文件' } }] };
    expect(readUploadAnswer(415, JSON.stringify(body))).toEqual({ status: 415, code: 'unsupported_media_type', message: '不支持这种文件' });
  });

  test('a 429 keeps the wait the server asks for, as milliseconds (at most 10 minutes)', () => {
    const body = (seconds: number) => JSON.stringify({ error: { code: 'too_many_requests', message: '上传太频繁了，请 7 秒后再试', retryAfterSeconds: seconds } });
    expect(readUploadAnswer(429, body(7))).toEqual({ status: 429, code: 'too_many_requests', message: '上传太频繁了，请 7 秒后再试', retryAfterMs: 7000 });
    expect(readUploadAnswer(429, body(86400))).toMatchObject({ retryAfterMs: 600_000 });
  });

  test('an HTML error page or an empty 2xx is not mistaken for success', () => {
    expect(readUploadAnswer(502, '<html>Bad Gateway</html>')).toEqual({ status: 502, code: undefined, message: undefined });
    expect(readUploadAnswer(200, '')).toEqual({ status: 502, code: 'bad_response' });
  });
});
