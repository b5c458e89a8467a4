#!/usr/bin/env node
// Runs every `*/bench/*.bench.ts` (or those named on the command line), each in a fresh process, one at a
// time, and writes their results into docs/benchmarks.md between per-file markers. A bench prints one line
// `BENCH_RESULT <json>` (see scripts/bench-report.ts) per table; everything else it prints is passed through.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const docPath = join(root, 'docs/benchmarks.md');
const args = process.argv.slice(2);
const workspaces = ['sdk', 'collector', 'dashboards', 'test'];

const all = workspaces.flatMap((w) => {
  const dir = join(root, w, 'bench');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => join(w, 'bench', f));
});
const selected = args.length ? all.filter((f) => args.some((a) => f.includes(a))) : all;
if (selected.length === 0) {
  console.error(`no benchmark matches ${args.join(' ')}; known: ${all.join(', ')}`);
  process.exit(2);
}

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const tables = [];
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) tables.push(JSON.parse(line.slice('BENCH_RESULT '.length)));
        else process.stdout.write(line + '\n');
      }
    });
    child.on('close', (code) => resolve({ code, tables }));
  });
}

function fmt(n) {
  if (typeof n !== 'number') return String(n ?? '');
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toPrecision(3);
}

function render(file, tables, code) {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, Node ${process.version}`;
  const out = [`<!-- bench:${file} -->`, `Command: \`npm run bench -- ${file}\` · ${when} UTC · ${machine}`, ''];
  if (code !== 0) out.push(`**The benchmark exited with code ${code}; results below may be partial.**`, '');
  for (const t of tables) {
    out.push(`#### ${t.title}`, '');
    if (t.description) out.push(t.description, '');
    out.push('| case | result | ratio | target | met |', '|---|---|---|---|---|');
    for (const r of t.rows) {
      const ratio = r.ratio === undefined ? '' : `${fmt(r.ratio)}x ${r.baseline ? `vs ${r.baseline}` : ''}`;
      const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
      out.push(`| ${r.case} | ${fmt(r.value)} ${r.unit ?? ''} | ${ratio} | ${r.target ?? ''} | ${met} |`);
    }
    if (t.notes) out.push('', t.notes);
    out.push('');
  }
  out.push(`<!-- /bench:${file} -->`);
  return out.join('\n');
}

const emptyDoc =
  '# Benchmarks\n\nEvery figure is a ratio against a baseline measured in the same run (`npm run bench`), on a shared 2-core machine: compare ratios, not absolute numbers.\n';
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file}`);
  const { code, tables } = await run(file);
  if (code !== 0) failed++;
  const section = render(relative(root, join(root, file)), tables, code);
  // Re-read just before writing: another bench run may have written its own section meanwhile.
  let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : emptyDoc;
  const re = new RegExp(`<!-- bench:${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -->[\\s\\S]*?<!-- /bench:[^>]+ -->`);
  doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n## ${file}\n\n${section}\n`;
  writeFileSync(docPath, doc);
}
console.log(`\nwrote ${relative(root, docPath)}`);
process.exit(failed ? 1 : 0);
