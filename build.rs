//! Names the build: `seira --version` says the version and the git commit it was built from
//! ("unknown" outside a git checkout, e.g. from a source package), so a centre's IT can say
//! exactly what runs.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let version = env!("CARGO_PKG_VERSION");
    println!("cargo:rustc-env=SEIRA_VERSION={version} (commit {commit})");
    // A new commit or checkout changes HEAD or the branch it points to.
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Ok(head) = std::fs::read_to_string(".git/HEAD")
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        println!("cargo:rerun-if-changed=.git/{branch}");
    }
}
