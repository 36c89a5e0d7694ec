//! Generates an archive of N issues by recombining the sample articles with new dates and
//! numbers, deterministically (same N, same files): `cargo run --release --example gen_archive --
//! N DIR`. For benchmarks and scale tests; the work is `kanbao::library::generate`.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(dir)) = (
        args.next().and_then(|n| n.parse::<usize>().ok()),
        args.next(),
    ) else {
        eprintln!("usage: gen_archive N DIR");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    match kanbao::library::generate::generate_archive(count, &dir) {
        Ok(bytes) => println!(
            "{count} issues, {:.1} MB, in {}",
            bytes as f64 / 1e6,
            dir.display()
        ),
        Err(e) => {
            eprintln!("gen_archive: {}: {e}", dir.display());
            std::process::exit(1);
        }
    }
}
