/**
 * `import 'embed-kit/renderers/qlik-embed'`: lets `renderer="qlik-embed"` draw `<qlik-object>`
 * and `<qlik-dashboard>` through Qlik's `<qlik-embed>` (a real tenant only). Needs the optional
 * peer dependency `@qlik/embed-web-components`, which loads on first use.
 */
import { QlikEmbedView } from '../elements/qlik-embed-view.ts';
import { registerRendererPlugin } from '../elements/renderers/registry.ts';

registerRendererPlugin({ name: 'qlik-embed', createView: (host) => new QlikEmbedView(host) });
