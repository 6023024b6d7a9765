// Booking, one task per screen: where (the served-area check first: what is collected there and
// when, or where to bring things), what, when, address and phone, confirm. A refusal names the field
// in plain words and takes the resident back to the screen that has it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Field, CodeSelect } from '../../components/Field';
import { Icon } from '../../components/Icons';
import { ProblemView } from '../../components/ProblemView';
import { SlotPicker } from '../../components/SlotPicker';
import { api, asList, takeOrGet } from '../../lib/api';
import { EVERYDAY_CATEGORIES, everydayName } from '../../lib/categories';
import { useApp, type Label } from '../../lib/context';
import { fieldLabel } from '../../lib/errors';
import type { PickupView, SlotAvailability } from '../../lib/pickups';
import { ApiProblem } from '../../lib/problem';
import { addDays, dayLabel, localDate } from '../../lib/units';
import { useLoad } from '../../lib/use-load';

interface AreaSummary {
  districtCode: string;
  name: Label;
  appliances: boolean;
  vehicles: boolean;
}

interface AreaDetail {
  districtCode: string;
  name: Label;
  appliances: { served: boolean; categories: string[]; sites: Array<{ name: Label }> };
  vehicles: { served: boolean; sites: Array<{ name: Label }> };
  nextSlots: Array<{ date: string; window: string }>;
  dropOffs: Array<{ siteId: string; name: Label; address: Label; hours: Label; districtName?: Label }>;
}

const STEPS = ['where', 'what', 'when', 'contact', 'confirm'] as const;
type Step = (typeof STEPS)[number];

/** Which screen holds a field the service refused. */
const stepOf = (field: string): Step =>
  field.startsWith('address.districtCode')
    ? 'where'
    : field.startsWith('appliances') || field.startsWith('vehicle') || field === 'kind'
      ? 'what'
      : field.startsWith('slot')
        ? 'when'
        : field.startsWith('address') || field.startsWith('contact')
          ? 'contact'
          : 'confirm';

const EMPTY_VEHICLE = {
  plate: '',
  vin: '',
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  emissionStandard: 'china-3',
  registrationDate: '',
};

export function Book() {
  const { t, l, lang, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const today = localDate(tz);
  const [step, setStep] = useState<Step>('where');
  const [district, setDistrict] = useState('');
  const [kind, setKind] = useState<'appliances' | 'vehicle'>('appliances');
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [vehicle, setVehicle] = useState(EMPTY_VEHICLE);
  const [slot, setSlot] = useState<{ date: string; window: string }>();
  const [detail, setDetail] = useState('');
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [booked, setBooked] = useState<PickupView>();
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const focusField = useRef<string>(undefined);

  const areas = useLoad(
    (signal) =>
      takeOrGet<unknown>('pickup', 'service-areas', signal).then((r) => asList<AreaSummary>(r, 'items')),
    [],
  );
  const area = useLoad(
    (signal) =>
      district
        ? api<AreaDetail>('pickup', `service-areas/${encodeURIComponent(district)}`, { signal })
        : Promise.resolve(undefined),
    [district],
  );
  const slots = useLoad(
    (signal) =>
      step === 'when' && district
        ? api<unknown>('pickup', 'slots', {
            query: { districtCode: district, from: addDays(today, 1), to: addDays(today, 14) },
            signal,
          }).then((r) => asList<SlotAvailability>(r, 'items'))
        : Promise.resolve(undefined),
    [step === 'when', district, today],
  );

  // Each screen starts at its heading (a screen reader reads where the resident is), or at the field
  // a refusal sent them back to.
  useEffect(() => {
    const field = focusField.current;
    focusField.current = undefined;
    const target = field
      ? document.querySelector<HTMLElement>(`[name="${field}"], [data-field-anchor="${field}"]`)
      : null;
    (target ?? heading.current)?.focus();
  }, [step, booked]);

  const detailData = area.data;
  const servedKinds = detailData
    ? (['appliances', 'vehicle'] as const).filter((k) =>
        k === 'appliances' ? detailData.appliances.served : detailData.vehicles.served,
      )
    : [];
  const chosenKind = servedKinds.includes(kind) ? kind : servedKinds[0];
  const items = Object.entries(counts).filter(([, n]) => n > 0);
  const index = STEPS.indexOf(step);
  const go = (next: Step) => {
    setStep(next);
  };
  const districtName = l(
    areas.data?.find((a) => a.districtCode === district)?.name,
    reference?.districts.find((d) => d.code === district)?.name.zh ?? district,
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        kind: chosenKind,
        ...(chosenKind === 'appliances'
          ? { appliances: items.map(([category, count]) => ({ category, count })) }
          : { vehicle }),
        address: { districtCode: district, detail },
        contact: { ...(contactName ? { name: contactName } : {}), phone },
        slot,
      };
      setBooked(await api<PickupView>('pickup', 'pickups', { body }));
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  const firstField = error instanceof ApiProblem ? error.body.errors?.[0]?.field : undefined;
  const fixStep = firstField ? stepOf(firstField) : undefined;
  const slotFull = error instanceof ApiProblem && (error.body as { code?: string }).code === 'slot-full';

  if (booked) {
    const visit = booked.visit ?? booked.slot;
    return (
      <section className="card screen" data-testid="book-notice" data-pickup-id={booked.pickupId}>
        <h1 ref={heading} tabIndex={-1}>
          {t('booked')}
        </h1>
        <p className="big">
          {dayLabel(visit.date, lang)} {visit.window}
        </p>
        <p>{t('bookedWhatNext')}</p>
        <Link className="button primary" to="/resident/bookings" data-testid="go-bookings">
          {t('seeMyBookings')}
        </Link>
        <button
          type="button"
          className="button"
          onClick={() => {
            setBooked(undefined);
            setCounts({});
            setVehicle(EMPTY_VEHICLE);
            setSlot(undefined);
            go('where');
          }}
        >
          {t('bookAnother')}
        </button>
      </section>
    );
  }

  return (
    <form className="card screen" onSubmit={submit} data-testid="book-form" noValidate>
      <p className="progress" aria-hidden="true">
        {STEPS.map((s, i) => (
          <span key={s} className={i <= index ? 'on' : ''} />
        ))}
      </p>
      <p className="muted step-count">
        {t('stepOf')
          .replace('{n}', String(index + 1))
          .replace('{total}', String(STEPS.length))}
      </p>

      {step === 'where' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {t('book.where')}
          </h1>
          <Field label={t('district')} field="address.districtCode" error={error}>
            <select
              name="address.districtCode"
              value={district}
              data-testid="area-district"
              onChange={(e) => {
                setDistrict(e.target.value);
                setSlot(undefined);
              }}
            >
              <option value="">{t('pickOne')}</option>
              {(areas.data ?? []).map((a) => (
                <option key={a.districtCode} value={a.districtCode}>
                  {l(a.name)}
                  {a.appliances || a.vehicles ? ` · ${t('servedShort')}` : ` · ${t('notServedShort')}`}
                </option>
              ))}
            </select>
          </Field>
          <ProblemView error={areas.error ?? area.error} />
          {district && area.loading ? <p className="muted">{t('loading')}</p> : null}
          {detailData && !area.loading ? <AreaAnswer area={detailData} /> : null}
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={servedKinds.length === 0 || area.loading}
              data-testid="step-next"
              onClick={() => go('what')}
            >
              {t('next')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'what' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {t('book.what')}
          </h1>
          {servedKinds.length > 1 ? (
            <div className="segmented" role="group" aria-label={t('kind')}>
              {servedKinds.map((k) => (
                <button
                  key={k}
                  type="button"
                  aria-pressed={chosenKind === k}
                  data-testid={`kind-${k}`}
                  onClick={() => setKind(k)}
                >
                  <Icon name={k === 'vehicle' ? 'vehicle' : 'appliances'} size={24} />
                  {t(`kind.${k}`)}
                </button>
              ))}
            </div>
          ) : null}
          {chosenKind === 'appliances' ? (
            <div
              className="tiles"
              role="group"
              aria-label={t('whatToCollect')}
              data-field-anchor="appliances"
            >
              {EVERYDAY_CATEGORIES.filter((c) => detailData?.appliances.categories.includes(c.code)).map(
                (c) => {
                  const n = counts[c.code] ?? 0;
                  const name = everydayName(c.code, lang);
                  return (
                    <div key={c.code} className={`tile${n > 0 ? ' on' : ''}`}>
                      <button
                        type="button"
                        className="tile-main"
                        aria-pressed={n > 0}
                        data-testid={`cat-${c.code}`}
                        onClick={() => setCounts({ ...counts, [c.code]: n > 0 ? 0 : 1 })}
                      >
                        <Icon name={c.code} />
                        <span>{name}</span>
                      </button>
                      {n > 0 ? (
                        <div className="stepper">
                          <button
                            type="button"
                            aria-label={`${t('fewer')} ${name}`}
                            onClick={() => setCounts({ ...counts, [c.code]: n - 1 })}
                          >
                            −
                          </button>
                          <output aria-live="polite" data-testid={`count-${c.code}`}>
                            {n} {t('unitTai')}
                          </output>
                          <button
                            type="button"
                            aria-label={`${t('oneMore')} ${name}`}
                            data-testid={`cat-${c.code}-plus`}
                            disabled={n >= 50}
                            onClick={() => setCounts({ ...counts, [c.code]: n + 1 })}
                          >
                            +
                          </button>
                        </div>
                      ) : null}
                    </div>
                  );
                },
              )}
            </div>
          ) : (
            <fieldset>
              <legend>{t('kind.vehicle')}</legend>
              <Field label={t('plate')} field="vehicle.plate" error={error} hint={t('hint.plateExample')}>
                <input
                  name="vehicle.plate"
                  value={vehicle.plate}
                  autoComplete="off"
                  onChange={(e) => setVehicle({ ...vehicle, plate: e.target.value.toUpperCase() })}
                />
              </Field>
              <Field label={t('vin')} field="vehicle.vin" error={error} hint={t('hint.vinWhere')}>
                <input
                  name="vehicle.vin"
                  value={vehicle.vin}
                  maxLength={17}
                  autoComplete="off"
                  onChange={(e) => setVehicle({ ...vehicle, vin: e.target.value.toUpperCase() })}
                />
              </Field>
              <Field label={t('vehicleType')} field="vehicle.vehicleType" error={error}>
                <CodeSelect
                  name="vehicle.vehicleType"
                  options={reference?.vehicleTypes}
                  value={vehicle.vehicleType}
                  onChange={(v) => setVehicle({ ...vehicle, vehicleType: v })}
                />
              </Field>
              <Field label={t('fuelType')} field="vehicle.fuelType" error={error}>
                <CodeSelect
                  name="vehicle.fuelType"
                  options={reference?.fuelTypes}
                  value={vehicle.fuelType}
                  onChange={(v) => setVehicle({ ...vehicle, fuelType: v })}
                />
              </Field>
              <Field label={t('emissionStandard')} field="vehicle.emissionStandard" error={error}>
                <CodeSelect
                  name="vehicle.emissionStandard"
                  options={reference?.emissionStandards}
                  value={vehicle.emissionStandard}
                  onChange={(v) => setVehicle({ ...vehicle, emissionStandard: v })}
                />
              </Field>
              <Field label={t('registrationDate')} field="vehicle.registrationDate" error={error}>
                <input
                  type="date"
                  name="vehicle.registrationDate"
                  value={vehicle.registrationDate}
                  onChange={(e) => setVehicle({ ...vehicle, registrationDate: e.target.value })}
                />
              </Field>
            </fieldset>
          )}
          <div className="actions">
            <button type="button" onClick={() => go('where')}>
              {t('back')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="step-next"
              disabled={chosenKind === 'appliances' && items.length === 0}
              onClick={() => go('when')}
            >
              {t('next')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'when' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {t('book.when')}
          </h1>
          <p className="muted">{t('book.whenHint')}</p>
          {slots.loading ? <p className="muted">{t('loading')}</p> : null}
          <ProblemView error={slots.error} />
          {slots.data ? <SlotPicker slots={slots.data} value={slot} onChange={setSlot} /> : null}
          <div className="actions">
            <button type="button" onClick={() => go('what')}>
              {t('back')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="step-next"
              disabled={!slot}
              onClick={() => go('contact')}
            >
              {t('next')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'contact' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {t('book.contact')}
          </h1>
          <Field
            label={`${t('address')}（${districtName}）`}
            field="address.detail"
            error={error}
            hint={t('hint.addressExample')}
          >
            <input
              name="address.detail"
              value={detail}
              autoComplete="street-address"
              onChange={(e) => setDetail(e.target.value)}
            />
          </Field>
          <Field label={`${t('contactName')}${t('optional')}`} field="contact.name" error={error}>
            <input
              name="contact.name"
              value={contactName}
              autoComplete="name"
              onChange={(e) => setContactName(e.target.value)}
            />
          </Field>
          <Field label={t('contactPhone')} field="contact.phone" error={error} hint={t('hint.phoneExample')}>
            <input
              name="contact.phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </Field>
          <p className="muted">{t('privacyNote')}</p>
          <div className="actions">
            <button type="button" onClick={() => go('when')}>
              {t('back')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="step-next"
              disabled={!detail.trim() || !phone.trim()}
              onClick={() => go('confirm')}
            >
              {t('next')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'confirm' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {t('book.confirm')}
          </h1>
          <dl className="summary" data-testid="book-summary">
            <div>
              <dt>{t('district')}</dt>
              <dd>{districtName}</dd>
            </div>
            <div>
              <dt>{t('whatToCollect')}</dt>
              <dd>
                {chosenKind === 'appliances'
                  ? items.map(([c, n]) => `${everydayName(c, lang)} × ${n}`).join('，')
                  : `${t('kind.vehicle')} ${vehicle.plate}`}
              </dd>
            </div>
            <div>
              <dt>{t('slot')}</dt>
              <dd>{slot ? `${dayLabel(slot.date, lang)} ${slot.window}` : ''}</dd>
            </div>
            <div>
              <dt>{t('address')}</dt>
              <dd>{detail}</dd>
            </div>
            <div>
              <dt>{t('contactPhone')}</dt>
              <dd>
                {phone}
                {contactName ? ` · ${contactName}` : ''}
              </dd>
            </div>
          </dl>
          <p className="muted">{t('rules.short')}</p>
          <ProblemView error={error} ref={problem}>
            {fixStep && fixStep !== 'confirm' ? (
              <button
                type="button"
                className="primary"
                data-testid="fix-field"
                onClick={() => {
                  focusField.current = firstField;
                  go(fixStep);
                }}
              >
                {t('fixField').replace('{field}', fieldLabel(firstField!, lang) ?? t('problem.oneField'))}
              </button>
            ) : null}
            {slotFull ? (
              <button type="button" className="primary" onClick={() => go('when')}>
                {t('pickAnotherSlot')}
              </button>
            ) : null}
          </ProblemView>
          <div className="actions">
            <button type="button" onClick={() => go('contact')}>
              {t('back')}
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="book-submit">
              {busy ? t('sending') : t('book.submit')}
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}

/** The served-area answer: what is collected here and when, or where to bring things oneself. */
function AreaAnswer({ area }: { area: AreaDetail }) {
  const { t, l, lang } = useApp();
  const served = area.appliances.served || area.vehicles.served;
  return (
    <div className={`area ${served ? 'served' : 'unserved'}`} data-testid="area-result" role="status">
      {served ? (
        <div data-testid="area-served">
          <h2>{t('area.served').replace('{district}', l(area.name))}</h2>
          {area.appliances.served ? (
            <p>
              <Icon name="appliances" size={24} /> {t('area.appliances')}
              {EVERYDAY_CATEGORIES.slice(0, 5)
                .map((c) => everydayName(c.code, lang))
                .join('、')}
              {t('area.andMore')}
            </p>
          ) : null}
          {area.vehicles.served ? (
            <p>
              <Icon name="vehicle" size={24} /> {t('area.vehicles')}
            </p>
          ) : null}
          {!area.appliances.served ? <p className="muted">{t('area.noAppliances')}</p> : null}
          {area.nextSlots.length > 0 ? (
            <p>
              <b>{t('area.nextVisits')}</b>{' '}
              {area.nextSlots.map((s) => `${dayLabel(s.date, lang)} ${s.window}`).join('；')}
            </p>
          ) : (
            <p>{t('area.fullNow')}</p>
          )}
        </div>
      ) : (
        <div data-testid="area-unserved">
          <h2>{t('area.notServed').replace('{district}', l(area.name))}</h2>
          <p>{area.dropOffs.length > 0 ? t('area.bringIt') : t('area.noDropOff')}</p>
        </div>
      )}
      {area.dropOffs.length > 0 && (!served || !area.appliances.served) ? (
        <ul className="dropoffs">
          {area.dropOffs.map((d) => (
            <li key={d.siteId} data-testid={`dropoff-${d.siteId}`}>
              <Icon name="pin" size={24} />
              <div>
                <b>{l(d.name)}</b>
                <div>
                  {d.districtName ? `${l(d.districtName)} ` : ''}
                  {l(d.address)}
                </div>
                <div className="muted">{l(d.hours)}</div>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
