//! One SSH connection: russh's handler. It authenticates by public key (or lets anyone in
//! with `--open`), accepts one session channel with a pty and a shell, and refuses
//! everything else. Its limits: the number of sessions, the time to authenticate, failed
//! authentications (russh's `max_auth_attempts`), idle time (russh's inactivity timeout).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use russh::keys::PrivateKey;
use russh::keys::ssh_key::PublicKey;
use russh::server::{self, Auth, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use tokio::net::TcpListener;

use super::session::{self, Input};
use super::{Access, Options, Shared, clamp_side, keys};

/// russh's configuration from the server's options.
pub(super) fn russh_config(options: &Options, host_key: PrivateKey) -> server::Config {
    let methods: &[MethodKind] = match options.access {
        Access::Open => &[MethodKind::None, MethodKind::PublicKey],
        Access::Keys(_) => &[MethodKind::PublicKey],
    };
    server::Config {
        methods: MethodSet::from(methods),
        keys: vec![host_key],
        auth_rejection_time: std::time::Duration::from_millis(300),
        auth_rejection_time_initial: Some(std::time::Duration::ZERO),
        max_auth_attempts: options.max_auth_failures,
        inactivity_timeout: Some(options.idle_timeout),
        // A peer that vanished without closing the connection is found out.
        keepalive_interval: Some(std::time::Duration::from_secs(15)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    }
}

/// At most this many connections at once, authenticated or not: a session each, and as many
/// again still authenticating.
fn max_connections(options: &Options) -> usize {
    options.max_sessions.saturating_mul(2).max(4)
}

/// Accepts connections until the listener fails.
pub(super) async fn accept_loop(
    listener: TcpListener,
    config: Arc<server::Config>,
    shared: Arc<Shared>,
) -> std::io::Error {
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(c) => c,
            // Out of descriptors and the like: log it, and go on after a moment.
            Err(e) if !matches!(e.kind(), std::io::ErrorKind::InvalidInput) => {
                shared.log.line(&format!("accept failed: {e}"));
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
            Err(e) => return e,
        };
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        if shared.connections.load(Ordering::SeqCst) >= max_connections(&shared.options) {
            shared.log.line(&format!(
                "conn {id} from {peer}: refused, too many connections"
            ));
            drop(socket);
            continue;
        }
        shared.connections.fetch_add(1, Ordering::SeqCst);
        shared.log.line(&format!("conn {id} from {peer}"));
        let config = Arc::clone(&config);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let cause = serve_connection(id, peer, socket, config, &shared).await;
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            shared.log.line(&format!("conn {id} closed: {cause}"));
        });
    }
}

/// Runs one connection to its end; says why it ended.
async fn serve_connection(
    id: u64,
    peer: SocketAddr,
    socket: tokio::net::TcpStream,
    config: Arc<server::Config>,
    shared: &Arc<Shared>,
) -> String {
    let authed = Arc::new(AtomicBool::new(false));
    let handler = Conn {
        shared: Arc::clone(shared),
        id,
        peer,
        authed: Arc::clone(&authed),
        failures: 0,
        user: String::new(),
        key: None,
        channel: None,
        pty: None,
        input: None,
        health: None,
    };
    let timeout = shared.options.auth_timeout;
    let running =
        match tokio::time::timeout(timeout, server::run_stream(config, socket, handler)).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return format!("handshake failed ({e})"),
            Err(_) => return "handshake timed out".into(),
        };
    let handle = running.handle();
    let watch = Arc::clone(&authed);
    let deadline = tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        if !watch.load(Ordering::SeqCst) {
            let _ = handle
                .disconnect(
                    russh::Disconnect::ByApplication,
                    "kaigi: authentication timed out".into(),
                    String::new(),
                )
                .await;
            return true;
        }
        false
    });
    let result = running.await;
    let timed_out = if deadline.is_finished() {
        deadline.await.unwrap_or(false)
    } else {
        deadline.abort();
        false
    };
    match result {
        _ if timed_out => "authentication timed out".into(),
        Ok(()) => "by the client".into(),
        Err(e) => describe(&e),
    }
}

fn describe(e: &russh::Error) -> String {
    match e {
        russh::Error::InactivityTimeout => "idle timeout".into(),
        russh::Error::KeepaliveTimeout => "client vanished (no keepalive answer)".into(),
        russh::Error::Disconnect | russh::Error::HUP => "by the client".into(),
        e => format!("error ({e})"),
    }
}

/// The handler of one connection.
struct Conn {
    shared: Arc<Shared>,
    id: u64,
    peer: SocketAddr,
    authed: Arc<AtomicBool>,
    failures: usize,
    /// Who authenticated: the user name and the key.
    user: String,
    key: Option<PublicKey>,
    /// The one session channel.
    channel: Option<ChannelId>,
    /// The pty asked for: TERM and size.
    pty: Option<(String, u16, u16)>,
    /// To the session's thread, once it runs (`Some` from then on), and its pulse.
    input: Option<session::Inlet>,
    health: Option<Arc<session::Health>>,
}

impl Conn {
    fn allowed(&self, key: &PublicKey) -> bool {
        match &self.shared.options.access {
            Access::Open => true,
            Access::Keys(keys) => keys.contains(key),
        }
    }

    /// The client closed (or sent EOF on) a channel: the session's, it ends, and nothing
    /// more goes to it.
    fn closed(&mut self, channel: ChannelId) {
        if Some(channel) == self.channel {
            self.send(Input::Closed);
            if let Some(inlet) = &self.input {
                inlet.close();
            }
        }
    }

    fn send(&self, input: Input) {
        if let Some(inlet) = &self.input {
            inlet.send(input);
        }
    }

    fn refuse(
        &self,
        what: &str,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), russh::Error> {
        self.shared
            .log
            .line(&format!("conn {}: refused {what}", self.id));
        session.channel_failure(channel)
    }
}

impl server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        if matches!(self.shared.options.access, Access::Open) {
            self.shared.log.line(&format!(
                "conn {}: auth ok, user {user:?}, open server (no key)",
                self.id
            ));
            self.user = user.to_string();
            return Ok(Auth::Accept);
        }
        Ok(Auth::reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        if self.allowed(key) {
            Ok(Auth::Accept)
        } else {
            self.failures += 1;
            Ok(Auth::reject())
        }
    }

    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        if self.allowed(key) {
            self.shared.log.line(&format!(
                "conn {}: auth ok, user {user:?}, key {}",
                self.id,
                keys::fingerprint(key)
            ));
            self.user = user.to_string();
            self.key = Some(key.clone());
            Ok(Auth::Accept)
        } else {
            self.failures += 1;
            Ok(Auth::reject())
        }
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.authed.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One browser a connection; dropping the reply refuses the channel.
            self.shared.log.line(&format!(
                "conn {}: refused a second session channel",
                self.id
            ));
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_some() {
            return session.channel_failure(channel);
        }
        let term: String = term
            .chars()
            .filter(char::is_ascii_graphic)
            .take(64)
            .collect();
        self.pty = Some((term, clamp_side(col_width), clamp_side(row_height)));
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_some() {
            return session.channel_failure(channel);
        }
        let Some((term, w, h)) = self.pty.clone() else {
            session.channel_success(channel)?;
            session.data(
                channel,
                &b"kaigi: the browser needs a terminal: connect with ssh -t\r\n"[..],
            )?;
            return end_channel(session, channel, 1);
        };
        let shared = &self.shared;
        let now = shared.sessions.fetch_add(1, Ordering::SeqCst);
        if now >= shared.options.max_sessions {
            shared.sessions.fetch_sub(1, Ordering::SeqCst);
            shared.log.line(&format!(
                "conn {}: refused, server full ({now} sessions)",
                self.id
            ));
            session.channel_success(channel)?;
            session.data(channel, &b"kaigi: server full\r\n"[..])?;
            return end_channel(session, channel, 1);
        }
        session.channel_success(channel)?;
        let may_present = match &shared.options.presenters {
            None => true,
            Some(list) => self.key.as_ref().is_some_and(|k| list.contains(k)),
        };
        let (input, health) = session::spawn(
            Arc::clone(shared),
            &session::Who {
                id: self.id,
                name: presenter_name(&self.user),
                may_present,
            },
            &term,
            (w, h),
            session.handle(),
            channel,
        );
        tokio::spawn(watch(
            Arc::clone(shared),
            Arc::clone(&health),
            input.clone(),
            session.handle(),
            channel,
            self.id,
        ));
        self.input = Some(input);
        self.health = Some(health);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("exec", channel, session)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("a subsystem", channel, session)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Every OpenSSH client sends LANG: refused without a log line.
        session.channel_failure(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("X11 forwarding", channel, session)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.shared
            .log
            .line(&format!("conn {}: refused agent forwarding", self.id));
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.shared
            .log
            .line(&format!("conn {}: refused port forwarding", self.id));
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            self.send(Input::Resize(clamp_side(col_width), clamp_side(row_height)));
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return Ok(());
        }
        self.send(Input::Bytes(data.to_vec()));
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.closed(channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.closed(channel);
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // However the connection ended (the client left, vanished past the keepalives, the
        // idle limit), its session ends with it: the stage's way in keeps the thread's input
        // open, so the end is said, not left to a closed channel.
        self.send(Input::Closed);
        if !self.authed.load(Ordering::SeqCst) && self.failures > 0 {
            self.shared.log.line(&format!(
                "conn {} from {}: auth failed ({} key(s) refused)",
                self.id, self.peer, self.failures
            ));
        }
    }
}

/// Watches a session's pulse, from its start until its thread ends: one that has taken no
/// turn for the hang limit (whether its client types or not) is ended from outside — taken
/// off the count and the stage, its client told and its channel closed; the other sessions
/// never wait for it. A thread that waits for input again then finds none coming and ends.
async fn watch(
    shared: Arc<Shared>,
    health: Arc<session::Health>,
    inlet: session::Inlet,
    handle: server::Handle,
    channel: ChannelId,
    id: u64,
) {
    let limit = shared.options.hang_limit;
    let every = (limit / 4).max(std::time::Duration::from_millis(10));
    loop {
        tokio::time::sleep(every).await;
        if health.is_ended() {
            return;
        }
        if health.hung(limit) {
            break;
        }
    }
    health.end(&shared);
    inlet.close();
    shared.stage.leave(id);
    shared.log.line(&format!(
        "conn {id}: session ended: hung (no turn for {limit:?})"
    ));
    let _ = handle
        .data(
            channel,
            &b"\r\nkaigi: this session stopped answering\r\n"[..],
        )
        .await;
    let _ = handle.exit_status_request(channel, 1).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}

fn end_channel(session: &mut Session, channel: ChannelId, status: u32) -> Result<(), russh::Error> {
    session.exit_status_request(channel, status)?;
    session.eof(channel)?;
    session.close(channel)
}

/// The name others see for a presenter: the SSH user name, printable, at most 32 characters.
fn presenter_name(user: &str) -> String {
    let name: String = user.chars().filter(|c| !c.is_control()).take(32).collect();
    if name.trim().is_empty() {
        "someone".into()
    } else {
        name
    }
}
