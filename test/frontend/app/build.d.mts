/** Types of build.mjs, for the TypeScript browser tests that import it. */
export interface BuildTestAppOptions {
  /** Backend the page talks to; the page's own `?backend=` query wins. */
  backendBaseUrl?: string;
  /** `auth.environment` of the page's config; default `development`. */
  environment?: string;
  minify?: boolean;
  /** Also build new-system.html: the new frontend system's app (newSystem.ts). */
  newSystem?: boolean;
}

export interface BuiltTestApp {
  outdir: string;
  /** Absolute path of index.html */
  html: string;
  /** Absolute path of main.js */
  script: string;
}

export function buildTestApp(outdir: string, options?: BuildTestAppOptions): Promise<BuiltTestApp>;
