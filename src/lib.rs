//! The ServicePro server: configuration, HTTP edges and start-up.
