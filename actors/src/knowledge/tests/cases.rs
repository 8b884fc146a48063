//! Realistic customer texts and the entry that must answer each, per pack;
//! and texts no entry should answer.

/// (industry, [(customer text, the FAQ question that must come first)]).
pub const PACK_CASES: [(&str, &[(&str, &str)]); 5] = [
    (
        "mobile-detailing",
        &[
            (
                "do u need my water and power",
                "Do you need my water or electricity?",
            ),
            (
                "what if it rains",
                "What happens if it rains on my appointment day?",
            ),
            (
                "how long does a full detail take",
                "How long does a detail take?",
            ),
            (
                "why is it more expensive for my truck",
                "Why does my SUV or truck cost more than a car?",
            ),
            (
                "can you get all the dog hair out of my backseat",
                "Can you get dog hair out of my car?",
            ),
            (
                "whats ur cancelation policy",
                "What is your cancellation policy?",
            ),
            ("do you take venmo", "How can I pay?"),
            (
                "is ceramic coating worth the money",
                "What is ceramic coating and is it worth it?",
            ),
            (
                "do you guys do boats",
                "Do you detail RVs, boats or motorcycles?",
            ),
            (
                "do I have to put down a deposit",
                "Do I need to pay a deposit?",
            ),
            (
                "do you come out to Plano?",
                "Do you come to me? Where do you travel?",
            ),
            ("how much is a detail", "How much does a detail cost?"),
        ],
    ),
    (
        "lawn-care",
        &[
            (
                "how much do you charge to mow my yard",
                "How much do you charge to mow?",
            ),
            ("what happens if it rains", "What happens if it rains?"),
            (
                "my grass is super overgrown, does that cost extra",
                "Is there a charge if my grass is really overgrown?",
            ),
            (
                "when should I aerate my lawn",
                "When is the best time to aerate and overseed?",
            ),
            (
                "can I skip next week, we're on vacation",
                "How do I cancel or skip a visit?",
            ),
            (
                "is the stuff you spray safe for my dog",
                "Are your treatments safe for kids and pets?",
            ),
            (
                "do you do weekly mowing",
                "Do you offer weekly or every-other-week mowing?",
            ),
            (
                "do you mow when its really hot and dry",
                "Do you mow during a drought or heat wave?",
            ),
        ],
    ),
    (
        "house-cleaning",
        &[
            (
                "do you bring your own supplies",
                "Do you bring your own supplies?",
            ),
            (
                "whats the difference between standard and deep cleaning",
                "What's the difference between a standard and a deep clean?",
            ),
            (
                "do I have to be home while you clean",
                "Do I need to be home during the cleaning?",
            ),
            (
                "can I get the same cleaner each time",
                "Can I get the same cleaner every time?",
            ),
            ("I have two cats, is that ok", "Is it okay if I have pets?"),
            (
                "are your cleaners insured",
                "Are your cleaners background checked and insured?",
            ),
            (
                "how much for a 3 bedroom house",
                "How much does a house cleaning cost?",
            ),
            ("you missed the bathroom", "What if something was missed?"),
        ],
    ),
    (
        "window-washing",
        &[
            (
                "can you clean windows when its raining",
                "Can you clean windows in the rain?",
            ),
            (
                "do you charge more for french pane windows",
                "Do you charge more for French panes or high windows?",
            ),
            (
                "how often should I have my windows washed",
                "How often should I get my windows cleaned?",
            ),
            (
                "is soft washing safe for vinyl siding",
                "Is soft washing safe for my house?",
            ),
            ("there are streaks on my windows", "What if I see streaks?"),
            ("do you work in the winter", "Do you work in winter?"),
            (
                "what should I do to prepare",
                "How should I prepare for window cleaning?",
            ),
        ],
    ),
    (
        "pet-grooming",
        &[
            (
                "my dog is really matted, is that extra",
                "Is there an extra charge for matting?",
            ),
            (
                "do you need his rabies shots",
                "Do you need vaccination records?",
            ),
            (
                "how often should my doodle be groomed",
                "How often should my dog be groomed?",
            ),
            (
                "my dog is old and gets nervous",
                "My dog is anxious or elderly. Can you still groom them?",
            ),
            (
                "why is mobile grooming better than a salon",
                "Why mobile grooming?",
            ),
            ("how long does a groom take", "How long does a groom take?"),
            (
                "I don't love the haircut",
                "What if I don't love the haircut?",
            ),
        ],
    ),
];

/// Texts about nothing any business here answers.
pub const UNRELATED: [&str; 10] = [
    "what's the capital of france",
    "tell me a joke",
    "who won the game last night",
    "what is the meaning of life",
    "asdfgh qwerty zxcvb",
    "can you recommend a good pizza place",
    "i love you",
    "my car is red",
    "what time is it",
    "lol",
];

/// Questions the global layer answers for every industry.
pub const GLOBAL_CASES: [(&str, &str); 5] = [
    ("STOP texting me", "How do I stop getting texts?"),
    ("is this a bot?", "Am I texting a real person or a bot?"),
    ("can I talk to a real human", "Can I talk to a person?"),
    ("can I get a receipt", "Can I get a receipt?"),
    (
        "can i send you a picture of the stain",
        "Can I send you photos?",
    ),
];
