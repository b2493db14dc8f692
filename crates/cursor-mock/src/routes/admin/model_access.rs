//! `/teams/model-access/…` (preview): which providers and models the team may use; errors
//! are `{code, message}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::auth::ApiKey;
use crate::routes::Shared;
use crate::state::ModelAccess;

/// The providers and their models the simulator offers.
const PROVIDERS: &[(&str, &str, &[&str])] = &[
    ("anthropic", "Anthropic", &["claude-4-sonnet", "claude-4-opus", "claude-4.5-sonnet"]),
    ("openai", "OpenAI", &["gpt-5", "gpt-5-mini", "o3"]),
    ("google", "Google", &["gemini-2.5-pro", "gemini-2.5-flash"]),
    ("xai", "xAI", &["grok-4"]),
    ("cursor", "Cursor", &["composer-1", "cursor-small"]),
];

fn coded(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(json!({"code": code, "message": message.into()}))).into_response()
}

/// A model-access refusal, boxed: a `Response` is large to carry in every `Result`.
type Refusal = Box<Response>;

fn allowed_field(body: &Bytes, name: &str) -> Result<bool, Refusal> {
    let value: Value = serde_json::from_slice(if body.is_empty() { b"{}" } else { body })
        .map_err(|e| Box::new(coded(StatusCode::BAD_REQUEST, "invalid_request", format!("Invalid JSON body: {e}"))))?;
    value.get(name).and_then(Value::as_bool).ok_or_else(|| {
        Box::new(coded(StatusCode::BAD_REQUEST, "invalid_request", format!("{name} is required: true or false")))
    })
}

fn provider_json(access: &ModelAccess, id: &str, name: &str) -> Value {
    json!({"provider": id, "name": name, "allowed": !access.blocked_providers.iter().any(|p| p == id)})
}

fn model_json(access: &ModelAccess, provider: &str, model: &str) -> Value {
    let blocked = access.blocked_providers.iter().any(|p| p == provider)
        || access.blocked_models.iter().any(|(p, m)| p == provider && m == model);
    json!({"model": model, "provider": provider, "allowed": !blocked})
}

fn unrestricted() -> Response {
    coded(
        StatusCode::CONFLICT,
        "model_access_unrestricted",
        "Model access is unrestricted for this team: restrict it with PUT /teams/model-access/configuration first",
    )
}

/// Runs `change` on the team's model access while it is restricted; an unrestricted team
/// has nothing to allow or block, and is answered `409`.
fn change_restricted(state: &Shared, key: &ApiKey, change: impl FnOnce(&mut ModelAccess) -> Response) -> Response {
    state.with_team(&key.0, |team, _| {
        let access = &mut team.model_access;
        if !access.restricted {
            return unrestricted();
        }
        change(access)
    })
}

fn find_provider(provider: &str) -> Result<&'static (&'static str, &'static str, &'static [&'static str]), Refusal> {
    PROVIDERS
        .iter()
        .find(|(id, _, _)| *id == provider)
        .ok_or_else(|| Box::new(coded(StatusCode::NOT_FOUND, "not_found", format!("Unknown provider: {provider}"))))
}

/// `GET /teams/model-access/configuration`.
pub async fn model_access_configuration(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Response {
    let restricted = state.with_team(&key.0, |team, _| team.model_access.restricted);
    Json(json!({"restricted": restricted})).into_response()
}

/// `PUT /teams/model-access/configuration` (`{"restricted": bool}`); PATCH is accepted too
/// until the SDK's core can send PUT.
pub async fn set_model_access_configuration(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> Response {
    let restricted = match allowed_field(&body, "restricted") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    state.with_team(&key.0, |team, _| team.model_access.restricted = restricted);
    Json(json!({"restricted": restricted})).into_response()
}

/// `GET /teams/model-access/providers`: `409` while the team is unrestricted.
pub async fn model_providers(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Response {
    let access = state.with_team(&key.0, |team, _| team.model_access.clone());
    if !access.restricted {
        return unrestricted();
    }
    let providers: Vec<Value> = PROVIDERS.iter().map(|(id, name, _)| provider_json(&access, id, name)).collect();
    Json(json!({"providers": providers})).into_response()
}

/// `PUT /teams/model-access/providers/{provider}` (`{"allowed": bool}`).
pub async fn set_model_provider(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(provider): Path<String>,
    body: Bytes,
) -> Response {
    let (id, name, _) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let allowed = match allowed_field(&body, "allowed") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    change_restricted(&state, &key, |access| {
        access.blocked_providers.retain(|p| p != id);
        if !allowed {
            access.blocked_providers.push(id.to_owned());
        }
        Json(provider_json(access, id, name)).into_response()
    })
}

/// `GET /teams/model-access/providers/{provider}/models`.
pub async fn provider_models(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(provider): Path<String>,
) -> Response {
    let (id, _, models) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let access = state.with_team(&key.0, |team, _| team.model_access.clone());
    if !access.restricted {
        return unrestricted();
    }
    let models: Vec<Value> = models.iter().map(|m| model_json(&access, id, m)).collect();
    Json(json!({"provider": id, "models": models})).into_response()
}

/// `PUT /teams/model-access/providers/{provider}/models/{model}` (`{"allowed": bool}`).
pub async fn set_provider_model(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path((provider, model)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (id, _, models) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let Some(model) = models.iter().find(|m| **m == model) else {
        return coded(StatusCode::NOT_FOUND, "not_found", format!("Unknown model {model} of provider {id}"));
    };
    let allowed = match allowed_field(&body, "allowed") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    change_restricted(&state, &key, |access| {
        access.blocked_models.retain(|(p, m)| !(p == id && m == model));
        if !allowed {
            access.blocked_models.push((id.to_owned(), (*model).to_owned()));
        }
        Json(model_json(access, id, model)).into_response()
    })
}
