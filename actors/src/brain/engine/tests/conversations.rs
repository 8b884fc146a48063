//! Plays every scripted conversation in `fixtures/conversations/`.

use std::path::PathBuf;

use super::fixture::{play, Fixture};

/// The fixture directory, from the crate's manifest.
fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fixtures")
        .join("conversations")
}

/// Every fixture file, sorted by name.
pub(super) fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixtures/conversations exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn every_scripted_conversation_plays_as_written() {
    let only = std::env::var("ENGINE_FIXTURE").ok();
    let files = fixture_files();
    let mut report = String::new();
    let mut failed = 0;
    let mut played = 0;
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let fixture: Fixture = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failed += 1;
                report.push_str(&format!("\n{name}: does not parse: {e}\n"));
                continue;
            }
        };
        played += 1;
        let (transcript, failures) = play(&fixture).await;
        let verbose = std::env::var("ENGINE_VERBOSE").is_ok();
        if !failures.is_empty() || verbose {
            if !failures.is_empty() {
                failed += 1;
            }
            report.push_str(&format!(
                "\n{name} ({}):\n{transcript}  FAILED: {:?}\n",
                fixture.description, failures
            ));
        }
    }
    println!("{report}");
    assert_eq!(
        failed, 0,
        "{failed} of {played} conversations failed:{report}"
    );
    if only.is_none() {
        assert!(files.len() >= 40, "only {} conversation files", files.len());
    }
}
