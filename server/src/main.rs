//! `continuity`: parse the command line, run the subcommand, exit with
//! 0 (success), 1 (a user error, one line on stderr) or 2 (usage).

use clap::Parser as _;
use continuity_server::{cli, config::Cli, telemetry};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse(); // exits 2 on a usage error
    telemetry::init(cli.log_format);
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::UserError(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
