/**
 * `@gittix/common/contracts` as the client sees it (tsconfig.json's `paths`
 * and jest.config.js map the package name here): the shared contracts,
 * compiled from their TypeScript source as ES modules, so Next tree-shakes
 * them and zod (common's CommonJS dist would bring every zod locale to the
 * browser, about 50 KB gzipped), and the build needs no `tsc -b` of common.
 *
 * zod is switched to its no-eval mode first: the import order is what
 * guarantees it runs before the contracts build their schemas.
 */
import './zod-jitless';

export * from '../../common/src/contracts/index';
