//! `kaigi serve`: an SSH server whose only program is the browser. Each connection that
//! authenticates and asks for a pty and a shell gets its own [`crate::tui::session::Session`]
//! (the one the local terminal runs), on its own thread, fed the channel's bytes and window
//! changes, its frames sent back over the channel. Everything else a client may ask for
//! (exec, subsystems, forwarding, agent, X11, env) is refused.
//!
//! - `keys.rs`: the host key (generated once, mode 0600) and `authorized_keys`;
//! - `conn.rs`: one connection (russh's handler): authentication, requests, limits;
//! - `session.rs`: the session thread, its channel writer, its end and cause;
//! - `log.rs`: one line per connection, authentication and session end.
//!
//! The tokio runtime and russh are touched only here, so the plain browser starts as before.

mod conn;
pub mod keys;
mod log;
mod session;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use russh::keys::PrivateKey;
use tokio::net::TcpListener;

use crate::corpus::Corpus;
use crate::search::SearchIndex;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

pub use keys::{AuthorizedKeys, HostKey};
pub use log::Log;

/// Who may connect.
#[derive(Debug, Clone)]
pub enum Access {
    /// Anyone, without a key (`--open`).
    Open,
    /// Holders of these keys.
    Keys(AuthorizedKeys),
}

/// How the server runs: every limit a flag of `kaigi serve`.
#[derive(Clone)]
pub struct Options {
    pub listen: SocketAddr,
    pub access: Access,
    /// Sessions at once; the next is told "kaigi: server full".
    pub max_sessions: usize,
    /// A connection with no input for this long is closed.
    pub idle_timeout: Duration,
    /// A connection not authenticated by then is closed.
    pub auth_timeout: Duration,
    /// Failed authentications before the connection is closed.
    pub max_auth_failures: usize,
    /// Who may present (`--presenters FILE`); anyone when not given.
    pub presenters: Option<AuthorizedKeys>,
    /// A session that takes no turn for this long is ended (its connection watches it).
    pub hang_limit: Duration,
    /// A frame its client has not taken in this long ends the session (a peer that stopped
    /// reading, or vanished without a word, would otherwise hold the thread until TCP gives
    /// up); a write that waits is not a hang.
    pub write_limit: Duration,
    /// Colours, ASCII and the looks: as for the local browser (the config file's `[theme]`).
    pub theme: Theme,
    /// The key table: as for the local browser (the config file's `[keys]`).
    pub keymap: Keymap,
    /// Ask each terminal how wide it draws ambiguous characters.
    pub probe: bool,
    /// For the tests of isolation: input that makes the session receiving it panic.
    #[doc(hidden)]
    pub panic_trigger: Option<Vec<u8>>,
    /// For the tests of isolation: input that makes the session receiving it hang.
    #[doc(hidden)]
    pub hang_trigger: Option<Vec<u8>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 2222)),
            access: Access::Keys(AuthorizedKeys::default()),
            max_sessions: 64,
            idle_timeout: Duration::from_secs(30 * 60),
            auth_timeout: Duration::from_secs(20),
            max_auth_failures: 6,
            presenters: None,
            hang_limit: Duration::from_secs(5),
            write_limit: Duration::from_secs(20),
            theme: Theme::default(),
            keymap: Keymap::default(),
            probe: true,
            panic_trigger: None,
            hang_trigger: None,
        }
    }
}

/// Window sizes a client may ask for are clamped to this.
pub const MAX_SIDE: u32 = 1000;

/// Clamps a client's window side to `1..=1000`.
#[must_use]
pub fn clamp_side(v: u32) -> u16 {
    u16::try_from(v.clamp(1, MAX_SIDE)).unwrap_or(1)
}

/// What every connection shares.
struct Shared {
    corpus: Corpus,
    /// Built once for every session.
    index: Arc<SearchIndex>,
    /// Links, citations and the index of terms, built once for every session, on a thread
    /// started with the server: serving does not wait for them; a session's keys that need
    /// them do (a large text's, in slices of its turns, with a line saying so; in a session's
    /// turn the time would count against its hang limit).
    refs: Arc<std::sync::OnceLock<Arc<crate::refs::Refs>>>,
    options: Options,
    log: Log,
    sessions: AtomicUsize,
    /// Session threads alive (a hung session is off `sessions` before its thread ends).
    threads: AtomicUsize,
    connections: AtomicUsize,
    next_id: AtomicU64,
    /// Who presents, and where.
    stage: crate::present::Stage,
}

/// A running server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    done: Option<tokio::sync::oneshot::Receiver<io::Error>>,
}

impl Server {
    /// Binds `options.listen` and starts serving `corpus` on a runtime of its own.
    ///
    /// # Errors
    /// The address could not be bound, or the runtime not started.
    pub fn start(
        corpus: Corpus,
        host_key: PrivateKey,
        options: Options,
        log: Log,
    ) -> io::Result<Server> {
        session::install_panic_hook();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kaigi-ssh")
            .enable_all()
            .build()?;
        // Bound here (not with `block_on`), so a server can be started from inside another
        // runtime too (the tests' client).
        let std_listener = std::net::TcpListener::bind(options.listen)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let listener = {
            let _entered = runtime.enter();
            TcpListener::from_std(std_listener)?
        };
        let shared = Arc::new(Shared {
            index: crate::tui::search::build_index(&corpus),
            refs: Arc::new(std::sync::OnceLock::new()),
            corpus,
            options,
            log,
            sessions: AtomicUsize::new(0),
            threads: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            stage: crate::present::Stage::new(),
        });
        let s = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("kaigi-refs".to_string())
            .spawn(move || {
                s.refs
                    .get_or_init(|| Arc::new(crate::refs::Refs::build(&s.corpus)));
            })?;
        let config = Arc::new(conn::russh_config(&shared.options, host_key));
        let (tx, done) = tokio::sync::oneshot::channel();
        let s = Arc::clone(&shared);
        runtime.spawn(async move {
            let err = conn::accept_loop(listener, config, s).await;
            let _ = tx.send(err);
        });
        Ok(Server {
            addr,
            shared,
            runtime: Some(runtime),
            done: Some(done),
        })
    }

    /// The address it listens on (with the port the system chose for port 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many browser sessions run now.
    #[must_use]
    pub fn sessions(&self) -> usize {
        self.shared.sessions.load(Ordering::SeqCst)
    }

    /// How many session threads are alive now: [`Server::sessions`] and, until they end,
    /// the threads of sessions ended as hung.
    #[must_use]
    pub fn session_threads(&self) -> usize {
        self.shared.threads.load(Ordering::SeqCst)
    }

    /// Who presents now.
    #[must_use]
    pub fn presenter(&self) -> Option<String> {
        self.shared.stage.presenter()
    }

    /// How many connections are open now (authenticated or not).
    #[must_use]
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Serves until the listener fails.
    ///
    /// # Errors
    /// The listener's error.
    pub fn wait(mut self) -> io::Result<()> {
        let (Some(rt), Some(done)) = (self.runtime.as_ref(), self.done.take()) else {
            return Ok(());
        };
        match rt.block_on(done) {
            Ok(e) => Err(e),
            Err(_) => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
