import { disposalModes, DomainError, type DisposalMode } from '@recycling/contracts';

// The life of a disposal batch: registered by the institution; collected by the station's crew (or
// delivered by the institution); received at the station asset by asset; handed on to licensed
// receivers; closed by the institution once every asset reached its fate, every classified asset
// has its wipe or destruction certificate, and the proceeds of a sale were paid to the treasury.
// Cancelled only before the station received it.

export const BATCH_STATUSES = ['registered', 'collected', 'received', 'closed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const ASSET_FATES = ['registered', 'received', 'missing', 'handed-over', 'written-off'] as const;
export type AssetFateState = (typeof ASSET_FATES)[number];

export type BatchAction =
  'collect' | 'receive' | 'cancel' | 'hand-over' | 'certify' | 'pay' | 'acknowledge' | 'close';

const STATUS_NAMES: Record<BatchStatus, string> = {
  registered: '已登记 / registered',
  collected: '已上门收取 / collected',
  received: '站点已接收 / received',
  closed: '已办结 / closed',
  cancelled: '已撤销 / cancelled',
};

const ACTION_NAMES: Record<BatchAction, readonly [zh: string, en: string]> = {
  collect: ['上门收取', 'collect'],
  receive: ['接收', 'receive'],
  cancel: ['撤销', 'cancel'],
  'hand-over': ['交接收单位', 'hand over'],
  certify: ['登记证明', 'record a certificate'],
  pay: ['登记缴库', 'record proceeds'],
  acknowledge: ['说明差异', 'acknowledge differences'],
  close: ['办结', 'close'],
};

/** Refuses (409 invalid-status) an action the batch's status does not allow. */
export function assertAction(
  status: BatchStatus,
  action: BatchAction,
  handoverMethod: 'collection' | 'delivery',
): void {
  const allowed: Record<BatchAction, readonly BatchStatus[]> = {
    collect: handoverMethod === 'collection' ? ['registered'] : [],
    receive: handoverMethod === 'collection' ? ['collected'] : ['registered'],
    cancel: ['registered', 'collected'],
    'hand-over': ['received'],
    certify: ['received'],
    pay: ['received'],
    acknowledge: ['received'],
    close: ['registered', 'received'],
  };
  if (!allowed[action].includes(status)) {
    const [zh, en] = ACTION_NAMES[action];
    throw DomainError.conflict(
      'invalid-status',
      `批次当前状态为“${STATUS_NAMES[status].split(' / ')[0]}”，不能${zh} / The batch is ${STATUS_NAMES[status].split(' / ')[1]}: it cannot ${en} now.`,
      {
        title: { zh: '当前状态不允许此操作', en: 'Invalid status for this action' },
        details: { batchStatus: status },
      },
    );
  }
}

export interface AssetAtClose {
  assetCardNo: string;
  mode: DisposalMode;
  classified: boolean;
  fate: AssetFateState;
  certificateNo?: string;
}

export interface BatchAtClose {
  status: BatchStatus;
  assets: readonly AssetAtClose[];
  /** Differences found at receipt, and whether the institution accounted for them. */
  differences: number;
  differencesAcknowledged: boolean;
  proceedsFen: number;
  proceedsRecorded: boolean;
}

export interface CloseBlocker {
  code:
    | 'not-received'
    | 'differences-not-acknowledged'
    | 'assets-not-handed-over'
    | 'classified-certificate-missing'
    | 'proceeds-missing';
  assetCardNos?: string[];
}

/** What stands between the batch and its close; empty when it may close. */
export function closeBlockers(batch: BatchAtClose): CloseBlocker[] {
  const blockers: CloseBlocker[] = [];
  const physical = batch.assets.filter((a) => disposalModes[a.mode].physicalHandover);
  if (batch.status !== 'received' && physical.length > 0) return [{ code: 'not-received' }];
  if (batch.differences > 0 && !batch.differencesAcknowledged)
    blockers.push({ code: 'differences-not-acknowledged' });
  const waiting = batch.assets.filter((a) => a.fate === 'received' || a.fate === 'registered');
  if (waiting.length > 0)
    blockers.push({ code: 'assets-not-handed-over', assetCardNos: waiting.map((a) => a.assetCardNo) });
  const uncertified = batch.assets.filter(
    (a) => a.classified && a.fate === 'handed-over' && !a.certificateNo,
  );
  if (uncertified.length > 0) {
    blockers.push({
      code: 'classified-certificate-missing',
      assetCardNos: uncertified.map((a) => a.assetCardNo),
    });
  }
  const sold = batch.assets.filter((a) => a.mode === 'sale' && a.fate === 'handed-over');
  if (sold.length > 0 && !batch.proceedsRecorded) {
    blockers.push({ code: 'proceeds-missing', assetCardNos: sold.map((a) => a.assetCardNo) });
  }
  return blockers;
}

const BLOCKER_TEXT: Record<CloseBlocker['code'], string> = {
  'not-received': '站点尚未接收 / the station has not received the batch',
  'differences-not-acknowledged': '接收差异尚未说明 / the differences found at receipt are not accounted for',
  'assets-not-handed-over': '仍有资产未交接收单位 / some assets have not gone to a receiver',
  'classified-certificate-missing':
    '涉密资产尚无数据清除或销毁证明 / a classified asset has no wipe or destruction certificate',
  'proceeds-missing': '出售所得尚未缴入国库 / the proceeds of a sale were not paid to the treasury',
};

/** Refuses (409, the first blocker's code) to close a batch with blockers; all are in `blockers`. */
export function assertCanClose(batch: BatchAtClose): void {
  const blockers = closeBlockers(batch);
  if (blockers.length === 0) return;
  throw DomainError.conflict(
    blockers[0]!.code,
    `批次不能办结：${blockers.map((b) => BLOCKER_TEXT[b.code].split(' / ')[0]).join('；')} / The batch cannot close: ${blockers
      .map((b) => BLOCKER_TEXT[b.code].split(' / ')[1])
      .join('; ')}.`,
    { title: { zh: '批次不能办结', en: 'The batch cannot close' }, details: { blockers } },
  );
}
