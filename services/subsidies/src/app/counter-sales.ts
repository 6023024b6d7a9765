import {
  districtByCode,
  DomainError,
  maskName,
  maskPhone,
  normaliseIdNumber,
  sellerKeyOf,
  SubsidyEventTypes,
  type IdDocumentType,
  type Principal,
} from '@recycling/contracts';
import { categoryOf, counterSaleSubsidyFen } from '../domain/amounts';
import { acceptDeadline, assertMayReturn } from '../domain/claim-lifecycle';
import { isQuickReturn, priceAboveRecent, tooManyItems } from '../domain/fraud';
import { counterSaleRuleOn, programmeYear } from '../domain/programmes';
import { contactKey, seal } from '../domain/protect';
import { maskAddress } from '../domain/references';
import { normaliseSerial, uniqueKeys } from '../domain/uniqueness';
import type { ClaimDoc, ClaimFlag } from '../store/models';
import { claimView, type ClaimView } from './claim-view';
import { listIds, listOfStatus, todayOf, type SubsidyContext } from './context';
import { reconsiderClaim, waitForEvidence } from './evidence';

// A trade-in sale at a participating retailer's counter: the subsidy of the rule in force that day
// is taken off the price (the retailer advances it, and it is committed from the budget at once, so
// the fund never promises more than it has); the unit, the invoice and the buyer's yearly seat of the
// category are claimed by insert. The old item, where the programme asks for it, is taken in at a
// sorting station naming the sale; a return gives the subsidy back to the budget and the seat back to
// the buyer.

export interface CounterSaleInput {
  programmeCode: string;
  category: string;
  gtin: string;
  model: string;
  energyGrade?: number;
  serialNo: string;
  priceFen: number;
  invoiceNo: string;
  soldOn?: string;
  buyer: {
    name?: string;
    idType: IdDocumentType;
    idNumber: string;
    phone: string;
    address: { districtCode: string; detail: string };
  };
}

const refuseRetailer = (retailerId: string, why: string) =>
  DomainError.forbidden(
    'retailer-not-participating',
    `零售商 ${retailerId} ${why.split(' / ')[0]} / Retailer ${retailerId} ${why.split(' / ')[1]}.`,
  );

async function participatingRetailer(ctx: SubsidyContext, retailerId: string, programmeCode: string) {
  const retailer = await ctx.retailers.get(retailerId);
  if (!retailer || !retailer.active)
    throw refuseRetailer(retailerId, '未登记或已停用 / is not registered or not active');
  if (!retailer.programmeCodes.includes(programmeCode)) {
    throw refuseRetailer(retailerId, `未参加该项目 / does not take part in ${programmeCode}`);
  }
  return retailer;
}

/** Fraud signals of a sale (flags for the reviewer), remembered for the next sales. */
async function saleFlags(
  ctx: SubsidyContext,
  saleId: string,
  input: CounterSaleInput,
  personKey: string,
  year: number,
  today: string,
): Promise<ClaimFlag[]> {
  const s = ctx.tradeIn.fraudSignals;
  const at = ctx.now();
  const flags: ClaimFlag[] = [];
  const recent = (await ctx.signals.push(
    `gtin-prices:${input.gtin}`,
    input.priceFen,
    s.recentPricesKept,
  )) as number[];
  if (priceAboveRecent(recent, input.priceFen, s.priceAboveRecentBp)) {
    flags.push({
      code: 'price-above-recent',
      note: `售价高于该商品条码近期售价中位数 ${s.priceAboveRecentBp / 100}% 以上 / Priced more than ${s.priceAboveRecentBp / 100}% above the recent median of this GTIN.`,
      at,
    });
  }
  const serialSales = await ctx.signals.addUnique(
    `serial-history:${normaliseSerial(input.serialNo)}`,
    saleId,
  );
  if (serialSales.some((id) => id !== saleId)) {
    flags.push({
      code: 'serial-sold-before',
      note: `该序列号已有 ${serialSales.length} 笔补贴销售记录 / This serial number was sold with a subsidy ${serialSales.length} time(s) before.`,
      at,
    });
  }
  const address = `${input.buyer.address.districtCode}:${input.buyer.address.detail}`;
  const toAddress = await ctx.signals.addUnique(
    `address:${contactKey(ctx.personKeySecret, 'address', address)}:${year}`,
    saleId,
  );
  if (tooManyItems(toAddress.length + 1, s.itemsPerAddressPerYear)) {
    flags.push({
      code: 'many-items-to-address',
      note: `本年度同一地址已有 ${toAddress.length} 件补贴商品 / ${toAddress.length} subsidised items to this address this year.`,
      at,
    });
  }
  const toPhone = await ctx.signals.addUnique(
    `phone:${contactKey(ctx.personKeySecret, 'phone', input.buyer.phone)}:${year}`,
    saleId,
  );
  if (tooManyItems(toPhone.length + 1, s.itemsPerPhonePerYear)) {
    flags.push({
      code: 'many-items-to-phone',
      note: `本年度同一手机号已有 ${toPhone.length} 件补贴商品 / ${toPhone.length} subsidised items to this phone this year.`,
      at,
    });
  }
  const returns = (await ctx.signals.values(`quick-returns:${personKey}`)) as string[];
  const lately = returns.filter((r) => isQuickReturn(r.split('@')[1]!, today, s.recentReturnLookbackDays));
  if (lately.length > 0) {
    flags.push({
      code: 'recent-quick-return',
      note: `买方近 ${s.recentReturnLookbackDays} 天内有 ${lately.length} 笔补贴后即退货 / The buyer returned ${lately.length} subsidised item(s) soon after the sale in the last ${s.recentReturnLookbackDays} days.`,
      at,
    });
  }
  return flags;
}

/** Records a counter sale under `saleId` (reserved with the Idempotency-Key: a retry finds it). */
export async function recordCounterSale(
  ctx: SubsidyContext,
  principal: Principal,
  retailerId: string,
  input: CounterSaleInput,
  saleId: string,
): Promise<ClaimView> {
  const existing = await ctx.claims.find(saleId);
  if (existing) return claimView(ctx, existing, 'retailer');

  const today = todayOf(ctx);
  const soldOn = input.soldOn ?? today;
  if (soldOn > today) {
    throw DomainError.invalid(
      'sold-in-future',
      'soldOn',
      `销售日期 ${soldOn} 晚于今天 / ${soldOn} is after today.`,
    );
  }
  await participatingRetailer(ctx, retailerId, input.programmeCode);
  const { programme, year, rule } = counterSaleRuleOn(ctx.tradeIn, input.programmeCode, soldOn);
  const category = categoryOf(rule, input.category);
  const subsidyFen = counterSaleSubsidyFen(rule, input);
  const personKey = sellerKeyOf(input.buyer.idType, input.buyer.idNumber, ctx.personKeySecret);
  const serial = normaliseSerial(input.serialNo);

  const held = await ctx.uniqueKeys.takeAll(
    [
      { key: uniqueKeys.serial(input.gtin, serial), rule: 'serial', field: 'serialNo' },
      { key: uniqueKeys.invoice(input.invoiceNo), rule: 'invoice', field: 'invoiceNo' },
    ],
    saleId,
  );
  let seat: string;
  try {
    seat = await ctx.uniqueKeys.takeSeat(
      `quota:${personKey}:${category.code}:${year.year}`,
      category.perPersonPerYear,
      saleId,
      'buyer.idNumber',
    );
  } catch (error) {
    await ctx.uniqueKeys.releaseAll(held, saleId);
    throw error;
  }
  try {
    // The discount is given now: committed now, under the budget's lock.
    await ctx.budgets.apply({
      programmeCode: programme.code,
      year: year.year,
      claimId: saleId,
      kind: 'reserve',
      amountFen: subsidyFen,
      by: principal.sub,
      budget: { budgetFen: year.budgetFen, name: programme.name },
    });
  } catch (error) {
    await ctx.uniqueKeys.releaseAll([...held, seat], saleId);
    throw error;
  }

  const now = ctx.now();
  const district = districtByCode(ctx.profile, input.buyer.address.districtCode);
  const flags = await saleFlags(ctx, saleId, input, personKey, year.year, today);
  const doc: Omit<ClaimDoc, 'outbox' | 'outboxUpdatedAt' | 'createdAt' | 'updatedAt'> = {
    _id: saleId,
    kind: 'counter-sale',
    programmeCode: programme.code,
    programmeYear: year.year,
    status: rule.requiresOldItemIntake ? 'awaiting-evidence' : 'ready',
    personKey,
    districtCode: input.buyer.address.districtCode,
    amountFen: subsidyFen,
    purchaseDate: soldOn,
    sale: {
      retailerId,
      category: category.code,
      categoryName: category.name,
      gtin: input.gtin,
      model: input.model,
      ...(input.energyGrade !== undefined ? { energyGrade: input.energyGrade } : {}),
      serialNo: serial,
      priceFen: input.priceFen,
      invoiceNo: input.invoiceNo,
      soldOn,
      requiresOldItemIntake: rule.requiresOldItemIntake,
      buyer: {
        ...(input.buyer.name ? { nameMasked: maskName(input.buyer.name) } : {}),
        phoneMasked: maskPhone(input.buyer.phone),
        addressMasked: maskAddress(
          district?.name.zh ?? input.buyer.address.districtCode,
          input.buyer.address.detail,
        ),
        sealed: seal(ctx.dataKey, saleId, {
          ...input.buyer,
          idNumber: normaliseIdNumber(input.buyer.idNumber),
        }),
      },
    },
    evidence: { refs: [], waitingFor: [] },
    flags,
    uniqueKeys: [...held, seat],
    resubmissions: 0,
    deadlines: rule.requiresOldItemIntake ? { acceptBy: acceptDeadline(soldOn, year.deadlines) } : {},
    submittedAt: now,
    history: [],
    appliedEvents: [],
  };
  const event = ctx.events(
    SubsidyEventTypes.counterSaleRecorded,
    {
      claimId: saleId,
      programmeCode: programme.code,
      programmeKind: 'counter-sale',
      programmeYear: year.year,
      districtCode: doc.districtCode,
      retailerId,
      category: category.code,
      gtin: input.gtin,
      ...(input.energyGrade !== undefined ? { energyGrade: input.energyGrade } : {}),
      priceFen: input.priceFen,
      subsidyFen,
      soldOn,
      personKey,
      requiresOldItemIntake: rule.requiresOldItemIntake,
      occurredAt: now.toISOString(),
    },
    { subject: saleId },
  );
  doc.history.push({
    at: now,
    action: 'sold',
    by: { role: 'retailer-operator', id: principal.sub },
    eventId: event.id,
  });

  await ctx.lists.add(listIds.retailerSales(retailerId, soldOn.slice(0, 7)), [saleId]);
  await ctx.lists.add(listOfStatus(doc as ClaimDoc)!, [saleId]);
  await waitForEvidence(ctx, doc);
  if (!(await ctx.claims.create(doc, [event])))
    return claimView(ctx, await ctx.claims.get(saleId), 'retailer');
  ctx.logger.info(
    { claimId: saleId, retailerId, programmeCode: programme.code, category: category.code, subsidyFen },
    'counter sale recorded',
  );
  await reconsiderClaim(ctx, saleId);
  return claimView(ctx, await ctx.claims.get(saleId), 'retailer');
}

/**
 * The buyer returned the product: the subsidy is reversed (given back to the budget, or owed back by
 * the retailer if it was paid), the buyer's seat and the unit are freed. A return soon after the sale
 * is flagged, and remembered for the buyer's next sales.
 */
export async function returnCounterSale(
  ctx: SubsidyContext,
  principal: Principal,
  retailerId: string,
  saleId: string,
  reason?: string,
): Promise<ClaimView> {
  const today = todayOf(ctx);
  const current = await ctx.claims.find(saleId);
  if (!current || current.sale?.retailerId !== retailerId) {
    throw DomainError.notFound('sale-not-found', `未找到销售 ${saleId} / Sale ${saleId} not found.`);
  }
  let released: { keys: string[]; list?: string; quick: boolean } = { keys: [], quick: false };
  const { doc } = await ctx.claims.update(saleId, async (doc) => {
    assertMayReturn(doc);
    const sale = doc.sale!;
    const afterPayment = doc.status === 'paid';
    const quick = isQuickReturn(sale.soldOn, today, ctx.tradeIn.fraudSignals.quickReturnDays);
    const { programme } = programmeYear(ctx.tradeIn, doc.programmeCode, doc.programmeYear);
    if (await ctx.budgets.hasEntry(doc.programmeCode, doc.programmeYear, saleId, 'reserve')) {
      const released = await ctx.budgets.hasEntry(doc.programmeCode, doc.programmeYear, saleId, 'release');
      if (!released) {
        await ctx.budgets.apply({
          programmeCode: doc.programmeCode,
          year: doc.programmeYear,
          claimId: saleId,
          kind: afterPayment ? 'clawback' : 'release',
          amountFen: doc.amountFen,
          by: principal.sub,
        });
      }
    }
    const now = ctx.now();
    released = {
      keys: doc.uniqueKeys.filter((k) => !k.startsWith('invoice:')), // an invoice number is never reused
      list: listOfStatus(doc),
      quick,
    };
    doc.status = 'reversed';
    doc.reversedAt = now;
    if (quick) {
      doc.flags.push({
        code: 'quick-return',
        note: `销售后 ${sale.soldOn} 至 ${today} 即退货 / Returned soon after the sale.`,
        at: now,
      });
    }
    const common = {
      claimId: saleId,
      programmeCode: doc.programmeCode,
      programmeKind: 'counter-sale' as const,
      programmeYear: doc.programmeYear,
      districtCode: doc.districtCode,
      occurredAt: now.toISOString(),
    };
    const returned = ctx.events(
      SubsidyEventTypes.counterSaleReturned,
      { ...common, retailerId, category: sale.category, subsidyFen: doc.amountFen, quickReturn: quick },
      { subject: saleId },
    );
    const reversed = ctx.events(
      SubsidyEventTypes.claimReversed,
      { ...common, amountFen: doc.amountFen, reason: 'returned', afterPayment },
      { subject: saleId },
    );
    doc.history.push({
      at: now,
      action: 'returned',
      by: { role: principal.role, id: principal.sub },
      ...(reason ? { note: reason } : {}),
      eventId: returned.id,
    });
    ctx.logger.info(
      { claimId: saleId, retailerId, programme: programme.code, afterPayment, quick },
      'sale returned',
    );
    return { events: [returned, reversed] };
  });
  await ctx.uniqueKeys.releaseAll(released.keys, saleId);
  if (released.list) await ctx.lists.remove(released.list, [saleId]);
  if (released.quick) await ctx.signals.addUnique(`quick-returns:${doc.personKey}`, `${saleId}@${today}`);
  return claimView(ctx, doc as ClaimDoc, 'retailer');
}

/** A retailer's sales of a month (a list by `_id`, then each sale by `_id`). */
export async function listRetailerSales(
  ctx: SubsidyContext,
  retailerId: string,
  month: string,
): Promise<ClaimView[]> {
  const ids = await ctx.lists.ids(listIds.retailerSales(retailerId, month));
  const docs = await ctx.claims.findMany([...ids].reverse());
  return docs.map((d) => claimView(ctx, d, 'retailer'));
}
