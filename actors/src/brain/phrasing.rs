//! How the agent asks for an answer, per channel: the one place where the
//! engine's wording depends on how the customer answers. A text or a web
//! chat reads "Reply 1, 2 or 3 to book." and types "2"; a caller hears
//! "Say one, two or three." and says it. Everything else the engine says is
//! the same on every channel.

use crate::brain::agent::Channel;

/// The wording of answer prompts for one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrasing {
    channel: Channel,
}

impl Phrasing {
    /// The phrasing for `channel`.
    pub fn for_channel(channel: Channel) -> Self {
        Phrasing { channel }
    }

    fn spoken(self) -> bool {
        self.channel == Channel::Voice
    }

    /// `written` for a text or chat, `spoken` for a call.
    fn pick(self, written: &'static str, spoken: &'static str) -> &'static str {
        if self.spoken() {
            spoken
        } else {
            written
        }
    }

    /// After a list of `n` times: "Reply 1, 2 or 3 to book." / "Say one, two
    /// or three." (one time: "Reply 1 to book." / "Say yes to book it.").
    pub fn pick_time(self, n: usize) -> String {
        match (self.spoken(), n) {
            (true, 0 | 1) => String::from("Say yes to book it."),
            (true, n) => format!("Say {}.", choices(n, true)),
            (false, n) => format!("Reply {} to book.", choices(n, false)),
        }
    }

    /// After a list of `n` things: "Reply 1 or 2." / "Say one or two."
    pub fn pick_one(self, n: usize) -> String {
        let verb = if self.spoken() { "Say" } else { "Reply" };
        format!("{verb} {}.", choices(n, self.spoken()))
    }

    /// A short "which of them": "Which time works best: 1, 2 or 3?" /
    /// "Which time works best: one, two or three?"
    pub fn which_time(self, n: usize) -> String {
        format!("Which time works best: {}?", choices(n, self.spoken()))
    }

    /// After a numbered list: "Reply with a number." / "Just say its number."
    pub fn with_a_number(self) -> &'static str {
        self.pick("Reply with a number.", "Just say its number.")
    }

    /// "Which appointment do you mean?" with how to answer.
    pub fn which_appointment(self) -> &'static str {
        self.pick(
            "Which appointment do you mean? Reply with its number.",
            "Which appointment do you mean? Just say its number.",
        )
    }

    /// A yes to a proposed time: "Reply YES to book it" / "Say yes to book it"
    /// (no full stop: the caller may add more).
    pub fn yes_to_book(self) -> &'static str {
        self.pick("Reply YES to book it", "Say yes to book it")
    }

    /// A confirmation question's answers: "Reply YES to cancel or NO to keep
    /// it." / "Say yes to cancel, or no to keep it."
    pub fn yes_to_cancel(self) -> &'static str {
        self.pick(
            "Reply YES to cancel or NO to keep it.",
            "Say yes to cancel, or no to keep it.",
        )
    }

    /// How to ask for a person, at the start of a sentence: "Reply YES" /
    /// "Say yes".
    pub fn yes(self) -> &'static str {
        self.pick("Reply YES", "Say yes")
    }

    /// [`Phrasing::yes`] inside a sentence: "reply YES" / "say yes".
    pub fn yes_within(self) -> &'static str {
        self.pick("reply YES", "say yes")
    }

    /// A pack question's choices: "(Reply sedan, SUV, truck.)" / "(Say
    /// sedan, SUV or truck.)"
    pub fn options(self, options: &[String]) -> String {
        if self.spoken() {
            format!("(Say {}.)", or_list(options))
        } else {
            format!("(Reply {}.)", options.join(", "))
        }
    }

    /// How an address is given: "send" / "tell me".
    pub fn send(self) -> &'static str {
        self.pick("send", "tell me")
    }

    /// How someone gets back to the customer: "text you" / "call you back".
    pub fn reach_you(self) -> &'static str {
        self.pick("text you", "call you back")
    }

    /// Where the customer is talking from, for "I can't ... from this chat".
    pub fn here(self) -> &'static str {
        self.pick("this chat", "this call")
    }

    /// Whether a confirmation is spoken (then the channel also texts the
    /// written one, [`AgentResponse::confirmation`](crate::brain::agent::AgentResponse::confirmation)).
    pub fn speaks_confirmations(self) -> bool {
        self.spoken()
    }

    /// A booking said aloud: "You're booked for a Full Detail on Saturday
    /// Dec 5 at 9:00 AM."
    pub fn booked(self, service: &str, date: &str, time: &str) -> String {
        format!("You're booked for {service} on {date} at {time}.")
    }

    /// A move said aloud: "Done, your Full Detail is now Monday Dec 7 at 10:00 AM."
    pub fn moved(self, service: &str, date: &str, time: &str) -> String {
        format!("Done, your {service} is now {date} at {time}.")
    }
}

/// "1, 2 or 3" (or "one, two or three" spoken) for `n` numbered options.
fn choices(n: usize, spoken: bool) -> String {
    let word = |i: usize| match (spoken, i) {
        (true, 1) => String::from("one"),
        (true, 2) => String::from("two"),
        (true, 3) => String::from("three"),
        (true, 4) => String::from("four"),
        (true, 5) => String::from("five"),
        (true, 6) => String::from("six"),
        (_, i) => i.to_string(),
    };
    let numbers: Vec<String> = (1..=n.max(1)).map(word).collect();
    or_list(&numbers)
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, head)) if !head.is_empty() => format!("{} or {last}", head.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITTEN: [Channel; 2] = [Channel::Sms, Channel::Web];

    fn voice() -> Phrasing {
        Phrasing::for_channel(Channel::Voice)
    }

    #[test]
    fn offers_of_three_two_and_one_time_are_written_for_texts_and_chat() {
        for channel in WRITTEN {
            let p = Phrasing::for_channel(channel);
            assert_eq!(p.pick_time(3), "Reply 1, 2 or 3 to book.");
            assert_eq!(p.pick_time(2), "Reply 1 or 2 to book.");
            assert_eq!(p.pick_time(1), "Reply 1 to book.");
            assert_eq!(p.pick_one(2), "Reply 1 or 2.");
            assert_eq!(p.which_time(3), "Which time works best: 1, 2 or 3?");
        }
    }

    #[test]
    fn offers_of_three_two_and_one_time_are_spoken_on_a_call() {
        let p = voice();
        assert_eq!(p.pick_time(3), "Say one, two or three.");
        assert_eq!(p.pick_time(2), "Say one or two.");
        assert_eq!(p.pick_time(1), "Say yes to book it.");
        assert_eq!(p.pick_one(2), "Say one or two.");
        assert_eq!(p.which_time(2), "Which time works best: one or two?");
    }

    #[test]
    fn confirmation_questions_per_channel() {
        for channel in WRITTEN {
            let p = Phrasing::for_channel(channel);
            assert_eq!(p.yes_to_book(), "Reply YES to book it");
            assert_eq!(p.yes_to_cancel(), "Reply YES to cancel or NO to keep it.");
            assert_eq!(p.yes(), "Reply YES");
            assert!(!p.speaks_confirmations());
        }
        let p = voice();
        assert_eq!(p.yes_to_book(), "Say yes to book it");
        assert_eq!(p.yes_to_cancel(), "Say yes to cancel, or no to keep it.");
        assert_eq!(p.yes_within(), "say yes");
        assert!(p.speaks_confirmations());
    }

    #[test]
    fn nothing_spoken_tells_a_caller_to_reply() {
        let p = voice();
        let options = [
            String::from("sedan"),
            String::from("SUV"),
            String::from("truck"),
        ];
        let spoken = [
            p.pick_time(3),
            p.pick_time(2),
            p.pick_time(1),
            p.pick_one(3),
            p.which_time(3),
            p.options(&options),
            p.with_a_number().to_owned(),
            p.which_appointment().to_owned(),
            p.yes_to_book().to_owned(),
            p.yes_to_cancel().to_owned(),
            p.yes().to_owned(),
            p.yes_within().to_owned(),
        ];
        for line in spoken {
            assert!(!line.to_lowercase().contains("reply"), "{line}");
            assert!(!line.contains("YES"), "{line}");
        }
        assert_eq!(p.options(&options), "(Say sedan, SUV or truck.)");
        assert_eq!(
            Phrasing::for_channel(Channel::Sms).options(&options),
            "(Reply sedan, SUV, truck.)"
        );
    }
}
