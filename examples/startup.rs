//! The work kaigi does before its first frame, without a terminal: load the embedded
//! documents, build the browser's state for an 80x24 screen, draw one frame and encode it. For counting
//! instructions, which is repeatable on a busy machine (see BENCHMARKS.md):
//!
//!     cargo build --release --example startup
//!     valgrind --tool=callgrind target/release/examples/startup
use kaigi::corpus::load_embedded;
use kaigi::tui::{App, AppOptions, view};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn main() {
    let app = App::new(
        load_embedded(),
        AppOptions {
            size: Some((80, 24)),
            ..AppOptions::default()
        },
    );
    let area = Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    view::draw(&app, area, &mut buf);
    let mut screen = kaigi::tui::screen::Screen::new(Vec::new());
    screen.reset().expect("a Vec takes any write");
    screen.show(buf, None, None).expect("a Vec takes any write");
    std::hint::black_box(screen);
    // What the browser does right after the first frame.
    let mut app = app;
    if std::env::args().any(|a| a == "--whole") {
        app.finish_layout();
    }
    std::hint::black_box(app);
}
