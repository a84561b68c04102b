// The example portal (deploy/portal-example), served from an origin of its own as a city's
// portal would be: the app's server never serves it (a page of the app's origin must not
// load script from an origin a URL names). Usage: node end2end/portal-server.mjs PORT
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../deploy/portal-example/', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
const port = Number(process.argv[2]);

createServer(async (request, response) => {
  const path = new URL(request.url, 'http://portal').pathname;
  if (path === '/healthz') {
    response.end('ok');
    return;
  }
  const file = normalize(join(root, path === '/' ? 'portal.html' : path));
  if (!file.startsWith(root)) {
    response.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}).listen(port, '127.0.0.1');
