// A resident books a pickup (appliances or a vehicle) in a free slot of their district, and follows
// their pickups with the full history, the recycling certificate and the invoices.
import { useState, type FormEvent } from 'react';
import { CertificateView } from '../components/CertificateView';
import { CodeSelect, Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { ResidentInvoices } from '../components/ResidentInvoices';
import { api, asList } from '../lib/api';
import { useApp } from '../lib/context';
import { addDays, localDate, localDateTime } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface SlotAvailability {
  date: string;
  window: string;
  capacity: number;
  booked: number;
  available: number;
}

interface PickupView {
  pickupId: string;
  kind: 'appliances' | 'vehicle';
  status: string;
  statusName?: { zh: string; en: string };
  appliances?: Array<{ category: string; count: number }>;
  vehicle?: { plate: string; vin: string; vehicleType: string };
  address: { districtCode: string; districtName?: { zh: string; en: string }; detail?: string };
  slot: { date: string; window: string };
  history: Array<{ status: string; event: string; at: string; note?: string; ref?: Record<string, string> }>;
  delivery?: { ref: string; at: string };
  certificate?: { certificateNo: string; at: string };
  createdAt: string;
}

interface ApplianceRow {
  category: string;
  count: string;
}

export function Resident() {
  const { t, l, reference, codeName } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const [kind, setKind] = useState<'appliances' | 'vehicle'>('appliances');
  const [rows, setRows] = useState<ApplianceRow[]>([{ category: 'refrigerator', count: '1' }]);
  const [vehicle, setVehicle] = useState({
    plate: '',
    vin: '',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '',
  });
  const [districtCode, setDistrictCode] = useState('');
  const district = districtCode || reference?.districts[0]?.code || '';
  const [detail, setDetail] = useState('');
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [slot, setSlot] = useState<{ date: string; window: string }>();
  const [slotDate, setSlotDate] = useState('');
  const [certificateNo, setCertificateNo] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const today = localDate(tz);
  const slots = useLoad(
    (signal) =>
      district
        ? api<unknown>('pickup', 'slots', {
            query: { districtCode: district, from: addDays(today, 1), to: addDays(today, 14) },
            signal,
          }).then((r) => asList<SlotAvailability>(r, 'slots'))
        : Promise.resolve([] as SlotAvailability[]),
    [district, today],
  );
  const pickups = useLoad(
    (signal) => api<unknown>('pickup', 'pickups', { signal }).then((r) => asList<PickupView>(r, 'pickups')),
    [],
  );

  const free = (slots.data ?? []).filter((s) => s.available > 0);
  const byDate = new Map<string, SlotAvailability[]>();
  for (const s of free) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  // Phones show one day at a time: the chosen day, else the first with a free slot.
  const shownDate = slotDate && byDate.has(slotDate) ? slotDate : ([...byDate.keys()][0] ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const body = {
        kind,
        ...(kind === 'appliances'
          ? { appliances: rows.map((r) => ({ category: r.category, count: Number(r.count) })) }
          : { vehicle }),
        address: { districtCode: district, detail },
        contact: { ...(contactName ? { name: contactName } : {}), phone },
        slot,
      };
      const created = await api<PickupView>('pickup', 'pickups', { body });
      setNotice(`${t('booked')}: ${created.pickupId}`);
      setSlot(undefined);
      pickups.reload();
      slots.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid two">
      <section className="card">
        <h2>{t('book')}</h2>
        <form onSubmit={submit} data-testid="book-form">
          <Field label={t('kind')} field="kind" error={error}>
            <div className="segmented">
              {(['appliances', 'vehicle'] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  className={kind === k ? 'on' : ''}
                  data-testid={`kind-${k}`}
                  onClick={() => setKind(k)}
                >
                  {t(`kind.${k}`)}
                </button>
              ))}
            </div>
          </Field>
          {kind === 'appliances' ? (
            <fieldset>
              <legend>{t('category')}</legend>
              {rows.map((row, i) => (
                <div className="row" key={i}>
                  <Field label={t('category')} field={`appliances.${i}.category`} error={error}>
                    <CodeSelect
                      name={`appliances.${i}.category`}
                      options={reference?.applianceCategories}
                      value={row.category}
                      onChange={(v) => setRows(rows.map((r, j) => (j === i ? { ...r, category: v } : r)))}
                    />
                  </Field>
                  <Field label={t('count')} field={`appliances.${i}.count`} error={error}>
                    <input
                      name={`appliances.${i}.count`}
                      inputMode="numeric"
                      value={row.count}
                      onChange={(e) =>
                        setRows(rows.map((r, j) => (j === i ? { ...r, count: e.target.value } : r)))
                      }
                    />
                  </Field>
                  {rows.length > 1 ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    >
                      {t('remove')}
                    </button>
                  ) : null}
                </div>
              ))}
              <button
                type="button"
                className="link"
                onClick={() => setRows([...rows, { category: 'television', count: '1' }])}
              >
                + {t('add')}
              </button>
            </fieldset>
          ) : (
            <fieldset>
              <legend>{t('kind.vehicle')}</legend>
              <Field label={t('plate')} field="vehicle.plate" error={error}>
                <input
                  name="vehicle.plate"
                  value={vehicle.plate}
                  placeholder="新N12345"
                  onChange={(e) => setVehicle({ ...vehicle, plate: e.target.value })}
                />
              </Field>
              <Field label={t('vin')} field="vehicle.vin" error={error}>
                <input
                  name="vehicle.vin"
                  value={vehicle.vin}
                  maxLength={17}
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
          <Field label={t('district')} field="address.districtCode" error={error}>
            <CodeSelect
              name="address.districtCode"
              options={reference?.districts}
              value={district}
              onChange={(v) => {
                setDistrictCode(v);
                setSlot(undefined);
              }}
            />
          </Field>
          <Field label={t('address')} field="address.detail" error={error}>
            <input name="address.detail" value={detail} onChange={(e) => setDetail(e.target.value)} />
          </Field>
          <div className="row">
            <Field label={t('contactName')} field="contact.name" error={error}>
              <input
                name="contact.name"
                value={contactName}
                onChange={(e) => setContactName(e.target.value)}
              />
            </Field>
            <Field label={t('contactPhone')} field="contact.phone" error={error}>
              <input
                name="contact.phone"
                inputMode="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
              />
            </Field>
          </div>
          <Field label={t('freeSlots')} field="slot" error={error}>
            <div className="slots" data-testid="slots">
              {slots.loading ? <span className="muted">{t('loading')}</span> : null}
              {!slots.loading && byDate.size === 0 ? <span className="muted">{t('noFreeSlots')}</span> : null}
              {byDate.size > 0 ? (
                <select
                  name="slot.date"
                  value={shownDate}
                  onChange={(e) => setSlotDate(e.target.value)}
                  data-testid="slot-date"
                >
                  {[...byDate.keys()].map((date) => (
                    <option key={date} value={date}>
                      {date}
                    </option>
                  ))}
                </select>
              ) : null}
              <div className="slot-day">
                {(byDate.get(shownDate) ?? []).map((s) => {
                  const on = slot?.date === s.date && slot.window === s.window;
                  return (
                    <button
                      key={s.window}
                      type="button"
                      className={`slot${on ? ' on' : ''}`}
                      data-testid={`slot-${s.date}-${s.window}`}
                      onClick={() => setSlot({ date: s.date, window: s.window })}
                    >
                      {s.window}
                      <small>
                        {t('seatsLeft')} {s.available}
                      </small>
                    </button>
                  );
                })}
              </div>
            </div>
          </Field>
          <ProblemView error={error ?? slots.error} />
          {notice ? (
            <div className="notice" data-testid="book-notice">
              {notice}
            </div>
          ) : null}
          <button type="submit" className="primary" disabled={busy} data-testid="book-submit">
            {t('book')}
          </button>
        </form>
      </section>

      <section className="card">
        <div className="card-head">
          <h2>{t('myPickups')}</h2>
          <button type="button" className="link" onClick={pickups.reload} data-testid="pickups-refresh">
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={pickups.error} />
        {pickups.data?.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        <ul className="pickups" data-testid="my-pickups">
          {(pickups.data ?? []).map((p) => (
            <li key={p.pickupId} className="pickup" data-testid={`pickup-${p.pickupId}`}>
              <div className="pickup-head">
                <strong>{p.pickupId}</strong>
                <span
                  className={`badge status-${p.status}`}
                  data-testid="pickup-status"
                  data-status={p.status}
                >
                  {l(p.statusName, codeName('pickupStatuses', p.status))}
                </span>
              </div>
              <div className="muted">
                {p.kind === 'appliances'
                  ? (p.appliances ?? [])
                      .map((a) => `${codeName('applianceCategories', a.category)} × ${a.count}`)
                      .join('，')
                  : `${codeName('vehicleTypes', p.vehicle?.vehicleType ?? '')} ${p.vehicle?.plate ?? ''}`}
              </div>
              <div className="muted">
                {l(p.address.districtName, codeName('districts', p.address.districtCode))} · {p.slot.date}{' '}
                {p.slot.window}
              </div>
              <details>
                <summary>{t('history')}</summary>
                <ol className="history">
                  {p.history.map((h, i) => (
                    <li key={i} data-status={h.status}>
                      <span>{localDateTime(h.at, tz)}</span> {codeName('pickupStatuses', h.status)}
                      {h.note ? <span className="muted"> · {h.note}</span> : null}
                    </li>
                  ))}
                </ol>
              </details>
              {p.certificate ? (
                <button
                  type="button"
                  data-testid="pickup-certificate"
                  onClick={() => setCertificateNo(p.certificate?.certificateNo)}
                >
                  {t('certificate')}: {p.certificate.certificateNo}
                </button>
              ) : null}
              {p.delivery ? (
                <div className="muted">
                  {t('intake')}: {p.delivery.ref} · {localDateTime(p.delivery.at, tz)}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <ResidentInvoices />
      {certificateNo ? (
        <CertificateView certificateNo={certificateNo} onClose={() => setCertificateNo(undefined)} />
      ) : null}
    </div>
  );
}
