//! Import throughput over the fixture corpus (every real OS2 document in fixtures/os2),
//! and export of the official Markdown.
//!
//! Target (docs/performance.md): at least 500 reports/s and 5 MB/s on one core, so a
//! secretariat's whole history (a few hundred reports) imports in under a second.

// Benchmark code: a failed unwrap is a broken benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use niveau_model::Registry;
use niveau_report::export;
use niveau_report::import::{ImportOptions, import_str};

fn corpus() -> Vec<(String, String)> {
    let root = niveau_testkit::fixture_path("os2");
    let mut out = Vec::new();
    for dir in ["reports", "templates", "forms"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            out.push((
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn benches(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    let opts = ImportOptions::default();
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(
        format!("fixture corpus ({} documents)", corpus.len()),
        |b| {
            b.iter(|| {
                for (name, text) in &corpus {
                    black_box(import_str(black_box(text), name, &registry, &opts).unwrap());
                }
            })
        },
    );
    group.finish();
    let reports: Vec<_> = corpus
        .iter()
        .map(|(n, t)| import_str(t, n, &registry, &opts).unwrap())
        .collect();
    let mut group = c.benchmark_group("export");
    group.throughput(Throughput::Elements(reports.len() as u64));
    group.bench_function("official markdown, whole corpus", |b| {
        b.iter(|| {
            for r in &reports {
                let model = registry.get(r.model.id.as_str()).unwrap();
                black_box(export::official_markdown(r, model).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(import, benches);
criterion_main!(import);
