import { HttpProblem } from '@recycling/service-kit';
import { RuleViolation, type RuleViolationKind } from '../domain/errors';

const ANSWERS: Record<RuleViolationKind, { status: number; title: string; title_zh: string }> = {
  conflict: { status: 409, title: 'Conflicts with the current state', title_zh: '与当前状态冲突' },
  forbidden: { status: 403, title: 'Not allowed', title_zh: '不允许此操作' },
  invalid: { status: 400, title: 'Breaks a rule', title_zh: '不符合规定' },
  'not-found': { status: 404, title: 'Not Found', title_zh: '未找到' },
};

/** A broken domain rule as problem+json; the rule's code travels as `code` for clients to branch on. */
export const toHttpProblem = (error: unknown): unknown => {
  if (!(error instanceof RuleViolation)) return error;
  const answer = ANSWERS[error.kind];
  return new HttpProblem(answer.status, answer.title, error.detail, {
    title_zh: answer.title_zh,
    code: error.code,
    ...(error.field ? { errors: [{ field: error.field, message: error.detail, code: error.code }] } : {}),
  });
};
