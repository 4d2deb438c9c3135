//! The servers a script starts (a known server of the images table, `httpd`, `python -m http.server`),
//! `nginx -s` signalling the running nginx, and the program podlife does not know: what each listens on,
//! when, and what it does with SIGTERM.

use super::super::images::{self, OnTerm, ServerRun};
use super::super::world::SignalRequest;
use super::{flag, split_host_port, Child, ChildKind, Ctx, Ran};
use crate::behaviour::assumptions::{self, Assumption};
use crate::time::Millis;

/// Runs a server (or a server's control command), or `None` when `program` names none.
pub(super) fn run(
    ctx: &mut Ctx<'_>,
    program: &str,
    name: &str,
    args: &[String],
    text: &str,
) -> Option<Ran> {
    Some(match name {
        "python" | "python3" if args.first().map(String::as_str) == Some("-m") => {
            python_module(ctx, name, args, text)
        }
        "httpd" => httpd(ctx, args, text),
        "nginx" if args.iter().any(|a| a == "-s") => nginx_signal(ctx, args),
        _ => start_server(ctx, images::server_of_program(program)?, args, text),
    })
}

/// `python -m http.server [PORT]` serves; any other module is an unknown program.
fn python_module(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Ran {
    if args.get(1).map(String::as_str) != Some("http.server") {
        return unknown_program(ctx, name, text);
    }
    let port = args
        .iter()
        .skip(2)
        .find_map(|a| a.parse::<u16>().ok())
        .unwrap_or(8000);
    let mut c = Child::new("python http.server", text, ChildKind::Server, ctx.at);
    c.ports = vec![port];
    c.exclusive_ports = true;
    Ran::Program(Box::new(c))
}

/// `nginx -s quit|stop|reload|reopen`: a signal to the running nginx (reload and reopen change nothing
/// the simulation models).
fn nginx_signal(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let sig = flag(args, &["-s"]).unwrap_or_default();
    let signal = match sig.as_str() {
        "quit" => "QUIT",
        "stop" => "TERM",
        "reload" | "reopen" => "HUP",
        _ => {
            ctx.error(format!("nginx: [emerg] invalid option: \"-s {sig}\""));
            return Ran::Status(1);
        }
    };
    if signal != "HUP" {
        ctx.world.signals.push(SignalRequest {
            container: ctx.container.to_string(),
            at: ctx.at,
            signal: signal.to_string(),
        });
    }
    Ran::Status(0)
}

/// Apache's `httpd` (needs `-DFOREGROUND`) or busybox's (needs `-f`); both fork away otherwise.
fn httpd(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let apache = images::image_name(&ctx.config.image) == "httpd";
    let foreground = if apache {
        args.iter().any(|a| a == "-DFOREGROUND" || a == "-X")
    } else {
        args.iter()
            .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('f'))
    };
    if !foreground {
        ctx.error("httpd forks into the background".into());
        return Ran::Status(0);
    }
    let port = flag(args, &["-p"])
        .and_then(|p| split_host_port(&p).1.or_else(|| p.parse().ok()))
        .unwrap_or(80);
    let mut c = Child::new("httpd", text, ChildKind::Server, ctx.at);
    c.ports = vec![port];
    c.exclusive_ports = true;
    if apache {
        c.on_term = OnTerm::Exit {
            code: 0,
            after_ms: 0,
        };
    }
    Ran::Program(Box::new(c))
}

/// A known server program started by the command.
pub(crate) fn start_server(
    ctx: &mut Ctx<'_>,
    server: &'static images::Server,
    args: &[String],
    text: &str,
) -> Ran {
    // A known server listens where its image's configuration says, not where the manifest declares a
    // containerPort (R104): the declared ports count only when its configuration comes with the pod.
    let declared: &[u16] = if server.serves_declared_ports || config_from_pod(ctx, server) {
        &ctx.config.declared_ports
    } else {
        &[]
    };
    match images::run_server(server, args, declared) {
        ServerRun::Exits(code, why) => {
            ctx.error(format!("{}: {why}", server.name));
            Ran::Status(code)
        }
        ServerRun::Serves { ports, on_term, .. } => {
            let mut c = Child::new(server.name, text, ChildKind::Server, ctx.at);
            c.ports = match &ctx.config.overrides.listens {
                Some(p) => p.clone(),
                None => ports,
            };
            c.on_term = on_term;
            c.up_at = ctx.at + Millis(server.listen_after_ms);
            c.exclusive_ports = true;
            if let Some(d) = ctx.config.overrides.start_delay {
                c.up_at = ctx.at + d;
            }
            if server.name == "nginx" && !ctx.world.is_dir(ctx.container, "/var/log/nginx", ctx.at)
            {
                ctx.error(
                    "nginx: [emerg] open() \"/var/log/nginx/error.log\" failed (2: No such file or \
                     directory)"
                        .into(),
                );
                return Ran::Status(1);
            }
            Ran::Program(Box::new(c))
        }
    }
}

/// Is a volume mounted over (or inside) the directory where `server` reads its configuration?
fn config_from_pod(ctx: &Ctx<'_>, server: &images::Server) -> bool {
    if server.config_dir.is_empty() {
        return false;
    }
    let dir = server.config_dir;
    ctx.world
        .mounts
        .get(ctx.container)
        .into_iter()
        .flatten()
        .any(|(_, mount)| {
            mount == dir
                || mount.starts_with(&format!("{dir}/"))
                || dir.starts_with(&format!("{mount}/"))
        })
}

/// A program podlife does not know. In an exec probe or hook it succeeds at once. In an init container
/// it is a step that finishes (1 s, exit 0); in a regular container of a Job-like pod (restartPolicy
/// Never/OnFailure) a task (10 s, exit 0); in a sidecar, or a regular container of a pod that restarts
/// Always, a server that runs until stopped, listening on the declared containerPorts and probe ports,
/// and stopping on SIGTERM with 143.
pub(crate) fn unknown_program(ctx: &mut Ctx<'_>, name: &str, text: &str) -> Ran {
    unknown_program_because(ctx, name, text, "")
}

/// [`unknown_program`], with why podlife does not read it (`why` starts the assumption's sentence:
/// "a python3 one-liner podlife cannot read (a loop): an unknown program, …").
pub(crate) fn unknown_program_because(ctx: &mut Ctx<'_>, name: &str, text: &str, why: &str) -> Ran {
    let mut ran = unknown_program_assumed(ctx, name, text);
    if let (Ran::Program(c), false) = (&mut ran, why.is_empty()) {
        c.assumption = c.assumption.take().map(|a| format!("{why}: {a}"));
    }
    ran
}

fn unknown_program_assumed(ctx: &mut Ctx<'_>, name: &str, text: &str) -> Ran {
    if ctx.exec_context {
        return Ran::Status(0);
    }
    let mut c = Child::new(name, text, ChildKind::Unknown, ctx.at);
    c.on_term = OnTerm::Exit {
        code: 143,
        after_ms: 0,
    };
    // One rule for the fate, shared with the assumption notes (`behaviour::assumptions`).
    let fate = assumptions::unknown_program(name, ctx.config.kind, ctx.config.job_like);
    if let Assumption::FinishesAfter { after, .. } = fate {
        c.ends_at = Some(ctx.at + after);
        c.assumption = Some(format!(
            "an unknown program, assumed to finish after {} s",
            crate::time::secs_text(after.0)
        ));
    } else {
        c.ports = match &ctx.config.overrides.listens {
            Some(p) => p.clone(),
            None => {
                let mut p = ctx.config.declared_ports.clone();
                for q in &ctx.config.probe_ports {
                    if !p.contains(q) {
                        p.push(*q);
                    }
                }
                c.ports_assumed = !p.is_empty();
                p
            }
        };
        c.up_at = ctx.at + ctx.config.overrides.start_delay.unwrap_or(Millis(0));
        c.assumption = Some("an unknown program, assumed to run until stopped".into());
    }
    Ran::Program(Box::new(c))
}
