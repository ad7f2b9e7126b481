// The documentation against the repository and the code (issue 15, "the code
// explains itself"): every reference points into the repository. Relative links in
// Markdown resolve (the file, and the heading of an anchor); every docs/ path and
// every repository file any file names exists; nothing cites design documents that
// were never part of the repository; and docs/configuration.md documents exactly the
// variables the services' config schemas read, read by the services that read them.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, repoPath, repoRoot, services, type ServiceName } from './support/repo';

// ---------------------------------------------------------------------------
// The files

/**
 * Every file git would commit: tracked ones still present and untracked ones not
 * ignored (so a new page counts before its first commit). No node_modules.
 */
function repoFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split('\0'))]
    .filter((file) => file !== '' && !file.split('/').includes('node_modules'))
    .filter((file) => existsSync(repoPath(file)) && statSync(repoPath(file)).isFile())
    .sort();
}

const files = repoFiles();
/** Text files (a NUL byte marks a binary one); the lockfile is generated and holds only registry URLs. */
const textFiles = files
  .filter((file) => path.basename(file) !== 'package-lock.json')
  .map((file) => ({ file, text: readFileSync(repoPath(file), 'utf8') }))
  .filter(({ text }) => !text.includes('\0'));
const markdown = textFiles.filter(({ file }) => file.endsWith('.md'));

/** True when git ignores the path (build output, results: named in docs, never committed). */
function isIgnored(relative: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', relative], { cwd: repoRoot, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const exists = (relative: string): boolean => existsSync(repoPath(relative));

// ---------------------------------------------------------------------------
// Markdown: code is not prose, headings become anchors

/** The text without fenced code blocks (their `#` lines are comments, their brackets code). */
function withoutFences(text: string): string {
  return text.replace(/^( {0,3})(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, '');
}

/** The text without fences and inline code spans. */
const prose = (text: string): string => withoutFences(text).replace(/`[^`\n]*`/g, '');

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
/** Every anchor of a Markdown file's headings (a repeated heading gets -1, -2 …, as on GitHub). */
function anchorsOf(relative: string): Set<string> {
  const cached = anchorCache.get(relative);
  if (cached) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(readRepoFile(relative)).matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  anchorCache.set(relative, anchors);
  return anchors;
}

/** What is wrong with a reference to `target` (repository-relative, maybe `#anchor`), or undefined. */
function problemWith(target: string): string | undefined {
  const [file = '', anchor] = target.split('#');
  if (!exists(file)) return 'no such file';
  if (anchor !== undefined && anchor !== '' && file.endsWith('.md') && !anchorsOf(file).has(anchor))
    return `${file} has no heading #${anchor}`;
  return undefined;
}

// ---------------------------------------------------------------------------

describe('links in Markdown', () => {
  const links = markdown.flatMap(({ file, text }) => {
    const body = prose(text);
    const targets = [
      ...[...body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? ''),
      ...[...body.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1] ?? ''),
    ];
    return targets.map((target) => ({ file, target }));
  });
  const relative = links.filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

  it('finds the links it checks', () => {
    expect(relative.length).toBeGreaterThan(10);
  });

  it('every relative link names a file (or folder) that exists, and a heading that exists there', () => {
    const broken = relative.flatMap(({ file, target }) => {
      const [pathPart = '', anchor] = decodeURI(target).split('#');
      const resolved =
        pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
      if (resolved.startsWith('..')) return [`${file}: ${target} (outside the repository)`];
      const problem = problemWith(anchor === undefined ? resolved : `${resolved.replace(/\/$/, '')}#${anchor}`);
      return problem ? [`${file}: ${target} (${problem})`] : [];
    });
    expect(broken).toEqual([]);
  });
});

describe('docs/decisions/README.md', () => {
  it('links every decision record', () => {
    const index = readRepoFile('docs/decisions/README.md');
    const records = readdirSync(repoPath('docs', 'decisions')).filter((name) => /^\d{4}-.+\.md$/.test(name));
    expect(records.length).toBeGreaterThan(10);
    expect(records.filter((name) => !index.includes(`](${name})`))).toEqual([]);
  });
});

describe('docs/ paths named anywhere', () => {
  // `docs/…` as a path of its own: not inside a URL or a longer path (`../docs/…` is a link, checked above).
  const mentions = textFiles.flatMap(({ file, text }) =>
    [...text.matchAll(/(?<![\w./:@-])docs\/[\w./#-]*/g)].map((m) => ({
      file,
      target: (m[0] ?? '').replace(/[.#-]+$/, ''),
    })),
  );

  it('finds the mentions it checks', () => {
    expect(mentions.length).toBeGreaterThan(20);
  });

  it('each names a file or folder that exists (an ADR may be named by its number), and a heading that exists there', () => {
    const broken = mentions.flatMap(({ file, target }) => {
      const [pathPart = '', anchor] = target.split('#');
      const adr = /^docs\/decisions\/(\d{4})$/.exec(pathPart);
      if (adr && !exists(pathPart)) {
        const matches = readdirSync(repoPath('docs', 'decisions')).filter((name) => name.startsWith(`${adr[1]}-`));
        return matches.length === 1 ? [] : [`${file}: ${target} (no single ADR numbered ${adr[1]})`];
      }
      const problem = problemWith(anchor === undefined ? pathPart : `${pathPart}#${anchor}`);
      return problem ? [`${file}: ${target} (${problem})`] : [];
    });
    expect(broken).toEqual([]);
  });
});

describe('repository files named anywhere', () => {
  const roots = 'common|testing|auth|tickets|orders|payments|expiration|client|infra|e2e|scripts|bench';
  const pattern = new RegExp(
    `(?<![\\w./:@<>-])(?:${roots})/[\\w./-]*\\.(?:tsx?|mjs|cjs|js|json|md|ya?ml|sh|go)\\b`,
    'g',
  );

  it('each file path (a workspace folder, then a file with an extension) exists or is build output git ignores', () => {
    const broken = textFiles.flatMap(({ file, text }) =>
      [...new Set([...text.matchAll(pattern)].map((m) => m[0] ?? ''))]
        .filter((target) => !exists(target) && !isIgnored(target))
        .map((target) => `${file}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});

describe('references outside the repository', () => {
  // The design documents earlier versions cited, which were never in the repository,
  // and the package folder that no longer exists.
  const forbidden = [
    /\bDESIGN\s*§/,
    /\bDESIGN\.md\b/i,
    /\bPITFALLS(?:\.md)?\b/i,
    /\bSTYLE\.md\b/i,
    /\bSTYLE:/,
    /\.\.\/shared\b/,
  ];
  const self = path.relative(repoRoot, __filename).split(path.sep).join('/');

  it('no file cites a document that is not in the repository', () => {
    const cited = textFiles
      .filter(({ file }) => file !== self)
      .flatMap(({ file, text }) =>
        text
          .split('\n')
          .flatMap((line, index) =>
            forbidden.some((re) => re.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(cited).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// docs/configuration.md against the config schemas

interface FieldSchema {
  safeParse(value: unknown): { success: boolean };
}

/** A service's `configSchema` (src/config.ts, through ts-jest, as config-env.test.ts loads it). */
function schemaOf(svc: ServiceName): Record<string, FieldSchema> {
  const mod = jest.requireActual<{ configSchema?: { shape?: Record<string, FieldSchema> } }>(
    repoPath(svc, 'src', 'config.ts'),
  );
  const shape = mod.configSchema?.shape;
  if (!shape || Object.keys(shape).length === 0) throw new Error(`${svc}/src/config.ts exports no configSchema`);
  return shape;
}

const schemas = Object.fromEntries(services.map((svc) => [svc, schemaOf(svc)])) as Record<
  ServiceName,
  Record<string, FieldSchema>
>;
const schemaVariables = [...new Set(services.flatMap((svc) => Object.keys(schemas[svc])))].sort();
const readers = (name: string): ServiceName[] => services.filter((svc) => name in schemas[svc]);
const requiredBy = (name: string): ServiceName[] =>
  readers(name).filter((svc) => schemas[svc][name]?.safeParse(undefined).success === false);

/** UPPER_SNAKE keys declared in a config source (`NAME: zodField`), whatever the schema import says. */
function declaredKeys(relative: string): string[] {
  return [...readRepoFile(relative).matchAll(/^\s*([A-Z][A-Z0-9_]*[A-Z0-9])\s*:/gm)].map((m) => m[1] ?? '');
}

const configDoc = readRepoFile('docs/configuration.md');

/** The rows of the tables in one `## ` section of docs/configuration.md, keyed by the `NAME` of their first cell. */
function rowsOf(section: string): Map<string, string[]> {
  const start = configDoc.indexOf(`\n## ${section}\n`);
  if (start === -1) throw new Error(`docs/configuration.md has no section "## ${section}"`);
  const end = configDoc.indexOf('\n## ', start + 1);
  const rows = new Map<string, string[]>();
  for (const line of configDoc.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (name) rows.set(name, cells);
  }
  return rows;
}

describe('docs/configuration.md', () => {
  const rows = rowsOf('Service variables');

  it('has a row for every variable a service config schema reads', () => {
    expect(schemaVariables.length).toBeGreaterThan(20);
    expect(schemaVariables.filter((name) => !rows.has(name))).toEqual([]);
  });

  it('has a row for every variable declared in a config source (common/src/core/config.ts, <service>/src/config.ts)', () => {
    const sources = ['common/src/core/config.ts', ...services.map((svc) => `${svc}/src/config.ts`)];
    const declared = [...new Set(sources.flatMap(declaredKeys))].sort();
    expect(declared).toContain('OUTBOX_SWEEP_INTERVAL_MS');
    expect(declared.filter((name) => !rows.has(name))).toEqual([]);
  });

  it('lists no variable that no schema reads', () => {
    expect([...rows.keys()].filter((name) => !schemaVariables.includes(name))).toEqual([]);
  });

  it('names, for each variable, exactly the services whose schema reads it', () => {
    const wrong = schemaVariables.flatMap((name) => {
      const cell = rows.get(name)?.[1] ?? '';
      const named = services.filter((svc) => new RegExp(`\\b${svc}\\b`).test(cell));
      const expected = readers(name);
      return named.join(',') === expected.join(',') ? [] : [`${name}: says "${cell}", read by ${expected.join(', ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('says "required" exactly for the variables some service cannot start without', () => {
    const wrong = schemaVariables.flatMap((name) => {
      const cell = rows.get(name)?.[2] ?? '';
      const required = requiredBy(name);
      const says = /\brequired\b/i.test(cell);
      return says === required.length > 0
        ? []
        : [`${name}: default "${cell}", required by ${required.join(', ') || 'none'}`];
    });
    expect(wrong).toEqual([]);
  });

  it('the README table names every variable a service config schema reads', () => {
    const readme = readRepoFile('README.md');
    expect(schemaVariables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it("documents the web client's variables (client/lib/env.ts, client/lib/public-env.ts)", () => {
    const clientRows = rowsOf('The web client');
    const read = [
      ...declaredKeys('client/lib/env.ts'),
      ...[...readRepoFile('client/lib/public-env.ts').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map(
        (m) => m[1] ?? '',
      ),
    ];
    expect(read).toContain('API_BASE_URL');
    expect([...new Set(read)].filter((name) => !clientRows.has(name))).toEqual([]);
  });
});
