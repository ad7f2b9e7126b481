// The Dockerfiles, read as text: multi-stage, a pinned base, only the workspace (and
// common) installed, and a final stage that runs compiled JavaScript with node as a
// non-root user. The five services share the root Dockerfile (SERVICE build
// argument); the client has its own. The container tests (e2e/containers) build
// and run them for real.
import { readRepoFile, services } from './support/repo';

const dockerfiles = [
  { file: 'Dockerfile', kind: 'service' },
  { file: 'client/Dockerfile', kind: 'client' },
] as const;

interface Stage {
  from: string;
  name?: string;
  lines: string[];
}

/** Splits a Dockerfile into stages, joining `\`-continued lines and dropping comments. */
function stagesOf(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1] ?? '', name: from[2]?.toLowerCase(), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** The exec-form CMD of a stage, following its FROM chain back when it has none of its own. */
function instruction(stages: Stage[], stage: Stage, keyword: string): string | undefined {
  const own = stage.lines.filter((l) => l.toUpperCase().startsWith(`${keyword} `)).at(-1);
  if (own) return own.slice(keyword.length + 1).trim();
  const parent = stages.find((s) => s.name === stage.from.toLowerCase());
  return parent ? instruction(stages, parent, keyword) : undefined;
}

describe.each(dockerfiles)('$file', ({ file, kind }) => {
  const text = readRepoFile(file);
  const stages = stagesOf(text);
  const final = stages.at(-1);
  if (!final) throw new Error(`${file} has no FROM`);
  const stageNames = new Set(stages.map((s) => s.name));
  const external = stages.filter((s) => !stageNames.has(s.from.toLowerCase()));

  it('is multi-stage, with a dev target for skaffold and the runtime stage last', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stageNames.has('dev')).toBe(true);
    expect(final.name).toBe('runtime');
  });

  it('pins every base image to a specific version (never latest, never just a major)', () => {
    expect(external.length).toBeGreaterThan(0);
    for (const { from } of external) {
      expect({ from, pinned: /^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/.test(from) }).toEqual({
        from,
        pinned: true,
      });
    }
  });

  it('installs with npm ci from the root lockfile, only this workspace (and common for the services)', () => {
    const installs = stages.flatMap((s) => s.lines).filter((l) => /\bnpm (ci|install|i)\b/.test(l));
    expect(installs.length).toBeGreaterThanOrEqual(kind === 'service' ? 2 : 1);
    const wanted = kind === 'client' ? ['client'] : ['"$SERVICE"', 'common'];
    for (const line of installs) {
      expect(line).toMatch(/\bnpm ci\b/);
      const workspaces = [...line.matchAll(/--workspace[= ](\S+)/g)].map((m) => m[1]).sort();
      expect({ line, workspaces }).toEqual({ line, workspaces: [...wanted].sort() });
    }
    expect(text).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    // The runtime's dependencies are production ones only (the client's standalone
    // build traces exactly the modules it loads instead).
    if (kind === 'service')
      expect(installs.some((l) => l.includes('--omit=dev') && l.includes('--include-workspace-root=false'))).toBe(true);
  });

  it('runs as a non-root USER in the final stage', () => {
    const user = instruction(stages, final, 'USER');
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('starts node itself (PID 1, handles SIGTERM) on compiled code: no shell, watcher, ts-node or dev server', () => {
    const cmd = instruction(stages, final, 'CMD');
    const entrypoint = instruction(stages, final, 'ENTRYPOINT');
    expect(entrypoint).toBeUndefined();
    const argv = JSON.parse(cmd ?? 'null') as unknown;
    expect(Array.isArray(argv)).toBe(true); // exec form: no /bin/sh in between
    const args = argv as string[];
    expect(args[0]).toBe('node');
    expect(args.join(' ')).not.toMatch(/nodemon|ts-node|tsx|--watch|\bdev\b|\.ts$/);
    // Next's standalone server (client), or the service's compiled entry from its own folder.
    if (kind === 'client') expect(args.slice(1)).toEqual(['server.js']);
    else {
      expect(args.slice(1)).toEqual(['dist/index.js']);
      expect(instruction(stages, final, 'WORKDIR')).toBe('/app/${SERVICE}');
    }
  });

  it('builds the final stage from the base and copies only build output and production dependencies into it', () => {
    expect(stages.find((s) => s.name === final.from.toLowerCase())?.from).toMatch(/^node:/);
    const copies = final.lines.filter((l) => l.toUpperCase().startsWith('COPY '));
    for (const copy of copies) {
      const from = /--from=(\S+)/.exec(copy)?.[1];
      expect({ copy, from: from ?? 'context' }).toEqual({
        copy,
        from: expect.stringMatching(kind === 'client' ? /^build$/ : /^(prod-deps|build)$/),
      });
    }
    expect(final.lines.some((l) => /^RUN /i.test(l))).toBe(false);
  });
});

describe('the service Dockerfile', () => {
  it('builds exactly the five services, and refuses a build without SERVICE', () => {
    const check = /case "\$SERVICE" in ([\w|]+)\)/.exec(readRepoFile('Dockerfile'));
    expect(check?.[1]?.split('|').sort()).toEqual([...services].sort());
  });
});

describe('.dockerignore', () => {
  it('keeps host artefacts and secrets out of the build context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(
      expect.arrayContaining([
        '.git',
        '**/node_modules',
        '**/dist',
        '**/.next',
        '.tools',
        '.data',
        '**/.env',
        '**/.env.*',
      ]),
    );
  });
});
