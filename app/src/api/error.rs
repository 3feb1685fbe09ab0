//! The error every server function returns: what a person may see, never a
//! stack trace or SQL. Internal errors are logged once, with an incident id
//! that the message repeats.

use crate::domain::field::FieldError;
use crate::domain::inventory::csv_file::RowError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Several fields of one record, each with its problem.
    #[error("{}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid { errors: Vec<FieldError> },
    /// Exchange files with bad rows; nothing was imported.
    #[error("Nothing was imported: {}", describe_files(files))]
    InvalidFiles { files: Vec<FileErrors> },
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{what} was not found.")]
    NotFound { what: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    TooManyAttempts { message: String },
    #[error("Something went wrong on our side (incident {incident_id}); it has been logged.")]
    Internal { incident_id: String },
    #[error("The request did not reach the server properly: {message}")]
    Transport { message: String },
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// `value`, or "`what` was not found".
    pub fn found<T>(value: Option<T>, what: impl FnOnce() -> String) -> Result<T, AppError> {
        value.ok_or_else(|| AppError::NotFound { what: what() })
    }

    /// The field a validation error belongs to, for showing it inline.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } => Some(field),
            AppError::Invalid { errors } => errors.first().map(|e| e.field.as_str()),
            _ => None,
        }
    }

    /// Every field's problem, for forms with many fields (a runbook's rows).
    pub fn field_messages(&self) -> Vec<(String, String)> {
        match self {
            AppError::Validation { field, message } => vec![(field.clone(), message.clone())],
            AppError::Invalid { errors } => errors
                .iter()
                .map(|e| (e.field.clone(), e.message.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What is wrong with `field`, if this error is about it.
    pub fn message_for(&self, name: &str) -> Option<String> {
        match self {
            AppError::Validation { field, message } if field == name => Some(message.clone()),
            AppError::Invalid { errors } => {
                let messages: Vec<&str> = errors
                    .iter()
                    .filter(|e| e.field == name)
                    .map(|e| e.message.as_str())
                    .collect();
                (!messages.is_empty()).then(|| messages.join("; "))
            }
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } | AppError::Invalid { .. } => 422,
            AppError::InvalidFiles { .. } => 422,
            AppError::Unauthorized => 401,
            AppError::Forbidden { .. } => 403,
            AppError::NotFound { .. } => 404,
            AppError::Conflict { .. } => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Internal { .. } => 500,
            AppError::Transport { .. } => 400,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation { .. } | AppError::Invalid { .. } => "validation",
            AppError::InvalidFiles { .. } => "invalid_file",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden { .. } => "forbidden",
            AppError::NotFound { .. } => "not_found",
            AppError::Conflict { .. } => "conflict",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Internal { .. } => "internal",
            AppError::Transport { .. } => "bad_request",
        }
    }
}

/// One exchange file's bad rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileErrors {
    pub file: String,
    pub errors: Vec<RowError>,
}

fn describe_files(files: &[FileErrors]) -> String {
    files
        .iter()
        .flat_map(|f| f.errors.iter().map(move |e| format!("{}: {e}", f.file)))
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation {
            field: e.field,
            message: e.message,
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid { errors }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport {
            message: value.to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<anyhow::Error> for AppError {
    /// Logs the whole chain once, here, and shows only an incident id.
    fn from(err: anyhow::Error) -> Self {
        use rand::Rng as _;
        let incident_id = format!("{:08x}", rand::thread_rng().gen::<u32>());
        tracing::error!(incident.id = %incident_id, error = ?err, "internal error");
        AppError::Internal { incident_id }
    }
}
