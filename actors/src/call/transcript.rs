//! The call's transcript as the provider reports it: caller lines from input
//! transcription, assistant lines from the audio transcript. An interrupted answer has
//! no `done` event, so its deltas are kept and committed when its response ends.

use std::collections::HashMap;
use std::fmt::Write;

use super::summary::Speaker;

/// Longest line kept (characters); the rest of a runaway line is cut.
const MAX_LINE_CHARS: usize = 4_000;
/// Most lines kept; older lines are dropped past this (a call of hours).
const MAX_LINES: usize = 2_000;

/// Lines so far plus assistant text still arriving.
#[derive(Debug, Default)]
pub(crate) struct Transcript {
    lines: Vec<(Speaker, String)>,
    partial: HashMap<String, String>,
}

impl Transcript {
    /// A piece of the assistant's speech for `item`.
    pub(crate) fn assistant_delta(&mut self, item: &str, text: &str) {
        let line = self.partial.entry(item.to_owned()).or_default();
        if line.len() + text.len() <= MAX_LINE_CHARS {
            line.push_str(text);
        }
    }

    /// The full text of the assistant's speech for `item`.
    pub(crate) fn assistant_done(&mut self, item: &str, text: &str) {
        self.partial.remove(item);
        self.push(Speaker::Assistant, text);
    }

    /// What the caller said.
    pub(crate) fn caller(&mut self, text: &str) {
        self.push(Speaker::Caller, text);
    }

    /// Commits the assistant text of answers that ended without a `done` (interrupted,
    /// cancelled or cut off by a dropped session).
    pub(crate) fn commit_partials(&mut self) {
        let mut partial: Vec<_> = self.partial.drain().collect();
        partial.sort();
        for (_, text) in partial {
            self.push(Speaker::Assistant, &text);
        }
    }

    fn push(&mut self, speaker: Speaker, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if self.lines.len() == MAX_LINES {
            self.lines.remove(0);
        }
        let text: String = text.chars().take(MAX_LINE_CHARS).collect();
        self.lines.push((speaker, text));
    }

    /// The lines so far (partials committed first).
    pub(crate) fn finish(&mut self) -> Vec<(Speaker, String)> {
        self.commit_partials();
        self.lines.clone()
    }

    /// The last lines as plain text of at most about `budget` characters, for a new
    /// session's instructions after a reconnect.
    pub(crate) fn recap(&self, budget: usize) -> String {
        let mut picked = Vec::new();
        let mut used = 0;
        for (speaker, text) in self.lines.iter().rev() {
            let cost = text.len() + 12;
            if used + cost > budget {
                break;
            }
            used += cost;
            picked.push((speaker, text));
        }
        let mut out = String::with_capacity(used);
        for (speaker, text) in picked.into_iter().rev() {
            let who = match speaker {
                Speaker::Caller => "Caller",
                Speaker::Assistant => "You",
            };
            let _ = writeln!(out, "{who}: {text}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_replaces_deltas_and_partials_commit_in_item_order() {
        let mut t = Transcript::default();
        t.assistant_delta("item_1", "Hello");
        t.assistant_delta("item_1", " there");
        t.assistant_done("item_1", "Hello there.");
        t.caller("I need a detail");
        t.assistant_delta("item_3", "Sure, we");
        let lines = t.finish();
        assert_eq!(
            lines,
            vec![
                (Speaker::Assistant, "Hello there.".to_owned()),
                (Speaker::Caller, "I need a detail".to_owned()),
                (Speaker::Assistant, "Sure, we".to_owned()),
            ]
        );
    }

    #[test]
    fn recap_keeps_the_latest_lines_within_budget() {
        let mut t = Transcript::default();
        for i in 0..50 {
            t.caller(&format!("line {i}"));
        }
        t.caller("   ");
        let recap = t.recap(100);
        assert!(recap.ends_with("Caller: line 49\n"), "{recap}");
        assert!(recap.len() <= 100);
        assert!(!recap.contains("line 0\n"));
    }
}
