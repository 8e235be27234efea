import { ApiBlueprint, createExtension, type ExtensionDefinition } from '@backstage/frontend-plugin-api';
import type { AnyApiFactory } from '@backstage/core-plugin-api';

/**
 * An `api` extension that outputs one API factory, written with
 * `createExtension` and `ApiBlueprint.dataRefs.factory` because both mean the
 * same on every supported @backstage/frontend-plugin-api line (0.10 to 0.18),
 * while `ApiBlueprint.make`'s params do not: 0.10 takes `{ factory }`, 0.11 and
 * later take `defineParams => defineParams(factory)` and silently register
 * nothing for the old form.
 */
export function apiExtension(factory: AnyApiFactory, name?: string): ExtensionDefinition {
  return createExtension({
    kind: 'api',
    name,
    attachTo: { id: 'root', input: 'apis' },
    output: [ApiBlueprint.dataRefs.factory],
    factory: () => [ApiBlueprint.dataRefs.factory(factory)],
  }) as ExtensionDefinition;
}
