import { memoryLines, proportionalBytes, residentBytes } from '../src/memory';

const linux = process.platform === 'linux';

describe('memory of the local network', () => {
  it('reads a process’s proportional share beside its resident size (Linux)', () => {
    const rss = residentBytes(process.pid);
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    if (!linux) return;
    const pss = proportionalBytes(process.pid);
    // Shared pages count in full in RSS and in part in PSS.
    expect(pss).toBeGreaterThan(0);
    expect(pss!).toBeLessThanOrEqual(rss! + 1024 * 1024);
  });

  it('totals the proportional sizes and says why the resident sum is larger', () => {
    const lines = memoryLines([
      { name: 'this', pid: process.pid },
      { name: 'gone', pid: undefined },
    ]);
    expect(lines.find((l) => l.trim().startsWith('gone'))).toMatch(/\?/);
    const total = lines.find((l) => l.trim().startsWith('total'))!;
    if (linux) {
      expect(lines[0]).toMatch(/proportional/);
      const [pss, rss] = [...total.matchAll(/(\d+) MB/g)].map((m) => Number(m[1]));
      expect(pss).toBeGreaterThan(0);
      expect(pss!).toBeLessThanOrEqual(rss! + 1);
    } else {
      expect(lines[0]).toMatch(/resident/);
    }
  });
});
