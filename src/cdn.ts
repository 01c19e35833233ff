/** The single-file CDN bundle: registers every tag and exposes the classes. */
import './define.ts';

export * from './index.ts';
