//! A container's own `restartPolicyRules` as the API server checks them (validation.go
//! `validateContainerRestartPolicy`, ContainerRestartRules on: R99, R100): at most 20 rules; each
//! rule's `action` is `Restart` (or `RestartAllContainers` with RestartAllContainersOnContainerExits);
//! each rule has `exitCodes`, whose `operator` is `In` or `NotIn` and which lists at most 255 values.
//! The values themselves are not checked (any int32 is accepted, an empty list too).

use super::field_error::Findings;
use super::Context;
use crate::field_path::FieldPath;
use crate::json::Value;
use crate::version::Gate;

/// At most this many rules on one container.
const MAX_RULES: usize = 20;
/// At most this many exit codes in one rule.
const MAX_EXIT_CODES: usize = 255;

/// Checks the rules of one container; `path` is the container's.
pub fn validate_restart_rules(rules: &Value, path: &FieldPath, cx: &Context, out: &mut Findings) {
    let Some(rules) = rules.as_array() else {
        return;
    };
    let rules_path = path.child("restartPolicyRules");
    if rules.len() > MAX_RULES {
        too_many(&rules_path, rules.len(), MAX_RULES, cx, out).hint(
            "A container takes at most 20 restart rules; the first one that matches decides, so later \
             ones can often be merged into an earlier rule's exit codes.",
        );
    }
    for (i, rule) in rules.iter().enumerate() {
        validate_rule(rule, &rules_path.index(i), cx, out);
    }
}

fn validate_rule(rule: &Value, path: &FieldPath, cx: &Context, out: &mut Findings) {
    let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
    if !allowed_actions(cx).contains(&action) {
        out.unsupported(&path.child("action"), action, &listed_actions(cx))
            .hint(
                "`Restart` restarts this container when the rule matches (R99); `RestartAllContainers` \
                 (RestartAllContainersOnContainerExits, beta from 1.36) restarts the whole pod in place (R100).",
            );
    }
    let Some(exit_codes) = rule.get("exitCodes") else {
        out.required(&path.child("exitCodes"), "must be specified")
            .hint("A rule matches on exit codes: `exitCodes: {operator: In, values: [42]}`.");
        return;
    };
    let codes_path = path.child("exitCodes");
    let operator = exit_codes
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !["In", "NotIn"].contains(&operator) {
        out.unsupported(&codes_path.child("operator"), operator, &["In", "NotIn"])
            .hint("`In` matches the listed exit codes, `NotIn` every other one.");
    }
    let values = exit_codes
        .get("values")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if values > MAX_EXIT_CODES {
        too_many(&codes_path.child("values"), values, MAX_EXIT_CODES, cx, out)
            .hint("An exit code is 0–255 in practice; `NotIn` with the few codes that must not restart is shorter.");
    }
}

/// What the API server accepts as a rule's action.
fn allowed_actions(cx: &Context) -> Vec<&'static str> {
    if cx
        .version
        .enabled(Gate::RestartAllContainersOnContainerExits)
    {
        vec!["Restart", "RestartAllContainers"]
    } else {
        vec!["Restart"]
    }
}

/// What its message lists: until 1.36 (kubernetes#137369) only `Restart`, even where the gate also
/// accepts `RestartAllContainers`.
fn listed_actions(cx: &Context) -> Vec<&'static str> {
    if cx.version.minor >= 36 {
        allowed_actions(cx)
    } else {
        vec!["Restart"]
    }
}

/// A list over its limit: `Too many` from 1.36 (kubernetes#137136); before, the API server used the
/// byte-length error, `Too long: may not be more than N bytes`.
fn too_many<'a>(
    path: &FieldPath,
    actual: usize,
    max: usize,
    cx: &Context,
    out: &'a mut Findings,
) -> &'a mut super::Finding {
    if cx.version.minor >= 36 {
        out.too_many(path, actual, max)
    } else {
        out.too_long(path, max)
    }
}
