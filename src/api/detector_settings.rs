//! The detectors' settings, for admins: read them as a form, and save a new
//! version from the form (read by the same pure code in both targets; a bad
//! field is refused naming it, and nothing is saved). Saving puts them in
//! force at once: orders waiting for a check are looked at again.

use super::ApiError;
use crate::model::detect::settings_form::SettingsForm;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::access::require, super::access::state, crate::model::Permission};

/// The settings in force, as the form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorSettingsView {
    /// 0 until an admin first saves (the defaults are in force).
    pub version: u32,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub form: SettingsForm,
}

#[cfg(feature = "ssr")]
fn view_of(saved: &crate::server::store::detector_state::SavedSettings) -> DetectorSettingsView {
    DetectorSettingsView {
        version: saved.version,
        saved_by: saved.saved_by.clone(),
        saved_at: saved.saved_at,
        form: SettingsForm::of(&saved.settings),
    }
}

/// The settings in force.
#[server(endpoint = "admin/detectors/get", input = Json)]
pub async fn get_detector_settings() -> Result<DetectorSettingsView, ApiError> {
    require(Permission::ManageDetectors).await?;
    Ok(view_of(&state()?.detectors.settings()))
}

/// Saves `form` as the next version and puts it in force.
#[server(endpoint = "admin/detectors/save", input = Json)]
pub async fn save_detector_settings(form: SettingsForm) -> Result<DetectorSettingsView, ApiError> {
    let staff = require(Permission::ManageDetectors).await?;
    let watch = state()?.detectors;
    let settings = form
        .read(&watch.settings().settings)
        .map_err(ApiError::InvalidSettings)?;
    watch.save(settings, &staff.username).await?;
    Ok(view_of(&watch.settings()))
}
