//! The table's columns for a width: which columns a narrow terminal drops first, their widths,
//! and each cell cut and padded to its width, made safe to show.

use serde::Serialize;

use super::{Kind, Participant, Participants};
use crate::text::display::{DisplayOptions, sanitize, str_width, truncate};

/// A column of the participants table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Column {
    Ja,
    En,
    Code,
    Kind,
    /// In list A.
    A,
    /// In list B.
    B,
    /// New in 2023.
    New,
    G7,
}

/// Cells between two columns.
pub const COLUMN_GAP: usize = 1;
/// What a boolean cell shows when true (not East Asian Ambiguous: one cell everywhere).
pub const CHECK: &str = "✓";

impl Column {
    /// The header text.
    #[must_use]
    pub fn header(self) -> &'static str {
        match self {
            Self::Ja => "Name",
            Self::En => "English",
            Self::Code => "Code",
            Self::Kind => "Kind",
            Self::A => "A",
            Self::B => "B",
            Self::New => "New",
            Self::G7 => "G7",
        }
    }

    /// The width that shows every value of the reference data in full: the longest Japanese
    /// name (パプアニューギニア, 18 cells), English name (United Arab Emirates, 20), code
    /// (INTERPOL, 8), kind (`country`, 7), and the header of the narrow columns.
    #[must_use]
    pub fn full_width(self) -> usize {
        match self {
            Self::Ja => 18,
            Self::En => 20,
            Self::Code => 8,
            Self::Kind => 7,
            Self::A | Self::B => 1,
            Self::New => 3,
            Self::G7 => 2,
        }
    }
}

/// The English column is cut (with an ellipsis) down to this width before it is dropped.
const EN_MIN_WIDTH: usize = 10;

/// Column sets from the widest to the narrowest: Kind goes first, then (after English has
/// been shortened) G7, Code, English and New. Name, A and B always stay.
const STAGES: [&[Column]; 6] = [
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::Kind,
        Column::A,
        Column::B,
        Column::New,
        Column::G7,
    ],
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::A,
        Column::B,
        Column::New,
        Column::G7,
    ],
    &[
        Column::Ja,
        Column::En,
        Column::Code,
        Column::A,
        Column::B,
        Column::New,
    ],
    &[Column::Ja, Column::En, Column::A, Column::B, Column::New],
    &[Column::Ja, Column::A, Column::B, Column::New],
    &[Column::Ja, Column::A, Column::B],
];

/// The columns that fit in `width` cells and their widths. Their sum plus one gap between
/// each pair never exceeds `width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    pub columns: Vec<Column>,
    pub widths: Vec<usize>,
}

impl TableLayout {
    #[must_use]
    pub fn for_width(width: usize) -> Self {
        let gaps = |n: usize| n.saturating_sub(1) * COLUMN_GAP;
        for (stage, cols) in STAGES.iter().enumerate() {
            let full: usize = cols.iter().map(|c| c.full_width()).sum::<usize>() + gaps(cols.len());
            // English may shrink once Kind is gone.
            let shrink = if stage > 0 && cols.contains(&Column::En) {
                Column::En.full_width() - EN_MIN_WIDTH
            } else {
                0
            };
            if full.saturating_sub(shrink) <= width {
                let cut = full.saturating_sub(width);
                let widths = cols
                    .iter()
                    .map(|&c| {
                        if c == Column::En {
                            c.full_width() - cut.min(shrink)
                        } else {
                            c.full_width()
                        }
                    })
                    .collect();
                return Self {
                    columns: cols.to_vec(),
                    widths,
                };
            }
        }
        // Narrower than the narrowest stage: the name takes what A and B leave, then all.
        let ab = Column::A.full_width() + Column::B.full_width() + 2 * COLUMN_GAP;
        if width > ab {
            Self {
                columns: vec![Column::Ja, Column::A, Column::B],
                widths: vec![width - ab, Column::A.full_width(), Column::B.full_width()],
            }
        } else if width > 0 {
            Self {
                columns: vec![Column::Ja],
                widths: vec![width],
            }
        } else {
            Self {
                columns: Vec::new(),
                widths: Vec::new(),
            }
        }
    }

    /// Cells used, gaps included.
    #[must_use]
    pub fn total_width(&self) -> usize {
        self.widths.iter().sum::<usize>() + self.widths.len().saturating_sub(1) * COLUMN_GAP
    }

    /// The header cells, padded.
    #[must_use]
    pub fn header(&self, opts: DisplayOptions) -> Vec<String> {
        self.columns
            .iter()
            .zip(&self.widths)
            .map(|(c, &w)| fit(c.header(), w, opts))
            .collect()
    }
}

/// The columns that fit in `width` cells (see [`TableLayout::for_width`]).
#[must_use]
pub fn columns_for_width(width: usize) -> Vec<Column> {
    TableLayout::for_width(width).columns
}

/// Cells joined into one line with [`COLUMN_GAP`] between them.
#[must_use]
pub fn join_cells(cells: &[String]) -> String {
    cells.join(&" ".repeat(COLUMN_GAP))
}

impl Participants {
    /// The cells of row `row` for the columns `cols`, each cut to and padded to its width in
    /// `widths` (display cells), made safe to show. A row out of range gives blank cells.
    #[must_use]
    pub fn render_row(
        &self,
        row: usize,
        cols: &[Column],
        widths: &[usize],
        opts: DisplayOptions,
    ) -> Vec<String> {
        cols.iter()
            .enumerate()
            .map(|(i, &c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                let text = self
                    .rows
                    .get(row)
                    .map_or(String::new(), |p| cell_text(p, c));
                fit(&text, w, opts)
            })
            .collect()
    }
}

fn cell_text(p: &Participant, c: Column) -> String {
    let check = |b: bool| if b { CHECK } else { "" }.to_string();
    match c {
        Column::Ja => p.ja.clone(),
        Column::En => p.entry.en.clone().unwrap_or_default(),
        Column::Code => p.entry.code.clone().unwrap_or_default(),
        Column::Kind => p.entry.kind.map_or("", Kind::short).to_string(),
        Column::A => check(p.in_meeting),
        Column::B => check(p.in_statement),
        Column::New => check(p.entry.new_2023),
        Column::G7 => check(p.g7),
    }
}

/// `text` made safe, cut to `width` display cells and padded with spaces to exactly `width`.
fn fit(text: &str, width: usize, opts: DisplayOptions) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    let mut s = truncate(&sanitize(&one_line, opts), width, opts);
    let w = str_width(&s);
    if w < width {
        s.push_str(&" ".repeat(width - w));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, parse_document};
    use crate::participants::fixtures::*;
    use crate::participants::*;

    #[test]
    fn columns_shrink_with_the_width() {
        assert_eq!(
            columns_for_width(200),
            [
                Column::Ja,
                Column::En,
                Column::Code,
                Column::Kind,
                Column::A,
                Column::B,
                Column::New,
                Column::G7
            ]
        );
        assert_eq!(columns_for_width(80), columns_for_width(200));
        assert!(!columns_for_width(60).contains(&Column::Kind));
        assert!(columns_for_width(60).contains(&Column::G7));
        // English is shortened before G7 goes.
        let l = TableLayout::for_width(50);
        assert!(l.columns.contains(&Column::G7));
        assert!(l.widths[1] < Column::En.full_width());
        assert_eq!(
            columns_for_width(40),
            [Column::Ja, Column::En, Column::A, Column::B, Column::New]
        );
        assert_eq!(
            columns_for_width(30),
            [Column::Ja, Column::A, Column::B, Column::New]
        );
        assert_eq!(columns_for_width(22), [Column::Ja, Column::A, Column::B]);
        assert_eq!(columns_for_width(3), [Column::Ja]);
        assert!(columns_for_width(0).is_empty());
        let mut previous = 0;
        for w in 0..=120 {
            let l = TableLayout::for_width(w);
            assert_eq!(l.columns.len(), l.widths.len());
            assert!(l.total_width() <= w, "width {w}: {l:?}");
            assert!(
                l.columns.len() >= previous,
                "columns only come back as the width grows"
            );
            previous = l.columns.len();
            if w >= 22 {
                assert_eq!(
                    l.widths[0],
                    Column::Ja.full_width(),
                    "names stay whole at {w}"
                );
            }
            if w > 0 {
                assert_eq!(l.columns[0], Column::Ja);
            }
        }
    }

    #[test]
    fn rendered_rows_fit_their_widths() {
        let (_, p) = embedded();
        assert!(!crate::text::display::is_ambiguous('✓'));
        for opts in [
            DisplayOptions { ascii: false },
            DisplayOptions { ascii: true },
        ] {
            for w in [0, 1, 5, 12, 22, 30, 40, 50, 60, 67, 80, 120] {
                let l = TableLayout::for_width(w);
                let header = l.header(opts);
                assert!(str_width(&join_cells(&header)) <= w);
                for i in 0..p.rows.len() {
                    let cells = p.render_row(i, &l.columns, &l.widths, opts);
                    for (cell, &cw) in cells.iter().zip(&l.widths) {
                        assert_eq!(str_width(cell), cw, "{cell:?} at {w}");
                    }
                    assert_eq!(str_width(&join_cells(&cells)), l.total_width());
                }
            }
        }
        let l = TableLayout::for_width(80);
        let i = p
            .rows
            .iter()
            .position(|r| r.ja == "パプアニューギニア")
            .expect("row");
        let cells = p.render_row(i, &l.columns, &l.widths, DisplayOptions::default());
        assert_eq!(
            join_cells(&cells),
            "パプアニューギニア Papua New Guinea     PG       country ✓   ✓     "
        );
        // Out of range: blank cells, no panic.
        let blank = p.render_row(999, &l.columns, &l.widths, DisplayOptions::default());
        assert!(blank.iter().all(|c| c.trim().is_empty()));
    }

    #[test]
    fn names_with_controls_are_made_safe() {
        let data = ReferenceData::embedded().expect("parses");
        let text = "### 1 参加国\n\nア\u{1b}[2Jル、カナダ、インド、日本、米国、";
        let corpus = Corpus {
            documents: vec![parse_document("x", "x.txt", text)],
        };
        let p = Participants::from_corpus(&corpus, &data);
        let l = TableLayout::for_width(80);
        let cells = p.render_row(0, &l.columns, &l.widths, DisplayOptions::default());
        assert!(!cells[0].contains('\u{1b}'), "{:?}", cells[0]);
    }
}
