/**
 * Preload (`node --require ./deny-network.cjs ...`) that makes every Node network entry point
 * record the attempt to $NETWORK_LOG and throw. Unix-socket connections are local IPC (tsx talks to
 * its parent over one) and pass. Plain CommonJS, because worker threads inherit
 * the preload before any TypeScript loader is active there: tesseract.js's wasm worker is
 * guarded too, and each guarded thread logs a `guard` line.
 */
'use strict';
const dns = require('node:dns');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { syncBuiltinESMExports } = require('node:module');
const net = require('node:net');
const tls = require('node:tls');
const { isMainThread, threadId } = require('node:worker_threads');

const log = process.env.NETWORK_LOG;
if (!log) throw new Error('NETWORK_LOG is not set');

function deny(what) {
  return (...args) => {
    const target = args.find((a) => typeof a === 'string' || (typeof a === 'object' && a !== null));
    fs.appendFileSync(log, `attempt ${what} ${String(JSON.stringify(target)).slice(0, 200)}\n`);
    throw new Error(`network access denied: ${what}`);
  };
}

function patch(target, names, prefix) {
  for (const name of names) target[name] = deny(`${prefix}.${name}`);
}

/** connect(path), connect({ path }) and the array form net uses internally name a Unix socket. */
function isUnixSocket(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'string') return !/^\d+$/.test(first);
  return typeof first === 'object' && first !== null && typeof first.path === 'string';
}

function allowUnixSockets(target, names, prefix) {
  for (const name of names) {
    const original = target[name];
    const denied = deny(`${prefix}.${name}`);
    target[name] = function (...args) {
      return isUnixSocket(args) ? original.apply(this, args) : denied(...args);
    };
  }
}

allowUnixSockets(net.Socket.prototype, ['connect'], 'net.Socket');
allowUnixSockets(net, ['connect', 'createConnection'], 'net');
patch(tls, ['connect'], 'tls');
patch(http, ['request', 'get'], 'http');
patch(https, ['request', 'get'], 'https');
const lookups = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny'];
patch(dns, lookups, 'dns');
patch(dns.promises, lookups, 'dns.promises');
const deniedFetch = deny('fetch');
globalThis.fetch = async (...args) => deniedFetch(...args);
syncBuiltinESMExports();

fs.appendFileSync(log, `guard ${isMainThread ? 'main' : 'worker'} ${process.pid}/${threadId}\n`);
