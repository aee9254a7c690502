//! Tokens, roles and the access rules of docs/service.md.
//!
//! A request carries `Authorization: Bearer <token>`; the store keeps only the token's SHA-256,
//! so the caller is found by hashing what they send. A team sees its own talk only: every other
//! talk is 404 on every route (a team must not learn that a talk exists); analysts read; the
//! admin (the US lead) does everything.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use reciprocity_negotiation::Side;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::AppState;

/// The prefix of every token.
pub const TOKEN_PREFIX: &str = "rcp_";

/// A caller's role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The US lead: reads and writes every talk.
    Admin,
    /// Reads every talk; writes nothing.
    Analyst,
    /// A partner's team (ISO3 code): its own talk only.
    Team(String),
}

impl Role {
    /// Parse `admin`, `analyst` or `team:ISO3` (the code checked against the registry; `team:EU`
    /// is the EU's talk, `EUU`).
    pub fn parse(text: &str) -> Result<Role, String> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "admin" => return Ok(Role::Admin),
            "analyst" => return Ok(Role::Analyst),
            _ => {}
        }
        let Some(code) = t
            .split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("team"))
            .map(|(_, c)| c)
        else {
            return Err(format!(
                "role: expected admin, analyst or team:ISO3, found {t:?}"
            ));
        };
        match reciprocity_service::talks::resolve_partner(code) {
            Ok((iso3, _)) => Ok(Role::Team(iso3)),
            Err(e) => Err(format!("role: team:{code}: {e}")),
        }
    }

    /// The role as stored: `admin`, `analyst`, `team:JPN`.
    pub fn as_text(&self) -> String {
        match self {
            Role::Admin => "admin".into(),
            Role::Analyst => "analyst".into(),
            Role::Team(c) => format!("team:{c}"),
        }
    }
}

/// A new token and its SHA-256 (what the store keeps): `rcp_` and 32 random bytes in hex.
pub fn new_token() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let token = format!("{TOKEN_PREFIX}{}", hex(&bytes));
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// The SHA-256 of a token, 64 lowercase hex digits.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Caller {
    /// The user's name.
    pub name: String,
    /// `admin`, `analyst` or `team:ISO3`.
    #[serde(serialize_with = "role_text")]
    #[schema(value_type = String, example = "team:JPN")]
    pub role: Role,
}

fn role_text<S: serde::Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&role.as_text())
}

fn no_talk(id: &str) -> ApiError {
    ApiError::not_found(format!("talk {} does not exist", id.trim()))
}

impl Caller {
    /// The code of talk `id` (code, name or EU) when the caller may read it; 404 otherwise, the
    /// same answer as for a talk that does not exist.
    pub fn readable_talk(&self, id: &str) -> Result<String, ApiError> {
        let code = reciprocity_service::talks::resolve_partner(id)
            .map_err(|_| no_talk(id))?
            .0;
        match &self.role {
            Role::Team(own) if *own != code => Err(no_talk(id)),
            _ => Ok(code),
        }
    }

    /// The code of talk `id` when the caller may change it: analysts 403, a team 404 on every
    /// talk but its own.
    pub fn writable_talk(&self, id: &str) -> Result<String, ApiError> {
        if self.role == Role::Analyst {
            return Err(ApiError::forbidden(format!(
                "{} is an analyst: analysts read, they do not write",
                self.name
            )));
        }
        self.readable_talk(id)
    }

    /// The date of a write: the server's today, or the day the admin sends (replaying or
    /// correcting the record). A team writes on today only: a date of its own could table after
    /// its pause ended, or date a record falsely.
    pub fn write_date(
        &self,
        sent: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<chrono::NaiveDate, ApiError> {
        let date = crate::dto::parse_opt_date("date", sent)?.unwrap_or(today);
        if date != today && self.role != Role::Admin {
            return Err(ApiError::forbidden(format!(
                "date: only the admin may date a write other than today ({today}); {} sent {date}",
                self.role.as_text()
            )));
        }
        Ok(date)
    }

    /// 403 unless the caller is the admin (opening talks, extending a pause).
    pub fn admin_only(&self, what: &str) -> Result<(), ApiError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "only the admin may {what} ({} is {})",
                self.name,
                self.role.as_text()
            )))
        }
    }

    /// The side the caller acts for: a team is always `partner` (403 when it asks for `us`);
    /// the admin may act for either side, or leave it to the service.
    pub fn side(&self, requested: Option<Side>) -> Result<Option<Side>, ApiError> {
        match (&self.role, requested) {
            (Role::Team(code), Some(Side::Us)) => Err(ApiError::forbidden(format!(
                "team {code} acts as partner only, not as us"
            ))),
            (Role::Team(_), _) => Ok(Some(Side::Partner)),
            (_, side) => Ok(side),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer <token>"))?;
        let token = header
            .to_str()
            .ok()
            // The scheme name is case-insensitive (RFC 9110 §11.1).
            .and_then(|h| h.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("Authorization: expected \"Bearer <token>\""))?;
        let hash = hash_token(token);
        let user = state
            .with_store(move |store| Ok(store.user_by_token(&hash)?))
            .await?
            .ok_or_else(|| ApiError::unauthorized("unknown token"))?;
        let role = Role::parse(&user.role)
            .map_err(|e| ApiError::internal(format!("user {}: stored {e}", user.name)))?;
        Ok(Caller {
            name: user.name,
            role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print() {
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert_eq!(Role::parse("Analyst"), Ok(Role::Analyst));
        assert_eq!(Role::parse("team:jpn"), Ok(Role::Team("JPN".into())));
        assert_eq!(Role::parse("team:EU"), Ok(Role::Team("EUU".into())));
        assert_eq!(Role::parse("team:JPN").unwrap().as_text(), "team:JPN");
        assert!(Role::parse("team:XXQ").is_err());
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn tokens_are_prefixed_hex_and_hash_to_sha256() {
        let (token, hash) = new_token().unwrap();
        assert_eq!(token.len(), 4 + 64);
        assert!(token.starts_with("rcp_"));
        assert_eq!(hash, hash_token(&token));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(new_token().unwrap().0, token);
    }
}
