//! A line chart drawn as SVG on the server from a laid-out
//! [`Chart`](crate::domain::trends::Chart), with its data as a table for
//! screen readers.

use crate::domain::trends::{polyline, Chart};
use leptos::prelude::*;

/// The series' colours, in order; each has enough contrast on white.
const COLOURS: [&str; 3] = ["series-a", "series-b", "series-c"];

#[component]
pub fn LineChart(
    id: &'static str,
    title: &'static str,
    unit: &'static str,
    chart: Chart,
) -> impl IntoView {
    let view_box = format!("0 0 {} {}", chart.width, chart.height);
    let base = chart.height - 24.0;
    let right = chart.width - 10.0;
    view! {
        <figure class="chart" id=id>
            <figcaption>{title}
                {chart.lines.iter().enumerate().map(|(i, (name, _))| view! {
                    " "<span class=format!("legend {}", COLOURS[i % COLOURS.len()])>{name.clone()}</span>
                }).collect_view()}
            </figcaption>
            {if chart.x_labels.is_empty() {
                view! { <p class="muted">"Nothing measured yet."</p> }.into_any()
            } else {
                view! {
                    <svg viewBox=view_box role="img" aria-label=format!("{title}, in {unit}")>
                        {chart.y_ticks.iter().map(|(y, label)| view! {
                            <line class="grid" x1="48" x2=right.to_string() y1=y.to_string() y2=y.to_string() />
                            <text class="tick" x="42" y=(y + 4.0).to_string() text-anchor="end">{label.clone()}</text>
                        }).collect_view()}
                        {chart.x_labels.iter().map(|(x, label)| {
                            // A label at the right edge ends there rather than past it.
                            let anchor = if *x > right - 40.0 { "end" } else { "middle" };
                            view! {
                                <text class="tick" x=x.to_string() y=(base + 16.0).to_string() text-anchor=anchor>{label.clone()}</text>
                            }
                        }).collect_view()}
                        {chart.lines.iter().enumerate().map(|(i, (_, points))| {
                            let colour = COLOURS[i % COLOURS.len()];
                            view! {
                                <polyline class=format!("line {colour}") points=polyline(points) />
                                {points.iter().map(|(x, y)| view! {
                                    <circle class=format!("dot {colour}") cx=format!("{x:.1}") cy=format!("{y:.1}") r="4" />
                                }).collect_view()}
                            }
                        }).collect_view()}
                    </svg>
                }.into_any()
            }}
        </figure>
    }
}
