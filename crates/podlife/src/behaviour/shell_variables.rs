//! The shell variables that are more than one string: the positional parameters (`$1`, `$#`, `"$@"`,
//! set by a function call and `shift`) and bash's indexed arrays (`a=(x y)`, `${a[1]}`, `${a[@]}`,
//! `${#a[@]}`, `BASH_REMATCH`). Both live in the job's one variable map, so subshells and background
//! jobs copy them as they copy every variable: `$1` under the key `1`, `$#` under `#`; an array's
//! element 0 under its name (bash's `$a` is `${a[0]}`) and element N under `name[N]`.

use crate::sorted_map::SortedMap;

type Vars = SortedMap<String, String>;

/// The key that holds element `index` of array `name`.
pub(crate) fn element_key(name: &str, index: u64) -> String {
    if index == 0 {
        name.to_string()
    } else {
        format!("{name}[{index}]")
    }
}

/// The set indices of array `name`, in order.
fn indices(vars: &Vars, name: &str) -> Vec<u64> {
    let prefix = format!("{name}[");
    let mut found: Vec<u64> = vars
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix)?.strip_suffix(']')?.parse().ok())
        .collect();
    if vars.get(name).is_some() {
        found.push(0);
    }
    found.sort_unstable();
    found
}

/// The elements of array `name` in index order (a plain variable is an array of one).
pub(crate) fn array_values(vars: &Vars, name: &str) -> Vec<String> {
    indices(vars, name)
        .into_iter()
        .filter_map(|i| vars.get(&element_key(name, i)).cloned())
        .collect()
}

/// Element `index` of array `name`; a negative index counts from the end, as in bash.
pub(crate) fn element(vars: &Vars, name: &str, index: i64) -> Option<String> {
    let index = match u64::try_from(index) {
        Ok(i) => i,
        Err(_) => {
            let all = indices(vars, name);
            let back = usize::try_from(index.unsigned_abs()).ok()?;
            *all.get(all.len().checked_sub(back)?)?
        }
    };
    vars.get(&element_key(name, index)).cloned()
}

/// Removes the variable or array `name`.
pub(crate) fn unset(vars: &mut Vars, name: &str) {
    for i in indices(vars, name) {
        vars.remove(&element_key(name, i));
    }
}

/// `name=(values)` or, with `append`, `name+=(values)` (after the highest index).
pub(crate) fn set_array(vars: &mut Vars, name: &str, values: Vec<String>, append: bool) {
    let start = if append {
        indices(vars, name).last().map_or(0, |i| i + 1)
    } else {
        unset(vars, name);
        0
    };
    for (k, v) in values.into_iter().enumerate() {
        vars.insert(element_key(name, start + k as u64), v);
    }
}

/// `$1 … $N`.
pub(crate) fn positional(vars: &Vars) -> Vec<String> {
    let n: usize = vars.get("#").and_then(|n| n.parse().ok()).unwrap_or(0);
    (1..=n)
        .map(|i| vars.get(&i.to_string()).cloned().unwrap_or_default())
        .collect()
}

/// Replaces the positional parameters; the old ones.
pub(crate) fn set_positional(vars: &mut Vars, args: Vec<String>) -> Vec<String> {
    let old = positional(vars);
    for i in 1..=old.len() {
        vars.remove(&i.to_string());
    }
    if args.is_empty() {
        vars.remove("#");
    } else {
        vars.insert("#".into(), args.len().to_string());
    }
    for (i, a) in args.into_iter().enumerate() {
        vars.insert((i + 1).to_string(), a);
    }
    old
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_keep_their_order_past_nine_elements() {
        let mut vars = Vars::new();
        let values: Vec<String> = (0..12).map(|i| format!("v{i}")).collect();
        set_array(&mut vars, "a", values.clone(), false);
        assert_eq!(array_values(&vars, "a"), values);
        assert_eq!(element(&vars, "a", -1).as_deref(), Some("v11"));
        set_array(&mut vars, "a", vec!["w".into()], true);
        assert_eq!(element(&vars, "a", 12).as_deref(), Some("w"));
        set_array(&mut vars, "a", vec!["x".into()], false);
        assert_eq!(array_values(&vars, "a"), vec!["x"]);
    }

    #[test]
    fn positional_parameters_are_replaced_and_given_back() {
        let mut vars = Vars::new();
        let old = set_positional(&mut vars, vec!["a".into(), "b".into()]);
        assert!(old.is_empty());
        assert_eq!(positional(&vars), vec!["a", "b"]);
        let old = set_positional(&mut vars, old);
        assert_eq!(old, vec!["a", "b"]);
        assert!(positional(&vars).is_empty() && vars.get("1").is_none());
    }
}
