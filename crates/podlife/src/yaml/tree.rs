//! Builds the positioned tree from saphyr-parser's events, one tree per YAML document.

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle};

use super::node::{Entry, Node, NodeKind, Scalar, ScalarStyle};
use super::syntax_error;
use crate::diagnostic::{Diagnostic, Position, Span};

/// Every document of the text (empty documents included, as `None`), or the first syntax error.
pub fn parse_documents(text: &str) -> Result<Vec<Option<Node>>, Diagnostic> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => builder.push(event, to_span(span)),
            Err(error) => return Err(syntax_error::diagnose(text, &error)),
        }
    }
    Ok(builder.documents)
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

/// A collection being filled: its start, anchor, and children so far.
enum Open {
    Sequence {
        start: Position,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: Position,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: crate::sorted_map::SortedMap<usize, Node>,
    documents: Vec<Option<Node>>,
    current: Option<Node>,
    in_document: bool,
}

impl Builder {
    fn push(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::DocumentStart(_) => {
                self.in_document = true;
                self.current = None;
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
                let scalar = Scalar {
                    text: text.into_owned(),
                    style: convert_style(style),
                    tag: tag.map(|t| t.suffix.clone()),
                };
                self.complete(
                    Node {
                        kind: NodeKind::Scalar(scalar),
                        span,
                    },
                    anchor,
                );
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or_else(|| Node {
                    kind: NodeKind::Scalar(Scalar {
                        text: String::new(),
                        style: ScalarStyle::Plain,
                        tag: None,
                    }),
                    span,
                });
                self.complete(Node { span, ..node }, 0);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Sequence {
                start: span.start,
                anchor,
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Mapping {
                start: span.start,
                anchor,
                entries: Vec::new(),
                pending_key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (node, anchor) = close(open, span);
                    self.complete(node, anchor);
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }

    /// A node is finished: remember its anchor and hand it to its parent (or the document).
    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
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

/// Closes a collection. A flow collection ends at its closing bracket; a block one at its last child.
fn close(open: Open, end_event: Span) -> (Node, usize) {
    match open {
        Open::Sequence {
            start,
            anchor,
            items,
        } => {
            let end = collection_end(start, end_event, items.last().map(|n| n.span.end));
            (
                Node {
                    kind: NodeKind::Sequence(items),
                    span: Span { start, end },
                },
                anchor,
            )
        }
        Open::Mapping {
            start,
            anchor,
            entries,
            ..
        } => {
            let end = collection_end(start, end_event, entries.last().map(|e| e.value.span.end));
            (
                Node {
                    kind: NodeKind::Mapping(entries),
                    span: Span { start, end },
                },
                anchor,
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
}
