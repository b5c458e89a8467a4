// The built UI (dist/, made by `npm run build -w @faultline/dashboards` before the tests) stays small and
// servable under the collector's CSP.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UI_DIR } from '../helpers/collector.js';

const LIMIT_GZIP_BYTES = 200 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('dist/', () => {
  const all = files(UI_DIR);
  const scripts = all.filter((f) => f.endsWith('.js'));
  const html = readFileSync(join(UI_DIR, 'index.html'), 'utf8');

  it('ships under 200 KB of gzipped JavaScript', () => {
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(LIMIT_GZIP_BYTES);
  });

  it('has no inline script, inline handler or inline style in index.html (CSP default-src self)', () => {
    const scriptTags = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scriptTags.length).toBeGreaterThan(0);
    for (const [tag, body] of scriptTags) {
      expect(body!.trim(), tag).toBe('');
      expect(tag).toMatch(/\bsrc="\/assets\//);
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<style\b|\sstyle\s*=/i);
  });

  it('loads nothing from another origin', () => {
    for (const f of all.filter((p) => /\.(html|js|css)$/.test(p))) {
      const text = readFileSync(f, 'utf8');
      // Absolute URLs in src/href/url()/import: only same-origin paths are allowed.
      expect(text, f).not.toMatch(/(?:src|href)\s*=\s*["']https?:\/\//i);
      expect(text, f).not.toMatch(/url\(\s*["']?https?:\/\//i);
      expect(text, f).not.toMatch(/\bimport\s*\(?\s*["']https?:\/\//);
      expect(text, f).not.toMatch(/data:(?:text\/javascript|application\/javascript)/);
    }
  });
});
