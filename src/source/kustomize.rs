//! Kustomize: the strategic-merge patches a `kustomization.yaml` names are partial objects, not
//! manifests of their own.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{yaml::Budgets, Input};

/// The names kustomize looks for in a folder.
const FILE_NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Kustomization files are small; a larger one is not read.
const MAX_BYTES: u64 = 1 << 20;

/// The canonical paths of the patch files named by the kustomizations in the inputs' folders:
/// `patchesStrategicMerge:` entries and `patches:` entries with a `path:`.
pub fn patch_files<'a>(inputs: impl IntoIterator<Item = &'a Input>) -> HashSet<PathBuf> {
    let mut folders: HashSet<PathBuf> = HashSet::new();
    let mut out = HashSet::new();
    for input in inputs {
        let Input::File(p) = input else { continue };
        let Some(dir) = p.parent() else { continue };
        if !folders.insert(dir.to_path_buf()) {
            continue;
        }
        for name in FILE_NAMES {
            let file = dir.join(name);
            if file.is_file() {
                out.extend(patches_of(&file, dir));
                break;
            }
        }
    }
    out
}

fn patches_of(file: &Path, dir: &Path) -> Vec<PathBuf> {
    if std::fs::metadata(file).map_or(true, |m| m.len() > MAX_BYTES) {
        return Vec::new();
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let Some(root) = super::objects(&text, &Budgets::default())
        .first()
        .map(|o| o.root.to_json())
    else {
        return Vec::new();
    };
    let mut rel: Vec<&str> = Vec::new();
    if let Some(list) = root["patchesStrategicMerge"].as_array() {
        rel.extend(list.iter().filter_map(|v| v.as_str()));
    }
    if let Some(list) = root["patches"].as_array() {
        rel.extend(list.iter().filter_map(|v| v["path"].as_str()));
    }
    rel.into_iter()
        // An inline patch (a YAML string with a newline) is not a path.
        .filter(|r| !r.contains('\n'))
        .map(|r| {
            let p = dir.join(r);
            std::fs::canonicalize(&p).unwrap_or(p)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_are_found_next_to_their_kustomization() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join("kustomization.yaml"),
            "resources: [../base]\npatches:\n  - path: fleet-patch.yaml\n    target: {kind: Fleet}\n  - patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\npatchesStrategicMerge:\n  - autoscaler-patch.yaml\n",
        )
        .unwrap();
        for f in ["fleet-patch.yaml", "autoscaler-patch.yaml", "other.yaml"] {
            std::fs::write(d.join(f), "kind: Fleet\n").unwrap();
        }
        let inputs = vec![Input::File(d.join("other.yaml"))];
        let found = patch_files(&inputs);
        assert!(patch_files(&[]).is_empty());
        let canon = |f: &str| std::fs::canonicalize(d.join(f)).unwrap();
        assert_eq!(
            found,
            [canon("fleet-patch.yaml"), canon("autoscaler-patch.yaml")]
                .into_iter()
                .collect()
        );
    }
}
