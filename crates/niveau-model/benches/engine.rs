//! Speed of the model loader, the level engine and the count tables.
//!
//! Targets (docs/performance.md): loading all built-in models under 5 ms; indicating the
//! level of one 43-requirement evaluation under 20 µs; both count tables under 20 µs.
//! A web page that shows a product computes these once per request, and the portfolio
//! page computes them for ~50 products.

// Benchmark code: a failed unwrap is a broken benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use niveau_model::{BUILTIN_FILES, Rated, Rating, Ratings, Registry, count, indicate, load_model};

fn mixed_ratings(registry: &Registry, id: &str) -> Ratings {
    let model = registry.get(id).unwrap();
    model
        .requirements()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rating = match i % 5 {
                0 | 1 => Rated::new(Rating::Green),
                2 => Rated::with_basis(Rating::Yellow, "delvist"),
                3 => Rated::new(Rating::Red),
                _ => Rated::with_basis(Rating::Grey, "ikke relevant"),
            };
            (r.id.clone(), rating)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    c.bench_function("load all built-in models", |b| {
        b.iter(|| {
            for f in BUILTIN_FILES {
                black_box(load_model(black_box(f.text), f.path).unwrap());
            }
        })
    });
    let registry = Registry::builtin().unwrap();
    let model = registry.get("os2-1.1.0").unwrap();
    let ratings = mixed_ratings(&registry, "os2-1.1.0");
    c.bench_function("indicate os2-1.1.0 (43 ratings)", |b| {
        b.iter(|| black_box(indicate(black_box(model), black_box(&ratings))))
    });
    c.bench_function("count tables os2-1.1.0 (43 ratings)", |b| {
        b.iter(|| black_box(count(black_box(model), black_box(&ratings))))
    });
}

criterion_group!(engine, benches);
criterion_main!(engine);
