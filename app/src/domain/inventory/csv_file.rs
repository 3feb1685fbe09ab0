//! Reading the exchange files of SPEC §8.5: UTF-8, RFC 4180, a header
//! row with exactly the fixed columns. A file is all or nothing: every bad
//! row is reported with its line, column and reason, and nothing is taken.

use super::process::Process;
use super::replication::ReplicationLink;
use super::service::{Dependency, Service};
use super::site::Site;
use super::vendor::Vendor;
use crate::domain::bia::{Bia, BiaLine};
use crate::domain::field::FieldError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

pub const SITE_COLUMNS: &[&str] = &[
    "key",
    "name",
    "region",
    "country",
    "kind",
    "cpu_cores",
    "memory_gb",
    "storage_tb",
];
pub const SERVICE_COLUMNS: &[&str] = &[
    "key",
    "name",
    "kind",
    "owner_team",
    "tier",
    "primary_site",
    "secondary_site",
    "topology",
    "recovery_minutes",
    "cpu_cores",
    "memory_gb",
    "storage_tb",
    "dns_ttl_seconds",
    "stateful",
    "data_jurisdictions",
];
pub const DEPENDENCY_COLUMNS: &[&str] = &["service", "depends_on", "kind"];
pub const PROCESS_COLUMNS: &[&str] = &["key", "name", "owner", "criticality", "services"];
pub const BIA_COLUMNS: &[&str] = &[
    "process",
    "rto_minutes",
    "rpo_minutes",
    "mtpd_minutes",
    "mbco",
    "status",
];
pub const REPLICATION_COLUMNS: &[&str] = &[
    "service",
    "mode",
    "source_site",
    "target_site",
    "interval_minutes",
    "expected_lag_seconds",
    "encrypted_in_transit",
    "encrypted_at_rest",
];
pub const VENDOR_COLUMNS: &[&str] = &[
    "name",
    "availability_percent",
    "response_minutes",
    "recovery_minutes",
    "rpo_minutes",
    "contract_end",
    "services",
];

/// One problem in a file: the line (1 is the header), the column when
/// known, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl RowError {
    fn line(line: u64, message: impl Into<String>) -> Self {
        RowError {
            line,
            column: None,
            message: message.into(),
        }
    }

    fn field(line: u64, e: FieldError) -> Self {
        RowError {
            line,
            column: Some(e.field),
            message: e.message,
        }
    }
}

/// A parsed record and the line it came from.
pub type Rows<T> = Vec<(u64, T)>;

/// A file's good rows and the problems of the others.
#[derive(Debug)]
pub struct ReadRows<T> {
    pub rows: Rows<T>,
    pub errors: Vec<RowError>,
}

impl<T> ReadRows<T> {
    /// The rows if every one was good.
    pub fn into_result(self) -> Result<Rows<T>, Vec<RowError>> {
        if self.errors.is_empty() {
            Ok(self.rows)
        } else {
            Err(self.errors)
        }
    }

    fn failed(errors: Vec<RowError>) -> Self {
        ReadRows {
            rows: Vec::new(),
            errors,
        }
    }
}

/// Reads `bytes` as a CSV file with exactly `columns` (in any order), turns
/// each row into `I` and checks it with `parse`; rows whose `key` repeats
/// an earlier row's are refused too.
pub fn read<I, T>(
    bytes: &[u8],
    columns: &[&str],
    parse: impl Fn(&I) -> Result<T, Vec<FieldError>>,
    key: impl Fn(&T) -> (String, &'static str),
) -> ReadRows<T>
where
    I: DeserializeOwned,
{
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            return ReadRows::failed(vec![RowError::line(
                line,
                "the file is not UTF-8 text; save it as CSV UTF-8",
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    if let Err(errors) = check_header(&mut reader, columns) {
        return ReadRows::failed(errors);
    }
    let headers = reader.headers().cloned().unwrap_or_default();

    let mut lines = LineCounter::new(text);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p)).unwrap_or(0);
                errors.push(RowError::line(line, csv_problem(&e)));
                continue;
            }
        };
        let line = record.position().map(|p| lines.at(p)).unwrap_or(0);
        let input: I = match record.deserialize(Some(&headers)) {
            Ok(input) => input,
            Err(e) => {
                errors.push(RowError::line(line, format!("cannot read the row: {e}")));
                continue;
            }
        };
        match parse(&input) {
            Ok(value) => {
                let (k, column) = key(&value);
                if let Some(first) = seen.insert(k.clone(), line) {
                    errors.push(RowError {
                        line,
                        column: Some(column.into()),
                        message: format!("'{k}' appears again (first on line {first})"),
                    });
                } else {
                    rows.push((line, value));
                }
            }
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| RowError::field(line, e)))
            }
        }
    }
    ReadRows { rows, errors }
}

/// Line numbers from byte offsets, counting `\n` (the csv crate's own
/// count is off by one after CRLF line ends). Offsets only grow, so the
/// text is scanned once.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    fn at(&mut self, position: &csv::Position) -> u64 {
        // After CRLF a record's offset is that of its line's `\n`.
        let mut to = (position.byte() as usize).min(self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\r' | b'\n') {
            to += 1;
        }
        if to > self.byte {
            self.line += self.text[self.byte..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = to;
        }
        self.line
    }
}

fn check_header(reader: &mut csv::Reader<&[u8]>, columns: &[&str]) -> Result<(), Vec<RowError>> {
    let header = reader
        .headers()
        .map_err(|e| vec![RowError::line(1, csv_problem(&e))])?
        .clone();
    let found: Vec<&str> = header.iter().map(str::trim).collect();
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !found.contains(c))
        .collect();
    let unknown: Vec<&str> = found
        .iter()
        .copied()
        .filter(|c| !columns.contains(c))
        .collect();
    let mut errors = Vec::new();
    if !missing.is_empty() {
        errors.push(RowError::line(
            1,
            format!("missing column(s): {}", missing.join(", ")),
        ));
    }
    if !unknown.is_empty() {
        errors.push(RowError::line(
            1,
            format!(
                "unknown column(s): {}; expected {}",
                unknown.join(", "),
                columns.join(",")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells; the header has {expected_len}"),
        _ => format!("is not valid CSV ({e})"),
    }
}

pub fn read_sites(bytes: &[u8]) -> ReadRows<Site> {
    read(bytes, SITE_COLUMNS, Site::parse, |s: &Site| {
        (s.key.to_string(), "key")
    })
}

pub fn read_services(bytes: &[u8]) -> ReadRows<Service> {
    read(bytes, SERVICE_COLUMNS, Service::parse, |s: &Service| {
        (s.key.to_string(), "key")
    })
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct DependencyRow {
    service: String,
    depends_on: String,
    kind: String,
}

pub fn read_dependencies(bytes: &[u8]) -> ReadRows<Dependency> {
    read(
        bytes,
        DEPENDENCY_COLUMNS,
        |r: &DependencyRow| Dependency::parse(&r.service, &r.depends_on, &r.kind, ""),
        |d: &Dependency| (format!("{} -> {}", d.service, d.depends_on), "depends_on"),
    )
}

pub fn read_processes(bytes: &[u8]) -> ReadRows<Process> {
    read(bytes, PROCESS_COLUMNS, Process::parse, |p: &Process| {
        (p.key.to_string(), "key")
    })
}

pub fn read_bia(bytes: &[u8]) -> ReadRows<BiaLine> {
    read(bytes, BIA_COLUMNS, BiaLine::parse, |b: &BiaLine| {
        (b.process.to_string(), "process")
    })
}

pub fn read_replication(bytes: &[u8]) -> ReadRows<ReplicationLink> {
    read(
        bytes,
        REPLICATION_COLUMNS,
        ReplicationLink::parse,
        |l: &ReplicationLink| (l.identity(), "target_site"),
    )
}

pub fn read_vendors(bytes: &[u8]) -> ReadRows<Vendor> {
    read(bytes, VENDOR_COLUMNS, Vendor::parse, |v: &Vendor| {
        (v.name.to_string(), "name")
    })
}

/// An exchange file's content: its columns and the cells of each record,
/// written as CSV or listed as JSON objects with the same fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Each row's cells, taken from its fields named as the columns.
    pub fn of<I: Serialize>(
        columns: &'static [&'static str],
        rows: impl IntoIterator<Item = I>,
    ) -> Table {
        let cell = |row: &serde_json::Value, column: &str| match &row[column] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        let rows = rows
            .into_iter()
            .map(|row| {
                let row = serde_json::to_value(&row).unwrap_or_default();
                columns.iter().map(|c| cell(&row, c)).collect()
            })
            .collect();
        Table { columns, rows }
    }

    /// RFC 4180 with CRLF line ends.
    pub fn to_csv(&self) -> String {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = out.write_record(self.columns);
        for row in &self.rows {
            let _ = out.write_record(row);
        }
        String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// One object per row, the columns as fields.
    pub fn to_json(&self) -> Vec<serde_json::Map<String, serde_json::Value>> {
        self.rows
            .iter()
            .map(|row| {
                self.columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone())))
                    .collect()
            })
            .collect()
    }
}

pub fn sites_table(sites: &[Site]) -> Table {
    Table::of(SITE_COLUMNS, sites.iter().map(Site::to_input))
}

pub fn services_table(services: &[Service]) -> Table {
    Table::of(SERVICE_COLUMNS, services.iter().map(Service::to_input))
}

pub fn dependencies_table(dependencies: &[Dependency]) -> Table {
    Table::of(
        DEPENDENCY_COLUMNS,
        dependencies.iter().map(|d| DependencyRow {
            service: d.service.to_string(),
            depends_on: d.depends_on.to_string(),
            kind: d.kind.to_string(),
        }),
    )
}

pub fn processes_table(processes: &[Process]) -> Table {
    Table::of(PROCESS_COLUMNS, processes.iter().map(Process::to_input))
}

pub fn bia_table(latest: &[Bia]) -> Table {
    Table::of(BIA_COLUMNS, latest.iter().map(Bia::to_row))
}

pub fn replication_table(links: &[ReplicationLink]) -> Table {
    Table::of(
        REPLICATION_COLUMNS,
        links.iter().map(ReplicationLink::to_input),
    )
}

pub fn vendors_table(vendors: &[Vendor]) -> Table {
    Table::of(VENDOR_COLUMNS, vendors.iter().map(Vendor::to_input))
}

named_enum!(
    /// The exchange files (SPEC §8.5), in the order an import applies them
    /// so that references resolve.
    Exchange, "exchange file" {
    Sites => "sites",
    Services => "services",
    Dependencies => "dependencies",
    Processes => "processes",
    Bia => "bia",
    Replication => "replication",
    Vendors => "vendors",
});

impl Exchange {
    pub fn file_name(self) -> String {
        format!("{}.csv", self.as_str())
    }

    /// The file's columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Exchange::Sites => SITE_COLUMNS,
            Exchange::Services => SERVICE_COLUMNS,
            Exchange::Dependencies => DEPENDENCY_COLUMNS,
            Exchange::Processes => PROCESS_COLUMNS,
            Exchange::Bia => BIA_COLUMNS,
            Exchange::Replication => REPLICATION_COLUMNS,
            Exchange::Vendors => VENDOR_COLUMNS,
        }
    }

    /// The exchange file named `name` (`services.csv`).
    pub fn from_file_name(name: &str) -> Result<Exchange, FieldError> {
        let stem = name.trim().to_ascii_lowercase();
        let stem = stem.strip_suffix(".csv").unwrap_or(&stem).to_string();
        Exchange::parse_field("file", &stem).map_err(|_| {
            let names: Vec<String> = Exchange::ALL.iter().map(|x| x.file_name()).collect();
            FieldError::new(
                "file",
                format!(
                    "'{name}' is not an exchange file; name it {}",
                    names.join(", ")
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITES: &str = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\n\
                         DC-FRA,Frankfurt 1,eu-central,DE,datacenter,2048,16384,900\n\
                         DC-AMS,\"Amsterdam, hall 2\",eu-west,NL,colocation,1024,8192,400\n";

    #[test]
    fn written_files_read_back_the_same() {
        let rows = read_sites(SITES.as_bytes()).into_result().unwrap();
        let sites: Vec<Site> = rows.into_iter().map(|(_, s)| s).collect();
        let text = sites_table(&sites).to_csv();
        assert!(text.starts_with("key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\r\n"));
        assert!(text.contains("\"Amsterdam, hall 2\""), "{text}");
        let again: Vec<Site> = read_sites(text.as_bytes())
            .into_result()
            .unwrap()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(again, sites);
        assert_eq!(sites_table(&again).to_csv(), text);
        let deps = vec![Dependency::parse("PAY-API", "IDP", "hard", "").unwrap()];
        assert_eq!(
            dependencies_table(&deps).to_csv(),
            "service,depends_on,kind\r\nPAY-API,IDP,hard\r\n"
        );
    }

    #[test]
    fn line_numbers_count_crlf_lines_too() {
        let file = "key,name,region,country,kind,cpu_cores,memory_gb,storage_tb\r\nA,A,,DE,datacenter,1,1,1\r\nB,B,,XX,datacenter,1,1,1\r\n";
        let errors = read_sites(file.as_bytes()).into_result().unwrap_err();
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn a_good_file_is_read_with_line_numbers() {
        let rows = read_sites(SITES.as_bytes()).into_result().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1.name, "Amsterdam, hall 2");
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let file = format!(
            "{SITES}dc-x,X,,XX,basement,1,1,1\nDC-FRA,Again,,DE,datacenter,1,1,1\nDC-Y,Short\n"
        );
        let errors = read_sites(file.as_bytes()).into_result().unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(text[0].starts_with("line 4, column key:"), "{text:?}");
        assert!(text[1].starts_with("line 4, column country:"), "{text:?}");
        assert!(text[2].starts_with("line 4, column kind:"), "{text:?}");
        assert_eq!(
            text[3],
            "line 5, column key: 'DC-FRA' appears again (first on line 2)"
        );
        assert_eq!(text[4], "line 6: has 2 cells; the header has 8");
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn header_problems_name_the_columns() {
        let errors = read_sites(b"key,name,colour\nA,B,red\n")
            .into_result()
            .unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(
            errors[0]
                .message
                .contains("missing column(s): region, country, kind"),
            "{}",
            errors[0].message
        );
        assert!(errors[1].message.contains("unknown column(s): colour"));
    }

    #[test]
    fn non_utf8_files_are_refused_with_their_line() {
        let mut bytes = SITES.as_bytes().to_vec();
        bytes.extend_from_slice(b"DC-X,M\xfcnchen,,DE,datacenter,1,1,1\n");
        let errors = read_sites(&bytes).into_result().unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("not UTF-8"));
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let file = format!("\u{feff}{SITES}");
        assert_eq!(
            read_sites(file.as_bytes()).into_result().map(|r| r.len()),
            Ok(2)
        );
    }

    #[test]
    fn dependencies_refuse_self_loops_and_repeats() {
        let file = "service,depends_on,kind\nPAY,DB,hard\nPAY,PAY,hard\nPAY,DB,soft\n";
        let errors = read_dependencies(file.as_bytes())
            .into_result()
            .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].line, errors[0].column.as_deref()),
            (3, Some("depends_on"))
        );
        assert!(errors[1].message.contains("appears again"));
    }

    #[test]
    fn services_read_lists_and_booleans() {
        let file = "key,name,kind,owner_team,tier,primary_site,secondary_site,topology,recovery_minutes,cpu_cores,memory_gb,storage_tb,dns_ttl_seconds,stateful,data_jurisdictions\n\
                    PAY-DB,Payments DB,database,Payments,0,DC-FRA,DC-AMS,hot_standby,45,32,256,4,30,true,DE;NL\n";
        let rows = read_services(file.as_bytes()).into_result().unwrap();
        assert!(rows[0].1.stateful);
        assert_eq!(rows[0].1.data_jurisdictions, vec!["DE", "NL"]);
    }
}
