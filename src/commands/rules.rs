//! `agones-lint rules`, `explain` and `schema`: what the tool knows, printed.

use crate::app::{write_stdout, Fatal, EXIT_OK};
use crate::checks::rules::{Rule, ALL};
use crate::cli::{Format, SchemaArgs};
use crate::model::schema;

pub fn list(format: Format) -> Result<u8, Fatal> {
    let out = match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = ALL
                .iter()
                .map(|r| serde_json::json!({"rule": r.code, "name": r.name, "severity": r.severity, "kinds": r.kinds, "summary": r.summary}))
                .collect();
            serde_json::to_string_pretty(&items).unwrap_or_default() + "\n"
        }
        Format::Human | Format::Github | Format::Sarif | Format::Markdown => {
            let mut s = String::new();
            for r in ALL {
                s.push_str(&format!(
                    "{:<8} {:<30} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.to_string(),
                    r.summary
                ));
            }
            s.push_str(&format!(
                "\n{} rules. `agones-lint explain CODE` shows one with examples.\n",
                ALL.len()
            ));
            s
        }
    };
    write_stdout(&out)?;
    Ok(EXIT_OK)
}

pub fn find_rule(key: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

pub fn explain(key: &str) -> Result<u8, Fatal> {
    match find_rule(key) {
        Some(r) => {
            write_stdout(r.doc)?;
            Ok(EXIT_OK)
        }
        None => {
            let names = ALL.iter().map(|r| r.name).chain(ALL.iter().map(|r| r.code));
            let hint = crate::suggest::closest(key, names)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            Err(Fatal::new(format!("no rule `{key}`"))
                .help(format!("{hint}`agones-lint rules` lists them all")))
        }
    }
}

pub fn schema(args: SchemaArgs) -> Result<u8, Fatal> {
    let release = crate::app::release(
        args.agones_version.as_deref(),
        &crate::config::Config::default(),
    )?;
    let render = |kind| {
        let schema = if args.agones_version.is_some() {
            schema::generate_of(kind, release)
        } else {
            schema::generate(kind)
        };
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    };
    if let Some(dir) = &args.catalog {
        let dir = std::path::Path::new(dir);
        if args.all_versions {
            for r in crate::model::release::all() {
                write_catalog(&dir.join(&r.version), r)?;
            }
            eprintln!(
                "kubeconform: -schema-location '{}/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_{{{{ .ResourceAPIVersion }}}}.json' with the release's folder in place of VERSION",
                dir.join("VERSION").display()
            );
        } else {
            write_catalog(dir, release)?;
        }
        return Ok(EXIT_OK);
    }
    if args.write {
        for kind in schema::ALL_KINDS {
            let path = std::path::Path::new(&args.dir).join(schema::file_name(*kind));
            std::fs::create_dir_all(&args.dir)
                .and_then(|_| std::fs::write(&path, render(*kind)))
                .map_err(|e| Fatal::new(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        return Ok(EXIT_OK);
    }
    let wanted = args.kind.clone().unwrap_or_default();
    let names: Vec<&str> = schema::ALL_KINDS.iter().map(|k| k.name()).collect();
    match schema::ALL_KINDS
        .iter()
        .find(|k| k.name().eq_ignore_ascii_case(&wanted))
    {
        Some(kind) => {
            write_stdout(&render(*kind))?;
            Ok(EXIT_OK)
        }
        None => Err(Fatal::new(format!("no schema for the kind `{wanted}`"))
            .help(format!("use one of: {}", names.join(", ")))),
    }
}

/// The editor schemas of one release under `dir`, in the CRDs-catalog layout.
fn write_catalog(
    dir: &std::path::Path,
    release: &crate::model::release::Release,
) -> Result<(), Fatal> {
    for (relative, schema) in schema::catalog(release) {
        let path = dir.join(relative);
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, text))
            .map_err(|e| {
                Fatal::new(format!("cannot write {}: {e}", path.display()))
                    .help("choose a folder you can write to: --catalog DIR")
            })?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
