//! The tick model of a scenario (README, "Simulate over time"): GameServers start, get
//! allocated to queued matches and end their sessions, while a scaler (the Agones autoscaler
//! through the `simulate` engine, or GameLift's policies) sets the Fleet's size.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use serde::Serialize;

/// One second in nanoseconds, the unit of every time here.
pub const SECOND: i64 = 1_000_000_000;

/// Arrival rates in exact arithmetic: `micros` matches per 10^6 seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub from: i64,
    pub to: i64,
    pub micros: i128,
}

#[derive(Debug, Clone)]
pub enum Arrivals {
    Rates(Vec<Rate>),
    /// (time, count) sorted by time: each joins at the first tick at or after its time.
    Trace(Vec<(i64, u64)>),
}

impl Arrivals {
    /// Arrivals during the tick at `t`; `cursor` walks a trace.
    fn at(&self, t: i64, tick: i64, cursor: &mut usize) -> u64 {
        match self {
            Arrivals::Rates(rates) => rates
                .iter()
                .filter(|r| r.from <= t && t < r.to)
                .map(|r| {
                    // floor((t − from + tick)·r) − floor((t − from)·r), r = micros / 10^6 per s.
                    let scale = 1_000_000i128 * SECOND as i128;
                    let a = (t - r.from) as i128 * r.micros;
                    let b = (t - r.from + tick) as i128 * r.micros;
                    (b.div_euclid(scale) - a.div_euclid(scale)) as u64
                })
                .sum(),
            Arrivals::Trace(lines) => {
                let mut n = 0;
                while *cursor < lines.len() && lines[*cursor].0 <= t {
                    n += lines[*cursor].1;
                    *cursor += 1;
                }
                n
            }
        }
    }
}

/// A duration that is fixed, or drawn per GameServer from a seeded log-normal.
#[derive(Debug, Clone)]
pub enum Timing {
    Fixed(i64),
    LogNormal { mu: f64, sigma: f64, seed: u64 },
}

impl Timing {
    /// From a median and a 95th percentile, in nanoseconds.
    pub fn lognormal(p50: i64, p95: i64, seed: u64) -> Timing {
        let mu = (p50.max(1) as f64).ln();
        let sigma = ((p95.max(1) as f64).ln() - mu).max(0.0) / 1.644_853_626_951_472_2;
        Timing::LogNormal { mu, sigma, seed }
    }
}

/// A small, fast generator (SplitMix64) so distributions repeat across machines.
struct Draw {
    state: u64,
}

impl Draw {
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn duration(&mut self, t: &Timing) -> i64 {
        match t {
            Timing::Fixed(d) => *d,
            Timing::LogNormal { mu, sigma, .. } => {
                // Box–Muller.
                let (u1, u2) = (self.unit(), self.unit());
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                (mu + sigma * z).exp().round().clamp(0.0, 1e18) as i64
            }
        }
    }
}

fn seed_of(t: &Timing) -> u64 {
    match t {
        Timing::Fixed(_) => 0,
        Timing::LogNormal { seed, .. } => *seed,
    }
}

/// Everything a run needs besides the scaler, in nanoseconds.
#[derive(Debug, Clone)]
pub struct Model {
    pub duration: i64,
    pub tick: i64,
    pub patience: i64,
    pub startup: Timing,
    pub session: Timing,
    pub arrivals: Arrivals,
    /// The Fleet's `spec.replicas` at t=0.
    pub initial_replicas: i64,
    /// Keep a series sample every this many ticks (1: every tick).
    pub series_every: u64,
}

/// What a scaler sees at a decision point (after step 5 of the tick).
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    pub t: i64,
    pub game_servers: i64,
    pub starting: i64,
    pub ready: i64,
    pub allocated: i64,
    pub queue: i64,
    /// Age of the oldest queued match, in nanoseconds (0 when the queue is empty).
    pub oldest_wait: i64,
    /// The Fleet's current `spec.replicas`.
    pub desired: i64,
}

/// What a scaler decided at one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not a decision point, or nothing to change.
    Keep,
    /// A new desired size (possibly the same as before).
    Set(i64),
    /// The autoscaler would fail this sync: replicas unchanged.
    Failed,
}

pub trait Scaler {
    /// The desired size at t=0 (GameLift clamps the Fleet's replicas to its bounds).
    fn initial(&self, replicas: i64) -> i64 {
        replicas
    }
    fn decide(&mut self, s: &Snapshot) -> Verdict;
    /// How many evaluations inside the last `Set` each changed desired (GameLift's policies
    /// fire one after another within a minute). None: the decision is one evaluation.
    fn changes(&self) -> Option<u64> {
        None
    }
    /// The bound that limited the last `Set` (Agones' `scalingLimited`), as `maxReplicas 20`.
    fn limited_by(&self) -> Option<&str> {
        None
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub arrivals: u64,
    pub allocated: u64,
    pub abandoned: u64,
    pub queued_at_end: u64,
    pub wait_p50: f64,
    pub wait_p95: f64,
    pub wait_max: f64,
    pub game_server_seconds: f64,
    pub ready_idle_seconds: f64,
    pub peak_game_servers: i64,
    pub scale_events: u64,
    pub failed_syncs: u64,
    /// How many syncs each bound limited (`maxReplicas 20` → 14), for the Agones run.
    pub limited_by: std::collections::BTreeMap<String, u64>,
    /// When the first match gave up, seconds from t=0.
    #[serde(skip)]
    pub first_abandon: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Series {
    pub t: Vec<f64>,
    pub desired: Vec<i64>,
    #[serde(rename = "gameServers")]
    pub game_servers: Vec<i64>,
    pub ready: Vec<i64>,
    pub allocated: Vec<i64>,
    pub starting: Vec<i64>,
    pub queue: Vec<i64>,
    /// Arrivals since the previous sample (the chart's demand line).
    #[serde(skip)]
    pub arrivals: Vec<u64>,
    /// Matches that gave up so far (the chart's abandoned line).
    #[serde(skip)]
    pub abandoned: Vec<u64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub summary: Summary,
    pub series: Series,
}

/// GameServers by state. Ids grow with creation, so (createdAt, id) orders by creation.
struct Fleet {
    next_id: u64,
    /// (createdAt, id) → readyAt, for deletion (most recent first).
    starting: BTreeMap<(i64, u64), i64>,
    /// (readyAt, createdAt, id): which become Ready next; entries deleted meanwhile are skipped.
    ready_at: BinaryHeap<Reverse<(i64, i64, u64)>>,
    /// (createdAt, id) of Ready GameServers: the earliest is allocated, the latest deleted.
    ready: BTreeMap<(i64, u64), ()>,
    /// When each allocated GameServer's session ends.
    ends: BinaryHeap<Reverse<i64>>,
}

impl Fleet {
    fn total(&self) -> i64 {
        (self.starting.len() + self.ready.len() + self.ends.len()) as i64
    }
}

fn seconds(ns: i64) -> f64 {
    ns as f64 / SECOND as f64
}

/// Runs the model with one scaler.
pub fn run(m: &Model, scaler: &mut dyn Scaler) -> Outcome {
    let mut startup_draw = Draw {
        state: seed_of(&m.startup),
    };
    let mut session_draw = Draw {
        state: seed_of(&m.session) ^ 0x5EED,
    };
    let mut fleet = Fleet {
        next_id: 0,
        starting: BTreeMap::new(),
        ready_at: BinaryHeap::new(),
        ready: BTreeMap::new(),
        ends: BinaryHeap::new(),
    };
    let mut desired = scaler.initial(m.initial_replicas).max(0);
    for _ in 0..m.initial_replicas.max(0) {
        fleet.ready.insert((0, fleet.next_id), ());
        fleet.next_id += 1;
    }
    let mut queue: VecDeque<i64> = VecDeque::new();
    let mut waits: Vec<i64> = Vec::new();
    let mut s = Summary::default();
    let mut series = Series::default();
    let mut cursor = 0usize;
    let mut gs_ns: i128 = 0;
    let mut idle_ns: i128 = 0;
    let mut k: u64 = 0;
    let mut window_arrivals = 0u64;
    loop {
        let t = k as i64 * m.tick;
        if t >= m.duration {
            break;
        }
        // 1. Sessions that ended.
        while fleet.ends.peek().is_some_and(|Reverse(e)| *e <= t) {
            fleet.ends.pop();
        }
        // 2. Starting GameServers that are Ready now.
        while let Some(&Reverse((at, created, id))) = fleet.ready_at.peek() {
            if at > t {
                break;
            }
            fleet.ready_at.pop();
            if fleet.starting.remove(&(created, id)).is_some() {
                fleet.ready.insert((created, id), ());
            }
        }
        // 3. Arrivals join the queue.
        let n = m.arrivals.at(t, m.tick, &mut cursor);
        s.arrivals += n;
        window_arrivals += n;
        queue.extend(std::iter::repeat_n(t, n as usize));
        // 4. Matches that waited too long give up.
        while queue.front().is_some_and(|a| t - a >= m.patience) {
            queue.pop_front();
            s.abandoned += 1;
            s.first_abandon.get_or_insert(seconds(t));
        }
        // 5. Allocation: the earliest-created Ready GameServer takes the head of the queue.
        while !queue.is_empty() {
            let Some((&key, _)) = fleet.ready.iter().next() else {
                break;
            };
            fleet.ready.remove(&key);
            let arrival = queue.pop_front().unwrap_or(t);
            waits.push(t - arrival);
            let session = session_draw.duration(&m.session);
            fleet.ends.push(Reverse(t.saturating_add(session)));
            s.allocated += 1;
        }
        // 6. The scaler.
        let snap = Snapshot {
            t,
            game_servers: fleet.total(),
            starting: fleet.starting.len() as i64,
            ready: fleet.ready.len() as i64,
            allocated: fleet.ends.len() as i64,
            queue: queue.len() as i64,
            oldest_wait: queue.front().map_or(0, |a| t - a),
            desired,
        };
        match scaler.decide(&snap) {
            Verdict::Keep => {}
            Verdict::Failed => s.failed_syncs += 1,
            Verdict::Set(d) => {
                let d = d.max(0);
                // One scale event per evaluation that changed desired: a sync, or each of
                // GameLift's firings in the minute.
                match scaler.changes() {
                    Some(n) => s.scale_events += n,
                    None if d != desired => s.scale_events += 1,
                    None => {}
                }
                desired = d;
                if let Some(by) = scaler.limited_by() {
                    // The bound, without the why: "maxReplicas 20".
                    let bound = by.split(':').next().unwrap_or(by).to_string();
                    *s.limited_by.entry(bound).or_default() += 1;
                }
            }
        }
        // 7. Reconcile.
        let total = fleet.total();
        if total < desired {
            for _ in total..desired {
                let id = fleet.next_id;
                fleet.next_id += 1;
                let at = t.saturating_add(startup_draw.duration(&m.startup));
                fleet.starting.insert((t, id), at);
                fleet.ready_at.push(Reverse((at, t, id)));
            }
        } else if total > desired {
            let mut surplus = total - desired;
            while surplus > 0 {
                if let Some((&key, _)) = fleet.starting.iter().next_back() {
                    fleet.starting.remove(&key);
                } else if let Some((&key, _)) = fleet.ready.iter().next_back() {
                    fleet.ready.remove(&key);
                } else {
                    break;
                }
                surplus -= 1;
            }
        }
        let total = fleet.total();
        s.peak_game_servers = s.peak_game_servers.max(total);
        gs_ns += total as i128 * m.tick as i128;
        idle_ns += fleet.ready.len() as i128 * m.tick as i128;
        if k % m.series_every.max(1) == 0 {
            series.t.push(seconds(t));
            series.desired.push(desired);
            series.game_servers.push(total);
            series.ready.push(fleet.ready.len() as i64);
            series.allocated.push(fleet.ends.len() as i64);
            series.starting.push(fleet.starting.len() as i64);
            series.queue.push(queue.len() as i64);
            series.arrivals.push(window_arrivals);
            series.abandoned.push(s.abandoned);
            window_arrivals = 0;
        }
        k += 1;
    }
    s.queued_at_end = queue.len() as u64;
    s.game_server_seconds = gs_ns as f64 / SECOND as f64;
    s.ready_idle_seconds = idle_ns as f64 / SECOND as f64;
    waits.sort_unstable();
    let rank = |q: f64| -> f64 {
        if waits.is_empty() {
            return 0.0;
        }
        let i = ((q * waits.len() as f64).ceil() as usize).clamp(1, waits.len()) - 1;
        seconds(waits[i])
    };
    s.wait_p50 = rank(0.50);
    s.wait_p95 = rank(0.95);
    s.wait_max = waits.last().map_or(0.0, |w| seconds(*w));
    Outcome { summary: s, series }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scaler that keeps a fixed size.
    struct Fixed(i64);
    impl Scaler for Fixed {
        fn decide(&mut self, _: &Snapshot) -> Verdict {
            Verdict::Set(self.0)
        }
    }

    /// Buffer arithmetic every `every` seconds: allocated + buffer.
    struct Buffer {
        buffer: i64,
        every: i64,
    }
    impl Scaler for Buffer {
        fn decide(&mut self, s: &Snapshot) -> Verdict {
            if s.t % (self.every * SECOND) == 0 {
                Verdict::Set(s.allocated + self.buffer)
            } else {
                Verdict::Keep
            }
        }
    }

    fn model(rates: &[(i64, i64, i128)], replicas: i64) -> Model {
        Model {
            duration: 20 * SECOND,
            tick: SECOND,
            patience: 5 * SECOND,
            startup: Timing::Fixed(3 * SECOND),
            session: Timing::Fixed(4 * SECOND),
            arrivals: Arrivals::Rates(
                rates
                    .iter()
                    .map(|&(from, to, micros)| Rate {
                        from: from * SECOND,
                        to: to * SECOND,
                        micros,
                    })
                    .collect(),
            ),
            initial_replicas: replicas,
            series_every: 1,
        }
    }

    #[test]
    fn arrivals_are_exact() {
        // 0.3 per second over 10 s at 1 s ticks: floor(0.3k) steps, 3 in all.
        let a = Arrivals::Rates(vec![Rate {
            from: 0,
            to: 10 * SECOND,
            micros: 300_000,
        }]);
        let got: Vec<u64> = (0..10).map(|k| a.at(k * SECOND, SECOND, &mut 0)).collect();
        assert_eq!(got, [0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
        // 1.7 per second: 1, 2, 2, 1, 2, ... summing to floor(1.7·n).
        let a = Arrivals::Rates(vec![Rate {
            from: 0,
            to: 30 * SECOND,
            micros: 1_700_000,
        }]);
        let total: u64 = (0..30).map(|k| a.at(k * SECOND, SECOND, &mut 0)).sum();
        assert_eq!(total, 51);
        // Half-second ticks of 1 per second: one every other tick.
        let a = Arrivals::Rates(vec![Rate {
            from: SECOND,
            to: 3 * SECOND,
            micros: 1_000_000,
        }]);
        let got: Vec<u64> = (0..6)
            .map(|k| a.at(k * SECOND / 2, SECOND / 2, &mut 0))
            .collect();
        assert_eq!(got, [0, 0, 0, 1, 0, 1]);
        // A trace: a line's arrivals join at the first tick at or after its time.
        let a = Arrivals::Trace(vec![(0, 2), (SECOND / 2, 1), (3 * SECOND, 4)]);
        let mut c = 0;
        let got: Vec<u64> = (0..4).map(|k| a.at(k * SECOND, SECOND, &mut c)).collect();
        assert_eq!(got, [2, 1, 0, 4]);
    }

    #[test]
    fn a_hand_computed_run() {
        // 2 Ready GameServers, fixed size 2, 1 match per second from t=0 to 4 s, sessions of
        // 4 s, startup 3 s, patience 5 s. t=0: m0 → gs0; t=1: m1 → gs1; t=2,3: m2, m3 queue.
        // t=4: gs0's session ends and it is removed; a replacement starts (Ready at 7).
        // t=5: gs1 likewise (Ready at 8). t=7: m2 has waited 5 s and gives up; m3 (4 s) takes
        // the first replacement.
        let o = run(&model(&[(0, 4, 1_000_000)], 2), &mut Fixed(2));
        let s = &o.summary;
        assert_eq!(
            (s.arrivals, s.allocated, s.abandoned, s.queued_at_end),
            (4, 3, 1, 0)
        );
        assert_eq!((s.wait_p50, s.wait_p95, s.wait_max), (0.0, 4.0, 4.0));
        assert_eq!(s.game_server_seconds, 40.0);
        assert_eq!(o.series.queue[..8], [0, 0, 1, 2, 2, 2, 2, 0]);
        assert_eq!(o.series.starting[..8], [0, 0, 0, 0, 1, 2, 2, 1]);
        assert_eq!(s.first_abandon, Some(7.0));
        assert_eq!(s.scale_events, 0);
    }

    #[test]
    fn patience_abandons_and_starting_servers_come_ready() {
        // No GameServers at first; the scaler asks for 1 at t=0; it is Ready at t=3 and takes
        // the first match (waited 3 s). Later matches wait behind 4 s sessions; with patience
        // 5 s some give up.
        let o = run(&model(&[(0, 10, 1_000_000)], 0), &mut Fixed(1));
        let s = &o.summary;
        assert_eq!(s.arrivals, 10);
        assert_eq!(o.series.starting[..4], [1, 1, 1, 0]);
        assert_eq!(s.allocated + s.abandoned + s.queued_at_end, s.arrivals);
        assert!(s.abandoned > 0);
        // t=3: the first GameServer is Ready and takes m0; m1 has waited 5 s at t=6.
        assert_eq!(s.first_abandon, Some(6.0));
        assert_eq!(s.scale_events, 1);
    }

    #[test]
    fn scale_down_deletes_starting_then_ready_newest_first_never_allocated() {
        struct Steps(Vec<i64>);
        impl Scaler for Steps {
            fn decide(&mut self, s: &Snapshot) -> Verdict {
                let i = (s.t / SECOND) as usize;
                self.0.get(i).map_or(Verdict::Keep, |d| Verdict::Set(*d))
            }
        }
        // 3 Ready; one match at t=0 takes the oldest; grow to 5 at t=0 (2 Starting), then
        // shrink to 1 at t=1: both Starting go, then the 2 newest Ready; the Allocated stays.
        let mut m = model(&[(0, 1, 1_000_000)], 3);
        m.duration = 2 * SECOND;
        let o = run(&m, &mut Steps(vec![5, 1]));
        assert_eq!(o.series.game_servers, [5, 1]);
        assert_eq!(o.series.allocated, [1, 1]);
        assert_eq!(o.series.ready, [2, 0]);
        // Shrinking below the allocated count cannot delete them.
        let o = run(&m, &mut Steps(vec![5, 0]));
        assert_eq!(o.series.game_servers[1], 1);
    }

    #[test]
    fn a_buffer_keeps_up_when_large_enough() {
        let small = run(
            &model(&[(0, 20, 2_000_000)], 2),
            &mut Buffer {
                buffer: 2,
                every: 5,
            },
        );
        let large = run(
            &model(&[(0, 20, 2_000_000)], 2),
            &mut Buffer {
                buffer: 12,
                every: 5,
            },
        );
        assert!(large.summary.abandoned <= small.summary.abandoned);
        assert!(large.summary.game_server_seconds > small.summary.game_server_seconds);
    }

    #[test]
    fn lognormal_draws_repeat_and_follow_their_quantiles() {
        let t = Timing::lognormal(12 * SECOND, 40 * SECOND, 7);
        let mut d = Draw { state: 7 };
        let mut xs: Vec<i64> = (0..20_000).map(|_| d.duration(&t)).collect();
        xs.sort_unstable();
        let p50 = xs[10_000] as f64 / SECOND as f64;
        let p95 = xs[19_000] as f64 / SECOND as f64;
        assert!((p50 - 12.0).abs() < 0.6, "{p50}");
        assert!((p95 - 40.0).abs() < 3.0, "{p95}");
        let mut again = Draw { state: 7 };
        assert_eq!(again.duration(&t), {
            let mut d = Draw { state: 7 };
            d.duration(&t)
        });
    }
}
