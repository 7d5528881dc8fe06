//! Where the time goes on a large file, stage by stage, as the browser takes them: open and
//! check the file, the browser's state and first frame (the first window parsed and laid out),
//! the rest of the parse and the layout (and their size), `G` on a browser just started on the
//! parsed text, a resize at the top and one 80% of the way through, the search index, one
//! search.
//!
//!     cargo run --release --example synth_repeated -- 1000 > /tmp/rep1000.txt
//!     cargo run --release --example stages -- /tmp/rep1000.txt
use std::time::Instant;

use kaigi::corpus::{Corpus, LoadOptions};
use kaigi::tui::{App, AppOptions, view};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[path = "../benches/support/measure.rs"]
mod measure;
#[path = "../benches/support/typed.rs"]
mod typed;
use measure::{deep_id, status};
use typed::TYPED;

/// Prints the time since `t`, the resident set and its peak, and starts `t` again.
fn lap(what: &str, t: &mut Instant) {
    eprintln!(
        "{what:<28} {:>9.1} ms   rss {:>7} KiB  peak {:>7} KiB",
        t.elapsed().as_secs_f64() * 1e3,
        status("VmRSS:"),
        status("VmHWM:")
    );
    *t = Instant::now();
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stages FILE");
        std::process::exit(2);
    };
    let mut t = Instant::now();
    let (corpus, loader) = match Corpus::open_with(&[path.into()], LoadOptions::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    lap("open and check", &mut t);
    let options = || AppOptions {
        size: Some((120, 40)),
        ..AppOptions::default()
    };
    let mut app = App::with_loader(corpus, loader, options());
    lap("state for the first frame", &mut t);
    let area = Rect::new(0, 0, 120, 40);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    lap("first frame drawn", &mut t);
    app.finish_layout();
    lap("rest: parse and layout", &mut t);
    let nodes: usize = app.corpus.documents.iter().map(|d| d.nodes.len()).sum();
    let text: usize = app.corpus.iter_nodes().map(|(_, n)| n.text.len()).sum();
    eprintln!(
        "  {nodes} nodes of {} bytes each, {:.1} MB of text in them",
        std::mem::size_of::<kaigi::corpus::Node>(),
        text as f64 / 1e6
    );
    let layout = &app.reader.layout;
    eprintln!(
        "  layout: {} lines, {:.1} MB ({} bytes a line)",
        layout.lines.len(),
        layout.heap_bytes() as f64 / 1e6,
        std::mem::size_of::<kaigi::layout::Line>()
    );
    {
        // `G` on a browser just started on the parsed text: the end laid out and drawn, the
        // rest not waited for.
        let mut end = App::new(std::sync::Arc::clone(&app.corpus), options());
        view::draw(&end, area, &mut buf);
        t = Instant::now();
        end.handle_key(&key('G'));
        view::draw(&end, area, &mut buf);
        lap("G from the first frame", &mut t);
        eprintln!("  (at {}%)", end.reader.percent());
    }
    t = Instant::now();
    app.resize(100, 40);
    lap("resize to 100 columns", &mut t);
    let mut buf = Buffer::empty(Rect::new(0, 0, 100, 40));
    view::draw(&app, Rect::new(0, 0, 100, 40), &mut buf);
    lap("frame after resize", &mut t);
    app.finish_layout();
    let id = deep_id(&app.corpus);
    let _ = app.goto(&id);
    t = Instant::now();
    app.resize(120, 40);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    lap("resize deep, drawn", &mut t);
    eprintln!("  (at {}%, {id})", app.reader.percent());
    // Up from there before the text before is laid out: each key lays out the lines it
    // needs above, at once (`ReaderState::ready_for_move`).
    let mut worst = std::time::Duration::ZERO;
    for c in ['b', 'b', 'b', 'k', '{', '{'] {
        let k = Instant::now();
        app.handle_key(&key(c));
        let drawn = Instant::now();
        view::draw(&app, area, &mut buf);
        worst = worst.max(k.elapsed());
        if std::env::var_os("STAGES_KEYS").is_some() {
            eprintln!("  {c}: key {:?}, frame {:?}", drawn - k, drawn.elapsed());
        }
    }
    let k = Instant::now();
    app.tree.rebuild(&app.corpus);
    eprintln!(
        "  (the tree's rows all made again: {:.3} ms, {} rows)",
        k.elapsed().as_secs_f64() * 1e3,
        app.tree.rows.len()
    );
    // A move into a section the tree shows closed opens it: its rows are made, in place.
    let last = app
        .corpus
        .iter_nodes()
        .map(|(r, _)| r)
        .filter(|r| app.corpus.documents[r.doc].path(r.node).len() > 1)
        .last();
    if let Some(r) = last {
        let k = Instant::now();
        app.tree.reveal(&app.corpus, r);
        eprintln!(
            "  (a move into a closed section, the tree following: {:.3} ms, {} rows)",
            k.elapsed().as_secs_f64() * 1e3,
            app.tree.rows.len()
        );
    }
    eprintln!(
        "{:<28} {:>9.3} ms   worst key of b b b k {{ {{, drawn ({}% laid out)",
        "up after the deep resize",
        worst.as_secs_f64() * 1e3,
        app.reader.layout.percent_laid_out()
    );
    t = Instant::now();
    app.finish_layout();
    lap("the text before, laid out", &mut t);
    let index = kaigi::tui::search::build_index(&app.corpus);
    lap("search index", &mut t);
    eprintln!("  {index:?}");
    let hits = index.search("ランサム", 200);
    lap("search ランサム", &mut t);
    let refs = kaigi::refs::Refs::build(&app.corpus);
    lap("refs (serve: once, at start)", &mut t);
    std::hint::black_box(refs);
    refs_parts(&app.corpus);
    std::hint::black_box(hits);
    keystrokes(&mut app, index);
}

fn keystrokes(app: &mut App, index: std::sync::Arc<kaigi::search::SearchIndex>) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app.search = kaigi::tui::search::SearchPane::with_index(index);
    let area = Rect::new(0, 0, 120, 40);
    let mut buf = Buffer::empty(area);
    let key = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let (mut worst_search, mut worst_frame) = (0.0f64, 0.0f64);
    for q in TYPED {
        app.handle_key(&key(KeyCode::Char('/')));
        let mut line = Vec::new();
        for c in q.chars() {
            app.handle_key(&key(KeyCode::Char(c)));
            let Some(request) = app.take_search_request() else {
                continue;
            };
            let t = Instant::now();
            let answer = request.run();
            let search = t.elapsed().as_secs_f64() * 1e3;
            app.apply_search(answer);
            let t = Instant::now();
            view::draw(app, area, &mut buf);
            let frame = t.elapsed().as_secs_f64() * 1e3;
            worst_search = worst_search.max(search);
            worst_frame = worst_frame.max(frame);
            line.push(format!("{search:.1}+{frame:.1}"));
        }
        eprintln!("key: {q:<16} {}  ms (search+frame)", line.join(" "));
        app.handle_key(&key(KeyCode::Esc));
    }
    eprintln!(
        "key: worst search {worst_search:.1} ms, worst frame {worst_frame:.1} ms   rss {} KiB  peak {} KiB",
        status("VmRSS:"),
        status("VmHWM:")
    );
}

fn key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    )
}

/// What `Refs::build` is made of, each timed on its own.
fn refs_parts(corpus: &kaigi::corpus::Corpus) {
    use kaigi::refs::{DocNames, citations, links, terms};
    let mut t = Instant::now();
    let table = kaigi::participants::ReferenceData::embedded()
        .map(|data| kaigi::participants::Participants::from_corpus(corpus, &data))
        .unwrap_or_default();
    lap("  refs: participants", &mut t);
    let names = DocNames::new(corpus);
    lap("  refs: document names and labels", &mut t);
    let n: usize = corpus
        .iter_nodes()
        .map(|(r, _)| links::links_of(corpus, &names, r).len())
        .sum();
    lap("  refs: links of every node", &mut t);
    let c = citations::citations(corpus);
    lap("  refs: citations", &mut t);
    let index = terms::Index::build(corpus, &table);
    lap("  refs: index of terms", &mut t);
    eprintln!(
        "  {n} links, {} citations, {} index entries",
        c.len(),
        index.entries.len()
    );
}
