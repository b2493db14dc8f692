//! `cursor report`'s figures and renderings: [`compute`] turns the endpoints' raw answers into
//! the report (pure, unit-tested), [`text`] and [`html`] show it.

pub(crate) mod compute;
pub(crate) mod html;
pub(crate) mod text;
