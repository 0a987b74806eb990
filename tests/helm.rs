//! Helm: chart templates are reported once (render them), and `helm template` output is linted
//! with findings that name the template each document came from.

mod common;

const CHART: &str = "tests/fixtures/helm/arena";
const RENDERED: &str = "tests/fixtures/helm/rendered.yaml";

#[test]
fn a_chart_gives_one_finding_per_template() {
    let r = common::run(&["lint", "--format", "json", CHART], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.fields(&["rule", "file", "line"]),
        [
            [
                "YAML007",
                &format!("{CHART}/templates/autoscaler.yaml"),
                "4"
            ],
            ["YAML007", &format!("{CHART}/templates/fleet.yaml"), "4"],
        ]
    );
}

fn rendered() -> Vec<u8> {
    std::fs::read(RENDERED).unwrap()
}

#[test]
fn rendered_output_names_the_template_files() {
    let r = common::run(&["lint", "--format", "json", "-"], Some(&rendered()));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    // Lines count from the rendered document's first line (after `# Source:`).
    assert_eq!(
        r.fields(&["rule", "file", "line"]),
        [
            ["FAS006", "arena/templates/autoscaler.yaml", "9"],
            ["FAS005", "arena/templates/autoscaler.yaml", "10"],
            ["REF006", "arena/templates/fleet.yaml", "9"],
        ]
    );
    // The same from a saved file.
    let r = common::run(&["lint", "--format", "json", RENDERED], None);
    assert_eq!(r.json()["findings"], j["findings"]);
}

#[test]
fn sarif_and_annotations_point_at_the_template() {
    let r = common::run(&["lint", "--format", "sarif", "-"], Some(&rendered()));
    let sarif = r.json();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|res| {
            res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        [
            "arena/templates/autoscaler.yaml",
            "arena/templates/autoscaler.yaml",
            "arena/templates/fleet.yaml"
        ]
    );
    let r = common::run(&["lint", "--format", "github", "-"], Some(&rendered()));
    assert!(
        r.stdout
            .contains("::error file=arena/templates/autoscaler.yaml,line=10,"),
        "{}",
        r.stdout
    );
}

#[test]
fn templates_of_other_tools_are_left_alone() {
    let ansible = "- hosts: all\n  tasks:\n    - debug: msg={{ greeting }}\n";
    let r = common::lint_str(ansible, &[]);
    assert_eq!(
        (r.code, r.all_rules()),
        (0, Vec::<String>::new()),
        "{}",
        r.stdout
    );
    let workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n";
    let r = common::lint_str(workflow, &[]);
    assert_eq!(
        (r.code, r.all_rules()),
        (0, Vec::<String>::new()),
        "{}",
        r.stdout
    );
}
