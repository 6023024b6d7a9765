// Past saturation a service answers "busy" at once instead of queueing. A request that waits longer
// than its caller does is work done for nobody (the caller timed out and will ask again), and every
// request queued behind it waits too: measured with `npm run bench:load`, sorting went from 7.2
// intakes/s accepted at 10/s offered to 1.1/s at 25/s, every answer later than the client's 10 s.
// Bounding what is in flight keeps the queue, and so the wait, short; the refused caller is told to
// come back (503 with Retry-After), which an idempotent retry makes safe.
import type { RequestHandler } from 'express';
import { Counter } from 'prom-client';
import { problem, sendProblem } from './problem';

const shed = new Counter({
  name: 'http_requests_shed_total',
  help: 'Requests answered 503 because the service had as many in flight as it takes',
});

/** Answers 503 (Retry-After: 1) while `max` (> 0) requests are in flight. */
export function shedLoad(max: number): RequestHandler {
  let inFlight = 0;
  return (_req, res, next) => {
    if (inFlight >= max) {
      shed.inc();
      sendProblem(
        res,
        problem(503, 'Busy', '服务繁忙，请稍后再试。 / The service is busy: try again in a moment.', {
          title_zh: '服务繁忙',
          code: 'busy',
        }),
        { 'Retry-After': '1' },
      );
      return;
    }
    inFlight += 1;
    let done = false;
    const release = () => {
      if (!done) {
        done = true;
        inFlight -= 1;
      }
    };
    // A request is in flight until its handler answers, not until its caller hangs up: a caller
    // that timed out closes the connection while the service still works on its request, and
    // counting that as done let work pile up past the bound (measured at 25/s offered: every
    // answer later than the client's 10 s). The answer is `res.end`, called by every handler and
    // by the error handler, also when the connection is gone (then no 'finish' follows).
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      release();
      return end(...args);
    }) as typeof res.end;
    res.once('finish', release);
    next();
  };
}
