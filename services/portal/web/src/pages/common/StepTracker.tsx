// A process as a parcel tracker: each step with its time once reached, the current one marked, a step
// that ended the process (rejected, cancelled) marked closed. The same look as a booking's tracker.
import type { ReactNode } from 'react';

export type StepState = 'done' | 'current' | 'todo' | 'closed';

export interface TrackStep {
  key: string;
  label: string;
  state: StepState;
  /** When it was reached, already in the city's time. */
  time?: string;
  /** A line under the step: what is awaited, why it ended. */
  note?: ReactNode;
}

export function StepTracker({ steps, testId = 'tracker' }: { steps: TrackStep[]; testId?: string }) {
  return (
    <ol className="tracker" data-testid={testId}>
      {steps.map((s) => (
        <li
          key={s.key}
          className={`step ${s.state}`}
          data-step={s.key}
          data-state={s.state}
          aria-current={s.state === 'current' || s.state === 'closed' ? 'step' : undefined}
        >
          <span className="dot" aria-hidden="true" />
          <span className="step-name">{s.label}</span>
          {s.time && s.state !== 'todo' ? <span className="step-time">{s.time}</span> : null}
          {s.note ? <div className="step-note">{s.note}</div> : null}
        </li>
      ))}
    </ol>
  );
}
