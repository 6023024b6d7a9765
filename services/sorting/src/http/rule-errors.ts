import { HttpProblem } from '@recycling/service-kit';
import { RuleError } from '../domain/rule-error';

/** A refused rule as problem+json: 400 names the field, like schema failures do. */
export function toHttpProblem(error: unknown): unknown {
  if (!(error instanceof RuleError)) return error;
  const errors = error.field ? [{ field: error.field, message: error.detail, code: 'custom' }] : undefined;
  switch (error.kind) {
    case 'invalid':
      return new HttpProblem(400, 'Validation failed', error.detail, { title_zh: '输入有误', errors });
    case 'not-found':
      return new HttpProblem(404, undefined, error.detail);
    case 'forbidden':
      return new HttpProblem(403, undefined, error.detail);
    case 'conflict':
      return new HttpProblem(409, undefined, error.detail, { errors });
  }
}
