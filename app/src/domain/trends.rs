//! Trends (SPEC §6.4): mean time to recover by month, from real failovers
//! and from drills, and the recovery achieved against the target; and the
//! geometry of the line charts that draw them (SVG on the server).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One measured recovery.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub day: time::Date,
    pub minutes: f64,
    /// The service's target RTO, when it has one.
    pub target: Option<f64>,
}

/// A named line of (month label, value) points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<(String, f64)>,
}

fn month_key(day: time::Date) -> (i32, u8) {
    (day.year(), u8::from(day.month()))
}

fn label((year, month): (i32, u8)) -> String {
    format!("{year}-{month:02}")
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The mean of `samples` by month, oldest first.
pub fn monthly_mean(name: &str, samples: &[Sample]) -> Series {
    let mut months: BTreeMap<(i32, u8), Vec<f64>> = BTreeMap::new();
    for s in samples {
        months.entry(month_key(s.day)).or_default().push(s.minutes);
    }
    Series {
        name: name.to_string(),
        points: months
            .into_iter()
            .map(|(m, v)| (label(m), mean(&v)))
            .collect(),
    }
}

/// Achieved against target by month, over the samples that have a
/// target: the mean recovery and the mean target.
pub fn achieved_vs_target(samples: &[Sample]) -> [Series; 2] {
    /// Per month: the recoveries and their targets.
    type Month = (Vec<f64>, Vec<f64>);
    let mut months: BTreeMap<(i32, u8), Month> = BTreeMap::new();
    for s in samples {
        if let Some(target) = s.target {
            let entry = months.entry(month_key(s.day)).or_default();
            entry.0.push(s.minutes);
            entry.1.push(target);
        }
    }
    let series = |name: &str, pick: fn(&Month) -> &Vec<f64>| Series {
        name: name.to_string(),
        points: months
            .iter()
            .map(|(m, v)| (label(*m), mean(pick(v))))
            .collect(),
    };
    [series("achieved", |v| &v.0), series("target RTO", |v| &v.1)]
}

/// A line chart laid out in a `width` × `height` box: each series' points,
/// the x labels and the y ticks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<(String, Vec<(f64, f64)>)>,
    pub x_labels: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
}

/// Left and bottom margins for the axes' labels.
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;
/// The most x labels a chart shows.
const MAX_X_LABELS: usize = 8;

/// Lays out `series` over the union of their x labels (sorted), from 0
/// to a round maximum.
pub fn chart(series: &[Series], width: f64, height: f64) -> Chart {
    let mut labels: Vec<String> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0.clone()))
        .collect();
    labels.sort();
    labels.dedup();
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max);
    let top = nice_ceiling(max);
    let plot_w = width - LEFT - 10.0;
    let plot_h = height - BOTTOM - TOP;
    let x = |i: usize| match labels.len() {
        1 => LEFT + plot_w / 2.0,
        n => LEFT + plot_w * i as f64 / (n - 1) as f64,
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let lines = series
        .iter()
        .map(|s| {
            let points = s
                .points
                .iter()
                .filter_map(|(l, v)| labels.iter().position(|x| x == l).map(|i| (x(i), y(*v))))
                .collect();
            (s.name.clone(), points)
        })
        .collect();
    Chart {
        width,
        height,
        lines,
        // Every label while they fit; else every k-th, so they never overlap.
        x_labels: labels
            .iter()
            .enumerate()
            .step_by(labels.len().div_ceil(MAX_X_LABELS).max(1))
            .map(|(i, l)| (x(i), l.clone()))
            .collect(),
        y_ticks: (0..=steps(top))
            .map(|k| {
                let v = top * k as f64 / steps(top) as f64;
                (y(v), format!("{v}"))
            })
            .collect(),
    }
}

/// Tick intervals that keep tick values round: 1 and 5 split in five,
/// 2 in four.
fn steps(top: f64) -> usize {
    let leading = top / 10f64.powf(top.log10().floor());
    if (leading - 2.0).abs() < 1e-9 {
        4
    } else {
        5
    }
}

/// The points of a line as SVG `points`.
pub fn polyline(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A round number at or above `v`: 1, 2 or 5 times a power of ten.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 10.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn s(day: time::Date, minutes: f64, target: Option<f64>) -> Sample {
        Sample {
            day,
            minutes,
            target,
        }
    }

    #[test]
    fn recoveries_average_by_month() {
        let samples = [
            s(date!(2026 - 10 - 03), 30.0, Some(60.0)),
            s(date!(2026 - 10 - 20), 50.0, None),
            s(date!(2026 - 11 - 02), 90.0, Some(60.0)),
        ];
        let mttr = monthly_mean("drills", &samples);
        assert_eq!(
            mttr.points,
            [("2026-10".to_string(), 40.0), ("2026-11".to_string(), 90.0)]
        );
        let [achieved, target] = achieved_vs_target(&samples);
        assert_eq!(
            achieved.points,
            [("2026-10".to_string(), 30.0), ("2026-11".to_string(), 90.0)]
        );
        assert_eq!(target.points[1], ("2026-11".to_string(), 60.0));
    }

    #[test]
    fn a_chart_spans_its_labels_and_a_round_maximum() {
        let series = [Series {
            name: "a".into(),
            points: vec![("2026-10".into(), 40.0), ("2026-11".into(), 90.0)],
        }];
        let c = chart(&series, 400.0, 200.0);
        let ticks: Vec<&str> = c.y_ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(ticks, ["0", "20", "40", "60", "80", "100"]);
        assert_eq!(c.x_labels.len(), 2);
        assert_eq!(polyline(&c.lines[0].1), "48.0,109.6 390.0,26.6");
        let two = chart(
            &[Series {
                name: "b".into(),
                points: vec![("x".into(), 150.0)],
            }],
            400.0,
            200.0,
        );
        assert_eq!(
            two.y_ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["0", "50", "100", "150", "200"]
        );
        assert_eq!(nice_ceiling(0.0), 10.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
    }
}
