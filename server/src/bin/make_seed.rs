//! Regenerates the committed demo seed from the UCI "Online Retail" CSV:
//!
//! ```text
//! cargo run --release -p server --bin make_seed -- \
//!     /work/shared/data/online-retail/online_retail_I.csv.gz server/seed/online-retail.seed.gz
//! ```
//!
//! The output is byte-for-byte repeatable; the rules are documented in `server::seed::build`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: make_seed <online_retail.csv[.gz]> <output.seed.gz>");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    match server::seed::build::run(&PathBuf::from(input), &PathBuf::from(output)) {
        Ok(report) => {
            let size = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
            println!("{report}");
            println!(
                "wrote {output}: {size} bytes in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_seed: {e}");
            ExitCode::FAILURE
        }
    }
}
