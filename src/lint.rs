//! The lint pipeline: inputs → loaded files → checked objects → located findings, then the
//! pass across resources over the facts every file contributed.

use rayon::prelude::*;

use crate::checks::cross::{self, CrossOptions, Facts};
use crate::checks::{check_object, rules, Context};
use crate::finding::{Finding, Severity};
use crate::model::{classify, Classification, Kind};
use crate::source::tree::{Pos, Span};
use crate::source::yaml::{Budgets, Problem, ProblemKind};
use crate::source::{self, Input};

/// One input file as the reports need it.
#[derive(Debug)]
pub struct FileInfo {
    pub name: String,
    /// The file on disk the findings are about (None for stdin and rendered output): where a
    /// fix may be written.
    pub path: Option<std::path::PathBuf>,
    /// Kept only when the file has findings (the human report shows its lines).
    pub text: Option<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileInfo>,
    pub documents: usize,
    /// Documents of kinds agones-lint does not check, skipped (as kubeconform's summary counts
    /// them).
    pub skipped: usize,
    pub findings: Vec<Finding>,
    /// With `Options::collect_objects`: the checked objects, as Kubernetes would read them.
    pub objects: Vec<(Kind, serde_json::Value)>,
    /// Files read only as context for the checks across resources (`--context`).
    pub context_files: usize,
    /// Findings left out by `limit_findings`, by severity; summaries and exit codes count them.
    pub omitted: crate::report::Counts,
    /// The Agones release the verdicts are for ("1.60").
    pub agones_version: &'static str,
}

impl Report {
    /// Keeps the first `max` findings (in report order) and counts the rest as omitted.
    pub fn limit_findings(&mut self, max: usize) {
        for f in self.findings.drain(max.min(self.findings.len())..) {
            if f.severity == Severity::Error && f.admission == crate::finding::Admission::Rejected {
                self.omitted.rejected += 1;
            }
            match f.severity {
                Severity::Error => self.omitted.errors += 1,
                Severity::Warning => self.omitted.warnings += 1,
                Severity::Info => self.omitted.infos += 1,
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub budgets: Budgets,
    /// The name findings use for standard input.
    pub stdin_name: Option<String>,
    pub cross: CrossOptions,
    /// Keep file texts for reports that show source lines (the human format). Off, memory stays
    /// flat however many files have findings.
    pub keep_text: bool,
    /// Hand back every checked Agones object as JSON (for `simulate`).
    pub collect_objects: bool,
    /// Rule severities from the configuration file.
    pub severities: std::collections::BTreeMap<&'static str, crate::config::Level>,
    /// Texts to lint instead of what the files on disk hold (fixes not yet written: `--diff`,
    /// the language server's unsaved buffers).
    pub overrides: Option<std::sync::Arc<std::collections::HashMap<std::path::PathBuf, String>>>,
    /// Facts of context files kept between runs (the language server lints on every edit, with
    /// the whole workspace as context).
    pub context_cache: Option<std::sync::Arc<ContextCache>>,
}

/// The facts of context files from earlier runs: a file whose text is unchanged (same size and
/// modification time on disk, or the same unsaved buffer) is not read and parsed again. An
/// entry is for a file at one place in the run (facts carry their file's index) and lives a
/// minute at most, since facts about schedules depend on the clock. Whoever changes what the
/// facts depend on besides the text (the configuration) clears it.
#[derive(Debug, Default)]
pub struct ContextCache {
    entries:
        std::sync::Mutex<std::collections::HashMap<(usize, std::path::PathBuf), CachedContext>>,
}

#[derive(Debug)]
struct CachedContext {
    stamp: Stamp,
    taken: std::time::Instant,
    name: String,
    facts: Vec<Facts>,
}

#[derive(Debug, PartialEq, Eq)]
enum Stamp {
    Disk(u64, std::time::SystemTime),
    Text(u64),
}

const CONTEXT_CACHE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(60);

impl ContextCache {
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn stamp(path: &std::path::Path, opts: &Options) -> Option<Stamp> {
        if let Some(text) = opts.overrides.as_ref().and_then(|o| o.get(path)) {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            return Some(Stamp::Text(h.finish()));
        }
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp::Disk(meta.len(), meta.modified().ok()?))
    }

    fn get(
        &self,
        index: usize,
        path: &std::path::Path,
        stamp: &Stamp,
    ) -> Option<(String, Vec<Facts>)> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(&(index, path.to_path_buf()))?;
        (e.stamp == *stamp && e.taken.elapsed() < CONTEXT_CACHE_LIFETIME)
            .then(|| (e.name.clone(), e.facts.clone()))
    }

    fn put(
        &self,
        index: usize,
        path: std::path::PathBuf,
        stamp: Stamp,
        name: String,
        facts: Vec<Facts>,
    ) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(
            (index, path),
            CachedContext {
                stamp,
                taken: std::time::Instant::now(),
                name,
                facts,
            },
        );
    }
}

fn problem_finding(p: Problem, file: usize) -> Finding {
    let rule = match p.kind {
        ProblemKind::Syntax if p.message.contains("UTF-8") || p.message.contains("binary") => {
            &rules::YAML004
        }
        ProblemKind::Syntax => &rules::YAML001,
        ProblemKind::DuplicateKey => &rules::YAML002,
        ProblemKind::Budget => &rules::YAML003,
        ProblemKind::Unrepresentable => &rules::YAML005,
    };
    Finding {
        rule,
        severity: rule.severity,
        file,
        span: p.span,
        kind: None,
        object: None,
        path: String::new(),
        message: p.message,
        help: Some(p.help),
        related: p.related,
        admission: crate::finding::Admission::of(rule),
        fix: None,
    }
}

fn helm_template_finding(file: usize, line: u32, col: u32) -> Finding {
    let rule = &rules::YAML007;
    Finding {
        rule,
        severity: rule.severity,
        file,
        span: Span {
            start: Pos { line, col },
            end: Pos { line, col: col + 2 },
        },
        kind: None,
        object: None,
        path: String::new(),
        message: "this is a Helm template (it holds `{{ ... }}` actions), not YAML yet; it was not linted".into(),
        help: Some("render the chart and lint the output: `helm template RELEASE CHART | agones-lint lint -` (findings then name this template), or exclude the chart's templates/ in .agones-lint.yaml".into()),
        related: None,
        admission: crate::finding::Admission::Accepted,
        fix: None,
    }
}

/// What linting one file produced.
struct FileResult {
    info: FileInfo,
    /// The text, kept until the pass across resources knows whether the file has findings.
    text: String,
    documents: usize,
    skipped: usize,
    findings: Vec<Finding>,
    facts: Vec<Facts>,
    objects: Vec<(Kind, serde_json::Value)>,
    suppressions: Vec<crate::suppress::Suppression>,
}

impl FileResult {
    /// A context file known from the cache: its facts and its name are all a run uses.
    fn context(name: String, facts: Vec<Facts>) -> FileResult {
        FileResult {
            info: FileInfo {
                name,
                path: None,
                text: None,
            },
            text: String::new(),
            documents: 0,
            skipped: 0,
            findings: Vec::new(),
            facts,
            objects: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

fn lint_one(
    input: &Input,
    index: usize,
    is_patch: bool,
    ctx: &Context,
    opts: &Options,
) -> Result<FileResult, String> {
    let name = input.display_name(opts.stdin_name.as_deref());
    let path = match input {
        Input::File(p) => Some(p.clone()),
        _ => None,
    };
    let overridden = path
        .as_ref()
        .and_then(|p| opts.overrides.as_ref()?.get(p).cloned());
    let read = match overridden {
        Some(text) if text.len() as u64 > opts.budgets.max_file_bytes => Err(source::over_budget(
            text.len() as u64,
            opts.budgets.max_file_bytes,
        )),
        Some(text) => Ok(text),
        None => source::read(input, &opts.budgets)?,
    };
    let text = match read {
        Ok(t) => t,
        Err(problem) => {
            return Ok(FileResult {
                info: FileInfo {
                    name,
                    path,
                    text: None,
                },
                text: String::new(),
                documents: 0,
                skipped: 0,
                findings: vec![problem_finding(problem, index)],
                facts: Vec::new(),
                objects: Vec::new(),
                suppressions: Vec::new(),
            })
        }
    };
    let in_templates = match input {
        Input::File(p) => source::helm::in_templates_folder(p),
        _ => false,
    };
    if let Some((line, col)) = source::helm::first_action(&text, in_templates) {
        // Template actions make the file something other than the YAML it will become: one
        // finding for an Agones template, and nothing about what is not YAML yet. Another
        // project's template (Ansible, Argo, a chart for something else) is none of our business.
        let findings = if text.contains("agones.dev") {
            vec![helm_template_finding(index, line, col)]
        } else {
            Vec::new()
        };
        return Ok(FileResult {
            info: FileInfo {
                name,
                path,
                text: None,
            },
            text: if opts.keep_text { text } else { String::new() },
            documents: 0,
            skipped: 0,
            findings,
            facts: Vec::new(),
            objects: Vec::new(),
            suppressions: Vec::new(),
        });
    }
    // Each object is checked as soon as its document is parsed and dropped after, so a file
    // holds one document's tree at a time.
    let mut checked = Checked::default();
    let outline = source::load_each(&text, &opts.budgets, |obj| {
        checked.object(&obj, &text, index, is_patch, ctx, opts)
    });
    let suppressions = crate::suppress::scan(&text, &outline.doc_starts);
    let mut findings: Vec<Finding> = outline
        .problems
        .into_iter()
        .map(|p| problem_finding(p, index))
        .collect();
    if checked.objects_seen == 0 && findings.is_empty() {
        findings.push(Finding {
            rule: &rules::YAML006,
            severity: rules::YAML006.severity,
            file: index,
            span: Span {
                start: Pos { line: 1, col: 0 },
                end: Pos { line: 1, col: 0 },
            },
            kind: None,
            object: None,
            path: String::new(),
            message: "the file holds no YAML document (it is empty or only comments)".into(),
            help: Some("add manifests, or stop passing this file".into()),
            related: None,
            admission: crate::finding::Admission::Accepted,
            fix: None,
        });
    }
    findings.append(&mut checked.findings);
    Ok(FileResult {
        info: FileInfo {
            name,
            path,
            text: None,
        },
        text: if opts.keep_text { text } else { String::new() },
        documents: outline.documents,
        skipped: checked.skipped,
        findings,
        facts: checked.facts,
        objects: checked.objects,
        suppressions,
    })
}

/// What a file's objects gave, gathered one object at a time.
#[derive(Default)]
struct Checked {
    objects_seen: usize,
    skipped: usize,
    findings: Vec<Finding>,
    facts: Vec<cross::Facts>,
    objects: Vec<(Kind, serde_json::Value)>,
}

impl Checked {
    fn object(
        &mut self,
        obj: &source::Object,
        text: &str,
        index: usize,
        is_patch: bool,
        ctx: &Context,
        opts: &Options,
    ) {
        self.objects_seen += 1;
        let lifecycle = if is_patch {
            crate::checks::live::Lifecycle::Patch
        } else {
            crate::checks::live::Lifecycle::of(&obj.root, obj.in_list)
        };
        let checked = check_object(&obj.root, index, ctx, lifecycle);
        if checked.kind.is_none() {
            self.skipped += 1;
        }
        self.facts.extend(checked.facts);
        if opts.collect_objects {
            let api_version = obj
                .root
                .get("apiVersion")
                .and_then(crate::source::tree::Node::as_str)
                .unwrap_or_default();
            let kind = obj
                .root
                .get("kind")
                .and_then(crate::source::tree::Node::as_str)
                .unwrap_or_default();
            if let Classification::Checked(k) = classify(api_version, kind) {
                let mut json = obj.root.to_json_without_nulls();
                crate::checks::defaults::apply(k, &mut json);
                self.objects.push((k, json));
            }
        }
        for raw in checked.raws {
            let (span, _) = obj.root.locate(&raw.path);
            let fix = raw
                .fix
                .as_ref()
                .and_then(|p| crate::fix::place(&obj.root, text, &raw.path, p))
                .map(Box::new);
            self.findings.push(Finding {
                rule: raw.rule,
                severity: raw.rule.severity,
                file: index,
                span: if span == Span::default() {
                    obj.root.span
                } else {
                    span
                },
                kind: checked.kind.clone(),
                object: checked.object.clone(),
                path: raw.path_string(),
                message: raw.message,
                help: raw.help,
                related: None,
                admission: raw.admission,
                fix,
            });
        }
    }
}

fn cross_finding(c: cross::CrossFinding) -> Finding {
    Finding {
        rule: c.rule,
        severity: if c.error_instead {
            Severity::Error
        } else {
            c.rule.severity
        },
        file: c.at.file,
        span: c.at.span,
        kind: Some(c.kind),
        object: Some(c.object),
        path: c.at.path.to_string(),
        message: c.message,
        help: Some(c.help),
        related: None,
        admission: crate::finding::Admission::Accepted,
        fix: c.fix,
    }
}

/// Lints every input, both cores busy. The `context` files are read for the checks across
/// resources only: nothing located in them is reported. An unreadable input stops the run (the
/// caller exits 2).
pub fn run(
    inputs: &[Input],
    context: &[Input],
    ctx: &Context,
    opts: &Options,
) -> Result<Report, String> {
    let inputs = source::expand_rendered(inputs, &opts.budgets, opts.stdin_name.as_deref())?;
    let linted = inputs.len();
    let all: Vec<&Input> = inputs.iter().chain(context).collect();
    let patches = source::kustomize::patch_files(all.iter().copied());
    let is_patch = |input: &Input| match input {
        Input::File(p) if !patches.is_empty() => {
            patches.contains(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        }
        _ => false,
    };
    let results: Vec<Result<FileResult, String>> = all
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let patch = is_patch(input);
            // A context file the cache knows unchanged contributes its facts without being read.
            let cacheable = match (&opts.context_cache, input) {
                (Some(cache), Input::File(p)) if i >= linted && !patch => {
                    ContextCache::stamp(p, opts).map(|stamp| (cache, p, stamp))
                }
                _ => None,
            };
            if let Some((cache, p, stamp)) = &cacheable {
                if let Some((name, facts)) = cache.get(i, p, stamp) {
                    return Ok(FileResult::context(name, facts));
                }
            }
            let r = lint_one(input, i, patch, ctx, opts)?;
            if let Some((cache, p, stamp)) = cacheable {
                cache.put(i, p.clone(), stamp, r.info.name.clone(), r.facts.clone());
            }
            Ok(r)
        })
        .collect();
    if let Some(cache) = &opts.context_cache {
        // Entries for places the files no longer hold (files added or removed) add up.
        let mut entries = cache.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 2 * all.len() + 64 {
            entries.clear();
        }
    }
    let mut report = Report {
        agones_version: ctx.cluster.release.version.as_str(),
        ..Report::default()
    };
    let mut texts = Vec::with_capacity(results.len());
    let mut facts = Vec::new();
    let mut suppressions = Vec::new();
    let mut context_names = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        let r = r?;
        if i >= linted {
            // Context: its facts only, and its name for messages that point into it.
            context_names.push(r.info.name);
            report.context_files += 1;
            facts.extend(r.facts);
            continue;
        }
        report.files.push(r.info);
        texts.push(r.text);
        report.documents += r.documents;
        report.skipped += r.skipped;
        report.findings.extend(r.findings);
        facts.extend(r.facts);
        report.objects.extend(r.objects);
        suppressions.push(r.suppressions);
    }
    let names: Vec<&str> = report
        .files
        .iter()
        .map(|f| f.name.as_str())
        .chain(context_names.iter().map(String::as_str))
        .collect();
    let across = cross::check(&facts, &names, opts.cross);
    report.findings.extend(
        across
            .into_iter()
            .filter(|c| c.at.file < linted)
            .map(cross_finding),
    );
    // The configuration's severities, then inline suppressions, then the unused suppressions.
    report
        .findings
        .retain_mut(|f| match opts.severities.get(f.rule.code) {
            Some(crate::config::Level::Off) => false,
            Some(crate::config::Level::At(sev)) => {
                f.severity = *sev;
                true
            }
            None => true,
        });
    for (file, sups) in suppressions.iter_mut().enumerate() {
        crate::suppress::apply(&mut report.findings, file, sups);
        for s in sups.iter().filter(|s| !s.used || !s.unknown.is_empty()) {
            let message = if s.unknown.is_empty() {
                "this suppression suppresses nothing".to_string()
            } else {
                format!(
                    "this suppression names {} that {} not a rule",
                    s.unknown.join(", "),
                    if s.unknown.len() == 1 { "is" } else { "are" }
                )
            };
            let rule = &rules::CFG002;
            if matches!(
                opts.severities.get(rule.code),
                Some(crate::config::Level::Off)
            ) {
                continue;
            }
            report.findings.push(Finding {
                rule,
                severity: match opts.severities.get(rule.code) {
                    Some(crate::config::Level::At(sev)) => *sev,
                    _ => rule.severity,
                },
                file,
                span: Span {
                    start: Pos {
                        line: s.line,
                        col: s.col,
                    },
                    end: Pos {
                        line: s.line,
                        col: s.col + 1,
                    },
                },
                kind: None,
                object: None,
                path: String::new(),
                message,
                help: Some("delete the comment, or fix the rule code it names".into()),
                related: None,
                admission: crate::finding::Admission::Accepted,
                fix: None,
            });
        }
    }
    // Keep the text of files with findings, for the human report; drop the rest.
    let mut has_findings = vec![false; report.files.len()];
    for f in &report.findings {
        has_findings[f.file] = true;
    }
    for ((file, text), keep) in report.files.iter_mut().zip(texts).zip(has_findings) {
        if keep && opts.keep_text {
            file.text = Some(text);
        }
    }
    report.findings.sort_by(|a, b| {
        (
            report.files[a.file].name.as_str(),
            a.span.start,
            a.rule.code,
        )
            .cmp(&(
                report.files[b.file].name.as_str(),
                b.span.start,
                b.rule.code,
            ))
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context file's facts come from the cache while it is unchanged, and are read again
    /// once it changes on disk or in an unsaved buffer.
    #[test]
    fn cached_context_follows_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let fleet = dir.path().join("fleet.yaml");
        let fas = dir.path().join("fas.yaml");
        let fleet_with = |key: &str| {
            format!("apiVersion: agones.dev/v1\nkind: Fleet\nmetadata:\n  name: lobby\nspec:\n  template:\n    spec:\n      counters:\n        {key}: {{count: 0, capacity: 10}}\n      ports: [{{name: default, containerPort: 7654}}]\n      template:\n        spec:\n          containers: [{{name: gs, image: gs}}]\n")
        };
        std::fs::write(&fleet, fleet_with("seats")).unwrap();
        std::fs::write(&fas, "apiVersion: autoscaling.agones.dev/v1\nkind: FleetAutoscaler\nmetadata:\n  name: lobby\nspec:\n  fleetName: lobby\n  policy:\n    type: Counter\n    counter: {key: rooms, bufferSize: 5, maxCapacity: 100}\n").unwrap();
        let ctx = Context {
            cluster: Default::default(),
            gates: crate::model::gates::FeatureGates::parse("CountsAndLists=true").unwrap(),
            now: crate::golang::time::Instant::now(),
            default_namespace: "default".into(),
            modules: None,
        };
        let cache = std::sync::Arc::new(ContextCache::default());
        let mut opts = Options {
            context_cache: Some(cache.clone()),
            ..Options::default()
        };
        let inputs = [Input::File(fas.clone())];
        let context = [Input::File(fleet.clone())];
        let ref002 = |opts: &Options| {
            run(&inputs, &context, &ctx, opts)
                .unwrap()
                .findings
                .iter()
                .any(|f| f.rule.code == "REF002")
        };
        assert!(ref002(&opts));
        assert_eq!(cache.entries.lock().unwrap().len(), 1);
        // Cached: the same answer without the file (an unreadable context file would say so).
        assert!(ref002(&opts));
        std::fs::write(&fleet, fleet_with("rooms")).unwrap();
        assert!(!ref002(&opts), "a changed file is read again");
        let buffer = std::collections::HashMap::from([(fleet.clone(), fleet_with("other"))]);
        opts.overrides = Some(std::sync::Arc::new(buffer));
        assert!(ref002(&opts), "an unsaved buffer stands in for the file");
    }
}
