//! `kaigi serve`: the flags, and start-up (the host key, the keys let in, the log) before the
//! server runs. Everything here fails with one clear line before anything listens.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args as ClapArgs;

use super::vocabulary;
use super::{Ambiguous, Args, CliError};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::serve::{self, Access, AuthorizedKeys, Log, Options, keys};

/// The flags of `kaigi serve`.
#[derive(Debug, Clone, ClapArgs)]
pub struct ServeArgs {
    /// Listen on this address (only loopback unless told otherwise).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: SocketAddr,
    /// The host key (OpenSSH format); default `$XDG_DATA_HOME/kaigi/host_ed25519`, generated
    /// (ed25519, mode 0600) when missing.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// The public keys let in (OpenSSH `authorized_keys` format); default
    /// `~/.ssh/authorized_keys`.
    #[arg(long, value_name = "FILE", conflicts_with = "open")]
    pub authorized_keys: Option<PathBuf>,
    /// Let anyone in, without a key (the session can only browse the loaded documents).
    #[arg(long)]
    pub open: bool,
    /// Sessions at once; the next client is told "kaigi: server full".
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_sessions: u16,
    /// Close a connection after this many seconds without input.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Close a connection not authenticated after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub auth_timeout: u64,
    /// Close a connection after this many failed authentications.
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_auth_failures: u16,
    /// Only the keys in this file (`authorized_keys` format) may present; without it anyone
    /// may, first come (the next to present takes over).
    #[arg(long, value_name = "FILE")]
    pub presenters: Option<PathBuf>,
    /// Log to this file (appended) instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

/// Starts the server and serves until it fails.
///
/// # Errors
/// A bad flag, key file or log file, an address that cannot be bound.
pub fn run(
    args: &Args,
    s: &ServeArgs,
    corpus: &Corpus,
    config: &Config,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let fail = |m: String| CliError::Serve(m);
    let access = if s.open {
        Access::Open
    } else {
        let path = s
            .authorized_keys
            .clone()
            .or_else(keys::default_authorized_keys_path)
            .ok_or_else(|| fail("no HOME: give --authorized-keys FILE or --open".into()))?;
        let keys = AuthorizedKeys::read(&path).map_err(fail)?;
        if keys.is_empty() {
            return Err(fail(format!(
                "authorized keys {}: no key in it (give --authorized-keys FILE, or --open)",
                path.display()
            )));
        }
        Access::Keys(keys)
    };
    let key_path = s
        .host_key
        .clone()
        .or_else(keys::default_host_key_path)
        .ok_or_else(|| fail("no XDG_DATA_HOME or HOME: give --host-key PATH".into()))?;
    let host = keys::load_or_generate(&key_path).map_err(fail)?;
    let log = match &s.log {
        None => Log::stderr(),
        Some(p) => Log::new(Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| fail(format!("log {}: {e}", p.display())))?,
        )),
    };
    let options = Options {
        listen: s.listen,
        access: access.clone(),
        max_sessions: usize::from(s.max_sessions),
        idle_timeout: Duration::from_secs(s.idle_timeout),
        auth_timeout: Duration::from_secs(s.auth_timeout),
        max_auth_failures: usize::from(s.max_auth_failures),
        presenters: match &s.presenters {
            Some(p) => Some(AuthorizedKeys::read(p).map_err(fail)?),
            None => None,
        },
        // As the local browser: the config file's [theme] and [keys] (the operator's, who
        // sets the meeting up).
        theme: args.theme(config),
        keymap: vocabulary::keymap(&config.keys),
        probe: !args.ascii && args.ambiguous == Ambiguous::Auto,
        panic_trigger: None,
        hang_trigger: None,
        hang_limit: Duration::from_secs(5),
        write_limit: Duration::from_secs(20),
    };
    let fingerprint = host.fingerprint();
    let server = serve::Server::start(corpus.clone(), host.key, options, log.clone())
        .map_err(|e| fail(format!("cannot listen on {}: {e}", s.listen)))?;
    let addr = server.local_addr();
    writeln!(out, "kaigi: serving on {addr}")?;
    writeln!(
        out,
        "kaigi: host key {} {}{fingerprint}",
        key_path.display(),
        if host.generated { "(new) " } else { "" }
    )?;
    match &access {
        Access::Open => writeln!(
            out,
            "kaigi: WARNING: --open: anyone who can reach {addr} gets in without a key"
        )?,
        Access::Keys(k) => writeln!(out, "kaigi: {} key(s) let in", k.len())?,
    }
    writeln!(
        out,
        "kaigi: connect with: ssh -p {} {}",
        addr.port(),
        addr.ip()
    )?;
    out.flush()?;
    server
        .wait()
        .map_err(|e| fail(format!("listening on {addr}: {e}")))
}
