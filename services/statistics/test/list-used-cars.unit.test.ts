import {
  decodeCursor,
  encodeCursor,
  listUsedCarTransactions,
  type ListPosition,
} from '../src/app/list-used-cars';
import type { UsedCarView } from '../src/store/market-months';

const view = (transactionId: string, transactedOn: string): UsedCarView => ({
  transactionId,
  marketId: 'm1',
  vin: 'LSVAU033512345678',
  plateMasked: '新N·***12',
  districtCode: 't01',
  vehicleType: 'passenger-car',
  fuelType: 'gasoline',
  priceFen: 100,
  invoiceNo: '1',
  transactedOn,
  recordedAt: '2025-01-01T00:00:00.000Z',
});

/** A market's months as the store keeps them: in the order recorded. */
function storeOf(items: UsedCarView[]) {
  const reads: string[] = [];
  return {
    reads,
    items,
    month: async (_market: string, month: string) => {
      reads.push(month);
      return items.filter((i) => i.transactedOn.startsWith(month));
    },
  };
}

const ids = (page: { items: UsedCarView[] }) => page.items.map((i) => i.transactionId);

describe('listing a market’s used-car transactions', () => {
  it('pages newest sale first across months, reading one month at a time', async () => {
    const store = storeOf([
      view('a', '2025-01-05'),
      view('c', '2025-03-01'),
      view('b', '2025-01-20'),
      view('b2', '2025-01-20'),
    ]);
    const q = { from: '2024-12', to: '2025-03', limit: 2 };
    const first = await listUsedCarTransactions(store, 'm1', q);
    expect(ids(first)).toEqual(['c', 'b2']);
    // March, February and January were enough to know there is more.
    expect(store.reads).toEqual(['2025-03', '2025-02', '2025-01']);
    const after = decodeCursor(first.nextCursor!);
    expect(after).toEqual({ transactedOn: '2025-01-20', transactionId: 'b2' });
    // A sale recorded between the pages, before the cursor, shifts nothing.
    store.items.push(view('d', '2025-03-02'));
    const second = await listUsedCarTransactions(store, 'm1', { ...q, after });
    expect(ids(second)).toEqual(['b', 'a']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('keeps to the months asked for', async () => {
    const store = storeOf([view('a', '2024-11-30'), view('b', '2025-02-01')]);
    expect(
      ids(await listUsedCarTransactions(store, 'm1', { from: '2024-12', to: '2025-01', limit: 5 })),
    ).toEqual([]);
    expect(store.reads).toEqual(['2025-01', '2024-12']);
  });

  it('reads back only cursors it wrote', () => {
    const p: ListPosition = { transactedOn: '2025-01-20', transactionId: 'uc:2025|x.1' };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor('$nope')).toBeUndefined();
    expect(decodeCursor(Buffer.from('yesterday|x').toString('base64url'))).toBeUndefined();
  });
});
