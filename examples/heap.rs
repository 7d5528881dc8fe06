//! Where the memory goes on a large file: the browser's stages as `examples/stages` takes
//! them (open, first frame, the whole parse and layout, `G`, a resize, a resize deep and the
//! text before it), with every allocation counted (`dhat` as the global allocator): the heap
//! in use after each stage and its peak so far, the resident set beside it, and at the end
//! the bytes each structure keeps (capacity, not length).
//!
//!     cargo run --release --example synth_repeated -- 1000 > /tmp/rep1000.txt
//!     cargo run --release --example heap -- /tmp/rep1000.txt [STAGES] [--rss]
//!
//! `--rss`: nothing counted (the system's allocator), for the resident set alone.
//! `STAGES` (a number) stops after that many stages, so that the profile's end
//! (`dhat-heap.json`, written on exit: `gb` at the peak, `eb` at the end, per allocation site)
//! is that moment.
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kaigi::corpus::{Corpus, LoadOptions};
use kaigi::tui::{App, AppOptions, view};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[path = "../benches/support/measure.rs"]
mod measure;
use measure::{deep_id, status};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: heap FILE [STAGES]");
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let stop: usize = rest
        .iter()
        .find_map(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    // Without the count the allocator is the system's (dhat's passes every call through), so
    // that the resident set is the browser's, not the profiler's tables' too.
    let counting = !rest.iter().any(|a| a == "--rss");
    let _profiler = counting.then(|| {
        dhat::Profiler::builder()
            .file_name("dhat-heap.json")
            .trim_backtraces(Some(16))
            .build()
    });
    let mut stage = 0;
    let mut lap = |what: &str| {
        let (curr, blocks, max) = if counting {
            let s = dhat::HeapStats::get();
            (s.curr_bytes, s.curr_blocks, s.max_bytes)
        } else {
            (0, 0, 0)
        };
        eprintln!(
            "{what:<30} heap {:>7.1} MB in {:>8} blocks  peak {:>7.1} MB   rss {:>6.1} MB  peak {:>6.1} MB",
            curr as f64 / 1e6,
            blocks,
            max as f64 / 1e6,
            status("VmRSS:") as f64 * 1024.0 / 1e6,
            status("VmHWM:") as f64 * 1024.0 / 1e6,
        );
        stage += 1;
        stage >= stop
    };
    let (corpus, loader) = match Corpus::open_with(&[path.into()], LoadOptions::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if lap("open and check") {
        return;
    }
    let options = AppOptions {
        size: Some((120, 40)),
        ..AppOptions::default()
    };
    let mut app = App::with_loader(corpus, loader, options);
    let area = Rect::new(0, 0, 120, 40);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    if lap("first frame") {
        return;
    }
    // `G` at once, as a reader does: it waits for the parse (done in slices between keys, as
    // the browser does), then the end is laid out first, the rest in slices.
    app.handle_event(&key('G'));
    while app.reading_percent().is_some() {
        app.work();
    }
    view::draw(&app, area, &mut buf);
    if lap("G (the parse, the end)") {
        return;
    }
    let rest = |app: &mut App| {
        while app.has_work() {
            app.work();
        }
    };
    rest(&mut app);
    if lap("the text before, laid out") {
        return;
    }
    breakdown(&app);
    let narrow = Rect::new(0, 0, 100, 40);
    let mut small = Buffer::empty(narrow);
    app.handle_event(&Event::Resize(100, 40));
    view::draw(&app, narrow, &mut small);
    if lap("resize to 100 (at the end)") {
        return;
    }
    rest(&mut app);
    if lap("the text before, laid out") {
        return;
    }
    app.handle_event(&key('g'));
    app.handle_event(&Event::Resize(120, 40));
    view::draw(&app, area, &mut buf);
    rest(&mut app);
    if lap("g, resize to 120, laid out") {
        return;
    }
    let id = deep_id(&app.corpus);
    let _ = app.goto(&id);
    app.handle_event(&Event::Resize(100, 40));
    view::draw(&app, narrow, &mut small);
    if lap("goto 80%, resize to 100") {
        return;
    }
    rest(&mut app);
    if lap("the text before, laid out") {
        return;
    }
    breakdown(&app);
    // `/`: the search index, built as the browser builds it (in pieces, on its thread there).
    let index = kaigi::tui::search::build_index(&app.corpus);
    if lap("search index") {
        return;
    }
    eprintln!("  {index:?}");
}

/// The bytes each structure keeps, by capacity.
fn breakdown(app: &App) {
    let mb = |b: usize| b as f64 / 1e6;
    let corpus = &app.corpus;
    let (mut nodes, mut count) = (0, 0);
    let (mut text, mut text_len, mut id, mut label, mut marker, mut prefix) = (0, 0, 0, 0, 0, 0);
    let (mut children, mut repairs, mut small) = (0, 0, 0);
    let mut docs = 0;
    for doc in &corpus.documents {
        nodes += doc.nodes.capacity() * std::mem::size_of::<kaigi::corpus::Node>();
        docs += doc.roots.capacity() * 8 + doc.title.capacity() + doc.id.capacity();
        for n in &doc.nodes {
            count += 1;
            text += n.text.capacity();
            text_len += n.text.len();
            let sizes = [
                n.id.capacity(),
                0,
                n.heap_bytes() - n.id.capacity() - n.text.capacity() - n.children.capacity() * 8,
                0,
                n.children.capacity() * 8,
                0,
            ];
            id += sizes[0];
            label += sizes[1];
            marker += sizes[2];
            prefix += sizes[3];
            children += sizes[4];
            repairs += sizes[5];
            small += sizes.iter().filter(|&&s| s > 0).count();
        }
    }
    eprintln!(
        "  corpus: {count} nodes, the arena {:.1} MB ({} bytes a node); text {:.1} MB ({:.1} MB used)",
        mb(nodes),
        std::mem::size_of::<kaigi::corpus::Node>(),
        mb(text),
        mb(text_len)
    );
    eprintln!(
        "  small allocations per node: {small} blocks; ids {:.2} MB, labels {:.2}, markers and source prefixes {:.2} ({:.2}), children {:.2}, repairs {:.2}; documents {:.2}",
        mb(id),
        mb(label),
        mb(marker),
        mb(prefix),
        mb(children),
        mb(repairs),
        mb(docs)
    );
    let layout = &app.reader.layout;
    eprintln!(
        "  layout: {} lines ({} room; complete {}, top {}), {:.1} MB in all ({} bytes a line)",
        layout.lines.len(),
        layout.lines.capacity(),
        layout.is_complete(),
        app.reader.top,
        mb(layout.heap_bytes()),
        std::mem::size_of::<kaigi::layout::Line>()
    );
    // A row's label is made when it is drawn: the rows are all there is.
    let rows = app.tree.rows.capacity() * std::mem::size_of::<kaigi::tui::tree::Row>();
    eprintln!("  tree: {} rows, {:.2} MB", app.tree.rows.len(), mb(rows));
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}
