// 我的预约: each booking as a parcel tracker, who comes and how to reach them once the site has
// planned the visit, and the two things a resident may do before collection, with the rules shown:
// move it to another free slot, or cancel it. After an action the focus stays on the booking.
import { useRef, useState } from 'react';
import { CertificateView } from '../../components/CertificateView';
import { Icon } from '../../components/Icons';
import { ProblemView } from '../../components/ProblemView';
import { SlotPicker } from '../../components/SlotPicker';
import { StatusTracker } from '../../components/StatusTracker';
import { api, asList } from '../../lib/api';
import { everydayName } from '../../lib/categories';
import { useApp } from '../../lib/context';
import type { PickupView, SlotAvailability } from '../../lib/pickups';
import { addDays, dayLabel, localDate } from '../../lib/units';
import { useLoad } from '../../lib/use-load';

export default function Bookings() {
  const { t } = useApp();
  const pickups = useLoad(
    (signal) => api<unknown>('pickup', 'pickups', { signal }).then((r) => asList<PickupView>(r, 'items')),
    [],
  );
  return (
    <section className="screen">
      <div className="card-head">
        <h1>{t('myPickups')}</h1>
        <button type="button" className="link" onClick={pickups.reload} data-testid="pickups-refresh">
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={pickups.error} />
      {pickups.loading && !pickups.data ? <p className="muted">{t('loading')}</p> : null}
      {pickups.data?.length === 0 ? <p className="muted">{t('noBookings')}</p> : null}
      <ul className="pickups" data-testid="my-pickups">
        {(pickups.data ?? []).map((p) => (
          <BookingCard key={p.pickupId} pickup={p} onChanged={pickups.reload} />
        ))}
      </ul>
    </section>
  );
}

function BookingCard({ pickup: p, onChanged }: { pickup: PickupView; onChanged: () => void }) {
  const { t, l, lang, reference, codeName } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const [mode, setMode] = useState<'reschedule' | 'cancel'>();
  const [slot, setSlot] = useState<{ date: string; window: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [certificate, setCertificate] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  const visit = p.visit ?? p.slot;
  const collector = p.visit?.collector;
  const today = localDate(tz);
  const slots = useLoad(
    (signal) =>
      mode === 'reschedule'
        ? api<unknown>('pickup', 'slots', {
            query: { districtCode: p.address.districtCode, from: addDays(today, 1), to: addDays(today, 14) },
            signal,
          }).then((r) => asList<SlotAvailability>(r, 'items'))
        : Promise.resolve(undefined),
    [mode, p.address.districtCode, today],
  );

  const done = (message: string) => {
    setMode(undefined);
    setSlot(undefined);
    setNotice(message);
    onChanged();
    // The card stays where it was; the focus goes back to its title, the change is announced.
    setTimeout(() => title.current?.focus(), 0);
  };

  const act = async (action: 'reschedule' | 'cancel') => {
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'reschedule') {
        await api('pickup', `pickups/${encodeURIComponent(p.pickupId)}/reschedule`, { body: { slot } });
        done(t('rescheduled').replace('{slot}', slot ? `${dayLabel(slot.date, lang)} ${slot.window}` : ''));
      } else {
        await api('pickup', `pickups/${encodeURIComponent(p.pickupId)}/cancel`, { body: {} });
        done(t('cancelled'));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const what =
    p.kind === 'appliances'
      ? (p.appliances ?? []).map((a) => `${everydayName(a.category, lang)} × ${a.count}`).join('，')
      : `${codeName('vehicleTypes', p.vehicle?.vehicleType ?? '')} ${p.vehicle?.plate ?? ''}`;
  const reschedule = p.actions?.reschedule;
  const cancel = p.actions?.cancel;
  const open = p.status === 'requested' || p.status === 'scheduled';

  return (
    <li className="pickup card" data-testid={`pickup-${p.pickupId}`}>
      <div className="pickup-head">
        <Icon name={p.kind === 'vehicle' ? 'vehicle' : (p.appliances?.[0]?.category ?? 'appliances')} />
        <h2 ref={title} tabIndex={-1}>
          {what}
        </h2>
      </div>
      <p className={`badge status-${p.status}`} data-testid="pickup-status" data-status={p.status}>
        {l(p.statusName, codeName('pickupStatuses', p.status))}
      </p>
      <StatusTracker pickup={p} timeZone={tz} />
      <dl className="facts">
        <div>
          <dt>{t('visit')}</dt>
          <dd data-testid="pickup-visit">
            {dayLabel(visit.date, lang)} {visit.window}
          </dd>
        </div>
        <div>
          <dt>{t('address')}</dt>
          <dd>
            {l(p.address.districtName, codeName('districts', p.address.districtCode))}{' '}
            {p.address.detail ?? ''}
          </dd>
        </div>
        {open || collector ? (
          <div>
            <dt>{t('collector')}</dt>
            <dd data-testid="collector">
              {collector ? (
                <>
                  {collector.name} ·{' '}
                  <a href={`tel:${collector.phone}`} className="tel">
                    {collector.phone}
                  </a>
                </>
              ) : (
                t('collectorPending')
              )}
            </dd>
          </div>
        ) : null}
      </dl>
      {notice ? (
        <p className="notice" role="status" data-testid="pickup-notice">
          {notice}
        </p>
      ) : null}
      {open ? (
        <div className="rules" data-testid="pickup-rules">
          <p>
            {reschedule?.allowed
              ? t('rules.rescheduleUntil').replace('{date}', dayLabel(reschedule.until ?? visit.date, lang))
              : reschedule?.reason
                ? l(reschedule.reason)
                : ''}
          </p>
          <p>{cancel?.allowed ? t('rules.cancel') : cancel?.reason ? l(cancel.reason) : ''}</p>
        </div>
      ) : null}
      {open && !mode ? (
        <div className="actions">
          {reschedule?.allowed ? (
            <button
              type="button"
              data-testid={`reschedule-${p.pickupId}`}
              onClick={() => {
                setError(undefined);
                setNotice(undefined);
                setMode('reschedule');
              }}
            >
              {t('reschedule')}
            </button>
          ) : null}
          {cancel?.allowed ? (
            <button
              type="button"
              className="danger"
              data-testid={`cancel-${p.pickupId}`}
              onClick={() => {
                setError(undefined);
                setNotice(undefined);
                setMode('cancel');
              }}
            >
              {t('cancelBooking')}
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === 'reschedule' ? (
        <div className="panel" data-testid="reschedule-panel">
          <h3>{t('reschedulePick')}</h3>
          {slots.loading ? <p className="muted">{t('loading')}</p> : null}
          {slots.data ? (
            <SlotPicker slots={slots.data} value={slot} onChange={setSlot} exclude={visit} />
          ) : null}
          <ProblemView error={error ?? slots.error} />
          <div className="actions">
            <button type="button" onClick={() => setMode(undefined)}>
              {t('keepIt')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={!slot || busy}
              data-testid="reschedule-confirm"
              onClick={() => void act('reschedule')}
            >
              {t('rescheduleConfirm')}
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'cancel' ? (
        <div className="panel" data-testid="cancel-panel">
          <h3>{t('cancelAsk')}</h3>
          <p className="muted">{t('cancelWhat')}</p>
          <ProblemView error={error} />
          <div className="actions">
            <button type="button" onClick={() => setMode(undefined)}>
              {t('keepIt')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              data-testid="cancel-confirm"
              onClick={() => void act('cancel')}
            >
              {t('cancelConfirm')}
            </button>
          </div>
        </div>
      ) : null}
      {p.certificate ? (
        <>
          <button
            type="button"
            data-testid="pickup-certificate"
            aria-expanded={certificate}
            onClick={() => setCertificate(!certificate)}
          >
            {t('certificate')}: {p.certificate.certificateNo}
          </button>
          {certificate ? (
            <CertificateView
              certificateNo={p.certificate.certificateNo}
              onClose={() => setCertificate(false)}
            />
          ) : null}
        </>
      ) : null}
    </li>
  );
}
