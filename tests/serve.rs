//! `kaigi serve` through an in-process russh client on an ephemeral loopback port: keys let
//! in and kept out, a pty session read through vt100, refused requests, a client that drops,
//! a session that panics. Waits on conditions with a generous limit, never on bare sleeps.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kaigi::serve::{Access, AuthorizedKeys, Options, Server};
use russh::client::{Handle, Msg};
use russh::keys::ssh_key::PublicKey;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{Channel, ChannelMsg};

mod common;
#[path = "../benches/support/repeated.rs"]
mod repeated;
#[path = "support/ssh.rs"]
mod ssh;
use ssh::{Client, key};

/// How long a wait may take before the test fails: a bound for a hang, not a speed (a debug
/// build on a loaded two-core machine finds the links of the 100x text in well over 20 s).
const LIMIT: Duration = common::TIMEOUT;

/// The log, kept to look at.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<Vec<u8>>>);

impl Write for Kept {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Kept {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn server_with(access: Access, tweak: impl FnOnce(&mut Options)) -> (Server, Kept) {
    let log = Kept::default();
    let server = ssh::start(access, Box::new(log.clone()), tweak);
    (server, log)
}

fn server_for(keys: &[&PrivateKey]) -> (Server, Kept) {
    let keys: Vec<PublicKey> = keys.iter().map(|k| k.public_key().clone()).collect();
    server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |_| {})
}

async fn connect(server: &Server) -> Handle<Client> {
    ssh::connect(server.local_addr()).await
}

async fn login(server: &Server, key: &PrivateKey) -> Handle<Client> {
    login_as(server, key, Client::default()).await
}

async fn login_as(server: &Server, key: &PrivateKey, client: Client) -> Handle<Client> {
    let mut h = ssh::connect_as(server.local_addr(), client).await;
    let ok = h
        .authenticate_publickey(
            "reader",
            PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None),
        )
        .await
        .unwrap();
    assert!(ok.success(), "the key was not accepted");
    h
}

/// A pty session: the channel and the screen it draws.
struct Term {
    ch: Channel<Msg>,
    screen: vt100::Parser,
    /// Answer the ambiguous-width probe as a terminal that draws them narrow.
    answer_probe: bool,
    exit: Option<u32>,
    closed: bool,
}

impl Term {
    /// A terminal opened on the server, once its first screen (the communiqué's title) is in.
    async fn at_first_screen(h: &Handle<Client>, cols: u16, rows: u16) -> Term {
        let mut t = Term::open(h, cols, rows).await;
        t.wait_for("the first screen", |s| s.contains("G7")).await;
        t
    }

    async fn open(h: &Handle<Client>, cols: u16, rows: u16) -> Term {
        let ch = ssh::open_pty(h, cols, rows, true).await;
        Term {
            ch,
            screen: vt100::Parser::new(rows, cols, 0),
            answer_probe: true,
            exit: None,
            closed: false,
        }
    }

    /// The next message (data also goes to the screen).
    async fn next(&mut self, until: Instant) -> Option<ChannelMsg> {
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let msg = tokio::time::timeout(left, self.ch.wait()).await.ok()??;
            match msg {
                ChannelMsg::Data { data } => {
                    if self.answer_probe && data.windows(4).any(|w| w == b"\x1b[6n") {
                        self.ch.data_bytes(&b"\x1b[1;2R"[..]).await.unwrap();
                    }
                    self.screen.process(&data);
                    return Some(ChannelMsg::Data { data });
                }
                ChannelMsg::ExitStatus { exit_status } => {
                    self.exit = Some(exit_status);
                }
                ChannelMsg::Close => {
                    self.closed = true;
                    return Some(ChannelMsg::Close);
                }
                other => return Some(other),
            }
        }
    }

    /// Reads until the screen satisfies `cond`.
    async fn wait_for(&mut self, what: &str, cond: impl Fn(&str) -> bool) {
        let until = Instant::now() + LIMIT;
        loop {
            if cond(&self.text()) {
                return;
            }
            assert!(
                !self.closed && Instant::now() <= until,
                "waited for {what}; the screen:\n{}",
                self.text()
            );
            let _ = self.next(until).await;
        }
    }

    /// The reply to the last request sent with `want_reply`.
    async fn reply(&mut self) -> ChannelMsg {
        let until = Instant::now() + LIMIT;
        loop {
            match self.next(until).await {
                Some(m @ (ChannelMsg::Success | ChannelMsg::Failure)) => return m,
                Some(ChannelMsg::Close) | None => panic!("no reply"),
                Some(_) => {}
            }
        }
    }

    async fn send(&self, bytes: &[u8]) {
        self.ch.data_bytes(bytes.to_vec()).await.unwrap();
    }

    fn text(&self) -> String {
        self.screen.screen().contents()
    }

    fn row(&self, r: u16) -> String {
        let (_, cols) = self.screen.screen().size();
        self.screen.screen().contents_between(r, 0, r, cols)
    }

    async fn wait_closed(&mut self) {
        let until = Instant::now() + LIMIT;
        while !self.closed {
            if self.next(until).await.is_none() {
                break;
            }
        }
        assert!(self.closed, "the channel stayed open");
    }
}

async fn eventually(what: &str, limit: Duration, cond: impl Fn() -> bool) {
    let until = Instant::now() + limit;
    while !cond() {
        assert!(Instant::now() < until, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listed_key_gets_in_another_does_not_nor_none_without_open() {
    let alice = key();
    let mallory = key();
    let (server, log) = server_for(&[&alice]);
    let _ok = login(&server, &alice).await;

    let mut h = connect(&server).await;
    let refused = h
        .authenticate_publickey("m", PrivateKeyWithHashAlg::new(Arc::new(mallory), None))
        .await
        .unwrap();
    assert!(!refused.success());
    let none = h.authenticate_none("m").await.unwrap();
    assert!(!none.success());
    let password = h.authenticate_password("m", "hunter2").await.unwrap();
    assert!(!password.success(), "passwords are never accepted");
    drop(h);
    eventually("the log says the refused connection ended", LIMIT, || {
        log.text().contains("auth failed")
    })
    .await;
    let text = log.text();
    assert!(
        text.contains("auth ok, user \"reader\", key SHA256:"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "the log holds what a user typed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_lets_anyone_in_without_a_key() {
    let (server, _log) = server_with(Access::Open, |_| {});
    let mut h = connect(&server).await;
    assert!(h.authenticate_none("guest").await.unwrap().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_screen_a_key_a_window_change_and_quit() {
    let alice = key();
    let (server, log) = server_for(&[&alice]);
    let h = login(&server, &alice).await;
    let mut t = Term::open(&h, 80, 24).await;
    t.wait_for("the first screen", |s| {
        s.contains("G7内務・安全担当大臣コミュニケ")
    })
    .await;
    assert!(t.row(23).contains("q quit"), "hint line: {}", t.row(23));
    // A goto typed as a slow link delivers it: all in one write.
    t.send(b":23\r").await;
    t.wait_for("paragraph 23 at the top", |s| s.contains("g7:23"))
        .await;
    assert!(t.row(1).contains("23."), "{}", t.text());
    // The window narrows: the tree goes, the text is laid out again.
    t.ch.window_change(40, 15, 0, 0).await.unwrap();
    t.screen.screen_mut().set_size(15, 40);
    t.wait_for("the narrow layout", |s| {
        !s.contains('│') && s.contains("23. 我々は")
    })
    .await;
    assert!(
        !t.text().contains('│'),
        "the tree is still shown at 40 columns:\n{}",
        t.text()
    );
    assert_eq!(server.sessions(), 1);
    t.send(b"q").await;
    t.wait_closed().await;
    assert_eq!(t.exit, Some(0));
    eventually("the session is freed", LIMIT, || server.sessions() == 0).await;
    let text = log.text();
    assert!(text.contains("session ended: quit"), "{text}");
    // Past each line's timestamp (whose clock may well read :23), and but for the key's
    // fingerprint (base64 may hold "23" after its colon), nothing typed.
    let logged: Vec<String> = text
        .lines()
        .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest))
        .map(|l| {
            l.split(' ')
                .filter(|w| !w.starts_with("SHA256:"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(
        logged.iter().all(|l| !l.contains(":23")),
        "the log holds key strokes: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_probe_question_and_answer_travel_over_the_channel() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, _log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.probe = true;
    });
    let h = login(&server, &alice).await;
    let mut t = Term::open(&h, 80, 24).await;
    // Answered narrow: the box-drawing border stays.
    t.wait_for("the first screen", |s| s.contains("│")).await;
    t.send(b"j").await;
    t.wait_for("a key after the probe", |s| s.contains("│"))
        .await;

    // A terminal that does not answer: ASCII borders once the probe gives up.
    let mut silent = Term::open(&login(&server, &alice).await, 80, 24).await;
    silent.answer_probe = false;
    silent
        .wait_for("ASCII borders", |s| s.contains("G7") && !s.contains("│"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_subsystem_forwarding_and_env_are_refused_and_the_session_goes_on() {
    let alice = key();
    let (server, log) = server_for(&[&alice]);
    let h = login(&server, &alice).await;
    let mut t = Term::at_first_screen(&h, 80, 24).await;

    t.ch.exec(true, "cat /etc/passwd").await.unwrap();
    assert!(matches!(t.reply().await, ChannelMsg::Failure));
    t.ch.request_subsystem(true, "sftp").await.unwrap();
    assert!(matches!(t.reply().await, ChannelMsg::Failure));
    t.ch.set_env(true, "LD_PRELOAD", "/tmp/x.so").await.unwrap();
    assert!(matches!(t.reply().await, ChannelMsg::Failure));
    // russh answers an agent request with a global failure, not a channel one: no reply is
    // waited for, and no agent channel is ever opened.
    t.ch.agent_forward(false).await.unwrap();
    assert!(h.tcpip_forward("127.0.0.1", 0).await.is_err());
    assert!(
        h.channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 5000)
            .await
            .is_err()
    );
    // A second session channel is refused too.
    assert!(h.channel_open_session().await.is_err());

    t.send(b":VII\r").await;
    t.wait_for("section VII", |s| s.contains("VII. 児童の性的搾取"))
        .await;
    let text = log.text();
    for refused in ["exec", "a subsystem", "port forwarding", "agent forwarding"] {
        assert!(text.contains(&format!("refused {refused}")), "{text}");
    }
    assert!(
        !text.contains("/etc/passwd") && !text.contains("LD_PRELOAD"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_drops_mid_frame_is_gone_within_a_second() {
    let alice = key();
    let (server, log) = server_for(&[&alice]);
    let h = login(&server, &alice).await;
    let t = Term::at_first_screen(&h, 200, 60).await;
    assert_eq!(server.sessions(), 1);
    // Ask for frames and go away without reading them or saying goodbye.
    t.send(b"GggGggGggG").await;
    drop(t);
    drop(h);
    let gone = Instant::now();
    eventually("the session is freed", Duration::from_secs(5), || {
        server.sessions() == 0 && server.connections() == 0
    })
    .await;
    assert!(
        gone.elapsed() < Duration::from_secs(1),
        "took {:?}",
        gone.elapsed()
    );
    eventually("the end is logged", LIMIT, || {
        log.text().contains("session ended")
    })
    .await;
}

/// A client that stops reading (its SSH window runs out, then the server's queue of frames
/// fills): the frame that waits past the write limit ends the session and frees its thread,
/// logged, where it used to hold the thread until TCP gave up; it is not taken for a hang,
/// and the other sessions answer meanwhile. Its frames come from the presenter it follows,
/// so they go on while it sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_ended_at_the_write_limit() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.write_limit = Duration::from_millis(300);
        o.hang_limit = Duration::from_secs(60);
    });
    let mut presenter = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    presenter.send(b"P").await;
    presenter
        .wait_for("presenting", |s| s.contains("presenting"))
        .await;
    eventually("the stage knows", LIMIT, || server.presenter().is_some()).await;
    let client = Client::default();
    let stop = Arc::clone(&client.stop_reading);
    let h = login_as(&server, &alice, client).await;
    let mut stalled = Term::at_first_screen(&h, 200, 60).await;
    stalled.send(b"F").await;
    stalled
        .wait_for("following", |s| s.contains("following reader"))
        .await;
    // From here on nothing is read from it; the presenter moves, its every move a frame.
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    // (Its window, 2 MB, and the server's queue fill first: a thousand moves or more.)
    let until = Instant::now() + 3 * LIMIT;
    let mut k = 0;
    while !log.text().contains("stopped reading") {
        assert!(Instant::now() < until, "never ended: {}", log.text());
        presenter
            .send(if k % 2 == 0 { b":VII\r" } else { b":23\r\x0c" })
            .await;
        k += 1;
        let _ = presenter
            .next(Instant::now() + Duration::from_millis(2))
            .await;
    }
    eventually("its thread freed", LIMIT, || {
        server.sessions() == 1 && server.session_threads() == 1
    })
    .await;
    assert!(!log.text().contains("hung"), "{}", log.text());
    presenter.send(b":23\r").await;
    presenter
        .wait_for("the other session answers", |s| s.contains("g7:23"))
        .await;
    drop(stalled);
}

/// A long but honest turn is not a hang: in a served large text, the first link key (the
/// links, citations and index of the whole text, found once by the server for every session)
/// and following a presenter deep into it (only the text there laid out) answer well within
/// a tight hang limit, and the session goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_work_in_a_served_large_text_is_not_a_hang() {
    let text = repeated::repeated_text(100);
    let corpus = kaigi::corpus::Corpus {
        documents: vec![kaigi::corpus::parse_document("big", "big.txt", &text)],
    };
    let log = Kept::default();
    let server = ssh::start_serving(corpus, Access::Open, Box::new(log.clone()), |o| {
        o.hang_limit = Duration::from_secs(2);
    });
    let alice = key();
    let mut presenter = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    let mut reader = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    // The first link key: `>` selects the next link on screen, or says there is none.
    reader.send(b">").await;
    reader
        .wait_for("an answer to the link key", |s| {
            s.lines().last().is_some_and(|l| l.contains("link"))
        })
        .await;
    presenter.send(b"P").await;
    presenter
        .wait_for("presenting", |s| s.contains("presenting"))
        .await;
    eventually("the stage knows", LIMIT, || server.presenter().is_some()).await;
    reader.send(b"F").await;
    presenter.send(b":3500\r").await;
    reader
        .wait_for("paragraph 3500 at the top", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains("3500."))
        })
        .await;
    assert_eq!(server.sessions(), 2, "{}", log.text());
    assert!(!log.text().contains("hung"), "{}", log.text());
}

/// A client that vanishes while its session is idle (nothing in flight, nothing typed): the
/// connection's end ends the session and frees its thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_vanishes_while_idle_frees_its_session_and_thread() {
    let alice = key();
    let (server, log) = server_for(&[&alice]);
    let h = login(&server, &alice).await;
    let mut t = Term::at_first_screen(&h, 80, 24).await;
    // Let the first frame and the idle work after it finish.
    let until = Instant::now() + Duration::from_millis(500);
    while t.next(until).await.is_some() {}
    assert_eq!((server.sessions(), server.session_threads()), (1, 1));
    drop(t);
    drop(h);
    eventually("the connection is closed", LIMIT, || {
        server.connections() == 0
    })
    .await;
    eventually("the session and its thread are freed", LIMIT, || {
        server.sessions() == 0 && server.session_threads() == 0
    })
    .await;
    eventually("the end is logged", LIMIT, || {
        log.text().contains("session ended: client gone")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_client_past_the_limit_is_told_the_server_is_full() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, _log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.max_sessions = 1;
    });
    let h1 = login(&server, &alice).await;
    let first = Term::at_first_screen(&h1, 80, 24).await;
    let h2 = login(&server, &alice).await;
    let mut second = Term::open(&h2, 80, 24).await;
    second
        .wait_for("the refusal", |s| s.contains("kaigi: server full"))
        .await;
    second.wait_closed().await;
    assert_eq!(second.exit, Some(1));
    first.send(b"j").await;
    assert_eq!(server.sessions(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn window_sizes_are_clamped() {
    let alice = key();
    let (server, _log) = server_for(&[&alice]);
    let h = login(&server, &alice).await;
    let ch = h.channel_open_session().await.unwrap();
    ch.request_pty(true, "xterm", 0, 100_000, 0, 0, &[])
        .await
        .unwrap();
    ch.request_shell(true).await.unwrap();
    let mut t = Term {
        ch,
        screen: vt100::Parser::new(24, 80, 0),
        answer_probe: true,
        exit: None,
        closed: false,
    };
    // 1 column wide: "too small", not a panic, not a hang; then a real size.
    t.ch.window_change(80, 24, 0, 0).await.unwrap();
    t.wait_for("the screen at a real size", |s| s.contains("G7"))
        .await;
    assert_eq!(server.sessions(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_panics_leaves_the_others_working() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.panic_trigger = Some(b"\x1b[99~PANIC".to_vec());
    });
    let h1 = login(&server, &alice).await;
    let mut calm = Term::at_first_screen(&h1, 80, 24).await;
    let h2 = login(&server, &alice).await;
    let mut doomed = Term::at_first_screen(&h2, 80, 24).await;
    doomed.send(b"\x1b[99~PANIC").await;
    doomed.wait_closed().await;
    eventually("one session left", LIMIT, || server.sessions() == 1).await;
    calm.send(b":23\r").await;
    calm.wait_for("the other session still answers", |s| s.contains("g7:23"))
        .await;
    assert!(
        log.text().contains("panicked (this session only)"),
        "{}",
        log.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_does_not_authenticate_in_time_is_closed() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.auth_timeout = Duration::from_millis(300);
    });
    let _h = connect(&server).await;
    // Counted, unless the key exchange took longer than the limit (a debug build on a loaded
    // machine): then it may be gone already, and the log says why.
    eventually("the connection is counted", LIMIT, || {
        server.connections() == 1 || log.text().contains("authentication timed out")
    })
    .await;
    eventually("the connection is closed", LIMIT, || {
        server.connections() == 0
    })
    .await;
    assert!(
        log.text().contains("authentication timed out"),
        "{}",
        log.text()
    );
}

/// The first line of the reader's text (row 1), at a width without the tree.
fn top_text(t: &Term) -> String {
    t.row(1).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_presents_another_follows_pauses_on_its_own_key_and_resumes() {
    let alice = key();
    let (server, _log) = server_for(&[&alice]);
    let mut presenter = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    // The follower reads at its own width: no tree, its own line breaks.
    let mut follower = Term::at_first_screen(&login(&server, &alice).await, 44, 20).await;

    presenter.send(b"P").await;
    presenter
        .wait_for("presenting", |s| s.contains("presenting"))
        .await;
    eventually("the stage knows", LIMIT, || server.presenter().is_some()).await;
    presenter.send(b":23\r").await;
    follower
        .wait_for("the note", |s| {
            s.contains("reader is presenting — at g7:23")
        })
        .await;
    // Nothing moved yet: following is asked for with F.
    assert!(!top_text(&follower).starts_with("23."));
    follower.send(b"F").await;
    follower
        .wait_for("paragraph 23 at the top", |s| {
            s.lines()
                .nth(1)
                .is_some_and(|l| l.trim_start().starts_with("23."))
        })
        .await;
    presenter.send(b":VII\r").await;
    follower
        .wait_for("section VII at the top", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains("VII. 児童"))
        })
        .await;
    assert!(
        follower.text().contains("following reader"),
        "{}",
        follower.text()
    );

    // Moving on one's own pauses; the presenter's moves no longer move this reader.
    follower.send(b"j").await;
    follower
        .wait_for("paused", |s| s.contains("paused following reader"))
        .await;
    let paused_at = top_text(&follower);
    presenter.send(b":23\r").await;
    follower
        .wait_for("the paused note", |s| s.contains("is at g7:23 · F resumes"))
        .await;
    assert_eq!(top_text(&follower), paused_at);
    // F resumes: back where the presenter is.
    follower.send(b"F").await;
    follower
        .wait_for("paragraph 23 again", |s| {
            s.lines()
                .nth(1)
                .is_some_and(|l| l.trim_start().starts_with("23."))
        })
        .await;
    // The presenter never moved with the follower.
    presenter.send(b"\x0c").await;
    presenter
        .wait_for("the presenter at 23", |s| s.contains("g7:23"))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_listed_presenters_may_present_and_the_next_takes_over() {
    let chair = key();
    let member = key();
    let keys = vec![chair.public_key().clone(), member.public_key().clone()];
    let presenters = AuthorizedKeys::from_keys(vec![chair.public_key().clone()]);
    let (server, _log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.presenters = Some(presenters);
    });
    let mut m = Term::at_first_screen(&login(&server, &member).await, 80, 24).await;
    m.send(b"P").await;
    m.wait_for("the refusal", |s| {
        s.contains("only the keys in the presenters file")
    })
    .await;
    assert_eq!(server.presenter(), None);
    let mut c1 = Term::at_first_screen(&login(&server, &chair).await, 80, 24).await;
    c1.send(b"P").await;
    c1.wait_for("presenting", |s| s.contains("presenting"))
        .await;
    let mut c2 = Term::at_first_screen(&login(&server, &chair).await, 80, 24).await;
    c2.send(b"P").await;
    c2.wait_for("taking over", |s| s.contains("taking over from reader"))
        .await;
    c1.wait_for("the note to the previous presenter", |s| {
        s.contains("is presenting now: you stopped")
    })
    .await;
}

/// A session that stops taking its turns is ended from outside once the hang limit passes,
/// though its client types nothing more; its thread is freed when it waits for input again,
/// and the other sessions never wait for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_hangs_is_ended_and_the_others_carry_on() {
    let alice = key();
    let keys = vec![alice.public_key().clone()];
    let (server, log) = server_with(Access::Keys(AuthorizedKeys::from_keys(keys)), |o| {
        o.hang_trigger = Some(b"\x1b[98~HANG".to_vec());
        o.hang_limit = Duration::from_secs(1);
    });
    let mut calm = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    let mut stuck = Term::at_first_screen(&login(&server, &alice).await, 80, 24).await;
    stuck.send(b"\x1b[98~HANG").await;
    // The other session answers while this one is stuck.
    calm.send(b":23\r").await;
    calm.wait_for("the other session answers", |s| s.contains("g7:23"))
        .await;
    // Nothing more is typed into the stuck one: the watch ends it all the same.
    stuck
        .wait_for("the note", |s| {
            s.contains("kaigi: this session stopped answering")
        })
        .await;
    stuck.wait_closed().await;
    assert_eq!(stuck.exit, Some(1));
    eventually("one session left", LIMIT, || server.sessions() == 1).await;
    assert!(log.text().contains("session ended: hung"), "{}", log.text());
    // Its thread, once it waits for input again, finds none coming and is freed.
    eventually("the hung session's thread freed", LIMIT, || {
        server.session_threads() == 1
    })
    .await;
    assert!(
        log.text().contains("the hung session's thread ended"),
        "{}",
        log.text()
    );
    calm.send(b"j").await;
    calm.wait_for("the other session still answers", |s| s.contains("g7:23"))
        .await;
}

/// A `kaigi serve` process, ended however the test ends.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `kaigi serve` itself, with a config file: the sessions it serves draw with the file's
/// `[theme]` and answer its `[keys]`, as the local browser does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_sessions_use_the_servers_config_file() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("kaigi-serve-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[keys]\nx = \"quit\"\n[theme]\nheading = \"reverse\"\n",
    )
    .unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_kaigi"))
        .env_remove("KAIGI_CONFIG")
        .args(["--config", config.to_str().unwrap()])
        .args([
            "--ambiguous",
            "narrow",
            "--color",
            "never",
            "serve",
            "--open",
        ])
        .args(["--listen", "127.0.0.1:0", "--host-key"])
        .arg(dir.join("host_ed25519"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(Killed)
        .unwrap();
    let mut lines = std::io::BufReader::new(server.0.stdout.take().unwrap()).lines();
    let addr: std::net::SocketAddr = lines
        .find_map(|l| l.ok()?.strip_prefix("kaigi: serving on ")?.parse().ok())
        .expect("the address it serves on");

    let mut h = ssh::connect(addr).await;
    assert!(h.authenticate_none("guest").await.unwrap().success());
    let mut t = Term::open(&h, 80, 24).await;
    let heading_reversed = |t: &Term| {
        let screen = t.screen.screen();
        common::find_in_reader(screen, "前文")
            .is_some_and(|(r, c)| screen.cell(r, c).is_some_and(vt100::Cell::inverse))
    };
    t.wait_for("the first screen", |s| s.contains("前文")).await;
    let until = Instant::now() + LIMIT;
    while !heading_reversed(&t) {
        assert!(
            Instant::now() < until,
            "the heading is not reversed:\n{}",
            t.text()
        );
        let _ = t.next(until).await;
    }
    // `x` quits, as the file says (by default it is no key).
    t.send(b"x").await;
    t.wait_closed().await;
    assert_eq!(t.exit, Some(0));

    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
