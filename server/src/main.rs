//! The `switchboard` binary: serves the app, runs migrations, creates admins and seeds
//! demo data.

mod answers;
mod cli;
mod demo_briefing;
mod demo_tasks;
mod demo_traffic;
mod security;
mod seed;
mod serve;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

// Server rendering allocates and frees many small strings on every thread; glibc's
// allocator spent a third of the directory page's time doing that (perf), mimalloc
// far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    // Leptos's server rendering nests deep futures, which unoptimized (debug) builds
    // keep on the stack: more than tokio's default 2 MiB a worker.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(16 << 20)
        .build();
    let outcome = match runtime {
        Ok(runtime) => runtime.block_on(cli::run(cli::Cli::parse())),
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard: {error}");
            ExitCode::FAILURE
        }
    }
}
