//! Lays out a service's dependency neighbourhood for drawing: the services
//! that depend on it to the left, what it depends on to the right, one
//! column per step, arrows from a dependent to its dependency.

use super::service::DependencyKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// `from` depends on `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: DependencyKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacedNode {
    pub key: String,
    /// Negative: depends on the centre; positive: the centre depends on it.
    pub column: i32,
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacedEdge {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub kind: DependencyKind,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
    pub width: f64,
    pub height: f64,
    /// Services left out because a column was full.
    pub hidden: usize,
}

pub const NODE_WIDTH: f64 = 150.0;
pub const NODE_HEIGHT: f64 = 34.0;
const COLUMN_GAP: f64 = 60.0;
const ROW_GAP: f64 = 14.0;
const MARGIN: f64 = 10.0;

/// Steps from `center` to every service reachable along `next`.
fn distances<'a>(center: &'a str, next: &HashMap<&'a str, Vec<&'a str>>) -> HashMap<&'a str, i32> {
    let mut seen = HashMap::from([(center, 0)]);
    let mut queue = VecDeque::from([center]);
    while let Some(node) = queue.pop_front() {
        let d = seen[node];
        for &n in next.get(node).into_iter().flatten() {
            if !seen.contains_key(n) {
                seen.insert(n, d + 1);
                queue.push_back(n);
            }
        }
    }
    seen
}

/// Places `center` and its neighbours within `edges`, at most
/// `max_per_column` services a column.
pub fn neighbourhood(center: &str, edges: &[Edge], max_per_column: usize) -> Layout {
    let mut forward: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut backward: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in edges {
        forward.entry(&e.from).or_default().push(&e.to);
        backward.entry(&e.to).or_default().push(&e.from);
    }
    let mut column: HashMap<&str, i32> = HashMap::new();
    for (node, d) in distances(center, &backward) {
        column.insert(node, -d);
    }
    // A service on both sides (a cycle) is drawn where it is depended on.
    for (node, d) in distances(center, &forward) {
        column.insert(node, d);
    }
    let mut columns: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for (node, c) in &column {
        columns.entry(*c).or_default().push(node);
    }
    let mut hidden = 0;
    for nodes in columns.values_mut() {
        nodes.sort_unstable();
        hidden += nodes.len().saturating_sub(max_per_column);
        nodes.truncate(max_per_column);
    }
    let (first, last) = match (columns.keys().next(), columns.keys().last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => (0, 0),
    };
    let tallest = columns.values().map(Vec::len).max().unwrap_or(1) as f64;
    let height = 2.0 * MARGIN + tallest * NODE_HEIGHT + (tallest - 1.0) * ROW_GAP;
    let width = 2.0 * MARGIN
        + f64::from(last - first + 1) * NODE_WIDTH
        + f64::from(last - first) * COLUMN_GAP;
    let mut nodes = Vec::new();
    for (c, keys) in &columns {
        let x = MARGIN + f64::from(c - first) * (NODE_WIDTH + COLUMN_GAP);
        let used = keys.len() as f64 * NODE_HEIGHT + (keys.len() as f64 - 1.0) * ROW_GAP;
        let top = (height - used) / 2.0;
        for (i, key) in keys.iter().enumerate() {
            nodes.push(PlacedNode {
                key: key.to_string(),
                column: *c,
                x,
                y: top + i as f64 * (NODE_HEIGHT + ROW_GAP),
            });
        }
    }
    let at: HashMap<&str, &PlacedNode> = nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    let mut placed_edges: Vec<PlacedEdge> = edges
        .iter()
        .filter_map(|e| {
            let (a, b) = (at.get(e.from.as_str())?, at.get(e.to.as_str())?);
            Some(PlacedEdge {
                x1: a.x + NODE_WIDTH,
                y1: a.y + NODE_HEIGHT / 2.0,
                x2: b.x,
                y2: b.y + NODE_HEIGHT / 2.0,
                kind: e.kind,
            })
        })
        .collect();
    placed_edges.dedup();
    Layout {
        nodes,
        edges: placed_edges,
        width,
        height,
        hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: &str, to: &str) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            kind: DependencyKind::Hard,
        }
    }

    fn columns(layout: &Layout) -> Vec<(String, i32)> {
        let mut c: Vec<_> = layout
            .nodes
            .iter()
            .map(|n| (n.key.clone(), n.column))
            .collect();
        c.sort();
        c
    }

    #[test]
    fn dependents_go_left_and_dependencies_right() {
        let edges = [
            edge("WEB", "PAY"),
            edge("PAY", "DB"),
            edge("PAY", "IDP"),
            edge("DB", "SAN"),
            edge("OTHER", "ELSE"),
        ];
        let layout = neighbourhood("PAY", &edges, 10);
        assert_eq!(
            columns(&layout),
            vec![
                ("DB".into(), 1),
                ("IDP".into(), 1),
                ("PAY".into(), 0),
                ("SAN".into(), 2),
                ("WEB".into(), -1)
            ]
        );
        assert_eq!(layout.edges.len(), 4, "the unrelated edge is not drawn");
        assert!(
            layout.edges.iter().all(|e| e.x2 > e.x1),
            "arrows point right"
        );
        assert_eq!(
            layout.width,
            2.0 * MARGIN + 4.0 * NODE_WIDTH + 3.0 * COLUMN_GAP
        );
    }

    #[test]
    fn full_columns_are_cut_and_counted() {
        let edges: Vec<Edge> = (0..7).map(|i| edge("APP", &format!("D{i}"))).collect();
        let layout = neighbourhood("APP", &edges, 5);
        assert_eq!(layout.nodes.len(), 6);
        assert_eq!(layout.hidden, 2);
        assert_eq!(layout.edges.len(), 5);
    }

    #[test]
    fn a_lonely_service_is_drawn_alone_and_cycles_terminate() {
        let layout = neighbourhood("APP", &[], 5);
        assert_eq!(columns(&layout), vec![("APP".into(), 0)]);
        let cycle = [edge("A", "B"), edge("B", "A")];
        let layout = neighbourhood("A", &cycle, 5);
        assert_eq!(columns(&layout), vec![("A".into(), 0), ("B".into(), 1)]);
    }
}
