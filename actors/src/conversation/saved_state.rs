//! The JSON a turn stores in `conversations.state`: the engine's state, with
//! the LLM brain's under `"llm"` when a model is configured. A state that
//! cannot be serialised fails the turn with a logged error; it is never
//! stored as `null` (which would silently forget the conversation).

use crate::brain::tools::ToolError;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// Serialises a turn's state for storage; `llm` is added under `"llm"`.
pub fn saved_state<S: Serialize, L: Serialize>(
    conversation_id: i64,
    state: &S,
    llm: Option<&L>,
) -> Result<Value, ToolError> {
    let serialised = serde_json::to_value(state).and_then(|mut saved| {
        if let Some(llm) = llm {
            let llm = serde_json::to_value(llm)?;
            if let Some(map) = saved.as_object_mut() {
                map.insert("llm".to_owned(), llm);
            }
        }
        Ok(saved)
    });
    serialised.map_err(|error| {
        tracing::error!(%error, conversation_id, "conversation state could not be serialised; turn failed");
        ToolError::State(Arc::new(error))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serializer;
    use std::error::Error as _;

    struct Unserialisable;

    impl Serialize for Unserialisable {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot"))
        }
    }

    #[test]
    fn a_state_that_cannot_serialise_fails_the_turn() {
        let engine = saved_state::<_, ()>(1, &Unserialisable, None);
        assert!(matches!(engine, Err(ToolError::State(_))), "{engine:?}");
        let llm = saved_state(1, &serde_json::json!({"version": 1}), Some(&Unserialisable));
        let err = llm.err();
        assert!(matches!(err, Some(ToolError::State(_))), "{err:?}");
        assert!(err.is_some_and(|e| e.source().is_some()));
    }

    #[test]
    fn the_llm_state_goes_under_llm() {
        let saved = saved_state(1, &serde_json::json!({"version": 1}), Some(&[1, 2]));
        assert_eq!(
            saved.ok(),
            Some(serde_json::json!({"version": 1, "llm": [1, 2]}))
        );
    }
}
