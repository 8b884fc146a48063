//! The case table: real-sounding texts and what they must yield. "Today"
//! is Wednesday 2026-03-04 in America/Chicago unless a case says otherwise.

use super::expect::{check, vehicle, E, SAT};
use super::{d, detailer, t, wednesday_morning, CHICAGO};
use crate::brain::nlu::{
    understand, CarrierKeyword, DateSpec, Intent, LotSize, PetSize, SlotChoice, TimeSpec,
    VehicleType,
};
use E::*;

fn cases() -> Vec<(&'static str, Vec<E>)> {
    let end = t(23, 59) + chrono::Duration::seconds(59);
    vec![
        // Several facts in one message.
        (
            "hi can i get a full detail sat morning for my 2019 f150 at 123 main st tulsa",
            vec![
                Has(Intent::Greeting),
                Has(Intent::Book),
                Service("Full Detail"),
                On(d(2026, 3, 7)),
                Time(TimeSpec::Window {
                    start: t(8, 0),
                    end: t(12, 0),
                }),
                vehicle(Some(2019), "Ford", "F-150", VehicleType::Truck),
                Street("123 Main St"),
                City("Tulsa"),
                NoSlot,
            ],
        ),
        (
            "can you come out to 88 e 21st st apt 4 tulsa ok at 9am tues",
            vec![
                Street("88 E 21st St"),
                Unit("Apt 4"),
                City("Tulsa"),
                State("OK"),
                On(d(2026, 3, 10)),
                At(t(9, 0)),
            ],
        ),
        (
            "4501 S Harvard Ave, Tulsa OK 74135",
            vec![
                Street("4501 S Harvard Ave"),
                City("Tulsa"),
                State("OK"),
                Zip("74135"),
            ],
        ),
        (
            "im at 7800 North Council Road Oklahoma City, OK 73132-1234 - thanks!",
            vec![
                Street("7800 N Council Rd"),
                City("Oklahoma City"),
                State("OK"),
                Zip("73132"),
            ],
        ),
        (
            "i'm in 74135 is that in your area?",
            vec![Zip("74135"), NoAddress, Has(Intent::FaqQuestion)],
        ),
        (
            "I have a 2019 ford f-150 and a 2021 camry",
            vec![
                Vehicles(2),
                vehicle(Some(2019), "Ford", "F-150", VehicleType::Truck),
            ],
        ),
        // Typos and shorthand.
        ("tmrw at 10", vec![On(d(2026, 3, 5)), At(t(10, 0)), NoSlot]),
        ("tomorow 2pm", vec![On(d(2026, 3, 5)), At(t(14, 0))]),
        (
            "can u do saturdy",
            vec![On(d(2026, 3, 7)), Time(TimeSpec::Any)],
        ),
        (
            "full detial pls",
            vec![Service("Full Detail"), Has(Intent::Book)],
        ),
        ("intrior only", vec![Service("Interior Detail")]),
        ("inside only please", vec![Service("Interior Detail")]),
        (
            "need the ceramik coating thurs",
            vec![Service("Ceramic Coating"), On(d(2026, 3, 5))],
        ),
        (
            "i was wondering about a quick wash",
            vec![Service("Maintenance Wash")],
        ),
        (
            "wash and wax",
            vec![Service("Exterior Detail"), NotService("Maintenance Wash")],
        ),
        (
            "full-detail w/ pet hair removal",
            vec![Service("Full Detail"), Addon("Pet Hair Removal")],
        ),
        (
            "full detail but no engine",
            vec![Service("Full Detail"), NegatedAddon("Engine Bay Detail")],
        ),
        (
            "do you do headlights too",
            vec![Addon("Headlight Restoration"), Has(Intent::FaqQuestion)],
        ),
        // Ambiguity.
        ("detail", vec![NoService, Ambiguous(4)]),
        (
            "can i book a detail for friday",
            vec![
                Has(Intent::Book),
                NoService,
                Ambiguous(4),
                On(d(2026, 3, 6)),
            ],
        ),
        (
            "detail the interior",
            vec![Service("Interior Detail"), NoAmbiguity],
        ),
        // Changes of mind.
        (
            "actually make it the interior only",
            vec![Has(Intent::ChangeOfMind), Service("Interior Detail")],
        ),
        (
            "wait, sunday instead",
            vec![Has(Intent::ChangeOfMind), On(d(2026, 3, 8))],
        ),
        (
            "saturday works... actually sunday instead",
            vec![Has(Intent::ChangeOfMind), On(d(2026, 3, 8))],
        ),
        (
            "full detail saturday. actually just the interior",
            vec![
                Service("Full Detail"),
                Service("Interior Detail"),
                Preferred("Interior Detail"),
            ],
        ),
        (
            "yes but make it interior only",
            vec![
                Has(Intent::Affirm),
                Has(Intent::ChangeOfMind),
                Service("Interior Detail"),
            ],
        ),
        ("no, sunday", vec![Has(Intent::Deny), On(d(2026, 3, 8))]),
        ("cant wait to see it clean", vec![Not(Intent::ChangeOfMind)]),
        // Questions.
        (
            "how much for a full detail?",
            vec![Best(Intent::PriceQuestion), Service("Full Detail")],
        ),
        (
            "whats the price on ceramic",
            vec![Best(Intent::PriceQuestion), Service("Ceramic Coating")],
        ),
        (
            "how long does the ceramic coating take",
            vec![Best(Intent::DurationQuestion)],
        ),
        (
            "what areas do you service",
            vec![Best(Intent::FaqQuestion), Not(Intent::Book)],
        ),
        (
            "do you need water and power from me?",
            vec![Best(Intent::FaqQuestion)],
        ),
        (
            "good morning! do you do boats?",
            vec![
                Has(Intent::Greeting),
                Has(Intent::FaqQuestion),
                Time(TimeSpec::Any),
                NoDate,
                E::Vehicle {
                    year: None,
                    make: None,
                    model: None,
                    kind: Some(VehicleType::Boat),
                },
            ],
        ),
        // Handoff.
        ("talk to a person", vec![Best(Intent::Handoff)]),
        (
            "can i speak to a real person please",
            vec![Best(Intent::Handoff)],
        ),
        ("just call me", vec![Best(Intent::Handoff)]),
        ("i want to talk to the manager", vec![Has(Intent::Handoff)]),
        (
            "hey is this a bot",
            vec![Has(Intent::Handoff), Has(Intent::Greeting)],
        ),
        (
            "please dont call me, text is fine",
            vec![Not(Intent::Handoff)],
        ),
        // Carrier keywords vs. conversation.
        (
            "STOP",
            vec![Best(Intent::OptOut), Carrier(Some(CarrierKeyword::OptOut))],
        ),
        (
            " stop. ",
            vec![Best(Intent::OptOut), Carrier(Some(CarrierKeyword::OptOut))],
        ),
        (
            "Cancel",
            vec![
                Best(Intent::OptOut),
                Not(Intent::Cancel),
                Carrier(Some(CarrierKeyword::OptOut)),
            ],
        ),
        ("UNSUBSCRIBE", vec![Best(Intent::OptOut)]),
        ("stopall", vec![Best(Intent::OptOut)]),
        ("quit", vec![Best(Intent::OptOut)]),
        ("END", vec![Best(Intent::OptOut)]),
        (
            "cancel my appointment",
            vec![Best(Intent::Cancel), Not(Intent::OptOut), Carrier(None)],
        ),
        (
            "I need to cancel my appt for tomorrow",
            vec![Best(Intent::Cancel), On(d(2026, 3, 5))],
        ),
        ("stop texting me", vec![Has(Intent::OptOut), Carrier(None)]),
        ("please stop", vec![Carrier(None)]),
        (
            "HELP",
            vec![Best(Intent::Help), Carrier(Some(CarrierKeyword::Help))],
        ),
        ("info", vec![Best(Intent::Help)]),
        (
            "can you help me book",
            vec![Not(Intent::Help), Has(Intent::Book)],
        ),
        ("START", vec![Best(Intent::OptIn)]),
        ("unstop", vec![Best(Intent::OptIn)]),
        (
            "Yes",
            vec![
                Best(Intent::Affirm),
                Not(Intent::OptIn),
                Carrier(Some(CarrierKeyword::Yes)),
            ],
        ),
        // Yes / no in many forms.
        ("yep", vec![Best(Intent::Affirm)]),
        ("sure", vec![Best(Intent::Affirm)]),
        ("Sounds good!", vec![Best(Intent::Affirm)]),
        ("👍", vec![Best(Intent::Affirm), Carrier(None)]),
        ("👍🏽", vec![Best(Intent::Affirm)]),
        ("ok that works for me", vec![Has(Intent::Affirm)]),
        ("yes please", vec![Best(Intent::Affirm)]),
        ("nah", vec![Best(Intent::Deny)]),
        ("no thanks", vec![Has(Intent::Deny)]),
        ("nope, none of those work", vec![Best(Intent::Deny)]),
        ("👎", vec![Best(Intent::Deny)]),
        ("no problem!", vec![Not(Intent::Deny)]),
        ("im not sure", vec![Not(Intent::Affirm)]),
        ("lol ok", vec![Best(Intent::Affirm)]),
        ("k", vec![Best(Intent::Affirm)]),
        ("N", vec![Best(Intent::Deny)]),
        ("Can we do 9:30 instead?", vec![Has(Intent::ChangeOfMind), At(t(9, 30))]),
        ("Is Saturday at 11 available?", vec![Has(Intent::Book), On(d(2026, 3, 7)), At(t(11, 0))]),
        ("I'll be home after 3:30pm tomorrow", vec![On(d(2026, 3, 5)), Time(TimeSpec::Window { start: t(15, 30), end })]),
        ("I want the 9am on the 15th", vec![On(d(2026, 3, 15)), At(t(9, 0))]),
        ("MOVE OUT CLEAN ON THE 15TH FIRST THING IN THE MORNING", vec![On(d(2026, 3, 15)), Time(TimeSpec::FirstThing)]),
        ("can u do 3 instead", vec![At(t(15, 0)), NoSlot]),
        ("2 instead of 3 windows", vec![Windows(3), NoSlot]),
        ("hey can we push it to 11", vec![At(t(11, 0))]),
        ("can we move that to 3", vec![At(t(15, 0))]),
        ("change my appt to 10", vec![At(t(10, 0))]),
        ("drive out to 3 houses", vec![Time(TimeSpec::Any)]),
        ("how much to clean 25 windows on a 2-story home", vec![Best(Intent::PriceQuestion), Windows(25), Stories(2)]),
        ("my goldendoodle needs a haircut, she's about 45 lbs", vec![Breed("Goldendoodle"), PetSize(PetSize::Medium), PetWeight(45)]),
        ("can you mow my lawn this friday? its about a quarter acre", vec![On(d(2026, 3, 6)), Lot(LotSize::Acres(0.25))]),
        ("hi I need my house cleaned, 4 bedrooms 3 baths", vec![Has(Intent::Greeting), Beds(4), Baths(3.0)]),
        ("You can reach me at jane_doe99@gmail.com thanks - Jane", vec![Email("jane_doe99@gmail.com"), Name("Jane")]),
        ("thanks!", vec![Best(Intent::Thanks)]),
        ("thx so much", vec![Has(Intent::Thanks)]),
        // Picking an offered slot.
        (
            "2",
            vec![
                Slot(SlotChoice::Index(2)),
                Best(Intent::SelectOption(SlotChoice::Index(2))),
            ],
        ),
        ("the 2nd one", vec![Slot(SlotChoice::Index(2)), NoDate]),
        ("whichever is earliest", vec![Slot(SlotChoice::Earliest)]),
        ("the soonest one you have", vec![Slot(SlotChoice::Earliest)]),
        ("earliest you have next week", vec![NoSlot]),
        ("option 2", vec![Slot(SlotChoice::Index(2))]),
        ("#3 please", vec![Slot(SlotChoice::Index(3))]),
        ("the second one works", vec![Slot(SlotChoice::Index(2))]),
        ("first one", vec![Slot(SlotChoice::Index(1))]),
        ("the last one", vec![Slot(SlotChoice::Last)]),
        ("the 10am", vec![Slot(SlotChoice::ByTime(t(10, 0)))]),
        ("10:30 works", vec![Slot(SlotChoice::ByTime(t(10, 30)))]),
        ("saturday one", vec![Slot(SlotChoice::ByDay(SAT))]),
        (
            "lets do the saturday 10am one",
            vec![Slot(SlotChoice::ByDayAndTime(SAT, t(10, 0)))],
        ),
        (
            "yes the 2nd one",
            vec![Has(Intent::Affirm), Slot(SlotChoice::Index(2))],
        ),
        (
            "first thing in the morning",
            vec![NoSlot, Time(TimeSpec::FirstThing)],
        ),
        ("3 bed 2 bath", vec![NoSlot, Beds(3), Baths(2.0)]),
        ("whichever is earliest", vec![Slot(SlotChoice::Earliest)]),
        ("the soonest one", vec![Slot(SlotChoice::Earliest)]),
        ("latest one pls", vec![Slot(SlotChoice::Latest)]),
        ("can u do 3 instead", vec![NoSlot, Time(TimeSpec::Exact(t(15, 0)))]),
        ("shes about 12 lbs", vec![Time(TimeSpec::Any), PetWeight(12), PetSize(PetSize::Small)]),
        ("the trailer is about 900 lbs", vec![NoPet]),
        ("tomorrow after work", vec![On(d(2026, 3, 5)), Time(TimeSpec::Window { start: t(17, 0), end: t(20, 0) })]),
        // Relative and explicit dates.
        ("Wednesday", vec![On(d(2026, 3, 4))]),
        ("next wednesday", vec![On(d(2026, 3, 11))]),
        ("next tuesday", vec![On(d(2026, 3, 10))]),
        ("this saturday", vec![On(d(2026, 3, 7))]),
        ("next saturday", vec![On(d(2026, 3, 14))]),
        (
            "next week",
            vec![Date(DateSpec::Range {
                first: d(2026, 3, 9),
                last: d(2026, 3, 15),
            })],
        ),
        (
            "sometime this weekend",
            vec![Date(DateSpec::Weekend {
                saturday: d(2026, 3, 7),
            })],
        ),
        (
            "next wknd",
            vec![Date(DateSpec::Weekend {
                saturday: d(2026, 3, 14),
            })],
        ),
        (
            "day after tomorrow at noon",
            vec![On(d(2026, 3, 6)), At(t(12, 0))],
        ),
        ("in 3 days", vec![On(d(2026, 3, 7))]),
        ("12/5", vec![On(d(2026, 12, 5))]),
        ("3/1", vec![On(d(2027, 3, 1))]),
        ("2/29", vec![On(d(2028, 2, 29))]),
        ("jan 10th", vec![On(d(2027, 1, 10))]),
        (
            "december 5th at 2:30",
            vec![On(d(2026, 12, 5)), At(t(14, 30))],
        ),
        ("the 5th of april", vec![On(d(2026, 4, 5))]),
        ("the 2nd", vec![On(d(2026, 4, 2))]),
        ("on the 20th", vec![On(d(2026, 3, 20))]),
        ("12/5/2027 at 9", vec![On(d(2027, 12, 5)), At(t(9, 0))]),
        ("any saturday", vec![Date(DateSpec::Weekday(SAT))]),
        ("saturdays work best", vec![Date(DateSpec::Weekday(SAT))]),
        ("not saturday", vec![NoDate]),
        // Times.
        ("asap", vec![Date(DateSpec::Asap)]),
        ("whats your soonest opening", vec![Date(DateSpec::Asap)]),
        (
            "earliest you have saturday",
            vec![On(d(2026, 3, 7)), Time(TimeSpec::FirstThing)],
        ),
        (
            "first thing friday",
            vec![On(d(2026, 3, 6)), Time(TimeSpec::FirstThing)],
        ),
        (
            "friday after 3",
            vec![
                On(d(2026, 3, 6)),
                Time(TimeSpec::Window {
                    start: t(15, 0),
                    end,
                }),
            ],
        ),
        (
            "between 2 and 4 on thursday",
            vec![
                On(d(2026, 3, 5)),
                Time(TimeSpec::Window {
                    start: t(14, 0),
                    end: t(16, 0),
                }),
            ],
        ),
        (
            "10-2 tomorrow",
            vec![
                On(d(2026, 3, 5)),
                Time(TimeSpec::Window {
                    start: t(10, 0),
                    end: t(14, 0),
                }),
            ],
        ),
        (
            "tomorrow afternoon",
            vec![Time(TimeSpec::Window {
                start: t(12, 0),
                end: t(17, 0),
            })],
        ),
        (
            "late afternoon tmrw after 4",
            vec![Time(TimeSpec::Window {
                start: t(16, 0),
                end: t(17, 0),
            })],
        ),
        ("tmrw at 8 in the evening", vec![At(t(20, 0))]),
        ("at 7", vec![At(t(7, 0))]),
        ("at 2", vec![At(t(14, 0))]),
        ("14:00", vec![At(t(14, 0))]),
        ("around 10ish", vec![At(t(10, 0))]),
        (
            "before noon tomorrow",
            vec![
                On(d(2026, 3, 5)),
                Time(TimeSpec::Window {
                    start: t(0, 0),
                    end: t(12, 0),
                }),
            ],
        ),
        ("sat 10", vec![On(d(2026, 3, 7)), At(t(10, 0))]),
        (
            "tonight?",
            vec![
                On(d(2026, 3, 4)),
                Time(TimeSpec::Window {
                    start: t(17, 0),
                    end: t(20, 0),
                }),
            ],
        ),
        // Reschedule / cancel.
        (
            "need to reschedule to next friday",
            vec![Best(Intent::Reschedule), On(d(2026, 3, 13))],
        ),
        (
            "cant make it tomorrow",
            vec![Has(Intent::Reschedule), Has(Intent::Cancel)],
        ),
        (
            "can we push it back to 3pm",
            vec![Has(Intent::Reschedule), At(t(15, 0))],
        ),
        // Property, lawn, windows, pets.
        (
            "3br/2ba house, about 2000 sq ft",
            vec![Beds(3), Baths(2.0), SqFt(2000)],
        ),
        ("2.5 bath", vec![Baths(2.5)]),
        (
            "two story house with 20 windows",
            vec![Stories(2), Windows(20)],
        ),
        ("single-story ranch", vec![Stories(1)]),
        ("half acre lot", vec![Lot(LotSize::Acres(0.5))]),
        ("1/2 acre", vec![Lot(LotSize::Acres(0.5)), NoDate]),
        ("ITS A 2K SQ FT CORNER LOT", vec![Lot(LotSize::SquareFeet(2000)), NoDate]),
        ("pretty big yard in the back", vec![Lot(LotSize::Large)]),
        (
            "backyard is about 5,000 sq ft",
            vec![Lot(LotSize::SquareFeet(5000))],
        ),
        (
            "my 60 lb golden retriever",
            vec![
                Breed("Golden Retriever"),
                PetSize(PetSize::Large),
                PetWeight(60),
            ],
        ),
        (
            "small dog, a yorkie",
            vec![Breed("Yorkshire Terrier"), PetSize(PetSize::Small)],
        ),
        ("we have a big yard and a small car", vec![NoPet]),
        // Vehicles.
        (
            "2019 tesla model 3",
            vec![vehicle(Some(2019), "Tesla", "Model 3", VehicleType::Sedan)],
        ),
        (
            "black chevy silverado",
            vec![
                vehicle(None, "Chevrolet", "Silverado", VehicleType::Truck),
                Color("black"),
            ],
        ),
        (
            "'18 camry",
            vec![vehicle(Some(2018), "Toyota", "Camry", VehicleType::Sedan)],
        ),
        ("my rav4 and a tahoe", vec![Vehicles(2)]),
        (
            "it's an suv",
            vec![E::Vehicle {
                year: None,
                make: None,
                model: None,
                kind: Some(VehicleType::Suv),
            }],
        ),
        (
            "my silverdo is filthy",
            vec![vehicle(None, "Chevrolet", "Silverado", VehicleType::Truck)],
        ),
        ("i'm on the edge of town", vec![Vehicles(0)]),
        (
            "2020 ford edge",
            vec![vehicle(Some(2020), "Ford", "Edge", VehicleType::Suv)],
        ),
        (
            "its a jeep wrangler 2020",
            vec![vehicle(Some(2020), "Jeep", "Wrangler", VehicleType::Suv)],
        ),
        // Names and emails.
        ("this is Sarah", vec![Name("Sarah")]),
        (
            "hi this is sarah, do you have time friday",
            vec![Name("Sarah"), On(d(2026, 3, 6))],
        ),
        (
            "my name is John Smith and I need a detail",
            vec![Name("John Smith")],
        ),
        (
            "need a wash tomorrow - Mike",
            vec![Name("Mike"), Service("Maintenance Wash"), On(d(2026, 3, 5))],
        ),
        (
            "I'm Dana, looking for an interior detail",
            vec![Name("Dana"), Service("Interior Detail")],
        ),
        ("this is great", vec![NoName]),
        // "X is fine" declines X.
        ("the inside is fine, just the outside please", vec![Service("Exterior Detail")]),
        // A word in a description is never a name.
        ("its filthy inside, dog hair everywhere", vec![NoName]),
        ("its pretty dirty, lots of crumbs", vec![NoName]),
        ("hey its Dana, need a wash", vec![Name("Dana")]),
        ("name's Sam", vec![Name("Sam")]),
        (
            "im looking for a quote",
            vec![NoName, Has(Intent::PriceQuestion)],
        ),
        (
            "email is John.Smith@Example.com",
            vec![Email("john.smith@example.com")],
        ),
        (
            "send it to me at (sam+cars@mail.co.uk).",
            vec![Email("sam+cars@mail.co.uk")],
        ),
        // Regressions found while probing.
        ("I have 4 windows on the 2nd floor", vec![NoDate, Windows(4), NoSlot]),
        ("what about the 14th", vec![On(d(2026, 3, 14)), NoSlot]),
        ("the one on saturday", vec![Slot(SlotChoice::ByDay(SAT))]),
        ("i need it done by friday", vec![Date(DateSpec::Range { first: d(2026, 3, 4), last: d(2026, 3, 6) })]),
        ("tomorrow works but not before 10", vec![On(d(2026, 3, 5)), Time(TimeSpec::Window { start: t(10, 0), end })]),
        ("no later than 4 on friday", vec![Time(TimeSpec::Window { start: t(0, 0), end: t(16, 0) })]),
        ("1600 pennsylvania ave nw washington dc 20500", vec![
            Street("1600 Pennsylvania Ave NW"), City("Washington"), State("DC"), Zip("20500"),
        ]),
        ("Hey! could you detail my wife's 2015 honda pilot next week, she has 2 dogs so theres a lot of hair", vec![
            vehicle(Some(2015), "Honda", "Pilot", VehicleType::Suv), Addon("Pet Hair Removal"),
            Date(DateSpec::Range { first: d(2026, 3, 9), last: d(2026, 3, 15) }), Ambiguous(4),
        ]),
        // Other languages and symbols do not crash and greet where obvious.
        (
            "Hola! ¿Cuánto cuesta?",
            vec![Has(Intent::Greeting), Has(Intent::FaqQuestion)],
        ),
    ]
}

#[test]
fn case_table() {
    let vocab = detailer();
    let now = wednesday_morning();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 80, "only {} cases", all.len());
    for (text, expectations) in &all {
        let u = understand(text, &vocab, now, CHICAGO);
        for e in expectations {
            if let Err(why) = check(&u, e) {
                failures.push(format!("{text:?}: {why}\n    got {u:#?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
