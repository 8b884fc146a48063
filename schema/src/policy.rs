//! The status policy: "may this tenant do X now?", the one place a tenant's
//! billing status decides what works. Every path asks it (calls, texts, the AI,
//! outbound texts, bookings, dashboards, export, billing); [`crate::has_feature`]
//! asks it too, so the tier decides what is included and this decides what the
//! status leaves of it.
//!
//! | path | trialing | active | past_due | suspended | cancelled |
//! |---|---|---|---|---|---|
//! | inbound call answered normally | yes | yes | yes | paused message (or forward) | closing message |
//! | inbound text stored | yes | yes | yes | yes | yes |
//! | AI replies | yes | yes | yes | no | no |
//! | the owner told of a text | yes | yes | yes | once a day | no |
//! | outbound 1:1 text | yes | yes | yes | no | no |
//! | reminders (scheduled outbound) | yes | yes | no | no | no |
//! | campaigns | yes | yes | no | no | no |
//! | new bookings | yes | yes | yes | no | no |
//! | dashboards, read | yes | yes | yes | yes | no |
//! | dashboards, write | yes | yes | yes | no | no |
//! | data export | yes | yes | yes | yes | yes (until closure) |
//! | billing | yes | yes | yes | yes | no |
//!
//! Data is never deleted because of a status: it takes access away, never
//! information, and paying again gives everything back in one step.

use crate::types::TenantStatus;

/// Something a tenant (or a customer of it) may want done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A call to the tenant's number answered as configured (menu, AI, forward).
    InboundCall,
    /// A customer's text stored (and shown to the owner).
    InboundSms,
    /// The AI agent answering a customer (text, web chat or voice).
    AiReply,
    /// A one-to-one outbound text to a customer (a reply, a booking link).
    OutboundText,
    /// A text to the owner about a customer's text (see [`owner_notice`] for how often).
    OwnerNotice,
    /// A scheduled outbound text (reminders).
    Reminder,
    /// An outbound marketing campaign.
    Campaign,
    /// A new appointment.
    NewBooking,
    /// Reading the owner's dashboards and the tenant API.
    DashboardRead,
    /// Changing settings, services or anything else from the dashboards.
    DashboardWrite,
    /// Exporting all the tenant's data.
    DataExport,
    /// Changing the plan and paying.
    Billing,
}

impl Action {
    /// Every action, in the table's order.
    pub const ALL: [Action; 12] = [
        Action::InboundCall,
        Action::InboundSms,
        Action::AiReply,
        Action::OutboundText,
        Action::OwnerNotice,
        Action::Reminder,
        Action::Campaign,
        Action::NewBooking,
        Action::DashboardRead,
        Action::DashboardWrite,
        Action::DataExport,
        Action::Billing,
    ];

    /// How the refusal reads ("outbound texts are off").
    fn what(self) -> &'static str {
        match self {
            Action::InboundCall => "calls are not answered",
            Action::InboundSms => "texts are not stored",
            Action::AiReply => "the AI agent does not answer",
            Action::OutboundText => "no texts are sent",
            Action::OwnerNotice => "the owner is not texted",
            Action::Reminder => "scheduled texts are paused",
            Action::Campaign => "campaigns are paused",
            Action::NewBooking => "new bookings are off",
            Action::DashboardRead => "the dashboards are closed",
            Action::DashboardWrite => "the dashboards are read-only",
            Action::DataExport => "export is closed",
            Action::Billing => "billing is closed",
        }
    }
}

/// Whether a tenant with `status` may do `action` now (the table above).
pub fn may(status: TenantStatus, action: Action) -> bool {
    use Action::*;
    match status {
        TenantStatus::Trialing | TenantStatus::Active => true,
        TenantStatus::PastDue => !matches!(action, Reminder | Campaign),
        TenantStatus::Suspended => matches!(
            action,
            InboundSms | OwnerNotice | DashboardRead | DataExport | Billing
        ),
        TenantStatus::Cancelled => matches!(action, InboundSms | DataExport),
    }
}

/// A refused action, saying why in words an owner understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the account is {status}: {}", action.what())]
pub struct Refused {
    /// The tenant's status.
    pub status: TenantStatus,
    /// What was refused.
    pub action: Action,
}

/// `Ok` when a tenant with `status` may do `action`, else why not.
pub fn check(status: TenantStatus, action: Action) -> Result<(), Refused> {
    if may(status, action) {
        Ok(())
    } else {
        Err(Refused { status, action })
    }
}

/// How an inbound call is answered, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallAnswer {
    /// As configured (menu, AI receptionist, forward).
    Normal,
    /// The paused message, or a forward to the owner when the tenant chose that.
    Paused,
    /// The closing message.
    Closed,
}

/// How a call to a tenant with `status` is answered.
pub fn call_answer(status: TenantStatus) -> CallAnswer {
    match status {
        _ if may(status, Action::InboundCall) => CallAnswer::Normal,
        TenantStatus::Cancelled => CallAnswer::Closed,
        _ => CallAnswer::Paused,
    }
}

/// How often the owner is texted about customers' texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeCadence {
    /// About every text the AI does not answer.
    Every,
    /// At most once per this long (a suspended account).
    AtMostEvery(chrono::Duration),
    /// Never.
    Never,
}

/// How often the owner of a tenant with `status` is texted about customers' texts.
pub fn owner_notice(status: TenantStatus) -> NoticeCadence {
    match status {
        _ if !may(status, Action::OwnerNotice) => NoticeCadence::Never,
        TenantStatus::Suspended => NoticeCadence::AtMostEvery(chrono::Duration::days(1)),
        _ => NoticeCadence::Every,
    }
}

/// The banner the API and dashboards show for `status`, if any.
pub fn banner(status: TenantStatus) -> Option<&'static str> {
    match status {
        TenantStatus::Trialing | TenantStatus::Active => None,
        TenantStatus::PastDue => Some(
            "Your last payment did not go through. Everything still works, but campaigns and \
             reminders are paused until you update your card.",
        ),
        TenantStatus::Suspended => Some(
            "Your account is paused: callers hear a short message and texts are kept for you. \
             Pay your balance to turn everything back on; nothing was deleted.",
        ),
        TenantStatus::Cancelled => {
            Some("Your account is closed. You can still export all your data until it is removed.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    /// The module's table, row by row: (action, [trialing, active, past_due,
    /// suspended, cancelled]).
    const TABLE: [(Action, [bool; 5]); 12] = [
        (InboundCall, [true, true, true, false, false]),
        (InboundSms, [true, true, true, true, true]),
        (AiReply, [true, true, true, false, false]),
        (OutboundText, [true, true, true, false, false]),
        (OwnerNotice, [true, true, true, true, false]),
        (Reminder, [true, true, false, false, false]),
        (Campaign, [true, true, false, false, false]),
        (NewBooking, [true, true, true, false, false]),
        (DashboardRead, [true, true, true, true, false]),
        (DashboardWrite, [true, true, true, false, false]),
        (DataExport, [true, true, true, true, true]),
        (Billing, [true, true, true, true, false]),
    ];

    const STATUSES: [TenantStatus; 5] = [
        TenantStatus::Trialing,
        TenantStatus::Active,
        TenantStatus::PastDue,
        TenantStatus::Suspended,
        TenantStatus::Cancelled,
    ];

    #[test]
    fn every_status_on_every_path_matches_the_table() {
        assert_eq!(TABLE.map(|(a, _)| a), Action::ALL, "every action has a row");
        assert_eq!(STATUSES.as_slice(), TenantStatus::ALL);
        for (action, row) in TABLE {
            for (status, expected) in STATUSES.into_iter().zip(row) {
                assert_eq!(may(status, action), expected, "{status} {action:?}");
                assert_eq!(check(status, action).is_ok(), expected);
            }
        }
    }

    #[test]
    fn calls_notices_and_banners_follow_the_status() {
        let answers = STATUSES.map(call_answer);
        use CallAnswer::*;
        assert_eq!(answers, [Normal, Normal, Normal, Paused, Closed]);
        let day = chrono::Duration::days(1);
        assert_eq!(
            STATUSES.map(owner_notice),
            [
                NoticeCadence::Every,
                NoticeCadence::Every,
                NoticeCadence::Every,
                NoticeCadence::AtMostEvery(day),
                NoticeCadence::Never
            ]
        );
        assert_eq!(
            STATUSES.map(|s| banner(s).is_some()),
            [false, false, true, true, true]
        );
        let refused = check(TenantStatus::Suspended, OutboundText).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the account is suspended: no texts are sent"
        );
    }
}
