import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { staleReason } from '../src/web-build';

describe('whether the web app must be built at start', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-build-'));
    fs.mkdirSync(path.join(root, 'web', 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'web', 'src', 'main.tsx'), 'x');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const touch = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, t, t);
  };

  it('builds on a fresh clone (no dist) and when a source is newer than the build', () => {
    const dist = path.join(root, 'dist');
    expect(staleReason(path.join(root, 'web'), dist)).toMatch(/missing/);
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, 'index.html'), '<html>');
    touch(path.join(dist, 'index.html'), 10);
    touch(path.join(root, 'web', 'src', 'main.tsx'), 5);
    expect(staleReason(path.join(root, 'web'), dist)).toMatch(/changed/);
    touch(path.join(root, 'web', 'src', 'main.tsx'), 60);
    expect(staleReason(path.join(root, 'web'), dist)).toBeUndefined();
  });
});
