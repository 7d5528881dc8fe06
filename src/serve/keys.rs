//! The server's host key (generated once, kept with mode 0600, written atomically) and the
//! client keys it lets in (an OpenSSH `authorized_keys` file).

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::{HashAlg, LineEnding};
use russh::keys::{Algorithm, PrivateKey, PublicKey};

/// Where the host key lives unless `--host-key` says: `$XDG_DATA_HOME/kaigi/host_ed25519`
/// (default `~/.local/share/kaigi/`).
#[must_use]
pub fn default_host_key_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => {
            PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".local/share")
        }
    };
    Some(base.join("kaigi").join("host_ed25519"))
}

/// The user's `~/.ssh/authorized_keys`.
#[must_use]
pub fn default_authorized_keys_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|v| !v.is_empty())?;
    Some(PathBuf::from(home).join(".ssh/authorized_keys"))
}

/// A host key and whether it was made just now.
pub struct HostKey {
    pub key: PrivateKey,
    pub generated: bool,
}

impl HostKey {
    /// The fingerprint users compare with what `ssh` shows them (`SHA256:…`).
    #[must_use]
    pub fn fingerprint(&self) -> String {
        fingerprint(self.key.public_key())
    }
}

/// A public key's SHA-256 fingerprint as OpenSSH prints it.
#[must_use]
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Reads the host key at `path`, or generates an ed25519 key there when there is no file.
/// A file that exists but cannot be read as a key is an error: it is never overwritten.
///
/// # Errors
/// The file could not be read or parsed, or the new key could not be written.
pub fn load_or_generate(path: &Path) -> Result<HostKey, String> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let key = PrivateKey::from_openssh(text.trim_start()).map_err(|e| {
                format!(
                    "host key {}: not an OpenSSH private key ({e})",
                    path.display()
                )
            })?;
            if key.is_encrypted() {
                return Err(format!(
                    "host key {}: encrypted keys are not supported",
                    path.display()
                ));
            }
            Ok(HostKey {
                key,
                generated: false,
            })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(|e| format!("host key: could not generate one ({e})"))?;
            let text = key
                .to_openssh(LineEnding::LF)
                .map_err(|e| format!("host key: could not encode it ({e})"))?;
            write_private(path, text.as_bytes())
                .map_err(|e| format!("host key {}: {e}", path.display()))?;
            Ok(HostKey {
                key,
                generated: true,
            })
        }
        Err(e) => Err(format!("host key {}: {e}", path.display())),
    }
}

/// Writes a secret file atomically: a temporary file beside it, created with mode 0600 and
/// synced, then renamed over. The directory is created (mode 0700) when missing.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    let name = path
        .file_name()
        .map_or_else(|| "key".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The keys of an `authorized_keys` file (options before a key are skipped; lines that are
/// no key are counted, not fatal).
#[derive(Debug, Default, Clone)]
pub struct AuthorizedKeys {
    keys: Vec<PublicKey>,
    pub skipped: usize,
}

impl AuthorizedKeys {
    /// Reads an `authorized_keys` file.
    ///
    /// # Errors
    /// The file could not be read.
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = fs::read_to_string(path)
            .map_err(|e| format!("authorized keys {}: {e}", path.display()))?;
        Ok(Self::parse(&text))
    }

    /// Parses the text of an `authorized_keys` file.
    #[must_use]
    pub fn parse(text: &str) -> Self {
        let mut out = AuthorizedKeys::default();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_key_line(line) {
                Some(k) => out.keys.push(k),
                None => out.skipped += 1,
            }
        }
        out
    }

    /// These keys.
    #[must_use]
    pub fn from_keys(keys: Vec<PublicKey>) -> Self {
        AuthorizedKeys { keys, skipped: 0 }
    }

    /// Whether `key` is listed (the comment does not count).
    #[must_use]
    pub fn contains(&self, key: &PublicKey) -> bool {
        self.keys.iter().any(|k| k.key_data() == key.key_data())
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// One line: `[options] type base64 [comment]`. The options may hold quoted spaces, so the key
/// is looked for from each word that names a key type.
fn parse_key_line(line: &str) -> Option<PublicKey> {
    if let Ok(k) = PublicKey::from_openssh(line) {
        return Some(k);
    }
    let mut rest = line;
    while let Some(i) = rest.find([' ', '\t']) {
        rest = rest[i..].trim_start();
        if let Ok(k) = PublicKey::from_openssh(rest) {
            return Some(k);
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_kept_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("kaigi-hostkey-{}", std::process::id()));
        let path = dir.join("kaigi").join("host_ed25519");
        let _ = fs::remove_dir_all(&dir);
        let first = load_or_generate(&path).unwrap();
        assert!(first.generated);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = load_or_generate(&path).unwrap();
        assert!(!again.generated);
        assert_eq!(first.fingerprint(), again.fingerprint());
        assert!(first.fingerprint().starts_with("SHA256:"));
        // A file that is not a key is an error and stays as it was.
        fs::write(&path, "not a key").unwrap();
        assert!(load_or_generate(&path).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "not a key");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn authorized_keys_with_options_comments_and_junk() {
        let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let other = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap();
        let line = key.public_key().to_openssh().unwrap();
        let text =
            format!("# a comment\n\nfrom=\"10.0.0.1,a b\",no-pty {line} alice@host\nnot a key\n");
        let keys = AuthorizedKeys::parse(&text);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys.skipped, 1);
        assert!(keys.contains(key.public_key()));
        assert!(!keys.contains(other.public_key()));
    }
}
