'use client';

// @emotion/cache is a declared dependency (client/package.json), the version @emotion/react uses.
import createCache, { type EmotionCache } from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import { useServerInsertedHTML } from 'next/navigation';
import { useState, type ReactNode } from 'react';

interface Registry {
  cache: EmotionCache;
  /** The styles inserted since the previous call. */
  flush: () => { name: string; global: boolean }[];
}

function createRegistry(nonce: string | undefined): Registry {
  // The nonce goes on every <style> Emotion inserts in the browser (a style-src with a
  // nonce blocks any other); the server's are written below.
  const cache = createCache({ key: 'css', nonce });
  // Compat mode: Emotion does not render its <style> elements inside the React tree;
  // the styles are sent once, in the document head, below.
  cache.compat = true;
  let pending: { name: string; global: boolean }[] = [];
  const insert = cache.insert.bind(cache);
  cache.insert = (selector, serialized, sheet, shouldCache) => {
    if (cache.inserted[serialized.name] === undefined) {
      pending.push({ name: serialized.name, global: selector === '' });
    }
    return insert(selector, serialized, sheet, shouldCache);
  };
  return {
    cache,
    flush: () => {
      const flushed = pending;
      pending = [];
      return flushed;
    },
  };
}

/**
 * Emotion's styles for a streamed App Router page. Without this, Emotion writes
 * a <style> element next to each component in the server HTML, which the browser
 * render does not have: every page failed hydration (React error 418) and was
 * re-rendered on the client. Chakra's Next.js guide prescribes the same registry.
 */
export function EmotionRegistry({ nonce, children }: { nonce: string | undefined; children: ReactNode }) {
  // Created once: the document keeps the policy (and nonce) it was served with, even when
  // a later render of the layout (a refresh) brings another request's nonce.
  const [registry] = useState(() => createRegistry(nonce));

  useServerInsertedHTML(() => {
    const inserted = registry.flush();
    if (inserted.length === 0) return null;
    const globals: { name: string; css: string }[] = [];
    const names: string[] = [];
    let css = '';
    for (const { name, global } of inserted) {
      const rules = registry.cache.inserted[name];
      if (typeof rules !== 'string') continue;
      if (global) {
        globals.push({ name, css: rules });
      } else {
        names.push(name);
        css += rules;
      }
    }
    return (
      <>
        {globals.map((g) => (
          // Emotion's <Global> finds its server-rendered styles by this attribute on hydration.
          <style
            key={g.name}
            nonce={registry.cache.nonce}
            data-emotion={`${registry.cache.key}-global ${g.name}`}
            dangerouslySetInnerHTML={{ __html: g.css }}
          />
        ))}
        {css ? (
          <style
            nonce={registry.cache.nonce}
            data-emotion={`${registry.cache.key} ${names.join(' ')}`}
            dangerouslySetInnerHTML={{ __html: css }}
          />
        ) : null}
      </>
    );
  });

  return <CacheProvider value={registry.cache}>{children}</CacheProvider>;
}
