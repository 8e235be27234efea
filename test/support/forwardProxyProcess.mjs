// The forwarding proxy that forwardProxy.ts runs as a child process.
// Plain JavaScript so it starts without a TypeScript loader.
//
// The proxying itself (CONNECT tunnels, absolute-URI requests) is the `proxy`
// package's; this file only counts what passed through, per target host:port,
// and serves the counts on a second loopback port:
//   GET  /stats  -> { "targets": { "host:port": { "connect": n, "http": n } } }
//   POST /reset  -> zeroes the counts
// On start it prints one line: {"proxyPort":N,"statsPort":M}
import http from 'node:http';
import { createProxy } from 'proxy';

const counts = new Map();

function count(target, kind) {
  const entry = counts.get(target) ?? { connect: 0, http: 0 };
  entry[kind]++;
  counts.set(target, entry);
}

const proxy = createProxy(http.createServer());
proxy.on('connect', req => count(String(req.url), 'connect'));
proxy.on('request', req => {
  try {
    const url = new URL(String(req.url));
    count(`${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`, 'http');
  } catch {
    // not an absolute URI: the proxy answers it with an error, nothing was carried
  }
});

const stats = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ targets: Object.fromEntries(counts) }));
  } else if (req.method === 'POST' && req.url === '/reset') {
    counts.clear();
    res.statusCode = 204;
    res.end();
  } else {
    res.statusCode = 404;
    res.end();
  }
});

const listen = server => new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const [proxyPort, statsPort] = await Promise.all([listen(proxy), listen(stats)]);
process.stdout.write(`${JSON.stringify({ proxyPort, statsPort })}\n`);
