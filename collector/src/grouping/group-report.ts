import { createHash } from 'node:crypto';
import type { Frame, Report } from '@faultline/sdk/schema';
import { parameterizeMessage } from './parameterize-message.js';

/** Version of the grouping rules; stored with each issue so a later version can migrate without splitting. */
export const GROUPING_VERSION = 1;

export interface Grouping {
  /** Hash of the grouping key; issues are unique per service and fingerprint. */
  fingerprint: string;
  grouping: number;
  title: string;
  culprit: string;
}

const TITLE_CHARS = 200;
const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/;
const UNNAMED = new Set(['', '?', '<anonymous>', 'anonymous', '<anonymous function>', 'Anonymous function']);

function basename(file: string): string {
  let end = file.length;
  const query = file.indexOf('?');
  if (query !== -1) end = query;
  const hash = file.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  const cut = Math.max(file.lastIndexOf('/', end - 1), file.lastIndexOf('\\', end - 1));
  return file.slice(cut + 1, end).toLowerCase();
}

/** `Object.handle` → `handle`, `async run` → `run`, anonymous names → ''. */
function functionName(name: string): string {
  const bare = name.startsWith('async ') || name.startsWith('new ') ? name.replace(/^(?:async |new )+/, '').trim() : name.trim();
  const dot = bare.lastIndexOf('.');
  const last = dot >= 0 && !bare.endsWith('.') ? bare.slice(dot + 1) : bare;
  if (UNNAMED.has(last) || last.endsWith('/<')) return '';
  return last;
}

/** Grouping components of the in-app frames: file basename and function, never line or column. */
export function frameComponents(frames: readonly Frame[]): string[] {
  const out: string[] = [];
  for (const frame of frames) {
    if (!frame.inApp) continue;
    const file = basename(frame.file);
    const fn = functionName(frame.function);
    if (file === '' && fn === '') continue;
    const component = `${file}:${fn}`;
    // Recursion: the same function calling itself adds nothing to the key.
    if (out[out.length - 1] === component) continue;
    out.push(component);
  }
  return out;
}

/**
 * The in-app frames of the innermost spawn site (the `go(...)` call of the failing task) for an error whose own
 * stack has none: a deadline or a cancellation raised by the SDK's timer belongs to the task spawned there.
 */
function spawnSiteFrames(report: Pick<Report, 'asyncStack'>): readonly Frame[] {
  return report.asyncStack?.[0]?.frames ?? [];
}

/**
 * The default grouping key: type + in-app frames; else type + the in-app frames of the failing task's spawn site;
 * else type + parameterised message.
 */
export function defaultKey(report: Pick<Report, 'type' | 'message' | 'frames' | 'asyncStack'>): string[] {
  const frames = frameComponents(report.frames);
  if (frames.length > 0) return ['type', report.type, 'frames', ...frames];
  const spawn = frameComponents(spawnSiteFrames(report));
  if (spawn.length > 0) return ['type', report.type, 'spawn', ...spawn];
  return ['type', report.type, 'message', parameterizeMessage(report.message)];
}

// Most reports repeat a few keys: the hash of a key seen recently is looked up, not recomputed.
const hashes = new Map<string, string>();
const MAX_CACHED_HASHES = 20_000;

function hash(parts: readonly string[]): string {
  const text = parts.join('\u0000');
  let digest = hashes.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('hex').slice(0, 32);
    if (hashes.size >= MAX_CACHED_HASHES) hashes.clear();
    hashes.set(text, digest);
  }
  return digest;
}

function shortPath(file: string): string {
  const path = file.replace(/^file:\/\//, '').split(/[?#]/, 1)[0] ?? '';
  const parts = path.split(/[/\\]/).filter((p) => p.length > 0);
  return parts.slice(-3).join('/');
}

function firstLine(message: string): string {
  let start = 0;
  while (start < message.length) {
    const end = message.indexOf('\n', start);
    const line = message.slice(start, end === -1 ? message.length : end).trim();
    if (line.length > 0) return line;
    if (end === -1) break;
    start = end + 1;
  }
  return '';
}

export function titleOf(report: Pick<Report, 'type' | 'message'>): string {
  const line = firstLine(report.message);
  const title = report.type === '' ? line || '(no message)' : line === '' ? report.type : `${report.type}: ${line}`;
  return title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title;
}

/**
 * The top in-app frame, else the top in-app frame of the failing task's spawn site, else the top frame, as
 * `function (dir/file.ts)`.
 */
export function culpritOf(report: Pick<Report, 'frames' | 'asyncStack'>): string {
  const { frames } = report;
  const frame = frames.find((f) => f.inApp) ?? spawnSiteFrames(report).find((f) => f.inApp) ?? frames[0];
  if (frame === undefined) return '';
  const fn = functionName(frame.function) || '<anonymous>';
  const file = shortPath(frame.file);
  return file === '' ? fn : `${fn} (${file})`;
}

/**
 * The grouping hash of a report (grouping version 1): its `fingerprint` when given (each `{{ default }}` element
 * standing for the default key), else the type and in-app frames (of the error, or else of its task's spawn
 * site), else the type and parameterised message.
 */
export function fingerprintOf(report: Report): string {
  let key: string[];
  if (report.fingerprint !== undefined) {
    key = ['fingerprint'];
    for (const part of report.fingerprint) {
      if (DEFAULT_MARKER.test(part)) key.push('{{default}}', ...defaultKey(report));
      else key.push('value', part);
    }
  } else {
    key = defaultKey(report);
  }
  return hash([`grouping:${GROUPING_VERSION}`, ...key]);
}

/** Groups a report: its fingerprint, and the title and culprit an issue created from it gets. */
export function groupReport(report: Report): Grouping {
  return {
    fingerprint: fingerprintOf(report),
    grouping: GROUPING_VERSION,
    title: titleOf(report),
    culprit: culpritOf(report),
  };
}
