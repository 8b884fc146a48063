//! Texting shorthand and common misspellings, expanded to one spelling.

/// Expands one lowercase word ("tmrw" → "tomorrow", "idk" → "i dont know").
/// Unknown words come back unchanged. Multi-word expansions are separated
/// by single spaces.
pub(crate) fn expand(word: &str) -> &str {
    match word {
        "tmrw" | "tmr" | "tmrow" | "tmw" | "tmro" | "tmoro" | "tomoro" | "tmorrow" | "2moro"
        | "2morrow" | "2morow" | "2mrw" | "2mro" | "2mr" | "tomm" => "tomorrow",
        "tonite" | "2nite" | "tnite" | "tonigt" => "tonight",
        "2day" | "tday" => "today",
        "sat" | "sats" => "saturday",
        "sun" => "sunday",
        "mon" => "monday",
        "tue" | "tues" => "tuesday",
        "wed" | "weds" => "wednesday",
        "thu" | "thur" | "thurs" | "thr" => "thursday",
        "fri" => "friday",
        "wknd" | "wkend" | "wkd" | "wekend" => "weekend",
        "wk" => "week",
        "nxt" => "next",
        "pls" | "plz" | "plez" | "pleez" | "plse" => "please",
        "appt" | "appointmnt" | "apptmt" => "appointment",
        "appts" => "appointments",
        "u" => "you",
        "ur" => "your",
        "r" => "are",
        "thx" | "thnx" | "thanx" | "thnks" | "tx" | "ty" | "tysm" | "thks" => "thanks",
        "hr" => "hour",
        "hrs" => "hours",
        "min" | "mins" => "minutes",
        "b4" => "before",
        "bc" | "cuz" | "cause" | "bcuz" => "because",
        "idk" => "i dont know",
        "nvm" => "nevermind",
        "np" => "no problem",
        "okay" | "k" | "kk" | "okie" | "oki" | "okey" | "okk" => "ok",
        "abt" => "about",
        "sched" => "schedule",
        "resched" => "reschedule",
        "avail" => "available",
        "wanna" => "want to",
        "gonna" => "going to",
        "gotta" => "got to",
        "lmk" => "let me know",
        "rn" => "right now",
        "thru" => "through",
        "morn" | "mornin" => "morning",
        "aftn" | "aftrn" | "arvo" | "aft" => "afternoon",
        "eve" | "evenin" => "evening",
        "wat" | "wut" | "wht" => "what",
        "prolly" => "probably",
        "msg" => "message",
        "txt" => "text",
        "pic" | "pics" => "picture",
        "asap" | "a.s.a.p" => "asap",
        "yrs" => "years",
        "yr" => "year",
        "hows" => "how is",
        "whats" => "what is",
        "wheres" => "where is",
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn expands_shorthand_and_keeps_other_words() {
        assert_eq!(expand("tmrw"), "tomorrow");
        assert_eq!(expand("sat"), "saturday");
        assert_eq!(expand("idk"), "i dont know");
        assert_eq!(expand("detail"), "detail");
    }
}
