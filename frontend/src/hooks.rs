//! Hooks shared by the components.

use crate::state::Session;
use yew::prelude::*;

/// What the app's context provider hands down: the session and its dispatcher.
pub type SessionContext = UseReducerHandle<Session>;

/// The session of the enclosing [`crate::App`]: read it, or `.dispatch(Action::…)`.
///
/// Panics if used outside the app's `ContextProvider<SessionContext>`.
#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>()
        .expect("use_session() must be used inside <App>, which provides the session")
}
