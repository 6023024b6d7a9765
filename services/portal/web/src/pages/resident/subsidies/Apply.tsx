// Claiming a car trade-in subsidy, one task per screen: which case (scrapped or sold), the conditions
// of the programme in force in plain words, the applicant, the old car, the new car, the bank card,
// then a check with the amount the rule of the purchase date gives. A refusal names the field in
// plain words and takes the resident back to its screen, where the field has the focus.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { CodeSelect, Field } from '../../../components/Field';
import { ProblemView } from '../../../components/ProblemView';
import { api, asList } from '../../../lib/api';
import { useApp } from '../../../lib/context';
import { fieldLabel } from '../../../lib/errors';
import type { PickupView } from '../../../lib/pickups';
import { ApiProblem } from '../../../lib/problem';
import { dayLabel, fenToYuan, localDate, yuanToFen } from '../../../lib/units';
import { useLoad } from '../../../lib/use-load';
import { useText } from '../../common/text';
import {
  carAmountFen,
  inForceOrLatest,
  percent,
  ruleOn,
  yearOn,
  yuanOf,
  type Amount,
  type CarProgramme,
  type CarRule,
  type Claim,
  type Programme,
  type ProgrammeYear,
} from '../../trade-in/model';
import { NotOffered, serviceMissing } from './NotOffered';
import { subsidyText } from './text';

const STEPS = ['choose', 'rules', 'you', 'old', 'new', 'card', 'confirm'] as const;
type Step = (typeof STEPS)[number];

const stepOf = (field: string): Step =>
  field.startsWith('applicant')
    ? 'you'
    : field.startsWith('oldCar')
      ? 'old'
      : field.startsWith('newCar')
        ? 'new'
        : field.startsWith('bankCard')
          ? 'card'
          : field === 'programmeCode'
            ? 'choose'
            : 'confirm';

interface Form {
  applicant: { name: string; idType: string; idNumber: string; phone: string; districtCode: string };
  oldCar: {
    vin: string;
    vehicleType: string;
    fuelType: string;
    emissionStandard: string;
    registrationDate: string;
    ownedSince: string;
    certificateNo: string;
    usedCarTransactionId: string;
  };
  newCar: {
    vin: string;
    vehicleType: string;
    fuelType: string;
    displacementMl: string;
    price: string;
    invoiceNo: string;
    purchaseDate: string;
    registrationDate: string;
    certificateNo: string;
    ownerIdNumber: string;
    dealerName: string;
    dealerDistrict: string;
  };
  bankCard: { cardNo: string; bankName: string; holderName: string };
}

const EMPTY: Form = {
  applicant: { name: '', idType: 'resident-id-card', idNumber: '', phone: '', districtCode: '' },
  oldCar: {
    vin: '',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '',
    ownedSince: '',
    certificateNo: '',
    usedCarTransactionId: '',
  },
  newCar: {
    vin: '',
    vehicleType: 'passenger-car',
    fuelType: 'bev',
    displacementMl: '',
    price: '',
    invoiceNo: '',
    purchaseDate: '',
    registrationDate: '',
    certificateNo: '',
    ownerIdNumber: '',
    dealerName: '',
    dealerDistrict: '',
  },
  bankCard: { cardNo: '', bankName: '', holderName: '' },
};

const FUEL_CARS = ['gasoline', 'diesel', 'hybrid', 'lpg-cng', 'other'];

/** The request body; amounts that do not parse go as text, so the service names the field. */
function bodyOf(programmeCode: string, f: Form, kind: CarProgramme['kind']) {
  const trim = (s: string) => s.trim();
  return {
    programmeCode,
    applicant: { ...f.applicant, name: trim(f.applicant.name), idNumber: trim(f.applicant.idNumber) },
    bankCard: {
      cardNo: f.bankCard.cardNo.replace(/\s+/g, ''),
      bankName: trim(f.bankCard.bankName),
      holderName: trim(f.bankCard.holderName || f.applicant.name), // the field shows the applicant until changed
    },
    oldCar: {
      vin: trim(f.oldCar.vin),
      vehicleType: f.oldCar.vehicleType,
      fuelType: f.oldCar.fuelType,
      emissionStandard: f.oldCar.emissionStandard,
      registrationDate: f.oldCar.registrationDate,
      ownedSince: f.oldCar.ownedSince,
      ...(kind === 'car-scrap' ? { certificateNo: trim(f.oldCar.certificateNo) } : {}),
      ...(kind === 'car-replace' && f.oldCar.usedCarTransactionId.trim()
        ? { usedCarTransactionId: trim(f.oldCar.usedCarTransactionId) }
        : {}),
    },
    newCar: {
      vin: trim(f.newCar.vin),
      vehicleType: f.newCar.vehicleType,
      fuelType: f.newCar.fuelType,
      ...(FUEL_CARS.includes(f.newCar.fuelType) && f.newCar.displacementMl.trim()
        ? { displacementMl: Number(f.newCar.displacementMl) }
        : {}),
      priceFen: yuanToFen(f.newCar.price) ?? f.newCar.price,
      invoiceNo: trim(f.newCar.invoiceNo),
      purchaseDate: f.newCar.purchaseDate,
      registrationDate: f.newCar.registrationDate,
      registration: {
        certificateNo: trim(f.newCar.certificateNo),
        ownerIdNumber: trim(f.newCar.ownerIdNumber || f.applicant.idNumber),
      },
      dealer: { name: trim(f.newCar.dealerName), districtCode: f.newCar.dealerDistrict },
    },
  };
}

export function Apply() {
  const tx = useText(subsidyText);
  const { t, l, lang, reference } = useApp();
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const today = localDate(tz);
  const [step, setStep] = useState<Step>('choose');
  const [code, setCode] = useState('');
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Claim>();
  const heading = useRef<HTMLHeadingElement>(null);
  const problem = useRef<HTMLDivElement>(null);
  const focusField = useRef<string>(undefined);

  const programmes = useLoad(
    (signal) =>
      api<{ items: Programme[] }>('subsidies', 'programmes', { signal }).then((r) =>
        r.items.filter((p): p is CarProgramme => p.kind !== 'counter-sale'),
      ),
    [],
  );
  // The cars the resident scrapped through the network: their VIN and certificate fill the old car.
  const scrapped = useLoad(
    (signal) =>
      step === 'old'
        ? api<unknown>('pickup', 'pickups', { signal })
            .then((r) => asList<PickupView>(r, 'items'))
            .then((ps) => ps.filter((p) => p.kind === 'vehicle' && p.certificate && p.vehicle))
            .catch(() => [] as PickupView[])
        : Promise.resolve(undefined),
    [step === 'old'],
  );

  useEffect(() => {
    const field = focusField.current;
    focusField.current = undefined;
    const target = field ? document.querySelector<HTMLElement>(`[name="${field}"]`) : null;
    (target ?? heading.current)?.focus();
  }, [step, done]);

  const programme = programmes.data?.find((p) => p.code === code);
  const shown = programme ? inForceOrLatest(programme.years, today) : undefined;
  const set = <K extends keyof Form>(part: K, patch: Partial<Form[K]>) =>
    setForm((f) => ({ ...f, [part]: { ...f[part], ...patch } }));
  const go = (next: Step) => setStep(next);
  const index = STEPS.indexOf(step);

  const estimate = useMemo(() => {
    if (!programme || !form.newCar.purchaseDate) return undefined;
    const year = yearOn(programme.years, form.newCar.purchaseDate);
    const rule = year && ruleOn(year, form.newCar.purchaseDate);
    const priceFen = yuanToFen(form.newCar.price);
    if (!rule) return { none: true as const, fen: undefined };
    return priceFen === undefined
      ? undefined
      : { none: false as const, fen: carAmountFen(rule, form.newCar.fuelType, priceFen) };
  }, [programme, form.newCar.purchaseDate, form.newCar.price, form.newCar.fuelType]);

  if (serviceMissing(programmes.error)) return <NotOffered error={programmes.error} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!programme) return;
    setBusy(true);
    setError(undefined);
    try {
      setDone(
        await api<Claim>('subsidies', 'claims', { body: bodyOf(programme.code, form, programme.kind) }),
      );
    } catch (err) {
      setError(err);
      setTimeout(() => problem.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section className="card screen" data-testid="claim-submitted" data-claim-id={done.claimId}>
        <h1 ref={heading} tabIndex={-1}>
          {tx('done.title')}
        </h1>
        <p>
          {tx('claimNo')} <b>{done.claimId}</b>
        </p>
        <p className="big">
          {tx('amountEstimated')} {tx('yuan', { amount: fenToYuan(done.amountFen) })}
        </p>
        <p>{tx('done.what')}</p>
        <Link
          className="button primary"
          to={`/resident/subsidies/${encodeURIComponent(done.claimId)}`}
          data-testid="claim-follow"
        >
          {tx('follow')}
        </Link>
      </section>
    );
  }

  const firstField = error instanceof ApiProblem ? error.body.errors?.[0]?.field : undefined;
  const fixStep = firstField ? stepOf(firstField) : undefined;
  const f = form;
  // A plain <input> (not a component), so <Field> links its hint and errors to it.
  const input = (
    part: keyof Form,
    key: string,
    props: Record<string, unknown> = {},
    name = `${part}.${key}`,
  ) => (
    <input
      name={name}
      value={(f[part] as Record<string, string>)[key]}
      autoComplete="off"
      onChange={(e) => set(part, { [key]: e.target.value } as Partial<Form[typeof part]>)}
      {...props}
    />
  );
  const nextButton = (to: Step, disabled = false) => (
    <div className="actions">
      <button type="button" onClick={() => go(STEPS[index - 1]!)}>
        {t('back')}
      </button>
      <button
        type="button"
        className="primary"
        data-testid="step-next"
        disabled={disabled}
        onClick={() => go(to)}
      >
        {t('next')}
      </button>
    </div>
  );
  const label = (field: string) => fieldLabel(field, lang) ?? field;
  const districtSelect = (name: string, value: string, onChange: (v: string) => void) => (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('pickOne')}</option>
      {(reference?.districts ?? []).map((d) => (
        <option key={d.code} value={d.code}>
          {l(d.name)}
        </option>
      ))}
    </select>
  );

  return (
    <form className="card screen" onSubmit={submit} data-testid="claim-form" noValidate>
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

      {step === 'choose' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('choose.title')}
          </h1>
          <ProblemView error={programmes.error} />
          {programmes.loading ? <p className="muted">{t('loading')}</p> : null}
          {programmes.data?.length === 0 ? <p>{tx('choose.none')}</p> : null}
          <div className="choices" role="group" aria-label={tx('choose.title')}>
            {(programmes.data ?? []).map((p) => (
              <button
                key={p.code}
                type="button"
                className="choice"
                aria-pressed={code === p.code}
                data-testid={`programme-${p.code}`}
                onClick={() => setCode(p.code)}
              >
                <b>{tx(`choose.${p.kind}`)}</b>
                <span>{l(p.name)}</span>
                <span className="muted">{tx(`choose.${p.kind}.what`)}</span>
              </button>
            ))}
          </div>
          <div className="actions">
            <Link className="button" to="/resident/subsidies">
              {tx('back')}
            </Link>
            <button
              type="button"
              className="primary"
              data-testid="step-next"
              disabled={!programme}
              onClick={() => go('rules')}
            >
              {t('next')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'rules' && programme && shown ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('rules.title', { programme: l(programme.name) })}
          </h1>
          <RulesInWords programme={programme} year={shown.year} rule={shown.rule} inForce={shown.inForce} />
          <div className="actions">
            <button type="button" onClick={() => go('choose')}>
              {t('back')}
            </button>
            <button type="button" className="primary" data-testid="step-next" onClick={() => go('you')}>
              {tx('rules.start')}
            </button>
          </div>
        </>
      ) : null}

      {step === 'you' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('you.title')}
          </h1>
          <p className="muted">{tx('you.hint')}</p>
          <Field label={label('applicant.name')} field="applicant.name" error={error}>
            {input('applicant', 'name', { autoComplete: 'name' })}
          </Field>
          <Field label={label('applicant.idType')} field="applicant.idType" error={error}>
            <CodeSelect
              name="applicant.idType"
              options={reference?.idDocumentTypes}
              value={f.applicant.idType}
              onChange={(v) => set('applicant', { idType: v })}
            />
          </Field>
          <Field label={label('applicant.idNumber')} field="applicant.idNumber" error={error}>
            {input('applicant', 'idNumber', { autoComplete: 'off' })}
          </Field>
          <Field
            label={label('applicant.phone')}
            field="applicant.phone"
            error={error}
            hint={tx('tip.phone')}
          >
            {input('applicant', 'phone', { type: 'tel', inputMode: 'tel', autoComplete: 'tel' })}
          </Field>
          <Field label={label('applicant.districtCode')} field="applicant.districtCode" error={error}>
            {districtSelect('applicant.districtCode', f.applicant.districtCode, (v) =>
              set('applicant', { districtCode: v }),
            )}
          </Field>
          {nextButton(
            'old',
            !f.applicant.name.trim() ||
              !f.applicant.idNumber.trim() ||
              !f.applicant.phone.trim() ||
              !f.applicant.districtCode,
          )}
        </>
      ) : null}

      {step === 'old' && programme ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('old.title')}
          </h1>
          {programme.kind === 'car-scrap' && (scrapped.data ?? []).length > 0 ? (
            <div className="chips" role="group" aria-label={tx('old.pick')}>
              {scrapped.data!.map((p) => (
                <button
                  key={p.pickupId}
                  type="button"
                  className="chip"
                  aria-pressed={f.oldCar.vin === p.vehicle!.vin}
                  onClick={() =>
                    set('oldCar', {
                      vin: p.vehicle!.vin,
                      vehicleType: p.vehicle!.vehicleType,
                      certificateNo: p.certificate!.certificateNo,
                    })
                  }
                >
                  {p.vehicle!.plate} · {p.certificate!.certificateNo}
                </button>
              ))}
            </div>
          ) : null}
          <Field label={label('oldCar.vin')} field="oldCar.vin" error={error} hint={tx('tip.vin')}>
            <input
              name="oldCar.vin"
              value={f.oldCar.vin}
              maxLength={17}
              autoComplete="off"
              onChange={(e) => set('oldCar', { vin: e.target.value.toUpperCase() })}
            />
          </Field>
          {programme.kind === 'car-scrap' ? (
            <Field
              label={label('oldCar.certificateNo')}
              field="oldCar.certificateNo"
              error={error}
              hint={tx('tip.certificateNo')}
            >
              {input('oldCar', 'certificateNo', { autoComplete: 'off' })}
            </Field>
          ) : (
            <Field
              label={`${label('oldCar.usedCarTransactionId')}${t('optional')}`}
              field="oldCar.usedCarTransactionId"
              error={error}
              hint={tx('tip.usedCarTransactionId')}
            >
              {input('oldCar', 'usedCarTransactionId', { autoComplete: 'off' })}
            </Field>
          )}
          <Field label={label('oldCar.vehicleType')} field="oldCar.vehicleType" error={error}>
            <CodeSelect
              name="oldCar.vehicleType"
              options={reference?.vehicleTypes}
              value={f.oldCar.vehicleType}
              onChange={(v) => set('oldCar', { vehicleType: v })}
            />
          </Field>
          <Field label={label('oldCar.fuelType')} field="oldCar.fuelType" error={error}>
            <CodeSelect
              name="oldCar.fuelType"
              options={reference?.fuelTypes}
              value={f.oldCar.fuelType}
              onChange={(v) => set('oldCar', { fuelType: v })}
            />
          </Field>
          <Field label={label('oldCar.emissionStandard')} field="oldCar.emissionStandard" error={error}>
            <CodeSelect
              name="oldCar.emissionStandard"
              options={reference?.emissionStandards}
              value={f.oldCar.emissionStandard}
              onChange={(v) => set('oldCar', { emissionStandard: v })}
            />
          </Field>
          <Field label={label('oldCar.registrationDate')} field="oldCar.registrationDate" error={error}>
            {input('oldCar', 'registrationDate', { type: 'date', max: today })}
          </Field>
          <Field label={label('oldCar.ownedSince')} field="oldCar.ownedSince" error={error}>
            {input('oldCar', 'ownedSince', { type: 'date', max: today })}
          </Field>
          {nextButton(
            'new',
            !f.oldCar.vin.trim() ||
              !f.oldCar.registrationDate ||
              !f.oldCar.ownedSince ||
              (programme.kind === 'car-scrap' && !f.oldCar.certificateNo.trim()),
          )}
        </>
      ) : null}

      {step === 'new' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('new.title')}
          </h1>
          <Field label={label('newCar.vin')} field="newCar.vin" error={error} hint={tx('tip.vin')}>
            <input
              name="newCar.vin"
              value={f.newCar.vin}
              maxLength={17}
              autoComplete="off"
              onChange={(e) => set('newCar', { vin: e.target.value.toUpperCase() })}
            />
          </Field>
          <Field label={label('newCar.vehicleType')} field="newCar.vehicleType" error={error}>
            <CodeSelect
              name="newCar.vehicleType"
              options={reference?.vehicleTypes}
              value={f.newCar.vehicleType}
              onChange={(v) => set('newCar', { vehicleType: v })}
            />
          </Field>
          <Field label={label('newCar.fuelType')} field="newCar.fuelType" error={error}>
            <CodeSelect
              name="newCar.fuelType"
              options={reference?.fuelTypes}
              value={f.newCar.fuelType}
              onChange={(v) => set('newCar', { fuelType: v })}
            />
          </Field>
          {FUEL_CARS.includes(f.newCar.fuelType) ? (
            <Field label={label('newCar.displacementMl')} field="newCar.displacementMl" error={error}>
              {input('newCar', 'displacementMl', { inputMode: 'numeric' })}
            </Field>
          ) : null}
          <Field
            label={label('newCar.priceFen')}
            field="newCar.priceFen"
            error={error}
            hint={tx('tip.price')}
          >
            {input('newCar', 'price', { inputMode: 'decimal' }, 'newCar.priceFen')}
          </Field>
          <Field
            label={label('newCar.invoiceNo')}
            field="newCar.invoiceNo"
            error={error}
            hint={tx('tip.invoiceNo')}
          >
            {input('newCar', 'invoiceNo', { inputMode: 'numeric' })}
          </Field>
          <Field label={label('newCar.purchaseDate')} field="newCar.purchaseDate" error={error}>
            {input('newCar', 'purchaseDate', { type: 'date', max: today })}
          </Field>
          <Field label={label('newCar.registrationDate')} field="newCar.registrationDate" error={error}>
            {input('newCar', 'registrationDate', { type: 'date', max: today })}
          </Field>
          <Field
            label={label('newCar.registration.certificateNo')}
            field="newCar.registration.certificateNo"
            error={error}
          >
            {input('newCar', 'certificateNo', {}, 'newCar.registration.certificateNo')}
          </Field>
          <Field
            label={label('newCar.registration.ownerIdNumber')}
            field="newCar.registration.ownerIdNumber"
            error={error}
          >
            <input
              name="newCar.registration.ownerIdNumber"
              value={f.newCar.ownerIdNumber || f.applicant.idNumber}
              autoComplete="off"
              onChange={(e) => set('newCar', { ownerIdNumber: e.target.value })}
            />
          </Field>
          <Field label={label('newCar.dealer.name')} field="newCar.dealer.name" error={error}>
            {input('newCar', 'dealerName', {}, 'newCar.dealer.name')}
          </Field>
          <Field label={label('newCar.dealer.districtCode')} field="newCar.dealer.districtCode" error={error}>
            {districtSelect('newCar.dealer.districtCode', f.newCar.dealerDistrict, (v) =>
              set('newCar', { dealerDistrict: v }),
            )}
          </Field>
          {nextButton(
            'card',
            !f.newCar.vin.trim() ||
              !f.newCar.price.trim() ||
              !f.newCar.invoiceNo.trim() ||
              !f.newCar.purchaseDate ||
              !f.newCar.registrationDate ||
              !f.newCar.certificateNo.trim() ||
              !f.newCar.dealerName.trim() ||
              !f.newCar.dealerDistrict,
          )}
        </>
      ) : null}

      {step === 'card' ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('card.title')}
          </h1>
          <p className="muted">{tx('card.hint')}</p>
          <Field
            label={label('bankCard.cardNo')}
            field="bankCard.cardNo"
            error={error}
            hint={tx('tip.cardNo')}
          >
            {input('bankCard', 'cardNo', { inputMode: 'numeric', autoComplete: 'off' })}
          </Field>
          <Field
            label={label('bankCard.bankName')}
            field="bankCard.bankName"
            error={error}
            hint={tx('tip.bankName')}
          >
            {input('bankCard', 'bankName')}
          </Field>
          <Field label={label('bankCard.holderName')} field="bankCard.holderName" error={error}>
            <input
              name="bankCard.holderName"
              value={f.bankCard.holderName || f.applicant.name}
              autoComplete="off"
              onChange={(e) => set('bankCard', { holderName: e.target.value })}
            />
          </Field>
          {nextButton('confirm', !f.bankCard.cardNo.trim() || !f.bankCard.bankName.trim())}
        </>
      ) : null}

      {step === 'confirm' && programme ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {tx('confirm.title')}
          </h1>
          <dl className="summary" data-testid="claim-summary">
            <Row label={tx('field.programmeCode')}>{l(programme.name)}</Row>
            <Row label={label('applicant.name')}>{f.applicant.name}</Row>
            <Row label={label('oldCar.vin')}>{f.oldCar.vin}</Row>
            {programme.kind === 'car-scrap' ? (
              <Row label={label('oldCar.certificateNo')}>{f.oldCar.certificateNo}</Row>
            ) : null}
            <Row label={label('newCar.vin')}>{f.newCar.vin}</Row>
            <Row label={label('newCar.priceFen')}>{f.newCar.price}</Row>
            <Row label={label('newCar.purchaseDate')}>
              {f.newCar.purchaseDate ? dayLabel(f.newCar.purchaseDate, lang) : ''}
            </Row>
            <Row
              label={label('bankCard.cardNo')}
            >{`**** ${f.bankCard.cardNo.replace(/\s+/g, '').slice(-4)}`}</Row>
          </dl>
          {estimate?.fen !== undefined ? (
            <p className="big" data-testid="claim-estimate">
              {tx('confirm.estimate', { date: f.newCar.purchaseDate, yuan: fenToYuan(estimate.fen) })}
            </p>
          ) : null}
          {estimate?.none ? (
            <p className="warning">{tx('confirm.noRule', { date: f.newCar.purchaseDate })}</p>
          ) : null}
          <p className="muted">{tx('confirm.promise')}</p>
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
          </ProblemView>
          <div className="actions">
            <button type="button" onClick={() => go('card')}>
              {t('back')}
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="claim-submit">
              {busy ? t('sending') : tx('submit')}
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The conditions of a programme year's rule, as a resident reads them. */
export function RulesInWords({
  programme,
  year,
  rule,
  inForce,
}: {
  programme: CarProgramme;
  year: ProgrammeYear<CarRule>;
  rule: CarRule;
  inForce: boolean;
}) {
  const tx = useText(subsidyText);
  const { codeName, lang } = useApp();
  const types = (codes: string[]) =>
    codes.map((c) => codeName('vehicleTypes', c)).join(lang === 'zh' ? '、' : ', ');
  const amount = (what: string, a: Amount) =>
    'fixedFen' in a
      ? tx('rules.amountFixed', { what, yuan: yuanOf(a.fixedFen) })
      : tx('rules.amountRate', { what, rate: percent(a.rateBp), cap: yuanOf(a.capFen) });
  const o = rule.oldCar;
  return (
    <div className="rules-words" data-testid="programme-rules">
      {!inForce ? <p className="warning">{tx('rules.notInForce', { year: year.year })}</p> : null}
      <ul className="plain-list">
        <li>{tx('rules.when', { from: year.validFrom, to: year.validTo })}</li>
        <li>
          {tx(programme.kind === 'car-scrap' ? 'rules.oldScrap' : 'rules.oldSell', {
            types: types(o.vehicleTypes),
          })}
        </li>
        {o.registeredOnOrBefore ? <li>{tx('rules.registered', o.registeredOnOrBefore)}</li> : null}
        {o.fuelCarQualifiesAtOrOlderThan ? (
          <li>
            {tx('rules.orEmission', {
              standard: codeName('emissionStandards', o.fuelCarQualifiesAtOrOlderThan),
            })}
          </li>
        ) : null}
        {o.ownedSinceBefore ? <li>{tx('rules.ownedSince', { date: o.ownedSinceBefore })}</li> : null}
        <li>{tx('rules.newCar', { types: types(rule.newCar.vehicleTypes) })}</li>
        {rule.newCar.fuelMaxDisplacementMl ? (
          <li>{tx('rules.displacement', { litres: rule.newCar.fuelMaxDisplacementMl / 1000 })}</li>
        ) : null}
        <li data-testid="rules-amount-new-energy">{amount(tx('rules.newEnergy'), rule.amounts.newEnergy)}</li>
        <li>{amount(tx('rules.fuel'), rule.amounts.fuel)}</li>
        <li>{tx('rules.perPerson', { n: rule.perPersonPerYear })}</li>
        <li>
          {tx('rules.deadlines', {
            accept: year.deadlines.acceptDays,
            review: year.deadlines.reviewWorkingDays,
            pay: year.deadlines.payDays,
          })}
        </li>
      </ul>
      <p>
        <b>{tx('rules.prepare')}</b>
        {tx(`rules.prepare.list.${programme.kind}`)}
      </p>
      <p className="muted">{tx('rules.evidence')}</p>
    </div>
  );
}
