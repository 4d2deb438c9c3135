//! Builds the positioned tree from saphyr-parser's events, one tree per YAML document. Loading stays
//! linear in the text: collections may nest [`MAX_DEPTH`] deep, and aliases may copy only as much as
//! go-yaml allows (`alias_budget`).

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle};

use super::alias_budget::{AliasBudget, Refusal, MAX_NODES};
use super::escapes;
use super::go_yaml_leniency::{self, Edit, EditedText};
use super::node::{Entry, Node, NodeKind, Scalar, ScalarStyle};
use super::syntax_error;
use crate::diagnostic::{Diagnostic, Position, Severity, Span};

/// How deep collections may nest. go-yaml stops at 10 000 (`max_flow_level`, `max_indents`); every
/// later stage here (JSON, strict decoding, dropping the tree) walks the tree recursively, and in the
/// browser the wasm stack is 1 MiB, so the limit is serde_json's 128: no Kubernetes object nests a
/// quarter as deep, so a deeper document would be refused anyway.
pub const MAX_DEPTH: usize = 128;

/// Every document of the text (empty documents included, as `None`), or the first syntax error.
/// Where saphyr refuses what go-yaml reads (`go_yaml_leniency`), the text is read again with the
/// edits that make the two agree, and the positions found are those of the text as written.
pub fn parse_documents(text: &str) -> Result<Vec<Option<Node>>, Diagnostic> {
    match read(text) {
        (reading, None) => {
            escapes::refuse_slash_escape(text, &reading.double_quoted)?;
            Ok(reading.documents)
        }
        (_, Some(refusal)) => read_leniently(text, refusal),
    }
}

/// What one pass of saphyr over a text gives: the documents, and where its flow collections and
/// quoted scalars are (to check the leniency edits against); up to the error, if there is one.
struct Reading {
    documents: Vec<Option<Node>>,
    /// The outermost ones, in text order.
    flow_collections: Vec<Span>,
    quoted: Vec<Span>,
    double_quoted: Vec<Span>,
}

fn read(text: &str) -> (Reading, Option<Diagnostic>) {
    let mut builder = Builder::default();
    let mut error = None;
    for event in Parser::new_from_str(text) {
        let pushed = match event {
            Ok((event, span)) => builder.push(event, to_span(span)),
            Err(e) => Err(syntax_error::diagnose(text, &e)),
        };
        if let Err(e) = pushed {
            error = Some(e);
            break;
        }
    }
    let reading = Reading {
        documents: builder.documents,
        flow_collections: builder.flow_collections,
        quoted: builder.quoted,
        double_quoted: builder.double_quoted,
    };
    (reading, error)
}

/// The text saphyr refused, read again with go-yaml's leniencies written out. The result stands only
/// if saphyr's reading of the edited text puts every edit it got to inside the construct the edit was
/// made for; then a later error in the edited text is the one to report (the first was the leniency).
/// Otherwise, or without edits, `refusal` stands.
fn read_leniently(text: &str, refusal: Diagnostic) -> Result<Vec<Option<Node>>, Diagnostic> {
    let edits = go_yaml_leniency::edits(text);
    if edits.is_empty() {
        return Err(refusal);
    }
    let edited = EditedText::new(text, &edits);
    let (reading, error) = read(&edited.text);
    let unread_from = error.as_ref().map(|e| e.span.start);
    let verified = edits
        .iter()
        .map(|e| (*e, edited.edited(*e)))
        .filter(|(_, at)| unread_from.is_none_or(|from| *at < from))
        .all(|(e, at)| reading.allows(e, at));
    if !verified {
        return Err(refusal);
    }
    if let Some(mut error) = error {
        error.span = original_span(&edited, error.span);
        let later = error.span.start > refusal.span.start;
        return Err(if later { error } else { refusal });
    }
    if let Err(mut error) = escapes::refuse_slash_escape(&edited.text, &reading.double_quoted) {
        error.span = original_span(&edited, error.span);
        return Err(error);
    }
    let mut documents = reading.documents;
    for node in documents.iter_mut().flatten() {
        move_to_original(node, &edited);
    }
    Ok(documents)
}

impl Reading {
    /// An indented line must start inside a flow collection or a quoted scalar; `\x27` must be inside
    /// a double-quoted scalar.
    fn allows(&self, edit: Edit, at: Position) -> bool {
        // Each list is in text order without overlaps: only the last span starting before `at` can
        // hold it.
        let inside = |spans: &[Span]| {
            let before = spans.partition_point(|s| s.start < at);
            before > 0 && at < spans[before - 1].end
        };
        match edit {
            Edit::Indent { .. } => inside(&self.flow_collections) || inside(&self.quoted),
            Edit::QuoteEscape { .. } => inside(&self.double_quoted),
        }
    }
}

fn original_span(edited: &EditedText, span: Span) -> Span {
    Span {
        start: edited.original(span.start),
        end: edited.original(span.end),
    }
}

/// Every span of the tree, from the edited text's positions to the original's.
fn move_to_original(node: &mut Node, edited: &EditedText) {
    node.span = original_span(edited, node.span);
    match &mut node.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Sequence(items) => items.iter_mut().for_each(|n| move_to_original(n, edited)),
        NodeKind::Mapping(entries) => {
            for entry in entries {
                move_to_original(&mut entry.key, edited);
                move_to_original(&mut entry.value, edited);
            }
        }
    }
}

fn to_position(m: saphyr_parser::Marker) -> Position {
    Position {
        line: m.line() as u32,
        column: m.col() as u32 + 1,
    }
}

fn to_span(s: saphyr_parser::Span) -> Span {
    Span {
        start: to_position(s.start),
        end: to_position(s.end),
    }
}

/// A collection being filled: its start, anchor, children so far, and what decoding it costs so far
/// (itself and its children, aliases expanded, as go-yaml counts decodes).
enum Open {
    Sequence {
        start: Position,
        anchor: usize,
        items: Vec<Node>,
        decodes: usize,
    },
    Mapping {
        start: Position,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        decodes: usize,
    },
}

impl Open {
    fn add_decodes(&mut self, n: usize) {
        match self {
            Open::Sequence { decodes, .. } | Open::Mapping { decodes, .. } => *decodes += n,
        }
    }
}

/// An anchored node, and what decoding one copy of it costs.
#[derive(Clone)]
struct Anchored {
    node: Node,
    decodes: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: crate::sorted_map::SortedMap<usize, Anchored>,
    budget: AliasBudget,
    documents: Vec<Option<Node>>,
    current: Option<Node>,
    in_document: bool,
    flow_collections: Vec<Span>,
    quoted: Vec<Span>,
    double_quoted: Vec<Span>,
}

impl Builder {
    fn push(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(_) => {
                self.in_document = true;
                self.current = None;
                // go-yaml decodes each document of the stream with a decoder of its own.
                self.budget = AliasBudget::default();
            }
            Event::DocumentEnd => {
                if self.in_document {
                    // `---` followed by nothing is an empty document, as kubectl sees it.
                    let node = self.current.take().filter(|n| !n.is_null());
                    self.documents.push(node);
                }
                self.in_document = false;
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.budget.count_node();
                self.note_quoted(style, span);
                let scalar = Scalar {
                    text: text.into_owned(),
                    style: convert_style(style),
                    tag: tag.map(|t| t.suffix.clone()),
                };
                let node = Node {
                    kind: NodeKind::Scalar(scalar),
                    span,
                };
                self.complete(node, anchor, 1);
            }
            Event::Alias(id) => self.alias(id, span)?,
            Event::SequenceStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::Sequence {
                    start: span.start,
                    anchor,
                    items: Vec::new(),
                    decodes: 1,
                });
            }
            Event::MappingStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::Mapping {
                    start: span.start,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                    decodes: 1,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (node, anchor, decodes) = close(open, span);
                    if span.start != span.end {
                        // Only a flow collection's end event covers characters: its `]` or `}`.
                        self.note_flow_collection(node.span);
                    }
                    self.complete(node, anchor, decodes);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Keeps the outermost flow collections, in text order: an inner one closes first, so the outer
    /// one replaces those that start after it.
    fn note_flow_collection(&mut self, span: Span) {
        while self
            .flow_collections
            .last()
            .is_some_and(|inner| inner.start > span.start)
        {
            self.flow_collections.pop();
        }
        self.flow_collections.push(span);
    }

    fn note_quoted(&mut self, style: SaphyrStyle, span: Span) {
        match style {
            SaphyrStyle::DoubleQuoted => {
                self.quoted.push(span);
                self.double_quoted.push(span);
            }
            SaphyrStyle::SingleQuoted => self.quoted.push(span),
            _ => {}
        }
    }

    /// A collection starts: one more decode, one level deeper.
    fn open(&mut self, span: Span) -> Result<(), Diagnostic> {
        self.budget.count_node();
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(span));
        }
        Ok(())
    }

    /// `*name`: a copy of the node anchored `&name`, if go-yaml's aliasing budget allows it.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), Diagnostic> {
        self.budget.count_node();
        let Some(anchored) = self.anchors.get(&id) else {
            // saphyr reports an unknown anchor itself; an empty scalar keeps the tree whole regardless.
            let node = Node {
                kind: NodeKind::Scalar(Scalar {
                    text: String::new(),
                    style: ScalarStyle::Plain,
                    tag: None,
                }),
                span,
            };
            self.complete(node, 0, 1);
            return Ok(());
        };
        if let Err(refusal) = self.budget.spend_on_alias(anchored.decodes) {
            return Err(aliasing_refused(refusal, span));
        }
        let decodes = 1 + anchored.decodes;
        let node = Node {
            span,
            ..anchored.node.clone()
        };
        self.complete(node, 0, decodes);
        Ok(())
    }

    /// A node is finished: remember its anchor and hand it to its parent (or the document).
    fn complete(&mut self, node: Node, anchor: usize, decodes: usize) {
        if anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                decodes,
            };
            self.anchors.insert(anchor, anchored);
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.add_decodes(decodes);
        }
        match self.stack.last_mut() {
            Some(Open::Sequence { items, .. }) => items.push(node),
            Some(Open::Mapping {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some(key) => entries.push(Entry { key, value: node }),
                None => *pending_key = Some(node),
            },
            None => self.current = Some(node),
        }
    }
}

/// What is said of a collection nested deeper than [`MAX_DEPTH`], or than saphyr's scanner allows
/// (256 flow levels: "recursion limit exceeded").
pub(super) fn too_deep_message() -> String {
    format!(
        "collections nested more than {MAX_DEPTH} deep: podlife stops reading here (kubectl stops at \
         10000: \"exceeded max depth of 10000\")"
    )
}

pub(super) const TOO_DEEP_HINT: &str =
    "No Kubernetes object nests this deep: look for a run of `[`, \
     `{` or `- ` that was meant to be text, or a bracket that was never closed.";

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message: too_deep_message(),
        hint: Some(TOO_DEEP_HINT.into()),
        span: one_character(span.start),
    }
}

fn aliasing_refused(refusal: Refusal, span: Span) -> Diagnostic {
    let message = match refusal {
        Refusal::ExcessiveAliasing => {
            "this alias makes the document too large: its copies of anchored nodes outgrow the \
             text (kubectl: \"yaml: document contains excessive aliasing\")"
                .to_string()
        }
        Refusal::PastPodlifesLimit => format!(
            "this alias makes the document too large for podlife: with the copies of anchored \
             nodes it holds more than {MAX_NODES} nodes (podlife's own limit; kubectl reads more)"
        ),
    };
    Diagnostic {
        severity: Severity::Error,
        path: String::new(),
        message,
        hint: Some(
            "Each `*name` copies the whole node anchored `&name`, and aliases of nodes that hold \
             aliases multiply (a \"billion laughs\" document). Write the values out, or alias fewer \
             levels deep."
                .into(),
        ),
        span,
    }
}

fn one_character(start: Position) -> Span {
    Span {
        start,
        end: Position {
            line: start.line,
            column: start.column + 1,
        },
    }
}

/// Closes a collection. A flow collection ends at its closing bracket; a block one at its last child.
fn close(open: Open, end_event: Span) -> (Node, usize, usize) {
    match open {
        Open::Sequence {
            start,
            anchor,
            items,
            decodes,
        } => {
            let end = collection_end(start, end_event, items.last().map(|n| n.span.end));
            (
                Node {
                    kind: NodeKind::Sequence(items),
                    span: Span { start, end },
                },
                anchor,
                decodes,
            )
        }
        Open::Mapping {
            start,
            anchor,
            entries,
            decodes,
            ..
        } => {
            let end = collection_end(start, end_event, entries.last().map(|e| e.value.span.end));
            (
                Node {
                    kind: NodeKind::Mapping(entries),
                    span: Span { start, end },
                },
                anchor,
                decodes,
            )
        }
    }
}

fn collection_end(start: Position, end_event: Span, last_child: Option<Position>) -> Position {
    // A flow collection's end event covers its `]` or `}` (a non-empty span); a block collection's end
    // event is an empty span wherever the next token begins, possibly lines later.
    if end_event.start != end_event.end {
        end_event.end
    } else {
        last_child.unwrap_or(start)
    }
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    #[test]
    fn every_node_knows_its_place() {
        let docs = parse_documents("spec:\n  containers:\n    - name: app\n      image: 'nginx'\n")
            .expect("valid YAML");
        let root = docs[0].as_ref().expect("one document");
        let containers = &root
            .get("spec")
            .unwrap()
            .value
            .get("containers")
            .unwrap()
            .value;
        assert_eq!(
            containers.span.start,
            at(3, 5),
            "a block sequence starts at its first dash"
        );
        let image = &containers.as_sequence().unwrap()[0]
            .get("image")
            .unwrap()
            .value;
        assert_eq!(
            image.span,
            Span {
                start: at(4, 14),
                end: at(4, 21)
            },
            "quotes included"
        );
    }

    #[test]
    fn documents_are_split_and_empty_ones_kept() {
        let docs = parse_documents("a: 1\n---\n---\nb: 2\n").expect("valid YAML");
        assert_eq!(docs.len(), 3);
        assert!(docs[1].is_none());
    }

    #[test]
    fn aliases_copy_the_anchored_node() {
        let docs = parse_documents("a: &x [1, 2]\nb: *x\n").expect("valid YAML");
        let b = &docs[0].as_ref().unwrap().get("b").unwrap().value;
        assert_eq!(b.as_sequence().map(<[Node]>::len), Some(2));
    }

    /// `a: &a [x × 9]`, then each level an anchored list of nine aliases of the level before.
    fn billion_laughs(levels: usize) -> String {
        let names: Vec<char> = ('a'..='z').take(levels).collect();
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for pair in names.windows(2) {
            let aliases = vec![format!("*{}", pair[0]); 9].join(", ");
            text.push_str(&format!("{0}: &{0} [{aliases}]\n", pair[1]));
        }
        text
    }

    #[test]
    fn a_billion_laughs_is_refused_at_the_alias_that_crosses_go_yamls_limit() {
        // Three levels copy 900 nodes for 100 of text: under go-yaml's 1000-decode floor.
        assert!(parse_documents(&billion_laughs(3)).is_ok());
        for levels in [4, 6, 9, 26] {
            let error = parse_documents(&billion_laughs(levels)).expect_err("too many aliases");
            assert!(
                error.message.contains("excessive aliasing"),
                "{}",
                error.message
            );
            // Line 4 (`d: &d [*c, …]`): its copies of `c` take the share past 99 %.
            assert_eq!(error.span.start.line, 4, "{levels} levels");
        }
    }

    #[test]
    fn many_aliases_of_one_small_node_are_fine() {
        let mut text = String::from(
            "env: &env\n  - name: A\n    value: a\n  - name: B\n    value: b\ncontainers:\n",
        );
        for i in 0..50 {
            text.push_str(&format!("  - name: c{i}\n    env: *env\n"));
        }
        let docs = parse_documents(&text).expect("50 copies of a 5-node list");
        let containers = &docs[0].as_ref().unwrap().get("containers").unwrap().value;
        let last = &containers.as_sequence().unwrap()[49];
        assert_eq!(
            last.get("env")
                .unwrap()
                .value
                .as_sequence()
                .map(<[Node]>::len),
            Some(2)
        );
    }

    /// Sixty copies of a list of 2 000 values: 98 % aliases, which go-yaml reads, but past 20 000
    /// nodes, which podlife does not: refused at the alias that passes it, in podlife's own words.
    #[test]
    fn a_document_past_podlifes_limit_of_nodes_is_refused_at_its_alias() {
        let values = vec!["x"; 2_000].join(", ");
        let mut text = format!(
            "a: &a [{values}]
b:
"
        );
        for _ in 0..60 {
            text.push_str(
                "  - *a
",
            );
        }
        let error = parse_documents(&text).expect_err("past the limit");
        assert!(
            error.message.contains("podlife's own limit"),
            "{}",
            error.message
        );
        // Line 2 + 9: the ninth copy takes the document past 20 000 nodes.
        assert_eq!(error.span.start.line, 11);
    }

    #[test]
    fn deep_nesting_is_refused_where_it_passes_the_limit() {
        let flow = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let block = format!("a:\n{}x\n", "- ".repeat(10_000));
        let flow_error = parse_documents(&flow).expect_err("too deep");
        let block_error = parse_documents(&block).expect_err("too deep");
        for error in [&flow_error, &block_error] {
            assert!(
                error.message.contains("nested more than"),
                "{}",
                error.message
            );
        }
        // The block sequence that opens at depth 129 (the mapping is the first level).
        assert_eq!(block_error.span.start, at(2, 2 * MAX_DEPTH as u32 - 1));
        // saphyr's scanner refuses the 256th `[` (column 4 + 255), before the tree gets that deep.
        assert_eq!(flow_error.span.start, at(1, 4 + 255));
        let just_deep_enough = format!("{}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_documents(&just_deep_enough).is_ok());
    }

    #[test]
    fn a_flow_list_may_close_left_of_its_key_as_in_go_yaml() {
        let text = "spec:\n  command: [\n    \"sh\", \"-c\",\n\"sleep 1\"\n  ]\nafter: 1\n";
        let docs = parse_documents(text).expect("go-yaml ignores indentation inside [ ]");
        let root = docs[0].as_ref().unwrap();
        let command = &root
            .get("spec")
            .unwrap()
            .value
            .get("command")
            .unwrap()
            .value;
        let items: Vec<&str> = command
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(items, ["sh", "-c", "sleep 1"]);
        // Positions are those of the text as written, not of the edited one.
        assert_eq!(
            command.span,
            Span {
                start: at(2, 12),
                end: at(5, 4)
            }
        );
        assert_eq!(
            command.as_sequence().unwrap()[2].span,
            Span {
                start: at(4, 1),
                end: at(4, 10)
            }
        );
        assert_eq!(root.get("after").unwrap().key.span.start, at(6, 1));
    }

    #[test]
    fn a_quoted_value_may_go_on_left_of_its_key_as_in_go_yaml() {
        let docs =
            parse_documents("a:\n  b: \"one\ntwo\"\n").expect("no indentation inside quotes");
        let b = &docs[0]
            .as_ref()
            .unwrap()
            .get("a")
            .unwrap()
            .value
            .get("b")
            .unwrap()
            .value;
        assert_eq!(b.as_str(), Some("one two"));
    }

    #[test]
    fn an_escaped_single_quote_is_a_quote_as_in_go_yaml_v2() {
        let text = "a: [\"it\\'s\", x]\nb: \"\\'\"\n";
        let docs = parse_documents(text).expect("go-yaml v2 has \\' in its escape table");
        let root = docs[0].as_ref().unwrap();
        let a = root.get("a").unwrap().value.as_sequence().unwrap();
        assert_eq!(a[0].as_str(), Some("it's"));
        assert_eq!(
            a[1].span.start,
            at(1, 14),
            "after the escape, columns are the text's"
        );
        assert_eq!(root.get("b").unwrap().value.as_str(), Some("'"));
    }

    #[test]
    fn a_slash_escape_is_refused_as_go_yaml_v2_does() {
        let error =
            parse_documents("a: x\nb: \"https:\\/\\/example\"\n").expect_err("no \\/ in v2");
        assert_eq!(error.span.start, at(2, 11));
        assert!(
            error.message.contains("unknown escape"),
            "{}",
            error.message
        );
    }

    #[test]
    fn after_a_leniency_a_later_real_error_is_the_one_reported() {
        let text = "a:\n  command: [\n\"x\"]\n  image:nginx\n  b: c\n";
        let error = parse_documents(text).expect_err("missing space after the colon");
        assert_eq!(error.span.start.line, 4, "{}", error.message);
    }

    #[test]
    fn an_edit_that_saphyr_reads_outside_its_construct_is_not_kept() {
        // The reading of the text takes `'` after a space for a quote, but saphyr reads a plain scalar
        // `echo 'a` (a quote inside plain text), so the under-indented line stays an error.
        let text = "a:\n  b: echo 'a\nc'\n  d: [\n]\n";
        assert!(parse_documents(text).is_err());
    }
}
