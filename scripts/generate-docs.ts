/**
 * Rewrites the generated regions of README.md:
 * - `<!-- elements:start -->…<!-- elements:end -->`: every element's attributes, properties,
 *   methods, events, slots, parts and CSS properties, from custom-elements.json;
 * - `<!-- errors:start -->…<!-- errors:end -->`: every typed error code with its cause and fix,
 *   read from the code that throws it (the `new …Error('code', message, { hint })` calls in
 *   src/), the kit's `hintFor()` table and the engine's close codes.
 *
 * `node --import tsx scripts/generate-docs.ts` (part of `npm run generate` and `npm run build`).
 * A node test fails when the README is stale.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { ERROR_REGISTRY, hintFor } from '../src/auth/error-registry.ts';
import { elementsOf, listenerProp, readManifest, repoRoot, type ElementDoc, type Manifest } from './manifest.ts';

export const README_PATH = `${repoRoot}README.md`;

/** GitHub tables end a cell at any `|`, even inside code, unless it is escaped. */
const cell = (text: string | undefined) => (text ? text.replace(/\|/g, '\\|') : '');
const code = (text: string | undefined) => (text ? `\`${cell(text)}\`` : '');

function table(headings: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return [`| ${headings.join(' | ')} |`, `|${headings.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function section(title: string, body: string): string[] {
  return body ? [`**${title}**`, '', body, ''] : [];
}

function renderElement(element: ElementDoc): string {
  const propertyOnly = element.properties.filter((property) => !property.attribute);
  return [
    `### \`<${element.tagName}>\``,
    '',
    element.summary,
    '',
    `Class \`${element.className}\`.`,
    '',
    ...section(
      'Attributes',
      table(
        ['Attribute', 'Property', 'Type', 'Default', 'Description'],
        element.attributes.map((a) => [
          code(a.name),
          code(a.property),
          code(a.type),
          code(a.default),
          `${cell(a.description)}${a.reflects && !/reflect/i.test(a.description) ? ' Reflected.' : ''}`,
        ]),
      ),
    ),
    ...section(
      'Properties (no attribute)',
      table(
        ['Property', 'Type', 'Description'],
        propertyOnly.map((p) => [code(p.name), code(p.type), `${p.readonly ? 'Read-only. ' : ''}${cell(p.description)}`]),
      ),
    ),
    ...section('Methods', table(['Method', 'Description'], element.methods.map((m) => [code(m.signature), cell(m.description)]))),
    ...section(
      'Events',
      table(
        ['Event', 'Class', 'React / Vue prop', 'Description'],
        element.events.map((e) => [code(e.name), code(e.className), code(listenerProp(e.name)), cell(e.description)]),
      ),
    ),
    ...section('Slots', table(['Slot', 'Description'], element.slots.map((s) => [code(s.name), cell(s.description)]))),
    ...section('CSS parts', table(['Part', 'Description'], element.parts.map((p) => [code(p.name), cell(p.description)]))),
    ...section(
      'CSS custom properties',
      table(['Property', 'Description'], element.cssProperties.map((p) => [code(p.name), cell(p.description)])),
    ),
  ]
    .join('\n')
    .trimEnd();
}

export function renderElements(manifest: Manifest): string {
  return elementsOf(manifest).map(renderElement).join('\n\n');
}

export interface ErrorCodeDoc {
  code: string;
  classes: string[];
  cause: string;
  fix: string;
  /** Repo-relative files that raise it. */
  sources: string[];
}

/** Browser and server code that raises typed errors; the dev tenant only plays the server. */
const ERROR_SOURCES = ['src/auth', 'src/qlik', 'src/elements', 'src/server'];

function sourceFiles(): string[] {
  return ERROR_SOURCES.flatMap((dir) =>
    readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => join(repoRoot, dir, file)),
  ).sort();
}

/**
 * The text a string expression can have: literals, templates (`${…}` shown as `…`), `+`
 * concatenations, both arms of a `?:`, and the registry's lookups (`hintIn(AREA, 'code')`) evaluated. Undefined when the
 * text is only known at run time.
 */
function texts(node: ts.Expression): string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return texts(node.expression);
  if (ts.isTemplateExpression(node)) return [node.head.text + node.templateSpans.map((span) => `…${span.literal.text}`).join('')];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [texts(node.left), texts(node.right)];
    return left && right && left.length === 1 && right.length === 1 ? [left[0] + right[0]] : undefined;
  }
  if (ts.isConditionalExpression(node)) {
    const [yes, no] = [texts(node.whenTrue), texts(node.whenFalse)];
    return yes && no ? [...yes, ...no] : undefined;
  }
  // The registry's lookups: `hintFor('code')`, `hintIn(AREA, 'code')`, `lookupHint([AREA…], 'code')`.
  const lookup = ts.isCallExpression(node) ? ({ hintFor: 0, hintIn: 1, lookupHint: 1 } as Record<string, number>)[node.expression.getText()] : undefined;
  if (ts.isCallExpression(node) && lookup !== undefined) {
    const codeArgument = node.arguments[lookup];
    const codes = codeArgument ? texts(codeArgument) : undefined;
    return codes?.map((c) => hintFor(c));
  }
  return undefined;
}

export interface RaiseSite {
  className: string;
  codes: string[];
  messages: string[] | undefined;
  hints: string[] | undefined;
  /** The options name a hint (whatever its value), or are not an object literal (passed on whole). */
  hinted: boolean;
  file: string;
}

/** Every `new SomethingError('code', message, { hint })` in one file. */
function raiseSites(file: string): RaiseSite[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const sites: RaiseSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /Error$/.test(node.expression.text) && node.arguments?.length) {
      const [first, message, options] = node.arguments;
      const codes = first && texts(first);
      // EngineClosedError takes a numeric close code; those come from CLOSE_CODE_TEXT below.
      if (codes && codes.every((c) => /^[A-Za-z][\w-]*$/.test(c))) {
        const literal = options && ts.isObjectLiteralExpression(options) ? options : undefined;
        const hint = literal?.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'hint');
        const hinted =
          (options !== undefined && !literal) ||
          (literal?.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText() === 'hint') ?? false) ||
          (literal?.properties.some(ts.isSpreadAssignment) ?? false);
        sites.push({
          className: node.expression.text,
          codes,
          messages: message ? texts(message) : undefined,
          hints: hint ? texts(hint.initializer) : undefined,
          hinted,
          file: relative(repoRoot, file),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** Every `new SomethingError('code', message, { hint })` in the kit's source. */
export function raiseSitesInSource(): RaiseSite[] {
  return sourceFiles().flatMap(raiseSites);
}

/** Every code raised in the kit's source (`new …Error('code', …)`), with its classes and files. */
export function raisedErrorCodes(): Map<string, { classes: string[]; sources: string[] }> {
  const raised = new Map<string, { classes: string[]; sources: string[] }>();
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const site of raiseSitesInSource()) {
    for (const c of site.codes) {
      let entry = raised.get(c);
      if (!entry) raised.set(c, (entry = { classes: [], sources: [] }));
      add(entry.classes, site.className);
      add(entry.sources, site.file);
    }
  }
  return raised;
}

/** The README's error table: every code in the registry (src/auth/error-registry.ts), with the classes that raise it. */
export function collectErrorCodes(): ErrorCodeDoc[] {
  const raised = raisedErrorCodes();
  const docs = Object.entries(ERROR_REGISTRY).map(([c, entry]): ErrorCodeDoc => {
    const classes = raised.get(c)?.classes ?? [];
    if (classes.length === 0) {
      if (c.startsWith('engine_closed_')) classes.push('EngineClosedError');
      else if (c === 'http_<status>') classes.push('TokenEndpointError', 'WebSocketTokenError', 'BackendTokenError');
      else if (/^[A-Z]/.test(c)) classes.push('TokenEndpointError', 'WebSocketTokenError');
      else classes.push('TokenEndpointError', 'AuthorizationResponseError');
    }
    const sites = Object.entries(entry.at ?? {}).map(([site, hint]) => ` At the ${site.replace('-', ' ')}: ${hint}`);
    let fix = entry.hint.replace(/\{(redirect|endpoint)\}/g, '').replace('{timeoutMs}', '…') + sites.join('');
    if (c === 'http_<status>') {
      const statuses: Array<[string, number]> = [['401/403', 401], ['404/405', 404], ['429', 429], ['5xx', 500]];
      fix = statuses.map(([label, status]) => `${label}: ${hintFor(`http_${status}`, { status })}`).join(' ');
    }
    return { code: c, classes, cause: entry.cause, fix, sources: raised.get(c)?.sources ?? [] };
  });
  return docs.sort((a, b) => a.code.localeCompare(b.code, 'en', { sensitivity: 'base' }));
}

export function renderErrors(codes: ErrorCodeDoc[]): string {
  return table(
    ['Code', 'Error class', 'Cause', 'Fix'],
    codes.map((doc) => [code(doc.code), doc.classes.map(code).join(', '), cell(doc.cause), cell(doc.fix)]),
  );
}

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceRegion(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} region.`);
  return `${text.slice(0, from + start.length)}\n<!-- Generated by scripts/generate-docs.ts; edit the source, not this. -->\n\n${content}\n\n${text.slice(to)}`;
}

export function renderReadme(readme: string, manifest: Manifest): string {
  return replaceRegion(replaceRegion(readme, 'elements', renderElements(manifest)), 'errors', renderErrors(collectErrorCodes()));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(README_PATH, 'utf8');
  const after = renderReadme(before, readManifest());
  if (after !== before) writeFileSync(README_PATH, after);
  console.log(after === before ? 'README.md is up to date' : 'wrote README.md');
}
