//! The hard-dependency graph over service indices, with its strongly
//! connected components (SPEC §5.3: cycles are components of size > 1).

/// Hard dependencies by index; `components` lists the strongly connected
/// components with every component after all those it depends on
/// (dependencies first), as Tarjan's algorithm emits them.
#[derive(Clone, Debug)]
pub struct HardGraph {
    pub deps: Vec<Vec<usize>>,
    pub dependants: Vec<Vec<usize>>,
    /// The component of each node.
    pub component: Vec<usize>,
    pub components: Vec<Vec<usize>>,
}

impl HardGraph {
    /// `edges` are (dependant, dependency) pairs of nodes below `n`.
    pub fn new(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> HardGraph {
        let mut deps = vec![Vec::new(); n];
        let mut dependants = vec![Vec::new(); n];
        for (from, to) in edges {
            deps[from].push(to);
            dependants[to].push(from);
        }
        let (component, components) = tarjan(&deps);
        HardGraph {
            deps,
            dependants,
            component,
            components,
        }
    }

    pub fn len(&self) -> usize {
        self.deps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.deps.is_empty()
    }

    /// Whether `v` lies on a cycle.
    pub fn in_cycle(&self, v: usize) -> bool {
        self.components[self.component[v]].len() > 1
    }

    /// Whether the edge between `a` and `b` lies inside one cycle.
    pub fn same_cycle(&self, a: usize, b: usize) -> bool {
        self.component[a] == self.component[b] && self.in_cycle(a)
    }
}

/// Tarjan's algorithm without recursion (10,000 services would overflow
/// the stack): each node's component, and the components in the order
/// they complete, dependencies first.
fn tarjan(deps: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    const UNSEEN: usize = usize::MAX;
    let n = deps.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![0; n];
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges have been followed)
        let mut work = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&w) = deps[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let id = components.len();
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = id;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                members.sort_unstable();
                components.push(members);
            }
        }
    }
    (component, components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_components_and_dependencies_come_first() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 alone
        let g = HardGraph::new(5, [(0, 1), (1, 2), (2, 1), (2, 3)]);
        assert!(g.in_cycle(1) && g.in_cycle(2));
        assert!(!g.in_cycle(0) && !g.in_cycle(3) && !g.in_cycle(4));
        assert!(g.same_cycle(1, 2) && !g.same_cycle(0, 1));
        let position = |v: usize| g.components.iter().position(|c| c.contains(&v)).unwrap();
        assert!(position(3) < position(2), "3 is a dependency of the cycle");
        assert!(position(1) < position(0));
        assert_eq!(g.components[position(1)], vec![1, 2]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let g = HardGraph::new(n, (0..n - 1).map(|i| (i, i + 1)));
        assert_eq!(g.components.len(), n);
        assert_eq!(g.components[0], vec![n - 1]);
    }
}
