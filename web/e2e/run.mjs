// End-to-end entry: starts the real server (free port, temp SQLite, demo data) serving web/dist, waits for
// /health, runs the flows in e2e/tests with node:test, and stops the server whatever happened.
// Set E2E_BASE_URL to run the flows against a server you started yourself.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const repoRoot = resolve(webDir, '..');

const freePort = () =>
  new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

async function waitForHealth(baseUrl, server, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server && server.exitCode !== null) throw new Error(`server exited with code ${server.exitCode}`);
    try {
      const r = await fetch(`${baseUrl}/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms`);
}

function serverCommand() {
  const configs = [process.env.E2E_SERVER_CONFIGURATION, 'Release', 'Debug'].filter(Boolean);
  for (const config of configs) {
    const dll = join(repoRoot, 'src/Server/bin', config, 'net10.0/EstateVoice.Server.dll');
    if (existsSync(dll)) return { cmd: 'dotnet', args: [dll] };
  }
  throw new Error('Server is not built: run `dotnet build src/Server/Server.csproj -c Release` first');
}

async function startServer() {
  if (!existsSync(join(webDir, 'dist/index.html'))) throw new Error('web/dist is missing: run `npm run build` first');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'estate-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const { cmd, args } = serverCommand();
  const server = spawn(cmd, args, {
    cwd: join(repoRoot, 'src/Server'), // the content root `dotnet run --project src/Server` would use (appsettings.json)
    detached: true, // own process group, so stopping it stops anything it started
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ASPNETCORE_URLS: '',
      DATABASE_URL: `sqlite:///${join(dataDir, 'estate.db')}`,
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'true',
      JWT_SECRET_KEY: randomBytes(32).toString('hex'),
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      WEB_DIST_PATH: join(webDir, 'dist'),
      ELEVENLABS_WEBHOOK_SECRET: process.env.ELEVENLABS_WEBHOOK_SECRET ?? 'e2e-elevenlabs-secret',
    },
  });
  const logs = [];
  const keep = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 400) logs.shift();
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, server);
  } catch (error) {
    console.error(logs.join(''));
    await stop();
    throw error;
  }
  return { baseUrl, stop, logs };
}

let server = null;
let code = 1;
const onSignal = async () => {
  await server?.stop();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
try {
  server = process.env.E2E_BASE_URL ? null : await startServer();
  const baseUrl = process.env.E2E_BASE_URL ?? server.baseUrl;
  console.log(`e2e against ${baseUrl}`);
  mkdirSync(join(webDir, 'test-results/screenshots'), { recursive: true });

  // The typed client checked against the running server's OpenAPI document (src/testing/contract).
  const openApiFile = join(webDir, 'test-results/openapi.json');
  writeFileSync(openApiFile, await (await fetch(`${baseUrl}/openapi/v1.json`)).text());
  const contract = spawn(process.execPath, [join(webDir, 'node_modules/vitest/vitest.mjs'), 'run', 'src/testing/contract'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, OPENAPI_FILE: openApiFile },
  });
  const contractCode = await new Promise((r) => contract.on('exit', (c) => r(c ?? 1)));
  const files = readdirSync(join(here, 'tests'))
    .filter((f) => f.endsWith('.test.mjs'))
    .filter((f) => !process.env.E2E_ONLY || f.includes(process.env.E2E_ONLY))
    .sort()
    .map((f) => join(here, 'tests', f));
  // One file at a time: the machine has 2 CPUs and the flows share one server.
  const runner = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, E2E_BASE_URL: baseUrl, E2E_REPO_ROOT: repoRoot },
  });
  code = (await new Promise((r) => runner.on('exit', (c) => r(c ?? 1)))) || contractCode;
  if (code !== 0 && server) console.error(`--- server log (last lines) ---\n${server.logs.slice(-80).join('')}`);
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  await server?.stop();
}
process.exit(code);
