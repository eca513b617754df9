//! Categories: a tree per tenant, each node with a materialized path of ids.
//!
//! A category's path is `/<root id>/.../<own id>/`, so "all descendants of C" is a prefix match on
//! C's path in one indexed query, and moving a subtree is one update of the paths below it.

use crate::ValueError;
use crate::tenant::parse_name;

/// How deep the tree may go, counting the top level as 1.
pub const MAX_DEPTH: usize = 16;

/// Parses a category name: required, at most 255 characters, no `/` or `|` (they separate
/// path segments and categories in CSV files).
pub fn parse_category_name(text: &str) -> Result<String, ValueError> {
    let name = parse_name(text, 255)?;
    if name.contains(['/', '|']) {
        return Err(ValueError::new("must not contain '/' or '|'"));
    }
    Ok(name)
}

/// Parses a category reference from a CSV cell: names separated by `/`, top level first
/// (`Fasteners/Bolts`), as in Magento's product import.
pub fn parse_name_path(text: &str) -> Result<Vec<String>, ValueError> {
    let names = text
        .split('/')
        .map(|segment| parse_category_name(segment).map_err(|e| ValueError::new(format!("category path {text:?}: segment {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if names.len() > MAX_DEPTH {
        return Err(ValueError::new(format!("category path {text:?} is deeper than {MAX_DEPTH} levels")));
    }
    Ok(names)
}

/// The materialized path of a category whose parent has `parent_path` (or none, at the top).
pub fn child_path(parent_path: Option<&str>, id: &str) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// The paths of the category at `path` and of its ancestors, from the top down:
/// `/a/b/c/` gives `/a/`, `/a/b/`, `/a/b/c/`.
pub fn lineage(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').skip(1).map(move |(end, _)| &path[..=end])
}

/// Depth of a path: 1 for a top-level category.
pub fn depth(path: &str) -> usize {
    path.trim_matches('/').split('/').count()
}

/// Checks that the subtree at `moving_path` may be placed under `new_parent_path`: not under
/// itself or its own descendants, and not deeper than [`MAX_DEPTH`] afterwards.
pub fn check_move(moving_path: &str, subtree_height: usize, new_parent_path: Option<&str>) -> Result<(), ValueError> {
    if let Some(parent) = new_parent_path {
        if parent.starts_with(moving_path) {
            return Err(ValueError::new("a category cannot be moved under itself or its own descendants"));
        }
        if depth(parent) + subtree_height > MAX_DEPTH {
            return Err(ValueError::new(format!("the tree would be deeper than {MAX_DEPTH} levels")));
        }
    } else if subtree_height > MAX_DEPTH {
        return Err(ValueError::new(format!("the tree would be deeper than {MAX_DEPTH} levels")));
    }
    Ok(())
}

/// One category as stored, flat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryNode {
    /// Generated id.
    pub id: String,
    /// Parent id, `None` at the top level.
    pub parent_id: Option<String>,
    /// Display name.
    pub name: String,
    /// Sort order among siblings (lower first; ties by name).
    pub position: i64,
    /// Materialized path, see the module docs.
    pub path: String,
}

/// A category with its children, for tree views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTree {
    /// The category itself.
    pub node: CategoryNode,
    /// Its children, ordered by position then name.
    pub children: Vec<CategoryTree>,
}

/// Builds the forest from a flat list. Nodes whose parent is not in the list become roots, so a
/// filtered list (only visible categories) still yields a tree.
pub fn build_tree(mut nodes: Vec<CategoryNode>) -> Vec<CategoryTree> {
    // Deepest first: each node is attached to its parent only after all its own children were.
    nodes.sort_by(|a, b| depth(&b.path).cmp(&depth(&a.path)).then_with(|| a.path.cmp(&b.path)));
    let ids: std::collections::HashSet<String> = nodes.iter().map(|n| n.id.clone()).collect();
    let mut pending: std::collections::HashMap<String, Vec<CategoryTree>> = Default::default();
    let mut roots = Vec::new();
    for node in nodes {
        let mut children = pending.remove(&node.id).unwrap_or_default();
        sort_siblings(&mut children);
        let tree = CategoryTree { node, children };
        match tree.node.parent_id.clone().filter(|p| ids.contains(p)) {
            Some(parent) => pending.entry(parent).or_default().push(tree),
            None => roots.push(tree),
        }
    }
    sort_siblings(&mut roots);
    roots
}

fn sort_siblings(list: &mut [CategoryTree]) {
    list.sort_by(|a, b| a.node.position.cmp(&b.node.position).then_with(|| a.node.name.cmp(&b.node.name)));
}

/// Height of the subtree under `path` (1 for a leaf), given the paths of all its descendants.
pub fn subtree_height<'a>(path: &str, descendant_paths: impl IntoIterator<Item = &'a str>) -> usize {
    let base = depth(path);
    descendant_paths.into_iter().map(|p| depth(p) - base + 1).max().unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lineage_runs_from_the_top_down_to_the_category() {
        assert_eq!(lineage("/a/b/c/").collect::<Vec<_>>(), ["/a/", "/a/b/", "/a/b/c/"]);
        assert_eq!(lineage("/a/").collect::<Vec<_>>(), ["/a/"]);
    }

    fn node(id: &str, parent: Option<&str>, path: &str, position: i64) -> CategoryNode {
        CategoryNode { id: id.into(), parent_id: parent.map(Into::into), name: id.to_uppercase(), position, path: path.into() }
    }

    #[test]
    fn names_and_paths() {
        assert_eq!(parse_name_path("Fasteners/Bolts").unwrap(), ["Fasteners", "Bolts"]);
        assert!(parse_name_path("Fasteners//Bolts").is_err());
        assert!(parse_name_path(&vec!["a"; MAX_DEPTH + 1].join("/")).is_err());
        assert!(parse_category_name("A|B").is_err());
        assert_eq!(child_path(None, "a"), "/a/");
        assert_eq!(child_path(Some("/a/"), "b"), "/a/b/");
        assert_eq!(depth("/a/b/"), 2);
    }

    #[test]
    fn moves() {
        assert!(check_move("/a/", 1, Some("/a/b/")).is_err());
        assert!(check_move("/a/", 1, Some("/a/")).is_err());
        assert!(check_move("/a/b/", 1, Some("/c/")).is_ok());
        assert!(check_move("/a/b/", 1, None).is_ok());
        // "/ab/" is not under "/a/": ids are whole path segments.
        assert!(check_move("/a/", 1, Some("/ab/")).is_ok());
        let deep = (0..MAX_DEPTH).map(|i| format!("x{i}")).collect::<Vec<_>>().join("/");
        assert!(check_move("/m/", 1, Some(&format!("/{deep}/"))).is_err());
        assert_eq!(subtree_height("/a/", ["/a/b/", "/a/b/c/"]), 3);
        assert_eq!(subtree_height("/a/", []), 1);
    }

    #[test]
    fn builds_sorted_forest() {
        let tree = build_tree(vec![
            node("c", Some("a"), "/a/c/", 2),
            node("a", None, "/a/", 0),
            node("b", Some("a"), "/a/b/", 1),
            node("d", Some("b"), "/a/b/d/", 0),
            node("e", None, "/e/", 0),
            node("orphan", Some("hidden"), "/hidden/orphan/", 0),
        ]);
        let top: Vec<_> = tree.iter().map(|t| t.node.id.as_str()).collect();
        assert_eq!(top, ["a", "e", "orphan"]);
        let under_a: Vec<_> = tree[0].children.iter().map(|t| t.node.id.as_str()).collect();
        assert_eq!(under_a, ["b", "c"]);
        assert_eq!(tree[0].children[0].children[0].node.id, "d");
    }
}
