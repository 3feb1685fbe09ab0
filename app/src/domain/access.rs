//! Roles and the permission matrix of SPEC §1 and §4.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's one role (SPEC §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    ContinuityManager,
    ServiceOwner,
    IncidentCommander,
    Executive,
    Auditor,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::ContinuityManager,
        Role::ServiceOwner,
        Role::IncidentCommander,
        Role::Executive,
        Role::Auditor,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ContinuityManager => "continuity_manager",
            Role::ServiceOwner => "service_owner",
            Role::IncidentCommander => "incident_commander",
            Role::Executive => "executive",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }

    /// The name people read, e.g. "Continuity manager".
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::ContinuityManager => "Continuity manager",
            Role::ServiceOwner => "Service owner",
            Role::IncidentCommander => "Incident commander",
            Role::Executive => "Executive",
            Role::Auditor => "Auditor",
            Role::Viewer => "Viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}'; expected one of admin, continuity_manager, service_owner, incident_commander, executive, auditor, viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// Every guarded action of SPEC §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read inventory, BIA, runbooks, drills, dashboards.
    Read,
    /// Edit sites, processes, BIA, vendors, RACI.
    EditReferenceData,
    /// Edit services, dependencies, runbooks, drill results.
    EditServices,
    /// Approve BIA entries and runbooks.
    ApproveRecords,
    ImportCsv,
    RequestFailover,
    ApproveFailover,
    RecordExecution,
    /// Read the audit log and export evidence packs.
    ReadAudit,
    BoardReport,
    ManageUsers,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "read",
            Permission::EditReferenceData => "edit_reference_data",
            Permission::EditServices => "edit_services",
            Permission::ApproveRecords => "approve_records",
            Permission::ImportCsv => "import_csv",
            Permission::RequestFailover => "request_failover",
            Permission::ApproveFailover => "approve_failover",
            Permission::RecordExecution => "record_execution",
            Permission::ReadAudit => "read_audit",
            Permission::BoardReport => "board_report",
            Permission::ManageUsers => "manage_users",
        }
    }

    /// What a denial says the user may not do.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::Read => "read records",
            Permission::EditReferenceData => "edit sites, processes, BIA, vendors or RACI",
            Permission::EditServices => "edit services, dependencies, runbooks or drill results",
            Permission::ApproveRecords => "approve BIA entries or runbooks",
            Permission::ImportCsv => "import CSV files",
            Permission::RequestFailover => "request failover or failback",
            Permission::ApproveFailover => "approve or reject failover",
            Permission::RecordExecution => "record execution steps",
            Permission::ReadAudit => "read the audit log or export evidence",
            Permission::BoardReport => "read the board report",
            Permission::ManageUsers => "manage users and API tokens",
        }
    }
}

/// What a role may do with a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    Denied,
    /// Only on services where the user holds R or A in the RACI matrix.
    OwnServices,
    Allowed,
}

/// The permission matrix of SPEC §4, in one place.
pub fn grant(role: Role, permission: Permission) -> Grant {
    use Grant::*;
    use Permission as P;
    use Role as R;
    match (permission, role) {
        (_, R::Admin) => Allowed,
        (P::Read, _) => Allowed,
        (P::EditReferenceData | P::ApproveRecords | P::ImportCsv, R::ContinuityManager) => Allowed,
        (P::EditServices, R::ContinuityManager) => Allowed,
        (P::EditServices, R::ServiceOwner) => OwnServices,
        (P::RequestFailover | P::ApproveFailover, R::IncidentCommander) => Allowed,
        (P::RecordExecution, R::IncidentCommander) => Allowed,
        (P::RecordExecution, R::ServiceOwner) => OwnServices,
        (P::ReadAudit, R::ContinuityManager | R::Auditor) => Allowed,
        (P::BoardReport, R::ContinuityManager | R::Executive | R::Auditor) => Allowed,
        _ => Denied,
    }
}

/// True when the role may do this at least on some records.
pub fn may(role: Role, permission: Permission) -> bool {
    grant(role, permission) != Grant::Denied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn every_role_may_read() {
        assert!(Role::ALL.iter().all(|&r| may(r, Permission::Read)));
    }

    #[test]
    fn only_admins_manage_users() {
        let managers: Vec<_> = Role::ALL
            .into_iter()
            .filter(|&r| may(r, Permission::ManageUsers))
            .collect();
        assert_eq!(managers, vec![Role::Admin]);
    }

    #[test]
    fn service_owners_edit_only_their_own_services() {
        assert_eq!(
            grant(Role::ServiceOwner, Permission::EditServices),
            Grant::OwnServices
        );
        assert_eq!(
            grant(Role::ServiceOwner, Permission::RecordExecution),
            Grant::OwnServices
        );
        assert_eq!(
            grant(Role::ServiceOwner, Permission::EditReferenceData),
            Grant::Denied
        );
    }

    #[test]
    fn failover_is_for_incident_commanders_and_admins() {
        for p in [Permission::RequestFailover, Permission::ApproveFailover] {
            let who: Vec<_> = Role::ALL.into_iter().filter(|&r| may(r, p)).collect();
            assert_eq!(who, vec![Role::Admin, Role::IncidentCommander]);
        }
    }

    #[test]
    fn audit_log_is_for_admins_managers_and_auditors() {
        let who: Vec<_> = Role::ALL
            .into_iter()
            .filter(|&r| may(r, Permission::ReadAudit))
            .collect();
        assert_eq!(
            who,
            vec![Role::Admin, Role::ContinuityManager, Role::Auditor]
        );
    }

    #[test]
    fn executives_and_viewers_only_read_apart_from_the_board_report() {
        let writes = [
            Permission::EditReferenceData,
            Permission::EditServices,
            Permission::ApproveRecords,
            Permission::ImportCsv,
            Permission::RequestFailover,
            Permission::ApproveFailover,
            Permission::RecordExecution,
            Permission::ManageUsers,
        ];
        for role in [Role::Executive, Role::Viewer, Role::Auditor] {
            assert!(writes.iter().all(|&p| !may(role, p)), "{role} may write");
        }
        assert!(may(Role::Executive, Permission::BoardReport));
        assert!(!may(Role::Viewer, Permission::BoardReport));
    }
}
