// problem+json (RFC 9457) from the services, as the page shows it: title_zh or title, the detail,
// and for a 400 each field error by its dotted path so the form can mark the field.
export interface FieldError {
  field: string;
  message: string;
  code: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  title_zh?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.body = body;
  }

  /** Field errors whose path is `field` or lies under it (items.0 covers items.0.count). */
  errorsFor(field: string): FieldError[] {
    return (this.body.errors ?? []).filter((e) => e.field === field || e.field.startsWith(`${field}.`));
  }
}

/** Turns any response body into a problem: JSON problem when given, else one made from the status. */
export function problemFrom(status: number, text: string): ApiProblem {
  try {
    const parsed = JSON.parse(text) as ProblemBody;
    if (parsed && typeof parsed === 'object') return new ApiProblem(status, { status, ...parsed });
  } catch {
    // not JSON: a proxy or the browser answered
  }
  return new ApiProblem(status, { status, title: `HTTP ${status}`, detail: text.slice(0, 200) || undefined });
}
