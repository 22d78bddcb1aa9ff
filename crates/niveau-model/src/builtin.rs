//! The built-in models (models/*.toml), embedded at build time, and a registry to look
//! models up by id.

use std::collections::{HashMap, VecDeque};

use crate::diff::{MappingUsed, ModelDiff, Pairs, compose, diff, diff_with_pairs, direct_pairs};
use crate::error::{Problem, Problems, UnknownModel};
use crate::load::load_model;
use crate::model::Model;

/// One embedded model file.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinFile {
    /// The model id the file defines.
    pub id: &'static str,
    /// Its path in the repository.
    pub path: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// Every built-in model, oldest first.
pub const BUILTIN_FILES: &[BuiltinFile] = &[
    BuiltinFile {
        id: "os2-2018",
        path: "models/os2-2018.toml",
        text: include_str!("../../../models/os2-2018.toml"),
    },
    BuiltinFile {
        id: "os2-2021",
        path: "models/os2-2021.toml",
        text: include_str!("../../../models/os2-2021.toml"),
    },
    BuiltinFile {
        id: "os2-1.1.0",
        path: "models/os2-1.1.0.toml",
        text: include_str!("../../../models/os2-1.1.0.toml"),
    },
];

/// Models by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    models: Vec<Model>,
}

impl Registry {
    /// A registry without models.
    pub fn empty() -> Self {
        Registry::default()
    }

    /// A registry holding the built-in models. Fails only if an embedded file is broken,
    /// which the test suite rules out.
    pub fn builtin() -> Result<Self, Problems> {
        let mut reg = Registry::empty();
        for file in BUILTIN_FILES {
            reg.insert(load_model(file.text, file.path)?);
        }
        Ok(reg)
    }

    /// Adds a model, replacing one with the same id; returns the replaced model.
    pub fn insert(&mut self, model: Model) -> Option<Model> {
        match self.models.iter().position(|m| m.id() == model.id()) {
            Some(i) => Some(std::mem::replace(&mut self.models[i], model)),
            None => {
                self.models.push(model);
                None
            }
        }
    }

    /// The model with this id; the error lists the known ids.
    pub fn get(&self, id: &str) -> Result<&Model, UnknownModel> {
        self.models
            .iter()
            .find(|m| m.id().as_str() == id.trim())
            .ok_or_else(|| UnknownModel {
                id: id.to_owned(),
                known: self.ids(),
            })
    }

    /// Every model, in the order added.
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// The ids of every model, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .models
            .iter()
            .map(|m| m.id().as_str().to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// Checks the mappings `model` declares against the target models in this registry.
    /// Returns the problems, and the targets that are not in the registry (unchecked).
    pub fn check_mappings(&self, model: &Model) -> (Vec<Problem>, Vec<String>) {
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        for mapping in model.mappings() {
            match self.get(mapping.target.as_str()) {
                Ok(target) => problems.extend(mapping.check(model, target)),
                Err(_) => unknown.push(mapping.target.as_str().to_owned()),
            }
        }
        (problems, unknown)
    }

    /// Pairs the requirements of `from` and `to` through the shortest chain of declared
    /// mappings between them, over the models in this registry (plus `from` and `to`
    /// themselves). Each mapping can be read forwards or backwards. `None` if no chain
    /// links them.
    pub fn pairs_between(&self, from: &Model, to: &Model) -> Option<(Pairs, MappingUsed)> {
        if from.id() == to.id() {
            return None;
        }
        // Nodes: the registry's models, with `from` and `to` taking precedence.
        let mut nodes: Vec<&Model> = vec![from, to];
        nodes.extend(
            self.models
                .iter()
                .filter(|m| m.id() != from.id() && m.id() != to.id()),
        );
        // Breadth-first search for the shortest chain (node 0 → node 1).
        let mut previous: HashMap<usize, usize> = HashMap::new();
        let mut queue = VecDeque::from([0usize]);
        while let Some(i) = queue.pop_front() {
            if i == 1 {
                break;
            }
            for (j, other) in nodes.iter().enumerate() {
                if j == 0 || previous.contains_key(&j) {
                    continue;
                }
                if direct_pairs(nodes[i], other).is_some() {
                    previous.insert(j, i);
                    queue.push_back(j);
                }
            }
        }
        let mut path = vec![1usize];
        while let Some(&p) = previous.get(path.last()?) {
            path.push(p);
            if p == 0 {
                break;
            }
        }
        if path.last() != Some(&0) {
            return None;
        }
        path.reverse();
        let mut pairs: Option<Pairs> = None;
        let mut steps = Vec::new();
        for w in path.windows(2) {
            let (step_pairs, step) = direct_pairs(nodes[w[0]], nodes[w[1]])?;
            pairs = Some(match pairs {
                None => step_pairs,
                Some(p) => compose(&p, &step_pairs),
            });
            steps.push(step);
        }
        Some((pairs?, MappingUsed { steps }))
    }

    /// Compares two models like [`crate::diff()`], but also pairs requirements through a
    /// chain of mappings via other models in this registry when neither model maps onto
    /// the other directly.
    pub fn diff(&self, from: &Model, to: &Model) -> ModelDiff {
        match self.pairs_between(from, to) {
            Some((pairs, used)) => diff_with_pairs(from, to, &pairs, Some(used)),
            None => diff(from, to),
        }
    }
}
