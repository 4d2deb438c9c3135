//! Whether a container is restarted after it exits (pkg/api/v1/pod/util.go `ContainerShouldRestart`,
//! `findMatchingContainerRestartRule`; pkg/kubelet/container/helpers.go `ShouldContainerBeRestarted`):
//! the pod's `restartPolicy` (R50), overridden, with the ContainerRestartRules gate (R99), by a
//! container's own `restartPolicy` and its `restartPolicyRules`.
//!
//! The container's own fields are read once, when the pod worker is built. With the gate off the API
//! server has already dropped them (validation/feature_gates.rs), and they are ignored here too.

use crate::json::Value;
use crate::model::Container;
use crate::status_generation::pod_policy_restarts as policy_restarts;

/// A container's own restart settings (R99): its `restartPolicy` and its `Restart` rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnRestartPolicy {
    /// `Always`, `OnFailure` or `Never`; `None` follows the pod.
    policy: Option<String>,
    rules: Vec<RestartRule>,
}

/// One entry of `restartPolicyRules`: `action` and `exitCodes {operator, values}`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RestartRule {
    /// `action: Restart`. Any other action (`RestartAllContainers`, R100, is not modelled) falls back to
    /// the container's policy when it matches.
    restart: bool,
    /// `operator: In` (true) or `NotIn` (false); `None` for a rule without exit codes or with an
    /// operator upstream does not know, which never matches.
    in_values: Option<bool>,
    values: Vec<i64>,
}

impl OwnRestartPolicy {
    /// Reads a regular or init container's own policy; `gate_on` is ContainerRestartRules in this
    /// version. Sidecars always restart and never ask.
    pub fn read(spec: &Container, gate_on: bool) -> OwnRestartPolicy {
        if !gate_on {
            return OwnRestartPolicy::default();
        }
        let rules = spec
            .restart_policy_rules
            .as_ref()
            .and_then(Value::as_array)
            .map(|list| list.iter().map(RestartRule::read).collect())
            .unwrap_or_default();
        OwnRestartPolicy {
            policy: spec.restart_policy.clone(),
            rules,
        }
    }

    /// Has the container a `restartPolicy` of its own?
    pub fn is_set(&self) -> bool {
        self.policy.is_some()
    }

    /// `ContainerShouldRestart`: the first rule that matches the exit code decides if its action is
    /// `Restart`; otherwise the container's own policy; otherwise the pod's (R50, R99).
    pub fn should_restart(&self, pod_policy: &str, exit_code: i32) -> bool {
        let Some(own) = self.policy.as_deref() else {
            return policy_restarts(pod_policy, exit_code);
        };
        if let Some(rule) = self.rules.iter().find(|r| r.matches(exit_code)) {
            if rule.restart {
                return true;
            }
        }
        policy_restarts(own, exit_code)
    }

    /// Restarted after a kill the kubelet decided while the container still ran (a failed liveness or
    /// startup probe), or after an init container failed: only the policies count, not the rules,
    /// since there is no exit code to match yet: the container's own policy if set, else the pod's,
    /// and either restarts unless it is `Never` (kuberuntime_manager.go `computePodActions`,
    /// kuberuntime_container.go `computeInitContainerActions`).
    pub fn restarts_on_failure(&self, pod_policy: &str) -> bool {
        self.policy.as_deref().unwrap_or(pod_policy) != "Never"
    }
}

impl RestartRule {
    fn read(rule: &Value) -> RestartRule {
        let codes = rule.get("exitCodes");
        let in_values = match codes
            .and_then(|c| c.get("operator"))
            .and_then(Value::as_str)
        {
            Some("In") => Some(true),
            Some("NotIn") => Some(false),
            _ => None,
        };
        let values = codes
            .and_then(|c| c.get("values"))
            .and_then(Value::as_array)
            .map(|vs| vs.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        RestartRule {
            restart: rule.get("action").and_then(Value::as_str) == Some("Restart"),
            in_values,
            values,
        }
    }

    /// `findMatchingContainerRestartRule` for one rule.
    fn matches(&self, exit_code: i32) -> bool {
        let listed = self.values.contains(&i64::from(exit_code));
        self.in_values == Some(listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(policy: Option<&str>, rules: &str) -> Container {
        Container {
            restart_policy: policy.map(str::to_string),
            restart_policy_rules: (!rules.is_empty())
                .then(|| serde_json::from_str::<Value>(rules).expect("rules JSON")),
            ..Container::default()
        }
    }

    #[test]
    fn without_its_own_policy_a_container_follows_the_pod_r50() {
        let own = OwnRestartPolicy::read(&container(None, ""), true);
        assert!(own.should_restart("Always", 0));
        assert!(!own.should_restart("OnFailure", 0));
        assert!(own.should_restart("OnFailure", 1));
        assert!(!own.should_restart("Never", 1));
        assert!(own.should_restart("", 0), "the API default is Always");
    }

    #[test]
    fn its_own_policy_overrides_the_pods_r99() {
        let always = OwnRestartPolicy::read(&container(Some("Always"), ""), true);
        assert!(always.should_restart("Never", 0));
        let never = OwnRestartPolicy::read(&container(Some("Never"), ""), true);
        assert!(!never.should_restart("Always", 1));
        assert!(!never.restarts_on_failure("Always"));
        assert!(always.restarts_on_failure("Never"));
    }

    #[test]
    fn the_first_matching_restart_rule_restarts_r99() {
        let rules =
            r#"[{"action": "Restart", "exitCodes": {"operator": "In", "values": [42, 43]}}]"#;
        let own = OwnRestartPolicy::read(&container(Some("Never"), rules), true);
        assert!(own.should_restart("Never", 42));
        assert!(!own.should_restart("Never", 1));
        let not_in =
            r#"[{"action": "Restart", "exitCodes": {"operator": "NotIn", "values": [0]}}]"#;
        let own = OwnRestartPolicy::read(&container(Some("Never"), not_in), true);
        assert!(own.should_restart("Never", 1));
        assert!(!own.should_restart("Never", 0));
        assert!(
            !own.restarts_on_failure("Always"),
            "rules need an exit code"
        );
    }

    #[test]
    fn with_the_gate_off_the_fields_are_ignored_r99() {
        let own = OwnRestartPolicy::read(&container(Some("Always"), ""), false);
        assert!(!own.is_set());
        assert!(!own.should_restart("Never", 0));
    }
}
