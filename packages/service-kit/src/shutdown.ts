// Graceful shutdown. On SIGTERM or SIGINT: /readyz turns 503, the HTTP server stops accepting
// connections and closes idle keep-alive ones, in-flight requests finish, then the registered hooks
// run in the order they were registered (stop consumers, flush the outbox relay, disconnect the
// producer, close mongoose), then telemetry is flushed and the process exits 0. A second signal, a
// failing hook or the deadline (SHUTDOWN_TIMEOUT_MS) ends it with exit code 1.
import { createServer, type RequestListener, type Server } from 'node:http';
import { shutdownTelemetry, type Logger } from '@recycling/observability';
import { ConfigError } from './config';

export type ShutdownHook = () => Promise<void> | void;

export interface ShutdownManagerOptions {
  logger: Logger;
  /** The whole shutdown's deadline; default 10 000 ms. */
  timeoutMs?: number;
  /** Default process.exit; tests pass a spy. */
  exit?: (code: number) => void;
  /** Flush telemetry after the hooks; default true. */
  flushTelemetry?: boolean;
}

export class ShutdownManager {
  private readonly hooks: Array<{ name: string; fn: ShutdownHook }> = [];
  private server: Server | undefined;
  private shuttingDown = false;
  private done: Promise<number> | undefined;
  private readonly logger: Logger;
  private timeoutMs: number;
  private readonly exit: (code: number) => void;
  private readonly flushTelemetry: boolean;

  constructor(options: ShutdownManagerOptions) {
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.flushTelemetry = options.flushTelemetry ?? true;
  }

  /** Registers a step; steps run in registration order after the HTTP server has drained. */
  onShutdown(name: string, fn: ShutdownHook): void {
    this.hooks.push({ name, fn });
  }

  /** Sets the deadline once the config is loaded (SHUTDOWN_TIMEOUT_MS). */
  setTimeoutMs(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
  }

  /** The server to drain first. */
  setServer(server: Server): void {
    this.server = server;
  }

  /** True from the first signal on (for /readyz). */
  readonly isShuttingDown = (): boolean => this.shuttingDown;

  /** Listens for SIGTERM and SIGINT (and fatal errors); returns a function that stops listening. */
  listen(): () => void {
    const onSignal = (signal: NodeJS.Signals) => void this.shutdown(signal);
    const onFatal = (err: unknown) => {
      this.logger.fatal({ err }, 'uncaught error, shutting down');
      void this.shutdown('fatal', 1);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('uncaughtException', onFatal);
    process.on('unhandledRejection', onFatal);
    return () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.off('uncaughtException', onFatal);
      process.off('unhandledRejection', onFatal);
    };
  }

  /**
   * Runs the shutdown once; a second call while it runs forces exit 1 at once. Resolves with the
   * exit code it passed to `exit`.
   */
  shutdown(reason: string, exitCode = 0): Promise<number> {
    if (this.done) {
      this.logger.warn({ reason }, 'second signal during shutdown, exiting now');
      this.exit(1);
      return this.done;
    }
    this.shuttingDown = true;
    this.logger.info({ reason, timeoutMs: this.timeoutMs }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out, exiting');
        this.server?.closeAllConnections();
        resolve(1);
      }, this.timeoutMs);
      timer.unref();
    });
    this.done = Promise.race([this.run(exitCode), deadline]).then((code) => {
      clearTimeout(timer);
      this.exit(code);
      return code;
    });
    return this.done;
  }

  private async run(exitCode: number): Promise<number> {
    let code = exitCode;
    if (this.server) {
      try {
        await closeServer(this.server);
        this.logger.info('http server closed');
      } catch (err) {
        this.logger.error({ err }, 'closing the http server failed');
        code = 1;
      }
    }
    for (const { name, fn } of this.hooks) {
      try {
        await fn();
        this.logger.info({ hook: name }, 'shutdown step done');
      } catch (err) {
        this.logger.error({ err, hook: name }, 'shutdown step failed');
        code = 1;
      }
    }
    if (this.flushTelemetry) {
      try {
        await shutdownTelemetry();
      } catch (err) {
        this.logger.warn({ err }, 'flushing telemetry failed');
      }
    }
    this.logger.info({ exitCode: code }, 'shutdown complete');
    this.logger.flush();
    return code;
  }
}

/** Stops accepting connections, closes idle keep-alive ones, resolves when in-flight ones end. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}

export interface Started {
  /** The HTTP server, drained first on shutdown. */
  server?: Server;
}

export interface RunServiceOptions {
  name: string;
  logger: Logger;
  /** Builds and starts the service; registers its shutdown steps on `shutdown`. */
  start: (shutdown: ShutdownManager) => Promise<Started>;
  /** Default 10 000 ms (use config.SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
  /** Default process.exit. */
  exit?: (code: number) => void;
}

/**
 * Starts a service and shuts it down gracefully on SIGTERM/SIGINT. A failing start (a ConfigError
 * is printed one line per variable) runs the steps registered so far and exits 1.
 */
export async function runService(options: RunServiceOptions): Promise<ShutdownManager> {
  const shutdown = new ShutdownManager({
    logger: options.logger,
    timeoutMs: options.shutdownTimeoutMs,
    exit: options.exit,
  });
  shutdown.listen();
  try {
    const started = await options.start(shutdown);
    if (started.server) shutdown.setServer(started.server);
    options.logger.info({ service: options.name }, 'service started');
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines()) process.stderr.write(`${line}\n`);
    } else {
      options.logger.fatal({ err }, 'service failed to start');
    }
    await shutdown.shutdown('start failed', 1);
  }
  return shutdown;
}

/** Listens on `port` and resolves with the server once it accepts connections. */
export function listen(app: RequestListener, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
