//! Industry packs: what a new tenant of each industry starts with.
