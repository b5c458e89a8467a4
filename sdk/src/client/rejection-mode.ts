export type UnhandledRejectionsMode = 'throw' | 'strict' | 'warn' | 'none' | 'warn-with-error-code';

const MODES: ReadonlySet<string> = new Set(['throw', 'strict', 'warn', 'none', 'warn-with-error-code']);

/**
 * The process's `--unhandled-rejections` mode, from its command line or NODE_OPTIONS (the command line wins,
 * as in Node); 'throw' when not set.
 */
export function unhandledRejectionsMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): UnhandledRejectionsMode {
  return modeIn(execArgv) ?? modeIn(nodeOptions?.split(/\s+/) ?? []) ?? 'throw';
}

function modeIn(args: readonly string[]): UnhandledRejectionsMode | undefined {
  let mode: UnhandledRejectionsMode | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg.startsWith('--unhandled-rejections=')) value = arg.slice('--unhandled-rejections='.length);
    else if (arg === '--unhandled-rejections') value = args[++i];
    if (value !== undefined && MODES.has(value)) mode = value as UnhandledRejectionsMode;
  }
  return mode;
}
