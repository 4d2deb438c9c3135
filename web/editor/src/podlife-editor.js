// podlife-editor: the manifest editor of the podlife playground, CodeMirror 6 with YAML highlighting,
// line numbers, history, the default keymap, bracket matching, the active line, and the core's
// diagnostics as lint markers (gutter icon, underline, tooltip with path, message and hint).
//
// Built by scripts/build-editor.sh (esbuild --bundle --format=esm --minify, pinned in
// package-lock.json) into web/editor/dist/podlife-editor.js; trunk copies it to dist/editor/ and the
// Yew app imports it lazily (web/src/editor_bridge.rs) after the first render. A plain <textarea>
// shows first and stays as the fallback if this module cannot be loaded.
//
// The API, the only export:
//
//   createEditor(parent, { doc, label, cursor, onChange }) -> PodlifeEditor
//     parent    an Element the editor is appended to
//     doc       the initial text
//     label     the accessible name of the editable area (aria-label)
//     cursor    optional UTF-16 offset to put the cursor at
//     onChange  called with the whole text after every edit made in the editor (never for setText)
//
//   editor.text                          the current text
//   editor.setText(text) -> bool         replaces the text (no onChange); false when it was already so
//   editor.setDiagnostics(list, forText) -> bool
//                                        shows the diagnostics; each is the core's wire form
//                                        { severity: "error" | "warning" | "info", path, message, hint,
//                                          line, column, endLine, endColumn } (1-based, columns count
//                                        characters, end exclusive). When forText is a string that is
//                                        not the current text, the list is stale: nothing changes and
//                                        false is returned (the diagnostics of the newer text follow).
//   editor.focus()
//   editor.destroy()
//
// Colours come from the page's CSS custom properties (--fg, --bg, --panel, --border, --muted,
// --accent, --error, --warning, --info, --ok in static/style.css), so light and dark follow the page.
// The three severities differ by shape too, not only by colour: a round marker with a cross and a
// wavy underline for errors, a triangle with "!" and a dashed underline for warnings, a round marker
// with an "i" and a dotted underline for info (what podlife assumed: nothing is wrong, so it must
// not look like a warning).

import { EditorState, Annotation } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentUnit, syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { tags as t } from '@lezer/highlight';

/** Marks the transactions made by setText, so they do not call onChange. */
const external = Annotation.define();

// Shapes as CSS masks, painted with the page's colours: a disc with a cross cut out (error), a
// triangle with an exclamation mark cut out (warning) and a disc with an "i" cut out (info).
const mask = (path) =>
  `url('data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill-rule="evenodd" d="${path}"/></svg>`,
  )}')`;
const ERROR_SHAPE = mask(
  'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zM5.2 4.1 4.1 5.2 6.9 8l-2.8 2.8 1.1 1.1L8 9.1l2.8 2.8 1.1-1.1L9.1 8l2.8-2.8-1.1-1.1L8 6.9z',
);
const WARNING_SHAPE = mask('M8 1 15.5 15H.5zM7 6v4.5h2V6zm0 5.5v2h2v-2z');
const INFO_SHAPE = mask('M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zM7 3.5v2h2v-2zm0 3.5v5.5h2V7z');
const shape = (image, colour) => ({
  display: 'inline-block',
  content: 'normal',
  width: '1em',
  height: '1em',
  backgroundColor: colour,
  maskImage: image,
  maskSize: '100% 100%',
  WebkitMaskImage: image,
  WebkitMaskSize: '100% 100%',
});

const theme = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--panel)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
    fontSize: '14px',
    minHeight: '24rem',
    maxHeight: '75vh',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--fg)', padding: '0.5rem 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent) !important',
  },
  '.cm-gutters': {
    color: 'var(--muted)',
    backgroundColor: 'var(--bg)',
    borderRight: '1px solid var(--border)',
    borderRadius: '6px 0 0 6px',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': {
    color: 'var(--fg)',
    backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)',
  },
  '&.cm-focused .cm-matchingBracket': {
    backgroundColor: 'color-mix(in srgb, var(--ok) 25%, transparent)',
    outline: '1px solid var(--ok)',
  },
  '&.cm-focused .cm-nonmatchingBracket': {
    backgroundColor: 'color-mix(in srgb, var(--error) 25%, transparent)',
    outline: '1px dashed var(--error)',
  },

  // Lint: the gutter marker, the underline, the point marker of an empty range.
  '.cm-gutter-lint': { width: '1.5em' },
  '.cm-gutter-lint .cm-gutterElement': { padding: '0.2em 0.15em', display: 'flex', alignItems: 'center' },
  '.cm-lint-marker-error': shape(ERROR_SHAPE, 'var(--error)'),
  '.cm-lint-marker-warning': shape(WARNING_SHAPE, 'var(--warning)'),
  '.cm-lint-marker-info': shape(INFO_SHAPE, 'var(--info)'),
  '.cm-lintRange': { backgroundImage: 'none', paddingBottom: '0' },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--error) 1.5px',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintRange-warning': {
    backgroundImage: 'none',
    textDecoration: 'underline dashed var(--warning) 2px',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintRange-info': {
    backgroundImage: 'none',
    textDecoration: 'underline dotted var(--info) 2px',
    textDecorationSkipInk: 'none',
    textUnderlineOffset: '3px',
  },
  '.cm-lintPoint:after': { borderBottomColor: 'var(--error)' },
  '.cm-lintPoint-warning:after': { borderBottomColor: 'var(--warning)' },
  '.cm-lintPoint-info:after': { borderBottomColor: 'var(--info)' },
  '.cm-lintRange-active': { backgroundColor: 'color-mix(in srgb, var(--accent) 20%, transparent)' },

  // Tooltips and the diagnostics panel (Ctrl-Shift-m, F8 for the next diagnostic).
  '.cm-tooltip': {
    color: 'var(--fg)',
    backgroundColor: 'var(--panel)',
    border: '1px solid var(--border)',
    borderRadius: '4px',
    boxShadow: '0 2px 8px rgb(0 0 0 / 0.2)',
  },
  '.cm-tooltip-lint': { maxWidth: 'min(40rem, 90vw)', fontFamily: 'var(--font)', fontSize: '14px' },
  '.cm-diagnostic': { padding: '0.4rem 0.6rem 0.4rem 0.5rem' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--error)' },
  '.cm-diagnostic-warning': { borderLeft: '4px solid var(--warning)' },
  '.cm-diagnostic-info': { borderLeft: '4px solid var(--info)' },
  '.pl-severity': { fontWeight: '700', marginRight: '0.4em', whiteSpace: 'nowrap' },
  '.pl-severity::before': { marginRight: '0.3em', verticalAlign: '-0.12em' },
  '.cm-diagnostic-error .pl-severity': { color: 'var(--error)' },
  '.cm-diagnostic-warning .pl-severity': { color: 'var(--warning)' },
  '.cm-diagnostic-info .pl-severity': { color: 'var(--info)' },
  '.cm-diagnostic-error .pl-severity::before': { ...shape(ERROR_SHAPE, 'var(--error)'), content: '""' },
  '.cm-diagnostic-warning .pl-severity::before': { ...shape(WARNING_SHAPE, 'var(--warning)'), content: '""' },
  '.cm-diagnostic-info .pl-severity::before': { ...shape(INFO_SHAPE, 'var(--info)'), content: '""' },
  '.pl-path': { fontFamily: 'var(--mono)', fontSize: '13px' },
  '.pl-hint': { display: 'block', marginTop: '0.2rem', color: 'var(--muted)' },
  '.cm-panels': { color: 'var(--fg)', backgroundColor: 'var(--bg)' },
  '.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-panel.cm-panel-lint ul [aria-selected]': { backgroundColor: 'var(--border)', color: 'var(--fg)' },
  '.cm-panel.cm-panel-lint ul:focus [aria-selected]': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent)',
    color: 'var(--fg)',
  },
  '.cm-panel.cm-panel-lint button': { color: 'var(--fg)' },
});

const highlight = HighlightStyle.define([
  { tag: [t.definition(t.propertyName), t.propertyName], color: 'var(--accent)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--ok)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--warning)' },
  { tag: [t.comment, t.lineComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.separator, t.punctuation, t.meta], color: 'var(--muted)' },
  { tag: [t.keyword, t.typeName, t.labelName], color: 'var(--accent)', fontStyle: 'italic' },
  { tag: t.invalid, color: 'var(--error)' },
]);

/** The UTF-16 offset of the `column`th character (1-based) of `text`, clamped to the line. */
function characterOffset(text, column) {
  let offset = 0;
  for (let i = 1; i < column && offset < text.length; i++) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return Math.min(offset, text.length);
}

/** A document position for a 1-based line and character column, clamped to the document. */
function position(doc, line, column) {
  if (!(line >= 1)) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  return l.from + characterOffset(l.text, column);
}

/** The tooltip and panel content of one diagnostic: severity word, path, message, hint. */
function render(d) {
  return () => {
    const root = document.createElement('span');
    const severity = document.createElement('span');
    severity.className = 'pl-severity';
    severity.textContent = d.severity;
    root.append(severity);
    if (d.path) {
      const path = document.createElement('span');
      path.className = 'pl-path';
      path.textContent = `${d.path}: `;
      root.append(path);
    }
    root.append(d.message);
    if (d.hint) {
      const hint = document.createElement('span');
      hint.className = 'pl-hint';
      hint.textContent = `Hint: ${d.hint}`;
      root.append(hint);
    }
    return root;
  };
}

/** The core's severity as CodeMirror's: its own three, and anything newer shown as a warning. */
const SEVERITIES = new Set(['error', 'warning', 'info']);
const severityOf = (d) => (SEVERITIES.has(d.severity) ? d.severity : 'warning');

/** The core's wire form → CodeMirror diagnostics. */
function toCodeMirror(doc, list) {
  return Array.from(list, (d) => {
    const from = position(doc, d.line, d.column);
    let to = position(doc, d.endLine, d.endColumn);
    // A span over several lines (a whole container, say) is marked on its first line only, as the
    // CLI's caret does: an underline through the indentation of every line would hide the others.
    if (d.endLine > d.line) to = Math.min(to, doc.lineAt(from).to);
    to = Math.max(from, to);
    const severity = severityOf(d);
    const headline = d.path ? `${d.path}: ${d.message}` : d.message;
    return {
      from,
      to,
      severity,
      message: d.hint ? `${headline}\nHint: ${d.hint}` : headline,
      renderMessage: render({ ...d, severity }),
    };
  });
}

class PodlifeEditor {
  constructor(parent, { doc = '', label = 'YAML', cursor, onChange } = {}) {
    const text = String(doc);
    const anchor = Number.isInteger(cursor) ? Math.max(0, Math.min(cursor, text.length)) : 0;
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        selection: { anchor },
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          lintGutter(),
          history(),
          bracketMatching(),
          highlightActiveLine(),
          EditorState.tabSize.of(2),
          indentUnit.of('  '),
          yaml(),
          syntaxHighlighting(highlight),
          keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
          theme,
          EditorView.contentAttributes.of({
            'aria-label': label,
            spellcheck: 'false',
            autocorrect: 'off',
            autocapitalize: 'off',
          }),
          EditorView.updateListener.of((update) => {
            if (
              update.docChanged &&
              onChange &&
              !update.transactions.some((tr) => tr.annotation(external))
            ) {
              onChange(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
  }

  get text() {
    return this.view.state.doc.toString();
  }

  setText(text) {
    const next = String(text);
    if (next === this.text) return false;
    const { view } = this;
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: next },
      selection: { anchor: Math.min(view.state.selection.main.head, next.length) },
      annotations: [external.of(true)],
    });
    return true;
  }

  setDiagnostics(list, forText) {
    const { view } = this;
    if (typeof forText === 'string' && forText !== this.text) return false;
    view.dispatch(setDiagnostics(view.state, toCodeMirror(view.state.doc, list ?? [])));
    return true;
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    this.view.destroy();
  }
}

export function createEditor(parent, options) {
  return new PodlifeEditor(parent, options);
}
