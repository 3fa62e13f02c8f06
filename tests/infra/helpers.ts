// Shared helpers of the infrastructure tests (tests/infra/*.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Repository root (this file lives in tests/infra/). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** Parsed YAML/JSON documents are checked structurally, field by field. */
 
export type Doc = any;

export function readText(relativePath: string): string {
  return fs.readFileSync(path.join(repoRoot, relativePath), 'utf8');
}

export function exists(relativePath: string): boolean {
  return fs.existsSync(path.join(repoRoot, relativePath));
}

/** package.json of the application. */
export function packageJson(): { scripts: Record<string, string> } {
  const file = path.join(repoRoot, 'package.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
  return { scripts: parsed.scripts ?? {} };
}

/** Compiled entry points the deployment files may run, with the source each one is built from. */
export const ENTRYPOINTS: Record<string, { source: string; script: string }> = {
  'dist/src/main.js': { source: 'src/main.ts', script: 'start' },
  'dist/src/migrate.js': { source: 'src/migrate.ts', script: 'migration:up' },
};

/**
 * Throws unless `file` is a known entry point: named by the matching package.json script and, once the
 * application's sources are in the tree, compiled from an existing source file.
 */
export function assertEntrypoint(file: string): void {
  const entry = ENTRYPOINTS[file];
  if (!entry) {
    throw new Error(`${file} is not one of the compiled entry points ${Object.keys(ENTRYPOINTS).join(', ')}`);
  }
  const script = packageJson().scripts[entry.script];
  if (script === undefined) throw new Error(`package.json has no "${entry.script}" script`);
  if (!script.includes(file)) throw new Error(`package.json script "${entry.script}" does not run ${file}: ${script}`);
  if (exists('src') && !exists(entry.source)) {
    throw new Error(`${file} would be compiled from ${entry.source}, which does not exist`);
  }
}

/** Files under a folder of the repository (relative paths), skipping dependency and tool folders. */
export function listFiles(relativeDir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.terraform' || entry.name === '.git') continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (accept(entry.name)) out.push(rel);
    }
  };
  walk(relativeDir);
  return out.sort();
}

/** Absolute path of an executable on PATH (or at one of the given locations), or undefined. */
export function findExecutable(name: string, candidates: string[] = []): string | undefined {
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return candidate;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether git considers the path ignored (undefined when git or the repository is unavailable). */
export function gitIgnores(relativePath: string): boolean | undefined {
  const git = findExecutable('git');
  if (!git || !exists('.git')) return undefined;
  try {
    execFileSync(git, ['check-ignore', '-q', relativePath], { cwd: repoRoot, stdio: 'ignore' });
    return true;
  } catch (error) {
    // Exit status 1: not ignored; anything else: git could not tell.
    return (error as { status?: number }).status === 1 ? false : undefined;
  }
}

/** Files tracked by git matching a pathspec (undefined when git or the repository is unavailable). */
export function gitTracked(pathspec: string): string[] | undefined {
  const git = findExecutable('git');
  if (!git || !exists('.git')) return undefined;
  try {
    const out = execFileSync(git, ['ls-files', '--', pathspec], { cwd: repoRoot, encoding: 'utf8' });
    return out.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}
