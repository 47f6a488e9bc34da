//! The admin API: a site's settings (services, desks, hours, calling policy), users and
//! device tokens. Admins only; every change takes effect at once and is in the event log
//! with who made it.

use axum::extract::State;
use axum::http::StatusCode;
use seira_protocol::ApiError as ErrorBody;
use seira_protocol::ErrorCode;
use seira_protocol::admin::{
    CreatedToken, NewPassword, NewToken, NewUser, TokenInfo, User, VersionedPriorities,
    VersionedSettings,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::error::{ApiError, ApiResult};
use super::extract::{Auth, Json, Path};
use crate::auth::{Caller, Role, hash_password, new_token, token_scope};
use crate::state::AppState;
use crate::store::{self, StoreError, UserRow};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_priorities, put_priorities))
        .routes(routes!(list_users, add_user))
        .routes(routes!(set_password))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

fn admin(auth: Auth) -> ApiResult<Caller> {
    auth.require(|c| c.role == Role::Admin)
}

fn invalid(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// Hashes a password off the async threads.
async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::from(StoreError::Task(e.to_string())))?
        .map_err(|e| invalid(ErrorCode::WeakPassword, e.to_string()))
}

/// A site's settings, and the version to send back with a change.
#[utoipa::path(
    get, path = "/api/v1/admin/sites/{site}/settings", tag = "admin",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, body = VersionedSettings),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn get_settings(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<VersionedSettings>> {
    admin(auth)?;
    let (version, stored) = app.live.stored();
    let site = stored
        .site(&site)
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    Ok(axum::Json(VersionedSettings {
        version,
        // A gateway's secret is shown as set, never as it is.
        settings: stored.site_settings(site).without_secrets(),
    }))
}

/// Changes a site's settings. They are checked as a configuration file would be; a desk that
/// holds a ticket or a service with open tickets cannot be removed.
#[utoipa::path(
    put, path = "/api/v1/admin/sites/{site}/settings", tag = "admin",
    params(("site" = String, Path, description = "Site id")),
    request_body = VersionedSettings,
    responses(
        (status = 200, description = "In force now", body = VersionedSettings),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Changed meanwhile, or a removed desk or service is in use", body = ErrorBody),
        (status = 422, description = "Not valid settings (the message says what)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn put_settings(
    State(app): State<AppState>,
    Path(site): Path<String>,
    auth: Auth,
    Json(body): Json<VersionedSettings>,
) -> ApiResult<axum::Json<VersionedSettings>> {
    let caller = admin(auth)?;
    if body.settings.id != site {
        return Err(invalid(
            ErrorCode::SiteMismatch,
            "the settings are for another site",
        ));
    }
    let (_, stored) = app.live.stored();
    let (version, changed) = app
        .write(Some(caller), move |ctx| {
            ctx.update_site_settings(&stored, body.version, body.settings)
        })
        .await?;
    let settings = changed
        .site(&site)
        .map(|s| changed.site_settings(s).without_secrets())
        .ok_or_else(|| ApiError::not_found(format!("there is no site `{site}`")))?;
    app.live.replace(version, changed);
    Ok(axum::Json(VersionedSettings { version, settings }))
}

/// The priority categories every site's kiosks offer, and the version to send back.
#[utoipa::path(
    get, path = "/api/v1/admin/priorities", tag = "admin",
    responses(
        (status = 200, body = VersionedPriorities),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn get_priorities(
    State(app): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<VersionedPriorities>> {
    admin(auth)?;
    let (version, stored) = app.live.stored();
    Ok(axum::Json(VersionedPriorities {
        version,
        priorities: priorities_of(&stored),
    }))
}

fn priorities_of(config: &crate::config::Config) -> Vec<seira_protocol::PriorityCategory> {
    config
        .priorities
        .iter()
        .map(|p| seira_protocol::PriorityCategory {
            id: p.id.clone(),
            names: p.names.clone(),
        })
        .collect()
}

/// Changes the priority categories (names in every kiosk language; ids lowercase). Tickets
/// already issued keep theirs.
#[utoipa::path(
    put, path = "/api/v1/admin/priorities", tag = "admin",
    request_body = VersionedPriorities,
    responses(
        (status = 200, description = "In force now", body = VersionedPriorities),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Changed meanwhile", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Not valid (the message says what)", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn put_priorities(
    State(app): State<AppState>,
    auth: Auth,
    Json(body): Json<VersionedPriorities>,
) -> ApiResult<axum::Json<VersionedPriorities>> {
    let caller = admin(auth)?;
    let (_, stored) = app.live.stored();
    let (version, changed) = app
        .write(Some(caller), move |ctx| {
            ctx.update_priorities(&stored, body.version, &body.priorities)
        })
        .await?;
    let priorities = priorities_of(&changed);
    app.live.replace(version, changed);
    Ok(axum::Json(VersionedPriorities {
        version,
        priorities,
    }))
}

fn user_view(u: &UserRow) -> User {
    User {
        name: u.name.clone(),
        role: u.role,
        site: u.site.clone(),
        desks: u.desks.clone(),
        disabled: u.disabled,
    }
}

/// Everyone who signs in on the pages.
#[utoipa::path(
    get, path = "/api/v1/admin/users", tag = "admin",
    responses((status = 200, body = Vec<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []))
)]
async fn list_users(State(app): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<User>>> {
    admin(auth)?;
    let users = app
        .db
        .read(|tx| store::list_users(tx).map_err(StoreError::from))
        .await?;
    Ok(axum::Json(users.iter().map(user_view).collect()))
}

/// Adds a user (staff, manager or admin).
#[utoipa::path(
    post, path = "/api/v1/admin/users", tag = "admin",
    request_body = NewUser,
    responses(
        (status = 201, body = User),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "The name is taken", body = ErrorBody),
        (status = 422, description = "Bad role, site, desk or a short password", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn add_user(
    State(app): State<AppState>,
    auth: Auth,
    Json(body): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    let caller = admin(auth)?;
    let role = match body.role {
        r @ (Role::Staff | Role::Manager | Role::Admin) => r,
        Role::Kiosk | Role::Display => {
            return Err(invalid(
                ErrorCode::InvalidRole,
                "a user is staff, manager or admin",
            ));
        }
    };
    let name = body.name.trim().to_owned();
    if name.is_empty() || name.len() > 80 || name.chars().any(char::is_whitespace) {
        return Err(invalid(
            ErrorCode::InvalidName,
            "a user name is 1–80 characters without spaces",
        ));
    }
    let user = token_scope(&app.config(), role, body.site, body.desks, name)
        .map_err(|e| invalid(ErrorCode::InvalidScope, e.to_string()))?;
    let password_hash = hash(body.password).await?;
    let view = User {
        name: user.label.clone(),
        role,
        site: user.site.clone(),
        desks: user.desks.clone(),
        disabled: false,
    };
    app.write(Some(caller), move |ctx| ctx.add_user(&user, &password_hash))
        .await?;
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// Sets a new password; the user's sessions end.
#[utoipa::path(
    post, path = "/api/v1/admin/users/{name}/password", tag = "admin",
    params(("name" = String, Path, description = "User name")),
    request_body = NewPassword,
    responses(
        (status = 200, body = User),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "Too short", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn set_password(
    State(app): State<AppState>,
    Path(name): Path<String>,
    auth: Auth,
    Json(body): Json<NewPassword>,
) -> ApiResult<axum::Json<User>> {
    let caller = admin(auth)?;
    let password_hash = hash(body.password).await?;
    let user = app
        .write(Some(caller), move |ctx| {
            ctx.set_password(&name, &password_hash)
        })
        .await?;
    Ok(axum::Json(user_view(&user)))
}

/// Disables a user: they cannot sign in, and their sessions end.
#[utoipa::path(
    post, path = "/api/v1/admin/users/{name}/disable", tag = "admin",
    params(("name" = String, Path, description = "User name")),
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn disable_user(
    State(app): State<AppState>,
    Path(name): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<User>> {
    let caller = admin(auth)?;
    let user = app
        .write(Some(caller), move |ctx| ctx.set_user_disabled(&name, true))
        .await?;
    Ok(axum::Json(user_view(&user)))
}

/// Enables a disabled user again.
#[utoipa::path(
    post, path = "/api/v1/admin/users/{name}/enable", tag = "admin",
    params(("name" = String, Path, description = "User name")),
    responses(
        (status = 200, body = User),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn enable_user(
    State(app): State<AppState>,
    Path(name): Path<String>,
    auth: Auth,
) -> ApiResult<axum::Json<User>> {
    let caller = admin(auth)?;
    let user = app
        .write(Some(caller), move |ctx| ctx.set_user_disabled(&name, false))
        .await?;
    Ok(axum::Json(user_view(&user)))
}

fn token_view(t: &store::TokenRow) -> TokenInfo {
    TokenInfo {
        id: t.id,
        role: t.role,
        site: t.site.clone(),
        desk: t.desk.clone(),
        label: t.label.clone(),
        revoked: t.revoked_at.is_some(),
    }
}

/// The devices' and staff's bearer tokens (never the tokens themselves).
#[utoipa::path(
    get, path = "/api/v1/admin/tokens", tag = "admin",
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []))
)]
async fn list_tokens(
    State(app): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<TokenInfo>>> {
    admin(auth)?;
    let tokens = app
        .db
        .read(|tx| store::list_tokens(tx).map_err(StoreError::from))
        .await?;
    Ok(axum::Json(tokens.iter().map(token_view).collect()))
}

/// Creates a token for a device (kiosk, display) or a person; the answer is the only time
/// the token is shown.
#[utoipa::path(
    post, path = "/api/v1/admin/tokens", tag = "admin",
    request_body = NewToken,
    responses(
        (status = 201, body = CreatedToken),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "Bad role, site, desk or label", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn create_token(
    State(app): State<AppState>,
    auth: Auth,
    Json(body): Json<NewToken>,
) -> ApiResult<(StatusCode, axum::Json<CreatedToken>)> {
    let caller = admin(auth)?;
    let role = body.role;
    let scope = token_scope(
        &app.config(),
        role,
        body.site,
        body.desk.into_iter().collect(),
        body.label.trim().to_owned(),
    )
    .map_err(|e| invalid(ErrorCode::InvalidScope, e.to_string()))?;
    let (token, hash) = new_token();
    let id = app
        .write(Some(caller), move |ctx| ctx.create_token(&scope, &hash))
        .await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedToken { id, token })))
}

/// Revokes a token: it stops working at once.
#[utoipa::path(
    post, path = "/api/v1/admin/tokens/{id}/revoke", tag = "admin",
    params(("id" = i64, Path, description = "Token number")),
    responses(
        (status = 200, body = TokenInfo),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such active token", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
async fn revoke_token(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    auth: Auth,
) -> ApiResult<axum::Json<TokenInfo>> {
    let caller = admin(auth)?;
    let token = app
        .write(Some(caller), move |ctx| ctx.revoke_token(id))
        .await?;
    Ok(axum::Json(token_view(&token)))
}
