//! Prometheus text metrics: reviews and denials per kind, bad requests, latency histograms.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 11] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    reviews: BTreeMap<(String, bool), u64>,
    bad_requests: u64,
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn review(&self, kind: &str, allowed: bool, took: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.reviews.entry((kind.to_string(), allowed)).or_default() += 1;
        let h = m.latency.entry(kind.to_string()).or_default();
        let secs = took.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += secs;
        h.count += 1;
    }

    pub fn bad_request(&self) {
        if let Ok(mut m) = self.inner.lock() {
            m.bad_requests += 1;
        }
    }

    pub fn render(&self) -> String {
        let Ok(m) = self.inner.lock() else {
            return String::new();
        };
        let mut s = String::from("# HELP agones_lint_reviews_total AdmissionReviews answered, by object kind and verdict.\n# TYPE agones_lint_reviews_total counter\n");
        for ((kind, allowed), n) in &m.reviews {
            s.push_str(&format!(
                "agones_lint_reviews_total{{kind=\"{}\",allowed=\"{allowed}\"}} {n}\n",
                label(kind)
            ));
        }
        s.push_str("# HELP agones_lint_denials_total AdmissionReviews denied, by object kind.\n# TYPE agones_lint_denials_total counter\n");
        for ((kind, allowed), n) in &m.reviews {
            if !allowed {
                s.push_str(&format!(
                    "agones_lint_denials_total{{kind=\"{}\"}} {n}\n",
                    label(kind)
                ));
            }
        }
        s.push_str(&format!(
            "# HELP agones_lint_bad_requests_total Requests that were not AdmissionReviews.\n# TYPE agones_lint_bad_requests_total counter\nagones_lint_bad_requests_total {}\n",
            m.bad_requests
        ));
        s.push_str("# HELP agones_lint_review_duration_seconds Time to answer an AdmissionReview, by object kind.\n# TYPE agones_lint_review_duration_seconds histogram\n");
        for (kind, h) in &m.latency {
            let k = label(kind);
            for (i, b) in BUCKETS.iter().enumerate() {
                s.push_str(&format!(
                    "agones_lint_review_duration_seconds_bucket{{kind=\"{k}\",le=\"{b}\"}} {}\n",
                    h.counts[i]
                ));
            }
            s.push_str(&format!(
                "agones_lint_review_duration_seconds_bucket{{kind=\"{k}\",le=\"+Inf\"}} {}\n",
                h.count
            ));
            s.push_str(&format!(
                "agones_lint_review_duration_seconds_sum{{kind=\"{k}\"}} {}\n",
                h.sum
            ));
            s.push_str(&format!(
                "agones_lint_review_duration_seconds_count{{kind=\"{k}\"}} {}\n",
                h.count
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.review("Fleet", true, Duration::from_micros(300));
        m.review("Fleet", false, Duration::from_millis(3));
        m.bad_request();
        let t = m.render();
        assert!(t.contains("agones_lint_reviews_total{kind=\"Fleet\",allowed=\"false\"} 1"));
        assert!(t.contains("agones_lint_denials_total{kind=\"Fleet\"} 1"));
        assert!(t.contains("agones_lint_bad_requests_total 1"));
        assert!(t.contains("le=\"0.0005\"} 1\n"));
        assert!(t.contains("le=\"0.005\"} 2\n"));
        assert!(t.contains("_count{kind=\"Fleet\"} 2"));
    }
}
