//! The in-process SSH client of `kaigi serve`'s tests (`tests/serve.rs`) and its load
//! benchmark (`examples/serve_load.rs`), included by both with `#[path]`: a server on an
//! ephemeral loopback port, a russh client that trusts it, and a pty session on it.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use kaigi::corpus::load_embedded;
use kaigi::serve::{Access, Log, Options, Server};
use russh::Channel;
use russh::client::{self, Handle, Msg};
use russh::keys::{Algorithm, PrivateKey};

/// A fresh ed25519 key (a host key or a user's).
pub fn key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap()
}

/// A server of the embedded documents on `127.0.0.1:0`, without the ambiguous-width probe
/// (`tweak` may turn it back on), logging to `log`.
pub fn start(
    access: Access,
    log: Box<dyn Write + Send>,
    tweak: impl FnOnce(&mut Options),
) -> Server {
    start_serving(load_embedded(), access, log, tweak)
}

/// As [`start`], serving `corpus`.
pub fn start_serving(
    corpus: kaigi::corpus::Corpus,
    access: Access,
    log: Box<dyn Write + Send>,
    tweak: impl FnOnce(&mut Options),
) -> Server {
    let mut options = Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        access,
        probe: false,
        ..Options::default()
    };
    tweak(&mut options);
    Server::start(corpus, key(), options, Log::new(log)).unwrap()
}

/// A client that takes any host key (the server was made a moment ago in this process).
/// Once `stop_reading` is set, it stops at the next data the server sends, for good, as a
/// peer that no longer reads: its window is not opened again and its socket not read.
#[derive(Default, Clone)]
pub struct Client {
    pub stop_reading: Arc<std::sync::atomic::AtomicBool>,
}

impl client::Handler for Client {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }

    async fn data(
        &mut self,
        _: russh::ChannelId,
        _: &[u8],
        _: &mut client::Session,
    ) -> Result<(), Self::Error> {
        if self.stop_reading.load(std::sync::atomic::Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        Ok(())
    }
}

/// A connection, not yet authenticated.
pub async fn connect(addr: SocketAddr) -> Handle<Client> {
    connect_as(addr, Client::default()).await
}

/// A connection of this client, not yet authenticated.
pub async fn connect_as(addr: SocketAddr, c: Client) -> Handle<Client> {
    client::connect(Arc::new(client::Config::default()), addr, c)
        .await
        .unwrap()
}

/// A session channel with a pty of `cols` x `rows` (`xterm-256color`) and a shell on it;
/// with `want_reply` the server's two replies are left on the channel to be read.
pub async fn open_pty(h: &Handle<Client>, cols: u16, rows: u16, want_reply: bool) -> Channel<Msg> {
    let ch = h.channel_open_session().await.unwrap();
    ch.request_pty(
        want_reply,
        "xterm-256color",
        u32::from(cols),
        u32::from(rows),
        0,
        0,
        &[],
    )
    .await
    .unwrap();
    ch.request_shell(want_reply).await.unwrap();
    ch
}
