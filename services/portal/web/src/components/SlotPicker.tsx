// Choosing a visit: days as chips, then the day's windows with the seats left. Toggles say whether
// they are chosen (aria-pressed). Only slots with room are offered.
import { useState } from 'react';
import { useApp } from '../lib/context';
import type { SlotAvailability } from '../lib/pickups';
import { dayLabel } from '../lib/units';

export function SlotPicker({
  slots,
  value,
  onChange,
  exclude,
}: {
  slots: SlotAvailability[];
  value?: { date: string; window: string };
  onChange: (slot: { date: string; window: string }) => void;
  /** The pickup's current slot, not offered when moving it. */
  exclude?: { date: string; window: string };
}) {
  const { t, lang } = useApp();
  const free = slots.filter(
    (s) => s.available > 0 && !(exclude && s.date === exclude.date && s.window === exclude.window),
  );
  const days = [...new Set(free.map((s) => s.date))];
  const [day, setDay] = useState<string>();
  const shown = day && days.includes(day) ? day : value && days.includes(value.date) ? value.date : days[0];
  if (days.length === 0) return <p className="muted">{t('noFreeSlots')}</p>;
  return (
    <div className="slot-picker" data-testid="slots">
      <div className="chips" role="group" aria-label={t('slotDate')}>
        {days.map((d) => (
          <button
            key={d}
            type="button"
            className="chip"
            aria-pressed={d === shown}
            data-testid={`slot-day-${d}`}
            onClick={() => setDay(d)}
          >
            {dayLabel(d, lang)}
          </button>
        ))}
      </div>
      <div className="windows" role="group" aria-label={t('slotWindow')}>
        {free
          .filter((s) => s.date === shown)
          .map((s) => {
            const on = value?.date === s.date && value.window === s.window;
            return (
              <button
                key={s.window}
                type="button"
                className="slot"
                aria-pressed={on}
                data-testid={`slot-${s.date}-${s.window}`}
                onClick={() => onChange({ date: s.date, window: s.window })}
              >
                <span>{s.window}</span>
                <small>
                  {t('seatsLeft')} {s.available}
                </small>
              </button>
            );
          })}
      </div>
    </div>
  );
}
