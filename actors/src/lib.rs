//! The ServicePro engine: supervised actors and the domain services they own.
