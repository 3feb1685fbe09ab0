//! Users: parsed email addresses, display names and password rules.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::access::Role;
use super::field::FieldError;

/// A lower-cased email address of a plausible shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        let err = |m: &str| Err(FieldError::new("email", m));
        if email.is_empty() {
            return err("is required");
        }
        if email.len() > 254 {
            return err("must be at most 254 characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return err("must look like name@example.com");
        };
        let bad_char =
            |c: char| c.is_whitespace() || c.is_control() || c == '@' || c == '<' || c == '>';
        if local.is_empty()
            || domain.is_empty()
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || email.chars().filter(|&c| c == '@').count() != 1
            || local.chars().any(bad_char)
            || domain.chars().any(bad_char)
        {
            return err("must look like name@example.com");
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// The name shown in the header and the audit log.
pub fn parse_display_name(raw: &str, email: &Email) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string());
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new("name", "must be at most 100 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(name.to_string())
}

pub const MIN_PASSWORD_CHARS: usize = 12;

/// A new password as typed; never serialised, never logged.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at least {MIN_PASSWORD_CHARS} characters"),
            ));
        }
        if chars > 256 {
            return Err(FieldError::new(
                "password",
                "must be at most 256 characters",
            ));
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A user to be created, checked.
#[derive(Debug)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub password: NewPassword,
}

impl NewUser {
    pub fn parse(email: &str, name: &str, role: &str, password: &str) -> Result<Self, FieldError> {
        let email = Email::parse(email)?;
        let display_name = parse_display_name(name, &email)?;
        let role = role
            .parse::<Role>()
            .map_err(|e| FieldError::new("role", e.to_string()))?;
        let password = NewPassword::parse(password)?;
        Ok(NewUser {
            email,
            display_name,
            role,
            password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").map(|e| e.to_string()),
            Ok("ada@example.com".into())
        );
    }

    #[test]
    fn malformed_emails_name_the_field() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@example.com",
        ] {
            let err = Email::parse(bad).expect_err(bad);
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            NewPassword::parse("short").err().map(|e| e.field),
            Some("password".into())
        );
        assert!(NewPassword::parse("long enough password").is_ok());
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let p = NewPassword::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn a_new_user_needs_a_known_role() {
        let err = NewUser::parse("a@example.com", "", "root", "long enough password").unwrap_err();
        assert_eq!(err.field, "role");
        let ok = NewUser::parse("a@example.com", "", "auditor", "long enough password").unwrap();
        assert_eq!(ok.display_name, "a");
        assert_eq!(ok.role, Role::Auditor);
    }
}

/// A user as the portal shows one (never with the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: super::timestamp::Timestamp,
}
