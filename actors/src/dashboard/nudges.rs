//! Nudges: short suggestions in plain words, computed from the tenant's real
//! usage this month and its plan ("You sent 180 texts by hand this month; Pro
//! answers them for you"). Every rule is in [`compute`]; each nudge belongs to
//! a period (the month, or the trial's end), and an owner who dismisses it does
//! not see it again in that period (`nudge_dismissals`).

use crate::tenant::profile::{self, Usage};
use chrono::{DateTime, Utc};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, PlanTier, TenantDb, TenantStatus};

/// Texts sent on Starter (where nothing answers for the owner) before the Pro nudge.
pub const HAND_TEXTS_AT: i64 = 50;
/// Call minutes in a month before the Elite (AI receptionist) nudge.
pub const CALL_MINUTES_AT: i64 = 60;
/// Days before a trial's end when the trial nudge shows.
pub const TRIAL_DAYS_LEFT_AT: i64 = 3;

/// Which nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NudgeKind {
    /// Texts answered by hand on Starter: Pro's AI answers them.
    HandTexts,
    /// Many call minutes without the AI receptionist: Elite answers calls.
    CallMinutes,
    /// The trial ends soon: choose a plan.
    TrialEnding,
}

impl NudgeKind {
    /// Every kind.
    pub const ALL: [NudgeKind; 3] = [
        NudgeKind::HandTexts,
        NudgeKind::CallMinutes,
        NudgeKind::TrialEnding,
    ];

    /// The kind's stored name (and form value).
    pub fn as_str(self) -> &'static str {
        match self {
            NudgeKind::HandTexts => "hand_texts",
            NudgeKind::CallMinutes => "call_minutes",
            NudgeKind::TrialEnding => "trial_ending",
        }
    }
}

/// A kind name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a nudge (hand_texts, call_minutes, trial_ending)")]
pub struct UnknownNudge(pub String);

impl std::str::FromStr for NudgeKind {
    type Err = UnknownNudge;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NudgeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownNudge(s.to_owned()))
    }
}

/// What the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NudgeInputs {
    /// The plan.
    pub tier: PlanTier,
    /// The status.
    pub status: TenantStatus,
    /// The trial's end, while trialing.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// This month's usage.
    pub month: Usage,
    /// Now.
    pub now: DateTime<Utc>,
    /// The business's time zone (the month's bounds).
    pub tz: chrono_tz::Tz,
}

/// One nudge to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nudge {
    /// Which rule.
    pub kind: NudgeKind,
    /// The period it belongs to (`2026-12`, or the trial's last day).
    pub period: String,
    /// What it says.
    pub text: String,
    /// The plan it suggests moving to, if any.
    pub suggests: Option<PlanTier>,
}

fn month_period(inputs: &NudgeInputs) -> String {
    inputs
        .now
        .with_timezone(&inputs.tz)
        .format("%Y-%m")
        .to_string()
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Every rule: the nudges `inputs` call for, before dismissals. Suspended and
/// cancelled tenants get none (their banner says what matters).
pub fn compute(inputs: &NudgeInputs) -> Vec<Nudge> {
    if matches!(
        inputs.status,
        TenantStatus::Suspended | TenantStatus::Cancelled
    ) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let month = &inputs.month;
    if inputs.tier == PlanTier::Starter && month.sms_out >= HAND_TEXTS_AT {
        out.push(Nudge {
            kind: NudgeKind::HandTexts,
            period: month_period(inputs),
            text: format!(
                "You sent {} by hand this month; Pro answers them for you.",
                plural(month.sms_out, "text", "texts")
            ),
            suggests: Some(PlanTier::Pro),
        });
    }
    if inputs.tier != PlanTier::Elite && month.call_minutes >= CALL_MINUTES_AT {
        out.push(Nudge {
            kind: NudgeKind::CallMinutes,
            period: month_period(inputs),
            text: format!(
                "You spent {} on calls this month; Elite's AI receptionist answers them for you.",
                plural(month.call_minutes, "minute", "minutes")
            ),
            suggests: Some(PlanTier::Elite),
        });
    }
    if inputs.status == TenantStatus::Trialing {
        if let Some(ends) = inputs.trial_ends_at {
            let hours = (ends - inputs.now).num_hours();
            let left = (hours + 23).div_euclid(24).max(1);
            if ends > inputs.now && left <= TRIAL_DAYS_LEFT_AT {
                out.push(Nudge {
                    kind: NudgeKind::TrialEnding,
                    period: ends.with_timezone(&inputs.tz).format("%Y-%m-%d").to_string(),
                    text: format!(
                        "Your trial ends in {}; choose a plan to keep your number and your bookings flowing.",
                        plural(left, "day", "days")
                    ),
                    suggests: None,
                });
            }
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Dismissed {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    period: String,
}

/// What the rules see for `db`'s tenant now.
pub async fn inputs(
    db: &TenantDb,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<NudgeInputs, DbError> {
    let p = profile::profile(db, now).await?;
    Ok(NudgeInputs {
        tier: p.plan_tier,
        status: p.status,
        trial_ends_at: p.trial_ends_at,
        month: p.usage,
        now,
        tz,
    })
}

/// The nudges to show `db`'s tenant: [`compute`] less those dismissed this period.
pub async fn shown(db: &TenantDb, inputs: &NudgeInputs) -> Result<Vec<Nudge>, DbError> {
    let all = compute(inputs);
    if all.is_empty() {
        return Ok(all);
    }
    let dismissed: Vec<Dismissed> = db
        .transaction(|tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(
                    "SELECT kind, period FROM nudge_dismissals \
                     WHERE tenant_id = current_setting('app.tenant_id', true)",
                )
                .load(tx.conn())
                .await?)
            })
        })
        .await?;
    Ok(all
        .into_iter()
        .filter(|n| {
            !dismissed
                .iter()
                .any(|d| d.kind == n.kind.as_str() && d.period == n.period)
        })
        .collect())
}

/// Dismisses `kind` for its current period; `false` when it is not showing now
/// (nothing is stored).
pub async fn dismiss(
    db: &TenantDb,
    inputs: &NudgeInputs,
    kind: NudgeKind,
) -> Result<bool, DbError> {
    let Some(nudge) = compute(inputs).into_iter().find(|n| n.kind == kind) else {
        return Ok(false);
    };
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "INSERT INTO nudge_dismissals (tenant_id, kind, period) \
                 VALUES (current_setting('app.tenant_id', true), $1, $2) ON CONFLICT DO NOTHING",
            )
            .bind::<Text, _>(nudge.kind.as_str())
            .bind::<Text, _>(&nudge.period)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn inputs(tier: PlanTier, status: TenantStatus, month: Usage) -> NudgeInputs {
        NudgeInputs {
            tier,
            status,
            trial_ends_at: None,
            month,
            now: Utc.with_ymd_and_hms(2026, 12, 4, 15, 0, 0).unwrap(),
            tz: chrono_tz::America::Chicago,
        }
    }

    fn kinds(i: &NudgeInputs) -> Vec<NudgeKind> {
        compute(i).into_iter().map(|n| n.kind).collect()
    }

    #[test]
    fn hand_texts_nudges_starter_only_past_the_threshold() {
        let busy = Usage {
            sms_out: 180,
            ..Usage::default()
        };
        let got = compute(&inputs(PlanTier::Starter, TenantStatus::Active, busy));
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].text,
            "You sent 180 texts by hand this month; Pro answers them for you."
        );
        assert_eq!(got[0].period, "2026-12");
        assert_eq!(got[0].suggests, Some(PlanTier::Pro));
        // Pro already answers; below the threshold nothing is said.
        assert!(kinds(&inputs(PlanTier::Pro, TenantStatus::Active, busy)).is_empty());
        let quiet = Usage {
            sms_out: HAND_TEXTS_AT - 1,
            ..Usage::default()
        };
        assert!(kinds(&inputs(PlanTier::Starter, TenantStatus::Active, quiet)).is_empty());
    }

    #[test]
    fn call_minutes_nudge_everyone_but_elite() {
        let calls = Usage {
            call_minutes: CALL_MINUTES_AT,
            ..Usage::default()
        };
        for tier in [PlanTier::Starter, PlanTier::Pro] {
            assert_eq!(
                kinds(&inputs(tier, TenantStatus::Active, calls)),
                vec![NudgeKind::CallMinutes]
            );
        }
        assert!(kinds(&inputs(PlanTier::Elite, TenantStatus::Active, calls)).is_empty());
        let text = &compute(&inputs(PlanTier::Pro, TenantStatus::PastDue, calls))[0].text;
        assert!(text.starts_with("You spent 60 minutes on calls"), "{text}");
    }

    #[test]
    fn the_trial_nudge_counts_days_left_and_belongs_to_the_trial() {
        let mut i = inputs(PlanTier::Pro, TenantStatus::Trialing, Usage::default());
        i.trial_ends_at = Some(i.now + Duration::hours(50));
        let got = compute(&i);
        assert_eq!(got.len(), 1);
        assert!(
            got[0].text.starts_with("Your trial ends in 3 days"),
            "{}",
            got[0].text
        );
        assert_eq!(got[0].period, "2026-12-06");
        i.trial_ends_at = Some(i.now + Duration::hours(20));
        assert!(compute(&i)[0].text.starts_with("Your trial ends in 1 day;"));
        i.trial_ends_at = Some(i.now + Duration::days(5));
        assert!(compute(&i).is_empty());
        i.trial_ends_at = Some(i.now - Duration::hours(1));
        assert!(compute(&i).is_empty());
    }

    #[test]
    fn suspended_and_cancelled_get_no_nudges() {
        let busy = Usage {
            sms_out: 500,
            call_minutes: 500,
            ..Usage::default()
        };
        for s in [TenantStatus::Suspended, TenantStatus::Cancelled] {
            assert!(compute(&inputs(PlanTier::Starter, s, busy)).is_empty());
        }
    }

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_named() {
        for k in NudgeKind::ALL {
            assert_eq!(k.as_str().parse::<NudgeKind>(), Ok(k));
        }
        assert_eq!(
            "free_pony"
                .parse::<NudgeKind>()
                .err()
                .map(|e| e.to_string()),
            Some("\"free_pony\" is not a nudge (hand_texts, call_minutes, trial_ending)".into())
        );
    }
}
