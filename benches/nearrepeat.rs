//! The Knox test on 12 000 incidents with 999 permutations, bands 200/400/800 m ×
//! 7/14/28 days, incidents spread over a 30 × 30 km municipality and a year (the
//! published Near Repeat Calculator takes about 510 s for this size; a vectorised
//! implementation about 4 s). `cargo bench --bench nearrepeat`; the target is under
//! 5 seconds on 2 cores.

use divan::Bencher;
use lagesbild::analysis::nearrepeat::{knox, Event};
use lagesbild::random::SplitMix;

fn main() {
    divan::main();
}

fn events(n: usize) -> Vec<Event> {
    let mut rng = SplitMix(883);
    (0..n)
        .map(|_| Event {
            x: 580_000.0 + rng.uniform() * 30_000.0,
            y: 6_390_000.0 + rng.uniform() * 30_000.0,
            t: rng.uniform() * 365.0,
        })
        .collect()
}

#[divan::bench(sample_count = 3)]
fn knox_12000_events_999_permutations(bencher: Bencher) {
    let events = events(12_000);
    bencher.bench(|| knox(&events, &[200.0, 400.0, 800.0], &[7.0, 14.0, 28.0], 999, 1));
}
