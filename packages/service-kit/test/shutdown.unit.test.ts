import { request as httpRequest } from 'node:http';
import express from 'express';
import { ConfigError, ShutdownManager, listen, runService } from '../src';
import { testLogger } from './helpers';

function manager(timeoutMs = 2_000) {
  const log = testLogger();
  const exit = jest.fn();
  const shutdown = new ShutdownManager({ logger: log.logger, timeoutMs, exit, flushTelemetry: false });
  return { shutdown, exit, log };
}

describe('ShutdownManager', () => {
  it('runs the hooks in order after draining the server, then exits 0', async () => {
    const { shutdown, exit } = manager();
    const order: string[] = [];
    let entered: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (entered = r));
    const app = express();
    app.get('/slow', (_req, res) => {
      entered();
      setTimeout(() => {
        order.push('request finished');
        res.json({ ok: true });
      }, 150);
    });
    const server = await listen(app, 0, '127.0.0.1');
    shutdown.setServer(server);
    shutdown.onShutdown('stop consumers', async () => void order.push('consumers'));
    shutdown.onShutdown('flush outbox', () => void order.push('outbox'));
    shutdown.onShutdown('close mongoose', async () => void order.push('mongoose'));

    const { port } = server.address() as { port: number };
    const response = new Promise<number>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path: '/slow', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    await inFlight;
    expect(shutdown.isShuttingDown()).toBe(false);
    const code = await shutdown.shutdown('SIGTERM');

    expect(await response).toBe(200);
    expect(code).toBe(0);
    expect(exit).toHaveBeenCalledWith(0);
    expect(order).toEqual(['request finished', 'consumers', 'outbox', 'mongoose']);
    expect(shutdown.isShuttingDown()).toBe(true);
    expect(server.listening).toBe(false);
  });

  it('closes idle keep-alive connections at once', async () => {
    const { shutdown } = manager();
    const app = express();
    app.get('/', (_req, res) => {
      res.json({ ok: true });
    });
    const server = await listen(app, 0, '127.0.0.1');
    shutdown.setServer(server);
    const { port } = server.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/`, { headers: { Connection: 'keep-alive' } });
    const started = Date.now();
    await shutdown.shutdown('SIGTERM');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps going when a hook fails, and exits 1', async () => {
    const { shutdown, exit, log } = manager();
    const ran: string[] = [];
    shutdown.onShutdown('broken', () => {
      throw new Error('cannot');
    });
    shutdown.onShutdown('after', () => void ran.push('after'));
    expect(await shutdown.shutdown('SIGTERM')).toBe(1);
    expect(ran).toEqual(['after']);
    expect(exit).toHaveBeenCalledWith(1);
    expect(log.lines().some((l) => l.msg === 'shutdown step failed' && l.hook === 'broken')).toBe(true);
  });

  it('forces exit 1 when the deadline passes', async () => {
    const { shutdown, exit } = manager(100);
    shutdown.onShutdown('hangs', () => new Promise<void>(() => undefined));
    expect(await shutdown.shutdown('SIGTERM')).toBe(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('forces exit 1 on a second signal', async () => {
    const { shutdown, exit } = manager();
    let release: () => void = () => undefined;
    shutdown.onShutdown('slow', () => new Promise<void>((r) => (release = r)));
    const first = shutdown.shutdown('SIGTERM');
    await new Promise((r) => setTimeout(r, 10));
    void shutdown.shutdown('SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
    release();
    await first;
  });

  it('listens to SIGTERM', async () => {
    const { shutdown, exit } = manager();
    const stop = shutdown.listen();
    try {
      process.emit('SIGTERM', 'SIGTERM');
      await new Promise((r) => setTimeout(r, 50));
      expect(exit).toHaveBeenCalledWith(0);
    } finally {
      stop();
    }
  });
});

describe('runService', () => {
  it('prints a ConfigError one line per variable and exits 1 after the steps registered so far', async () => {
    const log = testLogger();
    const exit = jest.fn();
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const closed: string[] = [];
    const shutdown = await runService({
      name: 'test',
      logger: log.logger,
      exit,
      start: async (s) => {
        s.onShutdown('close mongoose', () => void closed.push('mongoose'));
        throw new ConfigError([
          { variable: 'PORT', problem: 'missing', expected: 'a port' },
          { variable: 'MONGO_URL', problem: 'missing', expected: 'a URL' },
        ]);
      },
    });
    expect(write).toHaveBeenCalledWith('config: PORT is missing; expected a port\n');
    expect(write).toHaveBeenCalledWith('config: MONGO_URL is missing; expected a URL\n');
    write.mockRestore();
    expect(closed).toEqual(['mongoose']);
    expect(exit).toHaveBeenCalledWith(1);
    expect(shutdown.isShuttingDown()).toBe(true);
  });

  it('starts, then shuts down on demand', async () => {
    const log = testLogger();
    const exit = jest.fn();
    const shutdown = await runService({
      name: 'test',
      logger: log.logger,
      exit,
      start: async () => ({ server: await listen(express(), 0, '127.0.0.1') }),
    });
    expect(log.lines().some((l) => l.msg === 'service started')).toBe(true);
    await shutdown.shutdown('test');
    expect(exit).toHaveBeenCalledWith(0);
  });
});
