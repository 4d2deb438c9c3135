//! The network tools a script calls (`nc`, `wget`, `curl`, `nslookup`, `ping`, and the clients that
//! check a database or a gRPC server), as questions to the pod's network: does that host answer, on that
//! port, now?

use crate::word_list;

use super::{flag, operands, split_host_port, status, Child, ChildKind, Ctx, Ran};
use crate::behaviour::outside_hosts::Reach;

/// Runs a network tool, or `None` when `name` is not one.
pub(super) fn run(ctx: &mut Ctx<'_>, name: &str, args: &[String], text: &str) -> Option<Ran> {
    Some(match name {
        n if word_list::contains("nc netcat ncat", n) => nc(ctx, args, text),
        "wget" => fetch(ctx, true, args),
        "curl" => fetch(ctx, false, args),
        n if word_list::contains("nslookup host dig", n) => look_up(ctx, args),
        "getent" => {
            let host = args.get(1).cloned().unwrap_or_default();
            let ok = ctx.answers(&host, None);
            Ran::Status(if ok { 0 } else { 2 })
        }
        "ping" => {
            let host = operands(args)
                .into_iter()
                .rfind(|a| a.parse::<u64>().is_err())
                .cloned()
                .unwrap_or_default();
            status(ctx.answers(&host, None))
        }
        "redis-cli" => redis_cli(ctx, args),
        "pg_isready" => {
            let host = flag(args, &["-h", "--host"]).unwrap_or_else(|| "localhost".into());
            let port = flag(args, &["-p", "--port"])
                .and_then(|p| p.parse().ok())
                .unwrap_or(5432);
            Ran::Status(if ctx.answers(&host, Some(port)) { 0 } else { 2 })
        }
        "mysqladmin" => {
            let host = flag(args, &["-h", "--host"]).unwrap_or_else(|| "localhost".into());
            let port = flag(args, &["-P", "--port"])
                .and_then(|p| p.parse().ok())
                .unwrap_or(3306);
            status(ctx.answers(&host, Some(port)))
        }
        "grpc_health_probe" => grpc_health_probe(ctx, args),
        _ => return None,
    })
}

/// `nslookup HOST`, `host HOST`, `dig HOST`: does the name resolve?
fn look_up(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let Some(host) = operands(args).first().map(|h| h.to_string()) else {
        return Ran::Status(1);
    };
    let ok = ctx.answers(&host, None);
    if !ok {
        ctx.error(format!("** server can't find {host}: NXDOMAIN"));
    }
    status(ok)
}

fn redis_cli(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let host = flag(args, &["-h"]).unwrap_or_else(|| "localhost".into());
    let port = flag(args, &["-p"])
        .and_then(|p| p.parse().ok())
        .unwrap_or(6379);
    let ok = ctx.answers(&host, Some(port));
    if ok {
        ctx.emit(vec!["PONG".into()]);
    }
    status(ok)
}

fn grpc_health_probe(ctx: &mut Ctx<'_>, args: &[String]) -> Ran {
    let addr = args
        .iter()
        .find_map(|a| a.strip_prefix("-addr=").or(a.strip_prefix("--addr=")))
        .map(str::to_string)
        .or_else(|| flag(args, &["-addr", "--addr"]))
        .unwrap_or_default();
    let (host, port) = split_host_port(&addr);
    let host = if host.is_empty() {
        "localhost".to_string()
    } else {
        host
    };
    Ran::Status(if ctx.answers(&host, port) { 0 } else { 2 })
}

/// `nc -z HOST PORT` (is it open?), `nc -l -p PORT` (listen until stopped).
fn nc(ctx: &mut Ctx<'_>, args: &[String], text: &str) -> Ran {
    let mut listen = false;
    let mut port_flag: Option<u16> = None;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a.starts_with('-') && a.len() > 1 {
            if a.contains('l') {
                listen = true;
            }
            if a.ends_with('p') {
                port_flag = args.get(i + 1).and_then(|p| p.parse().ok());
                i += 2;
                continue;
            }
            if a.ends_with('w') || a.ends_with('W') || a.ends_with('i') || a.ends_with('s') {
                i += 2;
                continue;
            }
        } else {
            positional.push(a.clone());
        }
        i += 1;
    }
    if listen {
        let port = port_flag.or_else(|| positional.iter().rev().find_map(|p| p.parse().ok()));
        let mut c = Child::new("nc", text, ChildKind::Server, ctx.at);
        c.ports = port.into_iter().collect();
        c.exclusive_ports = true;
        return Ran::Program(Box::new(c));
    }
    let host = positional.first().cloned().unwrap_or_default();
    let port = positional
        .get(1)
        .and_then(|p| p.split('-').next())
        .and_then(|p| p.parse().ok())
        .or(port_flag);
    match ctx.reach(&host, port) {
        Reach::Answers => Ran::Status(0),
        // busybox resolves the name first (libbb's xhost2sockaddr) and dies with its message.
        Reach::NotResolved => {
            ctx.error(format!("nc: bad address '{host}'"));
            Ran::Status(1)
        }
        Reach::Refused => Ran::Status(1),
    }
}

/// `wget URL` / `curl URL`: succeeds when the host answers on the URL's port.
fn fetch(ctx: &mut Ctx<'_>, wget: bool, args: &[String]) -> Ran {
    // The options that take a value, as word lists.
    let takes_value = if wget {
        "-O -o -T -t -U --header -P --timeout --tries -Y"
    } else {
        "\
        -o -H -X -d --data -m --max-time --connect-timeout -u -A -w \
        --retry -e --header --output -b -c -T --cacert --retry-delay --retry-max-time"
    };
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if word_list::contains(takes_value, a) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') && url.is_none() {
            url = Some(a.clone());
        }
        i += 1;
    }
    let Some(url) = url else {
        ctx.error(
            if wget {
                "wget: missing URL"
            } else {
                "curl: no URL specified"
            }
            .into(),
        );
        return Ran::Status(if wget { 1 } else { 2 });
    };
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_string(), r.to_string()),
        None => ("http".to_string(), url.clone()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = split_host_port(authority);
    let port = port.unwrap_or(if scheme == "https" { 443 } else { 80 });
    let reach = ctx.reach(&host, Some(port));
    if reach == Reach::NotResolved {
        // busybox wget's resolver message (libbb's xhost2sockaddr); curl's CURLE_COULDNT_RESOLVE_HOST.
        if wget {
            ctx.error(format!("wget: bad address '{host}'"));
            return Ran::Status(1);
        }
        ctx.error(format!("curl: (6) Could not resolve host: {host}"));
        return Ran::Status(6);
    }
    if reach == Reach::Refused {
        if wget {
            ctx.error(format!(
                "wget: can't connect to remote host ({host}): Connection refused"
            ));
            return Ran::Status(1);
        }
        ctx.error(format!(
            "curl: (7) Failed to connect to {host} port {port}: Connection refused"
        ));
        return Ran::Status(7);
    }
    let body = vec![format!("<response from {host}:{port}>")];
    let output = if wget {
        flag(args, &["-O", "--output-document"])
    } else {
        flag(args, &["-o", "--output"]).or_else(|| {
            args.iter()
                .any(|a| a == "-O" || a == "--remote-name")
                .then(|| url_file_name(&rest))
        })
    };
    let spider = args
        .iter()
        .any(|a| a == "--spider" || a == "-I" || a == "--head");
    match output {
        _ if spider => {}
        Some(f) if f == "-" => ctx.emit(body),
        Some(f) if f == "/dev/null" => {}
        Some(f) => {
            let p = ctx.path(&f);
            let res = ctx
                .world
                .open_for_writing(ctx.container, &p, ctx.at, true)
                .and_then(|_| ctx.world.append_lines(ctx.container, &p, &body, ctx.at));
            if let Err(e) = res {
                ctx.error(format!(
                    "{}: can't open '{p}': {}",
                    if wget { "wget" } else { "curl" },
                    e.message()
                ));
                return Ran::Status(if wget { 1 } else { 23 });
            }
        }
        None if wget => {
            let p = ctx.path(&url_file_name(&rest));
            let res = ctx
                .world
                .open_for_writing(ctx.container, &p, ctx.at, true)
                .and_then(|_| ctx.world.append_lines(ctx.container, &p, &body, ctx.at));
            if res.is_err() {
                return Ran::Status(1);
            }
        }
        None => ctx.emit(body),
    }
    Ran::Status(0)
}

fn url_file_name(rest: &str) -> String {
    let path = rest.split(['?', '#']).next().unwrap_or("");
    match path.split_once('/') {
        Some((_, p)) if !p.is_empty() && !p.ends_with('/') => {
            p.rsplit('/').next().unwrap_or("index.html").to_string()
        }
        _ => "index.html".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_host_and_port() {
        assert_eq!(split_host_port("db:5432"), ("db".to_string(), Some(5432)));
        assert_eq!(split_host_port("db"), ("db".to_string(), None));
        assert_eq!(url_file_name("info.cern.ch"), "index.html");
        assert_eq!(url_file_name("example.com/a/b.tar.gz?x=1"), "b.tar.gz");
    }
}
