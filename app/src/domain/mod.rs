//! Pure domain logic: no I/O, no clock, no framework. Compiles for the
//! server and for the browser alike, so the browser can run the same checks.

/// Declares a closed set of snake_case names with parsing and listing.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse_field(field: &str, raw: &str) -> Result<Self, $crate::domain::field::FieldError> {
                let text = raw.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::domain::field::FieldError::new(field, format!("'{text}' is not a {}; expected one of {}", $what, names.join(", ")))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod access;
pub mod action_item;
pub mod analysis;
pub mod approval;
pub mod audit;
pub mod bia;
pub mod drill;
#[cfg(feature = "ssr")]
pub mod evidence;
pub mod failover;
pub mod field;
pub mod history;
pub mod inventory;
pub mod lag;
pub mod postmortem;
pub mod report;
pub mod runbook;
pub mod scorecard;
pub mod steplog;
pub mod throttle;
pub mod timestamp;
pub mod token;
pub mod trends;
pub mod user;
