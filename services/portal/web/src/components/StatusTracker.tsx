// A pickup's progress as a parcel tracker: each step with its time once reached, the current one
// marked; a cancelled or failed pickup ends with that step. Steps the crew skipped recording (a
// vehicle received before it was marked collected) show as done once a later step is reached.
import { useApp } from '../lib/context';
import { reachedAt, trackSteps, type PickupView } from '../lib/pickups';
import { localDateTime } from '../lib/units';

export function StatusTracker({ pickup, timeZone }: { pickup: PickupView; timeZone: string }) {
  const { td, codeName } = useApp();
  const steps = trackSteps(pickup.kind);
  const at = reachedAt(pickup);
  const closed = pickup.status === 'cancelled' || pickup.status === 'failed';
  const lastReached = closed
    ? Math.max(...steps.map((s, i) => (at.has(s) ? i : -1)))
    : steps.indexOf(pickup.status);
  const shown = closed ? [...steps.slice(0, lastReached + 1), pickup.status] : steps;
  return (
    <ol className="tracker" data-testid="tracker">
      {shown.map((s, i) => {
        const state = closed
          ? i === shown.length - 1
            ? 'closed'
            : 'done'
          : i < lastReached
            ? 'done'
            : i === lastReached
              ? 'current'
              : 'todo';
        const time = at.get(s);
        return (
          <li
            key={s}
            className={`step ${state}`}
            data-step={s}
            aria-current={state === 'current' || state === 'closed' ? 'step' : undefined}
          >
            <span className="dot" aria-hidden="true" />
            <span className="step-name">{td(`track.${s}`, codeName('pickupStatuses', s))}</span>
            {time && state !== 'todo' ? (
              <span className="step-time">{localDateTime(time, timeZone)}</span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
