//! Asking again for what the conversation is waiting on, in words that
//! help the customer answer (after an unclear reply).

use super::catalog::Catalog;
use super::context::Ctx;
use super::offer::repeat_offer;
use super::reply::Reply;
use super::state::{Awaiting, ConversationState};

/// Sets the reply's main part to the pending question, with a hint.
pub(super) fn reprompt(state: &ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let noun = ctx.job_noun().to_owned();
    let main = match &state.awaiting {
        Awaiting::Nothing => format!(
            "Would you like to book a {noun}, or do you have a question? We offer {}.",
            ctx.catalog.menu()
        ),
        Awaiting::Service if !state.service_choices.is_empty() => {
            let names: Vec<String> = state
                .service_choices
                .iter()
                .filter_map(|id| ctx.catalog.get(*id))
                .enumerate()
                .map(|(i, s)| format!("{}) {}", i + 1, Catalog::label(s)))
                .collect();
            format!("Which one would you like?\n{}", names.join("\n"))
        }
        Awaiting::Service => format!(
            "Which service would you like? We offer {}.",
            ctx.catalog.menu()
        ),
        Awaiting::Detail(key) => detail_hint(ctx, key),
        Awaiting::Address => {
            format!("What's the street address for the {noun}, with the city or ZIP?")
        }
        Awaiting::AreaZip => String::from("What's the ZIP code for that address?"),
        Awaiting::OutOfArea => format!(
            "{} and I'll have someone reach out, or {} a different address.",
            ctx.say.yes(),
            ctx.say.send()
        ),
        Awaiting::Slot if !state.offered.is_empty() => {
            repeat_offer(state, ctx, reply);
            return;
        }
        Awaiting::Slot => String::from("What day and time would work for you?"),
        Awaiting::PickAppointment => ctx.say.which_appointment().to_owned(),
        Awaiting::ConfirmCancel => format!("Should I cancel it? {}", ctx.say.yes_to_cancel()),
        Awaiting::SecondVisit => super::returning::QUESTION.to_owned(),
    };
    reply.main(main);
}

/// The booking question again, with its choices spelled out.
fn detail_hint(ctx: &Ctx<'_>, key: &str) -> String {
    let Some(q) = ctx.pack.and_then(|p| p.agent.question(key)) else {
        return String::from("Could you tell me a bit more about the job?");
    };
    match &q.answer {
        crate::packs::AnswerKind::Choice { choices } => {
            format!("{} {}", q.question, ctx.say.options(choices))
        }
        crate::packs::AnswerKind::Integer { .. } => {
            format!("{} (Just the number is fine.)", q.question)
        }
        crate::packs::AnswerKind::Text => q.question.clone(),
    }
}
