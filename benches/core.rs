//! The domain's costs: parsing both documents, laying them out, drawing one frame.
//! Search has its own bench (`benches/search.rs`).
//!
//!     cargo bench --bench core

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kaigi::corpus::{EMBEDDED, load_embedded, parse_document};
use kaigi::layout::Layout;
use kaigi::text::DisplayOptions;
use kaigi::tui::screen::Screen;
use kaigi::tui::{App, AppOptions, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn parse(c: &mut Criterion) {
    c.bench_function("parse both documents", |b| {
        b.iter(|| {
            for (id, name, text) in EMBEDDED {
                black_box(parse_document(id, name, black_box(text)));
            }
        });
    });
}

fn layout(c: &mut Criterion) {
    let corpus = load_embedded();
    for width in [40, 80, 200] {
        c.bench_function(&format!("lay out both documents at {width} columns"), |b| {
            b.iter(|| {
                black_box(Layout::new(
                    &corpus,
                    black_box(width),
                    DisplayOptions::default(),
                ))
            });
        });
    }
}

fn frame(c: &mut Criterion) {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut app = App::new(load_embedded(), AppOptions::default());
        app.resize(w, h);
        let area = Rect::new(0, 0, w, h);
        c.bench_function(&format!("draw one frame at {w}x{h}"), |b| {
            b.iter(|| {
                let mut buf = Buffer::empty(area);
                view::draw(black_box(&app), area, &mut buf);
                black_box(buf);
            });
        });
        // Through ratatui's own Terminal and TestBackend: drawing, its diff against the last
        // frame and the backend's cell writes (the browser uses `Screen` for the last two).
        // `clear` first, so that every iteration is a whole frame, not an empty diff.
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test backend");
        c.bench_function(&format!("draw one frame at {w}x{h} (TestBackend)"), |b| {
            b.iter(|| {
                terminal.clear().expect("a test backend");
                terminal
                    .draw(|f| {
                        view::draw(black_box(&app), f.area(), f.buffer_mut());
                    })
                    .expect("a test backend");
            });
        });
        // What the browser writes for a full frame: drawn, then encoded as bytes by `Screen`.
        c.bench_function(&format!("draw and encode one frame at {w}x{h}"), |b| {
            b.iter(|| {
                let mut buf = Buffer::empty(area);
                view::draw(black_box(&app), area, &mut buf);
                let mut screen = Screen::new(Vec::with_capacity(16 << 10));
                screen.reset().expect("a Vec takes any write");
                screen.show(buf, None, None).expect("a Vec takes any write");
                black_box(screen);
            });
        });
    }
    // What the browser does before its first frame: the first screen's text is laid out,
    // the rest after the frame.
    let sized = || AppOptions {
        size: Some((80, 24)),
        ..AppOptions::default()
    };
    c.bench_function("start-up: parse, lay out, first frame at 80x24", |b| {
        b.iter(|| {
            let app = App::new(load_embedded(), sized());
            let area = Rect::new(0, 0, 80, 24);
            let mut buf = Buffer::empty(area);
            view::draw(&app, area, &mut buf);
            black_box((app, buf));
        });
    });
    c.bench_function("after the first frame: lay out the rest", |b| {
        b.iter_batched(
            || App::new(load_embedded(), sized()),
            |mut app| {
                app.finish_layout();
                app
            },
            criterion::BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, parse, layout, frame);
criterion_main!(benches);
