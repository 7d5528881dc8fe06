//! Parses the plain text that came out of a PDF (or its Markdown rendering) into a [`Document`].
//!
//! The parser works by rules that fit any communiqué or press release of the same shape:
//! a header (title, date and place, or date, issuers and title), numbered sections (`I.`, `Ⅶ.`)
//! or Markdown headings, numbered paragraphs (`23.`, `- 3 …`), list items, notes (`(注1)`),
//! annexes (`附属文書Ⅰ：`, `(別添)`) and colon-introduced blocks of short lines (a contact block).
//!
//! Repairs, all by rule:
//! - a line after a blank line (a page break) that starts nothing new and follows a block that
//!   ended mid-sentence continues that block; Japanese joins without a space;
//! - an item whose indentation a page break lost is put back into the nested list it continues,
//!   when that list completes a sentence its parent opened with a colon and the item has no
//!   topic of its own;
//! - spaced-out acronyms (`G I F C T`) are closed up.

use super::repair::{
    close_up_acronyms, ends_sentence, ends_with_colon, find_date, has_topic, join_continuation,
    leading_number, roman_to_latin,
};
use std::collections::HashMap;
use std::hash::BuildHasher;

use super::{Date, Document, Names, Node, NodeKind, Repair};

/// Words that open an annex heading in Japanese government documents. An annex with a number
/// after the word is labelled by the number (`附属文書Ⅰ` → `I`), one without by the word
/// (`別添`); cross-references and goto read annex names by the same list.
pub const ANNEX_WORDS: [&str; 6] = ["附属文書", "付属文書", "附属書", "付属書", "別添", "別紙"];

/// Words that mark a block of contact details.
const CONTACT_WORDS: [&str; 3] = ["問い合わせ", "問合せ", "連絡先"];

/// A header has at most this many lines; a longer run of text before the first structure is a
/// title followed by paragraphs.
const MAX_HEADER_LINES: usize = 8;

/// One classified source line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    Heading {
        level: usize,
        annex: bool,
        prefix: String,
        label: Option<String>,
        marker: String,
        title: &'a str,
    },
    Numbered {
        n: u32,
        prefix: &'a str,
        text: &'a str,
    },
    Item {
        indent: usize,
        number: Option<u32>,
        prefix: &'a str,
        text: &'a str,
    },
    Note {
        label: Option<String>,
        prefix: &'a str,
        text: &'a str,
    },
    Text {
        text: &'a str,
        hard_break: bool,
    },
}

fn strip_space(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\u{3000}'])
}

/// `Ⅶ. 児童の…` / `VII. …`: a Roman numeral, a full stop, a short title.
fn section_heading(line: &str) -> Option<Line<'_>> {
    let numeral_end = line
        .char_indices()
        .find(|&(_, c)| !super::repair::is_numeral_char(c))
        .map_or(line.len(), |(i, _)| i);
    let numeral = &line[..numeral_end];
    let latin = roman_to_latin(numeral)?;
    let rest = line[numeral_end..].strip_prefix(['.', '．'])?;
    let title = strip_space(rest);
    if title.is_empty() || title.chars().count() > 60 || ends_sentence(title) {
        return None;
    }
    Some(Line::Heading {
        level: 1,
        annex: false,
        prefix: line[..line.len() - title.len()].trim_end().to_string(),
        marker: format!("{latin}."),
        label: Some(latin),
        title,
    })
}

/// `附属文書Ⅰ：…` or `別添 …`.
fn annex_heading(line: &str) -> Option<Line<'_>> {
    let word = ANNEX_WORDS.iter().find(|w| line.starts_with(**w))?;
    let after = &line[word.len()..];
    let numeral_end = after
        .char_indices()
        .find(|&(_, c)| !(super::repair::is_numeral_char(c) || c.is_ascii_digit()))
        .map_or(after.len(), |(i, _)| i);
    let numeral = &after[..numeral_end];
    let label = if numeral.is_empty() {
        None
    } else {
        Some(roman_to_latin(numeral).unwrap_or_else(|| numeral.to_string()))
    };
    let rest = &after[numeral_end..];
    let sep = rest.starts_with(['：', ':', ' ', '\u{3000}']);
    if !sep && !rest.is_empty() {
        return None;
    }
    let title = strip_space(rest.trim_start_matches(['：', ':']));
    let prefix = line[..line.len() - title.len()].trim_end().to_string();
    let marker = format!("{word}{}：", label.as_deref().unwrap_or(""));
    Some(Line::Heading {
        level: 1,
        annex: true,
        prefix,
        label: label.or_else(|| Some((*word).to_string())),
        marker,
        title,
    })
}

/// `## (別添) 成果文書等の概要`, `### 1 カウンター…`.
fn markdown_heading(line: &str) -> Option<Line<'_>> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &line[level..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let body = strip_space(rest);
    // `(別添) …`: an annex heading in Markdown dress.
    for word in ANNEX_WORDS {
        for (open, close) in [("(", ")"), ("（", "）"), ("【", "】"), ("", "")] {
            let pat = format!("{open}{word}{close}");
            if let Some(after) = body.strip_prefix(pat.as_str())
                && (!close.is_empty() || after.starts_with([' ', '\u{3000}']))
            {
                let title = strip_space(after);
                return Some(Line::Heading {
                    level,
                    annex: true,
                    prefix: line[..line.len() - title.len()].trim_end().to_string(),
                    label: Some(word.to_string()),
                    marker: pat.clone(),
                    title,
                });
            }
        }
    }
    // `1 タイトル` / `1. タイトル`: a numbered heading.
    if let Some((n, used)) = leading_number(body) {
        let after = &body[used..];
        let after = after.strip_prefix(['.', '．']).unwrap_or(after);
        if after.starts_with([' ', '\u{3000}']) {
            let title = strip_space(after);
            return Some(Line::Heading {
                level,
                annex: false,
                prefix: line[..line.len() - title.len()].trim_end().to_string(),
                label: Some(n.to_string()),
                marker: n.to_string(),
                title,
            });
        }
    }
    Some(Line::Heading {
        level,
        annex: false,
        prefix: line[..level].to_string(),
        label: None,
        marker: String::new(),
        title: body,
    })
}

/// The largest paragraph number read as one: six digits, so that a long document's numbering
/// (a thousand copies of the communiqué run to 37,000) is never folded into one paragraph.
const MAX_PARAGRAPH: u32 = 999_999;

/// `23. 我々は…`
fn numbered_paragraph(line: &str) -> Option<Line<'_>> {
    let (n, used) = leading_number(line)?;
    let rest = line[used..].strip_prefix(['.', '．'])?;
    if rest.starts_with(|c: char| c.is_ascii_digit()) || n == 0 || n > MAX_PARAGRAPH {
        return None;
    }
    let text = strip_space(rest);
    if text.is_empty() {
        return None;
    }
    Some(Line::Numbered {
        n,
        prefix: line[..line.len() - text.len()].trim_end(),
        text,
    })
}

/// `- text`, `  - text`, `- 3 text`, `・text`.
fn list_item(raw: &str) -> Option<Line<'_>> {
    let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let line = &raw[indent..];
    let bullet = line.chars().next()?;
    let after = &line[bullet.len_utf8()..];
    let ok = match bullet {
        '-' | '*' | '+' | '•' | '●' | '○' | '◯' => {
            after.starts_with([' ', '\t', '\u{3000}'])
        }
        '・' => !after.is_empty(),
        _ => false,
    };
    if !ok {
        return None;
    }
    let body = strip_space(after);
    if body.is_empty() {
        return None;
    }
    let (number, text) = match leading_number(body) {
        Some((n, used)) if body[used..].starts_with([' ', '\u{3000}']) => {
            (Some(n), strip_space(&body[used..]))
        }
        _ => (None, body),
    };
    Some(Line::Item {
        indent,
        number,
        prefix: line[..line.len() - text.len()].trim_end(),
        text,
    })
}

/// `(注1) …`, `（注２）…`, `※ …`.
fn note(line: &str) -> Option<Line<'_>> {
    for (open, close) in [("(", ")"), ("（", "）")] {
        if let Some(after) = line.strip_prefix(open)
            && let Some(after) = after.strip_prefix('注')
            && let Some(end) = after.find(close)
        {
            let num = &after[..end];
            if num.chars().all(|c| !c.is_whitespace()) && num.chars().count() <= 4 {
                let label = match leading_number(num) {
                    Some((n, used)) if used == num.len() => format!("注{n}"),
                    _ => format!("注{num}"),
                };
                let text = strip_space(&after[end + close.len()..]);
                return Some(Line::Note {
                    label: Some(label),
                    prefix: line[..line.len() - text.len()].trim_end(),
                    text,
                });
            }
        }
    }
    if let Some(after) = line.strip_prefix('※') {
        let text = strip_space(after);
        return Some(Line::Note {
            label: Some("※".to_string()),
            prefix: line[..line.len() - text.len()].trim_end(),
            text,
        });
    }
    None
}

fn classify(raw: &str) -> Line<'_> {
    let hard_break = raw.ends_with("  ");
    let raw = raw.trim_end_matches([' ', '\t', '\r', '\u{3000}']);
    let line = strip_space(raw);
    if line.is_empty() {
        return Line::Blank;
    }
    markdown_heading(line)
        .or_else(|| list_item(raw))
        .or_else(|| note(line))
        .or_else(|| annex_heading(line))
        .or_else(|| section_heading(line))
        .or_else(|| numbered_paragraph(line))
        .unwrap_or(Line::Text {
            text: line,
            hard_break,
        })
}

/// How a node takes further text lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Text after a page break continues the sentence.
    Prose,
    /// Each further line is a line of its own (a colon-introduced block).
    Lines,
}

/// A node for [`Builder::push`]: what the parser has found out about it.
#[derive(Debug)]
struct NewNode<'a> {
    parent: Option<usize>,
    kind: NodeKind,
    id: String,
    label: Option<String>,
    marker: String,
    source_prefix: String,
    text: &'a str,
}

impl<'a> NewNode<'a> {
    /// A node without a label, a marker or a source prefix.
    fn plain(parent: Option<usize>, kind: NodeKind, id: String, text: &'a str) -> Self {
        NewNode {
            parent,
            kind,
            id,
            label: None,
            marker: String::new(),
            source_prefix: String::new(),
            text,
        }
    }
}

/// The ids given so far, as the nodes that hold them: a table of node indices hashed by
/// their ids, so that no id is kept twice (a copy of every id in a set was 47,000 small
/// allocations at 1000x, made during the parse and freed after it).
#[derive(Debug, Default)]
struct Ids {
    table: hashbrown::HashTable<usize>,
    hasher: std::collections::hash_map::RandomState,
}

impl Ids {
    fn contains(&self, nodes: &[Node], id: &str) -> bool {
        let found = |&i: &usize| nodes.get(i).is_some_and(|n| n.id == id);
        self.table.find(self.hasher.hash_one(id), found).is_some()
    }

    /// Records the id of node `idx` (one not given before).
    fn insert(&mut self, nodes: &[Node], idx: usize) {
        let Some(node) = nodes.get(idx) else {
            return;
        };
        let hasher = &self.hasher;
        let rehash = |&i: &usize| nodes.get(i).map_or(0, |n| hasher.hash_one(n.id.as_str()));
        self.table
            .insert_unique(hasher.hash_one(node.id.as_str()), idx, rehash);
    }

    /// Forgets the id of node `idx` (before it changes).
    fn remove(&mut self, nodes: &[Node], idx: usize) {
        let Some(node) = nodes.get(idx) else {
            return;
        };
        let hash = self.hasher.hash_one(node.id.as_str());
        if let Ok(entry) = self.table.find_entry(hash, |&i| i == idx) {
            entry.remove();
        }
    }
}

#[derive(Debug)]
struct Builder {
    doc_id: String,
    nodes: Vec<Node>,
    roots: Vec<usize>,
    headings: Vec<(usize, usize)>,
    /// Open list items: (raw indentation, node).
    items: Vec<(usize, usize)>,
    current: Option<(usize, Mode)>,
    last_hard_break: bool,
    /// A page break lost indentation: items at this raw indentation stand at that one.
    indent_fix: Option<(usize, usize)>,
    /// Every id given so far.
    ids: Ids,
    /// For an id that was taken, the next suffix to try (`-2`, `-3`, …): ids are never given
    /// back, so every smaller suffix is still taken, and a document that repeats one heading
    /// a thousand times costs a thousand steps, not half a million.
    suffixes: HashMap<String, usize>,
    /// How many positional ids each parent (`None`: the document) has given.
    positional: HashMap<Option<usize>, usize>,
}

impl Builder {
    fn new(doc_id: &str) -> Self {
        Self {
            doc_id: doc_id.to_string(),
            nodes: Vec::new(),
            roots: Vec::new(),
            headings: Vec::new(),
            items: Vec::new(),
            current: None,
            last_hard_break: false,
            indent_fix: None,
            ids: Ids::default(),
            suffixes: HashMap::new(),
            positional: HashMap::new(),
        }
    }

    fn id_taken(&self, id: &str) -> bool {
        self.ids.contains(&self.nodes, id)
    }

    fn unique(&mut self, id: String) -> String {
        if !self.id_taken(&id) {
            return id;
        }
        let next = self.suffixes.entry(id.clone()).or_insert(2);
        loop {
            let candidate = format!("{id}-{next}");
            *next += 1;
            if !self.ids.contains(&self.nodes, &candidate) {
                return candidate;
            }
        }
    }

    /// An id by position among the parent's unlabelled children (and items).
    fn positional_id(&mut self, parent: Option<usize>) -> String {
        let count = self.positional.entry(parent).or_insert(0);
        *count += 1;
        let k = *count;
        match parent {
            Some(p) => self.unique(format!("{}.{k}", self.nodes[p].id)),
            None => self.unique(format!("{}:p{k}", self.doc_id)),
        }
    }

    /// Adds a node below `parent` (a root when `None`) and returns its index.
    fn push(&mut self, n: NewNode<'_>) -> usize {
        let idx = self.nodes.len();
        let depth = n.parent.map_or(0, |p| self.nodes[p].depth + 1);
        let names = Names {
            marker: &n.marker,
            source_prefix: &n.source_prefix,
            label: n.label.as_deref(),
        };
        self.nodes.push(Node::new(
            n.id,
            n.kind,
            names,
            n.text.to_string(),
            n.parent,
            depth,
        ));
        self.ids.insert(&self.nodes, idx);
        match n.parent {
            Some(p) => self.nodes[p].children.push(idx),
            None => self.roots.push(idx),
        }
        idx
    }

    fn heading_parent(&self) -> Option<usize> {
        self.headings.last().map(|&(_, i)| i)
    }

    fn close_items(&mut self) {
        self.items.clear();
        self.indent_fix = None;
    }

    fn heading(
        &mut self,
        level: usize,
        annex: bool,
        prefix: String,
        label: Option<String>,
        marker: String,
        title: &str,
    ) {
        self.close_items();
        while self.headings.last().is_some_and(|&(l, _)| l >= level) {
            self.headings.pop();
        }
        let parent = self.heading_parent();
        let id = match (&label, annex, parent) {
            (Some(l), true, _) if l.chars().all(|c| c.is_ascii_alphanumeric()) => {
                format!("{}:annex-{l}", self.doc_id)
            }
            (_, true, _) => format!("{}:annex", self.doc_id),
            (Some(l), false, None) => format!("{}:{l}", self.doc_id),
            (Some(l), false, Some(p)) => format!("{}-{l}", self.nodes[p].id),
            (None, false, _) => self.positional_id(parent),
        };
        let id = self.unique(id);
        let kind = if annex {
            NodeKind::Annex
        } else {
            NodeKind::Section
        };
        let idx = self.push(NewNode {
            label,
            marker,
            source_prefix: prefix,
            ..NewNode::plain(parent, kind, id, title)
        });
        self.headings.push((level, idx));
        self.current = None;
    }

    fn numbered(
        &mut self,
        parent: Option<usize>,
        n: u32,
        prefix: &str,
        marker: String,
        text: &str,
    ) -> usize {
        let wanted = format!("{}:{n}", self.doc_id);
        let id = if self.id_taken(&wanted) {
            let scope = parent.map_or_else(|| self.doc_id.clone(), |p| self.nodes[p].id.clone());
            self.unique(format!("{scope}.{n}"))
        } else {
            wanted
        };
        let idx = self.push(NewNode {
            label: Some(n.to_string()),
            marker,
            source_prefix: prefix.to_string(),
            ..NewNode::plain(parent, NodeKind::Paragraph, id, text)
        });
        self.current = Some((idx, Mode::Prose));
        idx
    }

    fn item(
        &mut self,
        raw_indent: usize,
        number: Option<u32>,
        prefix: &str,
        text: &str,
        after_blank: bool,
    ) {
        let mut indent = raw_indent;
        let mut restored = false;
        if let Some((from, to)) = self.indent_fix {
            if from == raw_indent && !has_topic(text) {
                indent = to;
                restored = true;
            } else {
                self.indent_fix = None;
            }
        } else if after_blank
            && self.items.len() > 1
            && let Some(&(prev_indent, _)) = self.items.last()
            && raw_indent < prev_indent
            && !has_topic(text)
        {
            // The list the page break interrupted completes its parent's sentence.
            let parent_of_prev = self.items[self.items.len() - 2].1;
            if ends_with_colon(&self.nodes[parent_of_prev].text) {
                self.indent_fix = Some((raw_indent, prev_indent));
                indent = prev_indent;
                restored = true;
            }
        }
        while self.items.last().is_some_and(|&(i, _)| i >= indent) {
            self.items.pop();
        }
        let parent = self
            .items
            .last()
            .map(|&(_, i)| i)
            .or_else(|| self.heading_parent());
        let top_level = self.items.is_empty();
        let idx = match number {
            Some(n) if top_level => self.numbered(parent, n, prefix, n.to_string(), text),
            _ => {
                let id = self.positional_id(parent);
                let label = number.map(|n| n.to_string());
                let marker = number.map_or_else(|| "・".to_string(), |n| n.to_string());
                self.push(NewNode {
                    label,
                    marker,
                    source_prefix: prefix.to_string(),
                    ..NewNode::plain(parent, NodeKind::Item, id, text)
                })
            }
        };
        if restored {
            self.nodes[idx].repaired(Repair::RestoredNesting);
        }
        self.items.push((indent, idx));
        self.current = Some((idx, Mode::Prose));
    }

    fn note(&mut self, label: Option<String>, prefix: &str, text: &str) {
        self.close_items();
        let parent = self.heading_parent();
        let id = match &label {
            Some(l) => {
                let n: String = l.chars().filter(char::is_ascii_alphanumeric).collect();
                if n.is_empty() {
                    self.positional_id(parent)
                } else {
                    self.unique(format!("{}:note-{n}", self.doc_id))
                }
            }
            None => self.positional_id(parent),
        };
        let idx = self.push(NewNode {
            label,
            marker: prefix.to_string(),
            source_prefix: prefix.to_string(),
            ..NewNode::plain(parent, NodeKind::Note, id, text)
        });
        self.current = Some((idx, Mode::Prose));
    }

    fn paragraph(&mut self, text: &str) {
        self.close_items();
        let parent = self.heading_parent();
        let id = self.positional_id(parent);
        let idx = self.push(NewNode::plain(parent, NodeKind::Paragraph, id, text));
        self.current = Some((idx, Mode::Prose));
    }

    fn text(&mut self, text: &str, hard_break: bool, after_blank: bool) {
        let Some((cur, mode)) = self.current else {
            self.paragraph(text);
            self.last_hard_break = hard_break;
            return;
        };
        let cur_text = &self.nodes[cur].text;
        let plain =
            self.nodes[cur].kind == NodeKind::Paragraph && self.nodes[cur].label().is_none();
        let parenthesised = (text.starts_with('(') && text.ends_with(')'))
            || (text.starts_with('（') && text.ends_with('）'));
        if mode == Mode::Lines {
            self.nodes[cur].text.push('\n');
            self.nodes[cur].text.push_str(text);
        } else if !after_blank {
            if parenthesised {
                // A remark in parentheses on a line of its own (a count line): a note.
                let parent = self.nodes[cur].parent;
                let id = self.positional_id(parent);
                let idx = self.push(NewNode::plain(parent, NodeKind::Note, id, text));
                self.current = Some((idx, Mode::Prose));
            } else if self.last_hard_break {
                self.nodes[cur].text.push('\n');
                self.nodes[cur].text.push_str(text);
            } else {
                join_continuation(&mut self.nodes[cur].text, text);
            }
        } else if !ends_sentence(cur_text) && !ends_with_colon(cur_text) {
            join_continuation(&mut self.nodes[cur].text, text);
            self.nodes[cur].repaired(Repair::JoinedPageBreak);
        } else if plain && ends_with_colon(cur_text) {
            let node = &mut self.nodes[cur];
            node.kind = NodeKind::Block;
            node.text.push('\n');
            node.text.push_str(text);
            if CONTACT_WORDS.iter().any(|w| node.text.contains(w)) {
                let wanted = format!("{}:contact", self.doc_id);
                if !self.id_taken(&wanted) {
                    self.ids.remove(&self.nodes, cur);
                    self.nodes[cur].id = wanted;
                    self.ids.insert(&self.nodes, cur);
                }
            }
            self.current = Some((cur, Mode::Lines));
        } else {
            self.paragraph(text);
        }
        self.last_hard_break = hard_break;
    }
}

/// The header: title, date (with place) and issuers, from the text lines before the body.
fn header(b: &mut Builder, lines: &[&str]) -> (String, Option<Date>, Option<String>, Vec<String>) {
    let dates: Vec<Option<(Date, std::ops::Range<usize>)>> =
        lines.iter().map(|l| find_date(l)).collect();
    let date_at = dates.iter().position(Option::is_some);
    let others: Vec<usize> = (0..lines.len()).filter(|&i| Some(i) != date_at).collect();
    let title_at = match date_at {
        Some(0) => others.last().copied(),
        _ => others.first().copied(),
    };
    let mut title = String::new();
    let mut date = None;
    let mut place = None;
    let mut issuers = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if Some(i) == date_at {
            if let Some(Some((d, range))) = dates.get(i) {
                date = Some(*d);
                let after = strip_space(&line[range.end..]);
                let after = after
                    .strip_prefix('於')
                    .map_or(after, |a| strip_space(a.trim_start_matches(['：', ':'])));
                if !after.is_empty() {
                    place = Some(after.to_string());
                }
            }
            let id = format!("{}:date", b.doc_id);
            b.push(NewNode::plain(None, NodeKind::Dateline, id, line));
        } else if Some(i) == title_at {
            title = (*line).to_string();
            let id = format!("{}:title", b.doc_id);
            b.push(NewNode::plain(None, NodeKind::Title, id, line));
        } else {
            issuers.push((*line).to_string());
            let id = format!("{}:issuer-{}", b.doc_id, issuers.len());
            b.push(NewNode::plain(None, NodeKind::Issuer, id, line));
        }
    }
    (title, date, place, issuers)
}

/// Parses one document's text. `id` becomes the prefix of every node id.
#[must_use]
pub fn parse_document(id: &str, source_name: &str, text: &str) -> Document {
    let mut doc = Document::empty(id, source_name);
    let mut parser = Parser::new(id);
    parser.parse(text, true, &mut doc);
    parser.finish(&mut doc);
    doc
}

impl Document {
    /// A document with nothing in it yet, for a [`Parser`] to fill.
    #[must_use]
    pub fn empty(id: &str, source_name: &str) -> Self {
        Document {
            id: id.to_string(),
            source_name: source_name.to_string(),
            title: String::new(),
            date: None,
            place: None,
            issuers: Vec::new(),
            nodes: Vec::new(),
            roots: Vec::new(),
            encoding: super::Encoding::Utf8,
        }
    }
}

/// A parse that can stop and go on: [`parse`](Self::parse) reads a window of the text (whole
/// lines) into a [`Document`] and returns, so that a large file's first screen can be shown
/// (and keys answered) before the rest is read. [`parse_document`] is this parser given the
/// whole text as one window: there is one parser, and a document parsed in slices is the
/// document parsed at once (a property test in `tests/corpus.rs` checks it).
///
/// Between calls the document holds every node read so far. All but the last are final (text,
/// id, repairs, place in the tree; a parent may still gain children); the last may still take
/// text. Every call must be given the same document.
#[derive(Debug)]
pub struct Parser {
    builder: Builder,
    /// Bytes of text read so far.
    pos: usize,
    /// How many text lines the header took, once read.
    header_lines: Option<usize>,
    /// Header lines skipped so far in the body.
    skipped_header: usize,
    after_blank: bool,
    /// Nodes before this one have had their acronyms closed up (the one repair that waits
    /// until a node can take no more text).
    closed: usize,
}

/// The lines of `text` (split as `str::lines` splits them: at `\n`, a `\r` before it
/// dropped).
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n').map(|piece| {
        piece
            .strip_suffix('\n')
            .map_or(piece, |l| l.strip_suffix('\r').unwrap_or(l))
    })
}

impl Parser {
    /// A parser for the document `id` (the prefix of every node id).
    #[must_use]
    pub fn new(id: &str) -> Self {
        Parser {
            builder: Builder::new(id),
            pos: 0,
            header_lines: None,
            skipped_header: 0,
            after_blank: false,
            closed: 0,
        }
    }

    /// How many bytes of text have been read.
    #[must_use]
    pub fn bytes_read(&self) -> usize {
        self.pos
    }

    /// Reads `window` into `doc`: the text from where the last call stopped, up to and
    /// including a line's `\n`, or to the end of the text (`last`). Returns false, having
    /// read nothing, when the window is too short for the header to be told from the body
    /// (the first call only): call again with a longer one.
    pub fn parse(&mut self, window: &str, last: bool, doc: &mut Document) -> bool {
        // The builder works on the document's own nodes: nothing is copied.
        std::mem::swap(&mut self.builder.nodes, &mut doc.nodes);
        std::mem::swap(&mut self.builder.roots, &mut doc.roots);
        let ready = self.header_lines.is_some() || self.read_header(window, last, doc);
        if ready {
            self.read_lines(window);
            self.pos += window.len();
            // Every node but the last can take no more text: close up its acronyms now, so
            // that what is shown before the parse ends is what it shows after.
            let until = self.builder.nodes.len().saturating_sub(usize::from(!last));
            self.close_up(until);
        }
        std::mem::swap(&mut self.builder.nodes, &mut doc.nodes);
        std::mem::swap(&mut self.builder.roots, &mut doc.roots);
        ready
    }

    /// After the last window: `doc` is the whole document.
    pub fn finish(mut self, doc: &mut Document) {
        let all = doc.nodes.len();
        std::mem::swap(&mut self.builder.nodes, &mut doc.nodes);
        self.close_up(all);
        std::mem::swap(&mut self.builder.nodes, &mut doc.nodes);
        doc.nodes.shrink_to_fit();
    }

    fn read_lines(&mut self, window: &str) {
        let header_lines = self.header_lines.unwrap_or(0);
        let b = &mut self.builder;
        for raw in lines_of(window) {
            let line = classify(raw);
            if self.skipped_header < header_lines {
                if let Line::Text { .. } = line {
                    self.skipped_header += 1;
                }
                self.after_blank = true;
                continue;
            }
            let after_blank = self.after_blank;
            match line {
                Line::Blank => {
                    self.after_blank = true;
                    continue;
                }
                Line::Heading {
                    level,
                    annex,
                    prefix,
                    label,
                    marker,
                    title,
                } => b.heading(level, annex, prefix, label, marker, title),
                Line::Numbered { n, prefix, text } => {
                    b.close_items();
                    let parent = b.heading_parent();
                    b.numbered(parent, n, prefix, format!("{n}."), text);
                }
                Line::Item {
                    indent,
                    number,
                    prefix,
                    text,
                } => b.item(indent, number, prefix, text, after_blank),
                Line::Note {
                    label,
                    prefix,
                    text,
                } => b.note(label, prefix, text),
                Line::Text { text, hard_break } => {
                    b.text(text, hard_break, after_blank);
                    self.after_blank = false;
                    continue;
                }
            }
            b.last_hard_break = false;
            self.after_blank = false;
        }
    }

    fn close_up(&mut self, until: usize) {
        let nodes = &mut self.builder.nodes;
        for node in nodes.get_mut(self.closed..until).unwrap_or_default() {
            let (fixed, changed) = close_up_acronyms(&node.text);
            if changed {
                node.text = fixed;
                node.repaired(Repair::ClosedUpAcronym);
            }
            // Text joined across page breaks grew by doubling; it grows no more.
            node.text.shrink_to_fit();
        }
        self.closed = self.closed.max(until);
    }

    /// The header: the text lines before the first structural line, when they are few and
    /// short. More than [`MAX_HEADER_LINES`] of them are a title and paragraphs, so reading
    /// stops there: a file without structure costs no more here than a short one. False when
    /// the window ends before either is seen (and is not the end of the text).
    fn read_header(&mut self, window: &str, last: bool, doc: &mut Document) -> bool {
        let mut candidates: Vec<&str> = Vec::new();
        let mut decided = last;
        for raw in lines_of(window) {
            match classify(raw) {
                Line::Text { text, .. } => candidates.push(text),
                Line::Blank => {}
                _ => {
                    decided = true;
                    break;
                }
            }
            if candidates.len() > MAX_HEADER_LINES {
                decided = true;
                break;
            }
        }
        if !decided {
            return false;
        }
        let short = |t: &&str| t.chars().count() <= 80 && !t.ends_with('。');
        let lines = if candidates.len() <= MAX_HEADER_LINES && candidates.iter().all(short) {
            candidates.len()
        } else {
            usize::from(!candidates.is_empty())
        };
        let (title, date, place, issuers) = header(&mut self.builder, &candidates[..lines]);
        doc.title = close_up_acronyms(&title).0;
        doc.date = date;
        doc.place = place.map(|p| close_up_acronyms(&p).0);
        doc.issuers = issuers;
        self.header_lines = Some(lines);
        true
    }
}

#[cfg(test)]
mod ids_tests {
    use super::*;

    #[test]
    fn ids_are_the_nodes_own() {
        let node = |id: &str| {
            Node::new(
                id.into(),
                NodeKind::Paragraph,
                Names::default(),
                String::new(),
                None,
                0,
            )
        };
        let mut nodes = vec![node("a:1"), node("a:2")];
        let mut ids = Ids::default();
        ids.insert(&nodes, 0);
        ids.insert(&nodes, 1);
        assert!(ids.contains(&nodes, "a:1") && ids.contains(&nodes, "a:2"));
        assert!(!ids.contains(&nodes, "a:3"));
        // A node renamed (the contact block): its old id is free, its new one taken.
        ids.remove(&nodes, 1);
        nodes[1].id = "a:contact".into();
        ids.insert(&nodes, 1);
        assert!(!ids.contains(&nodes, "a:2"));
        assert!(ids.contains(&nodes, "a:contact") && ids.contains(&nodes, "a:1"));
    }
}
