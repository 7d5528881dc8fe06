//! The thread of one served session: the browser's [`Session`] fed the channel's bytes and
//! window changes, its frames written back over the channel. A panic is caught here and ends
//! this session only; a client that goes away (its input closes, or a write fails) ends it at
//! the next turn.

use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};

use russh::ChannelId;
use russh::server::Handle;

use super::Shared;
use crate::present::{Cue, Link};
use crate::tui::clipboard::Clipboard;
use crate::tui::session::{Session, Turn};
use crate::tui::{App, AppOptions};

/// What the connection hands its session.
#[derive(Debug)]
pub(super) enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
    /// The client closed the channel (or sent EOF).
    Closed,
    /// From the stage: someone presents, moved, stopped.
    Cue(Cue),
}

/// The way into a session's thread, shared by its connection and the connection's watch:
/// closed when its client closes the channel or it is ended as hung, so that a thread waiting
/// for input sees the input end.
#[derive(Clone)]
pub(super) struct Inlet(Arc<std::sync::Mutex<Option<Sender<Input>>>>);

impl Inlet {
    pub(super) fn send(&self, input: Input) {
        if let Ok(tx) = self.0.lock()
            && let Some(tx) = tx.as_ref()
        {
            let _ = tx.send(input);
        }
    }

    pub(super) fn close(&self) {
        if let Ok(mut tx) = self.0.lock() {
            *tx = None;
        }
    }
}

/// Who the session is for.
pub(super) struct Who {
    pub id: u64,
    /// The name shown to the others when this reader presents.
    pub name: String,
    /// Whether `--presenters` lets this reader present.
    pub may_present: bool,
}

/// A served session's way to the server's stage.
struct StageLink {
    shared: Arc<Shared>,
    id: u64,
    may_present: bool,
}

impl Link for StageLink {
    fn present(&mut self) -> Result<Option<String>, String> {
        if !self.may_present {
            return Err("only the keys in the presenters file may present".into());
        }
        Ok(self.shared.stage.present(self.id, None))
    }

    fn stop(&mut self) {
        self.shared.stage.stop(self.id);
    }

    fn publish(&mut self, at: crate::places::Position) {
        self.shared.stage.publish(self.id, at);
    }
}

/// Frames go out over the channel, one SSH data message a flush. A write that fails means
/// the client is gone; one that waits longer than the write limit, that it stopped reading
/// (the thread beats meanwhile: waiting for the client is not a hang).
struct ChannelWriter {
    buf: Vec<u8>,
    handle: Handle,
    channel: ChannelId,
    rt: tokio::runtime::Handle,
    limit: std::time::Duration,
    health: Arc<Health>,
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.buf);
        let (handle, channel, limit, health) =
            (&self.handle, self.channel, self.limit, &self.health);
        let started = std::time::Instant::now();
        let beat = (limit / 4).clamp(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(100),
        );
        self.rt.block_on(async {
            let mut send = std::pin::pin!(handle.data(channel, data));
            loop {
                match tokio::time::timeout(beat, &mut send).await {
                    Ok(sent) => {
                        return sent.map_err(|_| {
                            io::Error::new(io::ErrorKind::BrokenPipe, "the client is gone")
                        });
                    }
                    Err(_) if started.elapsed() >= limit => {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "the client stopped reading",
                        ));
                    }
                    Err(_) => health.beat(),
                }
            }
        })
    }
}

/// Why a session ended.
enum End {
    Quit,
    ClientGone,
    /// A frame waited for the client longer than the write limit.
    Stalled(std::time::Duration),
    Error(io::Error),
}

/// A session's pulse: its thread beats at every turn (at least every 100 ms while it is
/// well). One that has not beaten for the hang limit is ended from outside (the
/// connection's watch).
pub(super) struct Health {
    start: std::time::Instant,
    /// Milliseconds since `start` of the last beat.
    beat: std::sync::atomic::AtomicU64,
    /// The session was taken off the count (by its thread's end, or as hung).
    ended: std::sync::atomic::AtomicBool,
}

impl Health {
    fn new() -> Self {
        Health {
            start: std::time::Instant::now(),
            beat: std::sync::atomic::AtomicU64::new(0),
            ended: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn beat(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.beat.store(ms, Ordering::Relaxed);
    }

    /// Whether the thread has missed its turns for longer than `limit`.
    pub(super) fn hung(&self, limit: std::time::Duration) -> bool {
        let last = std::time::Duration::from_millis(self.beat.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last) > limit
    }

    /// Whether the session was taken off the count (its thread ended, or it was hung).
    pub(super) fn is_ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }

    /// Takes the session off the count, once (whoever comes first: its end, or the watch).
    pub(super) fn end(&self, shared: &Shared) {
        if !self.ended.swap(true, Ordering::SeqCst) {
            shared.sessions.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Counts the session and its thread while it runs, even through a panic.
struct Counted(Arc<Shared>, Arc<Health>);

impl Counted {
    fn new(shared: &Arc<Shared>, health: &Arc<Health>) -> Self {
        shared.threads.fetch_add(1, Ordering::SeqCst);
        Counted(Arc::clone(shared), Arc::clone(health))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.1.end(&self.0);
        self.0.threads.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Starts the session of connection `id` (already counted in `shared.sessions`) at `size`.
/// Returns where its input goes (closing or dropping that ends it) and its pulse.
pub(super) fn spawn(
    shared: Arc<Shared>,
    who: &Who,
    term: &str,
    size: (u16, u16),
    handle: Handle,
    channel: ChannelId,
) -> (Inlet, Arc<Health>) {
    let (tx, rx) = mpsc::channel::<Input>();
    let id = who.id;
    let may_present = who.may_present;
    let cues = tx.clone();
    shared.stage.join(
        id,
        &who.name,
        Box::new(move |cue| {
            let _ = cues.send(Input::Cue(cue));
        }),
    );
    let rt = tokio::runtime::Handle::current();
    let color = shared.options.theme.color && !matches!(term, "" | "dumb");
    let log = shared.log.clone();
    log.line(&format!(
        "conn {id}: session started, {}x{}, TERM {term:?}",
        size.0, size.1
    ));
    let health = Arc::new(Health::new());
    health.beat();
    let pulse = Arc::clone(&health);
    let pulse_after = Arc::clone(&health);
    let counted = Counted::new(&shared, &health);
    let spawned = std::thread::Builder::new()
        .name(format!("{THREAD_PREFIX}{id}"))
        .spawn(move || {
            let _counted = counted;
            let writer = ChannelWriter {
                buf: Vec::with_capacity(1 << 14),
                handle: handle.clone(),
                channel,
                rt: rt.clone(),
                limit: shared.options.write_limit,
                health: Arc::clone(&pulse),
            };
            let link = StageLink {
                shared: Arc::clone(&shared),
                id,
                may_present,
            };
            let run = catch_unwind(AssertUnwindSafe(|| {
                run(&shared, color, size, writer, link, &rx, &pulse)
            }));
            shared.stage.leave(id);
            let (cause, status) = match run {
                Ok(End::Quit) => ("quit".to_string(), Some(0)),
                Ok(End::ClientGone) => ("client gone".to_string(), None),
                // Nothing more is sent to a client that takes nothing: its connection ends
                // with TCP, or the idle limit.
                Ok(End::Stalled(limit)) => (
                    format!("the client stopped reading (a frame waited {limit:?})"),
                    None,
                ),
                Ok(End::Error(e)) => (format!("error ({e})"), Some(1)),
                Err(payload) => (
                    format!("panicked (this session only): {}", panic_text(&*payload)),
                    Some(1),
                ),
            };
            if let Some(status) = status {
                let _ = rt.block_on(async {
                    let _ = handle.exit_status_request(channel, status).await;
                    let _ = handle.eof(channel).await;
                    handle.close(channel).await
                });
            }
            if pulse_after.is_ended() {
                // Ended from outside as hung (and logged then); its thread is free now.
                log.line(&format!(
                    "conn {id}: the hung session's thread ended: {cause}"
                ));
            } else {
                log.line(&format!("conn {id}: session ended: {cause}"));
            }
        });
    if let Err(e) = spawned {
        shared_log_spawn_failure(&e, id);
    }
    (Inlet(Arc::new(std::sync::Mutex::new(Some(tx)))), health)
}

/// A panic's message, for the log line.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}

/// A panic in a session thread is reported by the session's end line (with its message);
/// any other panic as before. Installed once.
pub(super) fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_session = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with(THREAD_PREFIX));
            if !in_session {
                previous(info);
            }
        }));
    });
}

const THREAD_PREFIX: &str = "kaigi-session-";

fn shared_log_spawn_failure(e: &io::Error, id: u64) {
    // The counter was released with the closure that failed to start; the connection's
    // input goes nowhere and the client sees nothing more until it leaves.
    let _ = writeln!(
        io::stderr(),
        "kaigi: conn {id}: no thread for the session ({e})"
    );
}

fn run(
    shared: &Shared,
    color: bool,
    size: (u16, u16),
    writer: ChannelWriter,
    link: StageLink,
    rx: &Receiver<Input>,
    health: &Health,
) -> End {
    let mut theme = shared.options.theme;
    theme.color = color;
    let mut app = App::new(
        shared.corpus.clone(),
        AppOptions {
            theme,
            size: Some(size),
            keymap: Some(shared.options.keymap.clone()),
            index: Some(Arc::clone(&shared.index)),
            ..AppOptions::default()
        },
    );
    app.share_refs(Arc::clone(&shared.refs));
    let mut session =
        Session::new(&mut app, writer, Clipboard::plain).with_link(Box::new(link), true);
    let faults = Faults {
        panic: shared.options.panic_trigger.as_deref(),
        hang: shared.options.hang_trigger.as_deref(),
    };
    match drive(
        &mut session,
        size,
        shared.options.probe,
        rx,
        &faults,
        health,
    ) {
        Ok(end) => end,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => End::ClientGone,
        Err(e) if e.kind() == io::ErrorKind::TimedOut => End::Stalled(shared.options.write_limit),
        Err(e) => End::Error(e),
    }
}

fn drive(
    session: &mut Session<'_, ChannelWriter>,
    size: (u16, u16),
    probe: bool,
    rx: &Receiver<Input>,
    faults: &Faults<'_>,
    health: &Health,
) -> io::Result<End> {
    session.start(size, probe)?;
    loop {
        health.beat();
        match session.update()? {
            Turn::Quit => return Ok(End::Quit),
            Turn::Suspend => {
                session.app.message = Some("Ctrl-z suspends only a local kaigi; q quits".into());
                session.redraw()?;
                continue;
            }
            Turn::Wait => {}
        }
        let first = match rx.recv_timeout(session.wait()) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => {
                session.quiet()?;
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(End::ClientGone),
        };
        // Everything that arrived meanwhile, before the next frame.
        for input in std::iter::once(first).chain(rx.try_iter()) {
            match input {
                Input::Bytes(bytes) => {
                    assert!(
                        !typed(faults.panic, &bytes),
                        "the test trigger was typed: panicking on purpose"
                    );
                    if typed(faults.hang, &bytes) {
                        // A session stuck for good (until its input closes).
                        while rx.recv().is_ok() {}
                        return Ok(End::ClientGone);
                    }
                    session.feed(&bytes)?;
                }
                Input::Resize(w, h) => session.resize(w, h)?,
                Input::Closed => return Ok(End::ClientGone),
                Input::Cue(cue) => session.cue(cue),
            }
        }
    }
}

/// The tests' triggers of a panic and a hang.
struct Faults<'a> {
    panic: Option<&'a [u8]>,
    hang: Option<&'a [u8]>,
}

fn typed(trigger: Option<&[u8]>, bytes: &[u8]) -> bool {
    trigger.is_some_and(|t| !t.is_empty() && bytes.windows(t.len()).any(|w| w == t))
}
