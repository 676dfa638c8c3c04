import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import type { Container } from '../../server/container';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestServer {
  baseUrl: string;
  request<T = any>(method: string, path: string, options?: { json?: unknown; body?: string | Buffer | FormData; headers?: Record<string, string>; token?: string; redirect?: 'follow' | 'manual' }): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

/** The real Koa app on a real socket (port 0), spoken to with fetch. */
export async function startTestServer(container: Container): Promise<TestServer> {
  const server = http.createServer(createApp(container).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      let body: string | Buffer | FormData | undefined = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['Content-Type'] ??= 'application/json';
      }
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      const response = await fetch(baseUrl + path, { method, headers, body, redirect: options.redirect ?? 'follow' });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
