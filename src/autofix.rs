//! `lint --fix` and `--diff`: lint, apply the fixes the findings carry, lint again, until
//! nothing more is fixed. Fixed texts are kept in memory between rounds (the files on disk are
//! written only at the end, and never with `--diff`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::checks::Context;
use crate::fix::{self, Safety};
use crate::lint::{self, Options, Report};
use crate::source::Input;

/// Rounds before giving up on fixes that keep producing new ones (ruff stops at 100; a fix
/// here never makes room for more than one more round, so a few suffice).
const MAX_ROUNDS: usize = 8;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Safe,
    /// Safe and unsafe (`--unsafe-fixes`).
    All,
}

impl Which {
    fn takes(self, s: Safety) -> bool {
        self == Which::All || s == Safety::Safe
    }
}

/// A file the fixes changed.
#[derive(Debug)]
pub struct Changed {
    pub path: PathBuf,
    /// The name findings use for it.
    pub name: String,
    pub before: String,
    pub after: String,
    pub fixes: usize,
}

#[derive(Debug)]
pub struct Outcome {
    /// The report on the fixed texts: what remains.
    pub report: Report,
    pub changed: Vec<Changed>,
    /// Fixes refused in the last round (overlapping, or stale).
    pub refused: usize,
}

/// Lints and fixes until a round fixes nothing. Only files on disk are fixed (not stdin, not
/// rendered Helm or kustomize output: their text is not what the author edits).
pub fn run(
    inputs: &[Input],
    context: &[Input],
    ctx: &Context,
    opts: &Options,
    which: Which,
) -> Result<Outcome, String> {
    // Texts given in place of the files (the language server's unsaved buffers) are where
    // fixing starts.
    let mut texts: HashMap<PathBuf, String> =
        opts.overrides.as_deref().cloned().unwrap_or_default();
    let mut originals: HashMap<PathBuf, (String, String)> = HashMap::new();
    let mut counts: HashMap<PathBuf, usize> = HashMap::new();
    let mut opts = opts.clone();
    for _ in 0..MAX_ROUNDS {
        opts.overrides = Some(Arc::new(texts.clone()));
        let report = lint::run(inputs, context, ctx, &opts)?;
        let mut by_file: HashMap<usize, Vec<&fix::Fix>> = HashMap::new();
        for f in &report.findings {
            if let Some(fx) = f.fix.as_deref().filter(|fx| which.takes(fx.safety)) {
                by_file.entry(f.file).or_default().push(fx);
            }
        }
        let mut applied_any = false;
        let mut refused = 0;
        for (file, fixes) in by_file {
            let info = &report.files[file];
            let Some(path) = info.path.clone() else {
                continue;
            };
            let current = match texts.get(&path) {
                Some(t) => t.clone(),
                None => std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {} to fix it: {e}", path.display()))?,
            };
            let applied = fix::apply(&current, &fixes);
            refused += applied.refused;
            if applied.applied == 0 || applied.text == current {
                continue;
            }
            applied_any = true;
            originals
                .entry(path.clone())
                .or_insert_with(|| (info.name.clone(), current.clone()));
            *counts.entry(path.clone()).or_default() += applied.applied;
            texts.insert(path, applied.text);
        }
        if !applied_any {
            let mut changed: Vec<Changed> = originals
                .into_iter()
                .filter_map(|(path, (name, before))| {
                    let after = texts.remove(&path)?;
                    let fixes = counts.get(&path).copied().unwrap_or(0);
                    (after != before).then_some(Changed {
                        path,
                        name,
                        before,
                        after,
                        fixes,
                    })
                })
                .collect();
            changed.sort_by(|a, b| a.name.cmp(&b.name));
            return Ok(Outcome {
                report,
                changed,
                refused,
            });
        }
    }
    Err(format!(
        "the fixes did not settle after {MAX_ROUNDS} rounds (each round's fixes made new ones); nothing was written. Please report this with the files"
    ))
}

/// Writes the fixed files. A file that changed on disk since it was read is left alone.
pub fn write(changed: &[Changed]) -> Result<(), String> {
    for c in changed {
        let now = std::fs::read_to_string(&c.path)
            .map_err(|e| format!("cannot read {}: {e}", c.path.display()))?;
        if now != c.before {
            return Err(format!(
                "{} changed while it was being fixed; nothing more was written. Run `lint --fix` again",
                c.name
            ));
        }
        // Write beside it and rename, so a crash never leaves half a manifest; through a
        // symlink to its target, with the file's permissions.
        let target = std::fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone());
        let tmp = target.with_extension("agones-lint-fix.tmp");
        let permissions = std::fs::metadata(&target).map(|m| m.permissions());
        std::fs::write(&tmp, &c.after)
            .and_then(|_| match permissions {
                Ok(p) => std::fs::set_permissions(&tmp, p),
                Err(_) => Ok(()),
            })
            .and_then(|_| std::fs::rename(&tmp, &target))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                format!("cannot write the fixed {}: {e}", c.name)
            })?;
    }
    Ok(())
}
