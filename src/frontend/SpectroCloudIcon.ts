import { createElement } from 'react';
import type { IconComponent } from '@backstage/core-plugin-api';

// `default` is what core-plugin-api before 1.10 calls `medium`.
const sizes = { small: '1.25rem', medium: '1.5rem', default: '1.5rem', large: '2.1875rem', inherit: '1em' } as const;

/**
 * A small cloud icon for the SpectroCloud sign-in button; the only React in
 * this package's frontend part.
 *
 * @public
 */
export const SpectroCloudIcon: IconComponent = ({ fontSize = 'medium' }) =>
  createElement(
    'svg',
    {
      viewBox: '0 0 24 24',
      width: sizes[fontSize],
      height: sizes[fontSize],
      fill: 'currentColor',
      'aria-hidden': true,
      focusable: false,
    },
    createElement('path', { d: 'M7 19a5 5 0 0 1-.7-9.95A6.5 6.5 0 0 1 18.6 10 4.5 4.5 0 0 1 18 19z' }),
  );
