//! The behaviours of issue 3 end to end: containers read from their manifests, run on the virtual clock
//! against one shared world, signalled as the kubelet signals them.

use super::*;
use crate::model::{ContainerPort, ExecAction, VolumeMount};

fn container(name: &str, image: &str, command: &[&str]) -> Container {
    Container {
        name: name.into(),
        image: Some(image.into()),
        command: command.iter().map(|s| s.to_string()).collect(),
        ..Container::default()
    }
}

fn sh(name: &str, script: &str) -> Container {
    container(name, "alpine:latest", &["sh", "-c", script])
}

fn with_mount(mut c: Container, volume: &str, path: &str) -> Container {
    c.volume_mounts.push(VolumeMount {
        name: volume.into(),
        mount_path: path.into(),
        ..VolumeMount::default()
    });
    c
}

fn infer(c: &Container, kind: ContainerKind, policy: &str, annotation: Option<&str>) -> Behaviour {
    Behaviour::infer(&BehaviourInput {
        container: c,
        kind,
        pod_restart_policy: policy,
        annotation,
        job_completion_index: None,
        hostname: None,
    })
}

fn regular(c: &Container) -> Behaviour {
    infer(c, ContainerKind::Regular, "Always", None)
}

fn secs(s: f64) -> SimTime {
    SimTime::from_secs(s)
}

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Runs processes together in time order (what the kubelet's loop does) up to `until`.
fn run_together(processes: &mut [&mut Process], world: &mut World, until: SimTime) {
    let mut now = SimTime(0);
    loop {
        let mut next: Option<SimTime> = None;
        for p in processes.iter_mut() {
            if let ProcessState::Running { wake_at: Some(w) } = p.run_until(now, world) {
                next = Some(next.map_or(w, |n: SimTime| n.min(w)));
            }
        }
        match next {
            Some(n) if n <= until => now = n,
            _ => break,
        }
    }
    for p in processes.iter_mut() {
        p.run_until(until, world);
    }
}

// ----- the seeds -------------------------------------------------------------------------------

#[test]
fn seed_writer_loop_and_tail_share_a_volume_every_line_written_is_read() {
    let writer = with_mount(
        sh(
            "myapp",
            r#"while true; do echo "logging" >> /opt/logs.txt; sleep 1; done"#,
        ),
        "data",
        "/opt",
    );
    let shipper = with_mount(sh("logshipper", "tail -F /opt/logs.txt"), "data", "/opt");
    let mut world = World::default();
    world.add_container(&writer);
    world.add_container(&shipper);
    let w = regular(&writer);
    let s = infer(&shipper, ContainerKind::Sidecar, "Always", None);
    assert_eq!(
        w.summary,
        "writes a line to /opt/logs.txt every 1 s, forever"
    );
    assert_eq!(s.summary, "runs forever: `tail -F /opt/logs.txt`");
    // The sidecar starts first (it gates the app), the app right after.
    let mut tail = s.spawn("logshipper", SimTime(0));
    let mut app = w.spawn("myapp", SimTime(0));
    run_together(&mut [&mut tail, &mut app], &mut world, secs(10.0));
    assert_eq!(
        world.lines_written("myapp", "/opt/logs.txt"),
        11,
        "t = 0, 1, ..., 10"
    );
    assert_eq!(world.lines_read("logshipper", "/opt/logs.txt"), 11);
    assert_eq!(
        app.run_until(secs(10.0), &mut world),
        ProcessState::Running {
            wake_at: Some(secs(11.0))
        }
    );
}

#[test]
fn a_tail_started_late_reads_only_the_last_ten_lines() {
    let writer = with_mount(
        sh(
            "app",
            r#"while true; do echo "logging" >> /opt/logs.txt; sleep 1; done"#,
        ),
        "data",
        "/opt",
    );
    let shipper = with_mount(sh("shipper", "tail -F /opt/logs.txt"), "data", "/opt");
    let mut world = World::default();
    world.add_container(&writer);
    world.add_container(&shipper);
    let mut app = regular(&writer).spawn("app", SimTime(0));
    app.run_until(secs(14.5), &mut world);
    let mut tail = regular(&shipper).spawn("shipper", secs(14.5));
    run_together(&mut [&mut app, &mut tail], &mut world, secs(20.0));
    assert_eq!(world.lines_written("app", "/opt/logs.txt"), 21);
    assert_eq!(
        world.lines_read("shipper", "/opt/logs.txt"),
        10 + 6,
        "the last 10 of 15 lines, then t = 15..20"
    );
}

#[test]
fn seed_job_writes_once_and_exits_0_while_its_sidecar_follows() {
    let job = with_mount(
        sh("myjob", r#"echo "logging" > /opt/logs.txt"#),
        "data",
        "/opt",
    );
    let shipper = with_mount(sh("logshipper", "tail -F /opt/logs.txt"), "data", "/opt");
    let mut world = World::default();
    world.add_container(&job);
    world.add_container(&shipper);
    let b = infer(&job, ContainerKind::Regular, "Never", None);
    assert_eq!(
        b.summary,
        r#"exits 0 at once: `echo "logging" > /opt/logs.txt`"#
    );
    let mut tail =
        infer(&shipper, ContainerKind::Sidecar, "Never", None).spawn("logshipper", SimTime(0));
    tail.run_until(secs(1.0), &mut world);
    let mut p = b.spawn("myjob", secs(1.0));
    assert_eq!(
        p.run_until(secs(1.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(1.0)
        }
    );
    tail.run_until(secs(2.0), &mut world);
    assert_eq!(world.lines_read("logshipper", "/opt/logs.txt"), 1);
    // The sidecar is SIGTERMed when the Job is done: `tail` is PID 1 and ignores it.
    tail.signal(Signal::Term, secs(2.0), &mut world);
    assert!(matches!(
        tail.run_until(secs(30.0), &mut world),
        ProcessState::Running { .. }
    ));
    tail.signal(Signal::Kill, secs(32.0), &mut world);
    assert_eq!(
        tail.run_until(secs(32.0), &mut world),
        ProcessState::Exited {
            code: 137,
            at: secs(32.0)
        }
    );
}

#[test]
fn tail_f_of_a_file_nobody_writes_gives_up_with_1() {
    // Seed 003: nginx writes its logs under /var/log/nginx, not /var/log/access.log.
    let c = with_mount(
        container(
            "log-sidecar",
            "busybox",
            &["sh", "-c", "tail -f /var/log/access.log"],
        ),
        "shared-logs",
        "/var/log",
    );
    let b = regular(&c);
    assert!(b.summary.starts_with("exits 1 at once"), "{}", b.summary);
    let mut world = World::default();
    world.add_container(&c);
    let mut p = b.spawn("log-sidecar", SimTime(0));
    assert_eq!(
        p.run_until(SimTime(0), &mut world),
        ProcessState::Exited {
            code: 1,
            at: SimTime(0)
        }
    );
}

#[test]
fn nginx_with_an_empty_volume_over_var_log_cannot_open_its_error_log() {
    let mut c = container("main-app", "nginx", &[]);
    c = with_mount(c, "shared-logs", "/var/log");
    let b = regular(&c);
    assert!(b.summary.contains("exits 1"), "{}", b.summary);
    assert!(
        b.summary.contains("/var/log/nginx/error.log"),
        "{}",
        b.summary
    );
}

// ----- signals and PID 1 (R70, R75, R76) -------------------------------------------------------

#[test]
fn trap_sleep_5_exit_0_with_sleep_60_and_wait_exits_0_five_seconds_after_sigterm() {
    let c = sh("app", "trap 'sleep 5; exit 0' TERM; sleep 60 & wait $!");
    let b = regular(&c);
    assert!(
        b.on_sigterm.starts_with("SIGTERM: exits 0 after 5 s"),
        "{}",
        b.on_sigterm
    );
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    assert!(matches!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Running { .. }
    ));
    p.signal(Signal::Term, secs(10.0), &mut world);
    assert_eq!(
        p.run_until(secs(14.999), &mut world),
        ProcessState::Running {
            wake_at: Some(secs(15.0))
        }
    );
    assert_eq!(
        p.run_until(secs(15.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(15.0)
        }
    );
}

#[test]
fn a_bare_sleep_3600_as_pid_1_ignores_sigterm_until_sigkill() {
    for c in [
        container("app", "busybox", &["sleep", "3600"]),
        sh("app", "sleep 3600"),
        sh("app", "while true; do sleep 1; done"),
        sh("app", "echo start; sleep 3600; echo never"),
    ] {
        let b = regular(&c);
        assert!(
            b.on_sigterm.starts_with("SIGTERM: ignored"),
            "{}",
            b.on_sigterm
        );
        let mut world = World::default();
        let mut p = b.spawn("app", SimTime(0));
        p.signal(Signal::Term, secs(10.0), &mut world);
        assert!(matches!(
            p.run_until(secs(40.0), &mut world),
            ProcessState::Running { .. }
        ));
        p.signal(Signal::Kill, secs(40.0), &mut world);
        assert_eq!(
            p.run_until(secs(40.0), &mut world),
            ProcessState::Exited {
                code: 137,
                at: secs(40.0)
            }
        );
    }
}

#[test]
fn a_foreground_sleep_delays_the_trap_until_it_returns() {
    let b = regular(&sh("app", "trap 'exit 3' TERM; sleep 60"));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(10.0), &mut world);
    assert_eq!(
        p.run_until(secs(100.0), &mut world),
        ProcessState::Exited {
            code: 3,
            at: secs(60.0)
        }
    );
    assert!(
        b.on_sigterm.contains("foreground `sleep 60`"),
        "{}",
        b.on_sigterm
    );
}

#[test]
fn a_trap_without_exit_resumes_the_script_and_wait_returns_143() {
    let b = regular(&sh(
        "app",
        "trap 'echo got TERM' TERM; sleep 60 & wait $!; echo \"wait returned $?\"; sleep 1",
    ));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(10.0), &mut world);
    assert_eq!(
        p.run_until(secs(100.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(11.0)
        }
    );
    let log: Vec<&str> = world.logs["app"].iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(log, vec!["got TERM", "wait returned 143"]);
}

#[test]
fn a_program_started_with_exec_is_pid_1_itself() {
    // nginx as PID 1 handles SIGTERM; behind a shell that traps TERM it never gets it.
    let nginx = |script: &str| regular(&container("web", "nginx:1.27", &["sh", "-c", script]));
    let direct = nginx("echo starting; exec nginx -g 'daemon off;'");
    let last = nginx("echo starting; nginx -g 'daemon off;'");
    let trapped = nginx("trap 'exit 0' TERM; nginx -g 'daemon off;'");
    for (b, expect) in [(&direct, Some(0)), (&last, Some(0)), (&trapped, None)] {
        let mut world = World::default();
        let mut p = b.spawn("web", SimTime(0));
        p.signal(Signal::Term, secs(5.0), &mut world);
        let state = p.run_until(secs(30.0), &mut world);
        match expect {
            Some(code) => assert_eq!(
                state,
                ProcessState::Exited {
                    code,
                    at: secs(5.0)
                }
            ),
            None => assert!(matches!(state, ProcessState::Running { .. })),
        }
    }
    // bash only execs a script that is a single command.
    let bash = regular(&container(
        "web",
        "nginx",
        &["bash", "-c", "echo hi; nginx -g 'daemon off;'"],
    ));
    assert!(
        bash.on_sigterm.starts_with("SIGTERM: ignored"),
        "{}",
        bash.on_sigterm
    );
}

#[test]
fn an_init_process_like_tini_passes_sigterm_on_to_its_child() {
    let b = regular(&container(
        "app",
        "alpine",
        &["tini", "--", "sleep", "3600"],
    ));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(3.0), &mut world);
    assert_eq!(
        p.run_until(secs(3.0), &mut world),
        ProcessState::Exited {
            code: 143,
            at: secs(3.0)
        }
    );
}

#[test]
fn an_unknown_program_exits_143_at_once_on_sigterm() {
    let b = regular(&container("app", "my-app:latest", &[]));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(3.0), &mut world);
    assert_eq!(
        p.run_until(secs(3.0), &mut world),
        ProcessState::Exited {
            code: 143,
            at: secs(3.0)
        }
    );
}

#[test]
fn kill_of_a_background_job_ends_it_with_143() {
    let b = regular(&sh(
        "app",
        "sleep 100 & pid=$!; sleep 2; kill $pid; wait $pid; exit $?",
    ));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 143,
            at: secs(2.0)
        }
    );
}

#[test]
fn the_exit_trap_runs_when_the_shell_exits() {
    let c = with_mount(
        sh("app", "trap 'echo bye >> /data/log' EXIT; sleep 2; exit 4"),
        "d",
        "/data",
    );
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(5.0), &mut world),
        ProcessState::Exited {
            code: 4,
            at: secs(2.0)
        }
    );
    assert_eq!(world.lines_written("app", "/data/log"), 1);
}

// ----- waiting for services and files ----------------------------------------------------------

#[test]
fn until_nc_z_db_5432_with_db_up_at_7_s_exits_0_at_8_s() {
    let c = container(
        "init-db",
        "busybox",
        &[
            "sh",
            "-c",
            "until nc -z db 5432; do echo waiting for db; sleep 2; done;",
        ],
    );
    let b = infer(&c, ContainerKind::Init, "Always", None);
    assert_eq!(
        b.summary,
        "waits until db:5432 answers (checks every 2 s), then exits 0: `until nc -z db 5432; do echo waiting for db; sleep 2; done`"
    );
    let mut world = World::default();
    world.services_up_at.insert("db".into(), secs(7.0));
    let mut p = b.spawn("init-db", SimTime(0));
    assert_eq!(
        p.run_until(secs(100.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(8.0)
        }
    );
    // Each failed try also logs busybox nc's `nc: bad address 'db'`: the Service is not there yet.
    let waiting = world.logs["init-db"]
        .iter()
        .filter(|(_, l)| l == "waiting for db")
        .count();
    assert_eq!(waiting, 4, "waiting at 0, 2, 4, 6");
}

#[test]
fn the_kubernetes_docs_init_container_waits_for_a_service_by_dns() {
    let script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    let b = infer(
        &sh("init-myservice", script),
        ContainerKind::Init,
        "Always",
        None,
    );
    let mut world = World::default();
    world.services_up_at.insert("myservice".into(), secs(5.0));
    let mut p = b.spawn("init-myservice", SimTime(0));
    assert_eq!(
        p.run_until(secs(100.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(6.0)
        }
    );
}

#[test]
fn localhost_answers_when_a_container_of_the_pod_listens() {
    let web = container("web", "nginx:1.27", &[]);
    let waiter = sh(
        "waiter",
        "until wget -q -O /dev/null http://localhost:80/; do sleep 1; done",
    );
    let mut world = World::default();
    let mut w = regular(&waiter).spawn("waiter", SimTime(0));
    w.run_until(secs(3.5), &mut world);
    let mut n = regular(&web).spawn("web", secs(3.5));
    run_together(&mut [&mut w, &mut n], &mut world, secs(10.0));
    assert_eq!(
        w.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(4.0)
        }
    );
    assert!(world.serves(80));
    n.signal(Signal::Term, secs(10.0), &mut world);
    assert!(!world.serves(80), "nginx stopped listening when it exited");
}

#[test]
fn a_readiness_cat_tmp_healthy_succeeds_exactly_after_the_script_touched_it() {
    let c = sh("app", "sleep 5; touch /tmp/healthy; sleep 3600");
    let mut world = World::default();
    let mut p = regular(&c).spawn("app", SimTime(0));
    let probe = argv(&["cat", "/tmp/healthy"]);
    p.run_until(secs(4.999), &mut world);
    let r = run_exec(
        &probe,
        "app",
        secs(4.999),
        &mut world,
        Some(Millis::secs(1)),
    );
    assert_eq!(r.exit_code, 1);
    p.run_until(secs(5.0), &mut world);
    let r = run_exec(&probe, "app", secs(5.0), &mut world, Some(Millis::secs(1)));
    assert!(r.succeeded(), "{r:?}");
    // A restarted container has a fresh file system.
    p.signal(Signal::Kill, secs(6.0), &mut world);
    let mut again = regular(&c).spawn("app", secs(7.0));
    again.run_until(secs(7.0), &mut world);
    assert_eq!(
        run_exec(&probe, "app", secs(7.0), &mut world, None).exit_code,
        1
    );
}

#[test]
fn the_kubernetes_docs_liveness_exec_example_fails_after_30_s() {
    let c = sh(
        "liveness",
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
    );
    let mut world = World::default();
    let mut p = regular(&c).spawn("liveness", SimTime(0));
    let probe = argv(&["cat", "/tmp/healthy"]);
    p.run_until(secs(29.0), &mut world);
    assert_eq!(
        run_exec(
            &probe,
            "liveness",
            secs(29.0),
            &mut world,
            Some(Millis::secs(1))
        )
        .exit_code,
        0
    );
    p.run_until(secs(30.0), &mut world);
    assert_eq!(
        run_exec(
            &probe,
            "liveness",
            secs(30.0),
            &mut world,
            Some(Millis::secs(1))
        )
        .exit_code,
        1
    );
}

#[test]
fn one_container_sees_what_another_wrote_on_a_shared_volume() {
    let maker = with_mount(
        sh("maker", "sleep 3; touch /work/ready; sleep 3600"),
        "shared",
        "/work",
    );
    let reader = with_mount(
        container("reader", "busybox", &["sleep", "3600"]),
        "shared",
        "/shared",
    );
    let mut world = World::default();
    world.add_container(&maker);
    world.add_container(&reader);
    let mut p = regular(&maker).spawn("maker", SimTime(0));
    let probe = argv(&["test", "-f", "/shared/ready"]);
    p.run_until(secs(2.0), &mut world);
    assert_eq!(
        run_exec(&probe, "reader", secs(2.0), &mut world, None).exit_code,
        1
    );
    p.run_until(secs(3.0), &mut world);
    assert_eq!(
        run_exec(&probe, "reader", secs(3.0), &mut world, None).exit_code,
        0
    );
    assert_eq!(
        run_exec(
            &argv(&["sh", "-c", "[ -f /shared/ready ]"]),
            "reader",
            secs(3.0),
            &mut world,
            None
        )
        .exit_code,
        0
    );
}

#[test]
fn background_jobs_run_beside_the_foreground() {
    let c = with_mount(
        sh("app", "(sleep 2; touch /d/a) & sleep 1; touch /d/b; wait"),
        "v",
        "/d",
    );
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(2.0)
        }
    );
    assert!(world.exists("app", "/d/b", secs(1.0)));
    assert!(!world.exists("app", "/d/a", secs(1.9)));
    assert!(world.exists("app", "/d/a", secs(2.0)));
}

// ----- exec probes and hooks (R39) -------------------------------------------------------------

#[test]
fn an_exec_probe_that_runs_past_its_timeout_fails() {
    let mut world = World::default();
    let r = run_exec(
        &argv(&["sleep", "10"]),
        "app",
        SimTime(0),
        &mut world,
        Some(Millis::secs(1)),
    );
    assert!(r.timed_out);
    assert!(!r.succeeded());
    assert_eq!(r.duration, Millis::secs(1));
    let r = run_exec(
        &argv(&["sh", "-c", "sleep 0.5; exit 0"]),
        "app",
        SimTime(0),
        &mut world,
        Some(Millis::secs(1)),
    );
    assert!(r.succeeded());
    assert_eq!(r.duration, Millis(500));
}

#[test]
fn a_hooks_duration_is_its_sleeps_and_nginx_s_quit_stops_nginx() {
    let web = container("web", "nginx:1.27", &[]);
    let mut world = World::default();
    let mut p = regular(&web).spawn("web", SimTime(0));
    p.run_until(secs(10.0), &mut world);
    let hook = argv(&["/bin/sh", "-c", "sleep 5 && nginx -s quit"]);
    let r = run_exec(&hook, "web", secs(10.0), &mut world, None);
    assert_eq!((r.exit_code, r.duration), (0, Millis::secs(5)));
    assert_eq!(
        p.run_until(secs(15.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(15.0)
        }
    );
    let forever = run_exec(
        &argv(&["tail", "-f", "/dev/null"]),
        "web",
        secs(20.0),
        &mut world,
        None,
    );
    assert!(forever.never_returned());
}

#[test]
fn kill_1_in_a_prestop_hook_signals_the_containers_pid_1() {
    let app = regular(&sh(
        "app",
        "trap 'exit 7' TERM; while true; do sleep 1; done",
    ));
    let mut world = World::default();
    let mut p = app.spawn("app", SimTime(0));
    p.run_until(secs(4.5), &mut world);
    let r = run_exec(
        &argv(&["sh", "-c", "kill 1"]),
        "app",
        secs(4.5),
        &mut world,
        None,
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 7,
            at: secs(5.0)
        }
    );
}

#[test]
fn exec_probes_of_health_tools_ask_the_pods_network() {
    let mut world = World::default();
    let redis = regular(&container("cache", "redis:7", &[]));
    let mut p = redis.spawn("cache", SimTime(0));
    let ping = argv(&["redis-cli", "ping"]);
    assert_eq!(
        run_exec(&ping, "cache", SimTime(0), &mut world.clone(), None).exit_code,
        1
    );
    p.run_until(SimTime(0), &mut world);
    assert_eq!(
        run_exec(&ping, "cache", SimTime(0), &mut world, None).exit_code,
        0
    );
    let pg = regular(&container("db", "postgres:16", &[]));
    assert_eq!(pg.listens, vec![5432]);
    assert_eq!(pg.listens_after, Millis::secs(2));
}

// ----- well-known images ------------------------------------------------------------------------

#[test]
fn well_known_images_serve_their_ports_and_stop_on_sigterm() {
    let nginx = regular(&container("web", "nginx:1.27", &[]));
    assert_eq!(
        nginx.summary,
        "nginx: serves :80 until SIGTERM, then exits 0"
    );
    assert_eq!(nginx.listens, vec![80]);
    let istio = infer(
        &container("istio-proxy", "docker.io/istio/proxyv2:1.22.0", &[]),
        ContainerKind::Sidecar,
        "Always",
        None,
    );
    assert!(
        istio
            .summary
            .ends_with("until SIGTERM, then exits 0 after 5 s"),
        "{}",
        istio.summary
    );
    let envoy = regular(&Container {
        args: argv(&["--config-path=/etc/envoy/envoy.yaml"]),
        ..container("sidecar-proxy", "envoyproxy/envoy:v1.20.0", &[])
    });
    assert_eq!(
        envoy.summary,
        "envoy: serves :10000, :9901 until SIGTERM, then exits 0"
    );
    assert_eq!(envoy.listens_after, Millis::secs(1));
    let fluentd = regular(&container(
        "shipper",
        "fluent/fluentd:latest",
        &["fluentd", "-c", "/fluentd/etc/fluent.conf"],
    ));
    assert!(
        fluentd
            .summary
            .starts_with("fluentd: serves :24224 until SIGTERM, then exits 0 after 1 s"),
        "{}",
        fluentd.summary
    );
    let proxy = regular(&container(
        "proxy",
        "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11",
        &[],
    ));
    assert!(
        proxy.on_sigterm.starts_with("SIGTERM: exits 143"),
        "{}",
        proxy.on_sigterm
    );
}

#[test]
fn envoy_serves_the_declared_container_ports() {
    let mut c = container("proxy", "envoyproxy/envoy:v1.30.1", &[]);
    c.ports.push(ContainerPort {
        container_port: 8443,
        ..ContainerPort::default()
    });
    let b = regular(&c);
    assert_eq!(b.listens, vec![8443]);
}

#[test]
fn os_images_with_no_command_exit_0_at_once() {
    for image in ["busybox", "alpine:3.20", "ubuntu:24.04", "debian"] {
        let b = regular(&container("app", image, &[]));
        assert!(
            b.summary.starts_with("exits 0 at once: no command"),
            "{image}: {}",
            b.summary
        );
        let mut world = World::default();
        let mut p = b.spawn("app", SimTime(0));
        assert_eq!(
            p.run_until(SimTime(0), &mut world),
            ProcessState::Exited {
                code: 0,
                at: SimTime(0)
            }
        );
    }
}

#[test]
fn two_servers_on_one_port_the_second_cannot_bind() {
    let mut world = World::default();
    let mut a = regular(&container("a", "nginx", &[])).spawn("a", SimTime(0));
    let mut b = regular(&container("b", "nginx", &[])).spawn("b", SimTime(0));
    a.run_until(SimTime(0), &mut world);
    assert_eq!(
        b.run_until(SimTime(0), &mut world),
        ProcessState::Exited {
            code: 1,
            at: SimTime(0)
        }
    );
    assert_eq!(world.listening.get(&80).map(String::as_str), Some("a"));
}

#[test]
fn nginx_without_daemon_off_forks_away_and_the_container_exits_0() {
    let b = regular(&container("web", "nginx", &["nginx"]));
    assert!(b.summary.starts_with("exits 0 at once"), "{}", b.summary);
    assert!(b.summary.contains("daemon off"), "{}", b.summary);
}

// ----- unknown programs per container kind ---------------------------------------------------------

#[test]
fn unknown_commands_depend_on_the_kind_of_container() {
    let c = container("migrate", "python:3.12", &["python", "migrate.py"]);
    let init = infer(&c, ContainerKind::Init, "Always", None);
    assert_eq!(
        init.summary,
        "runs `python migrate.py`: an unknown program, assumed to finish after 1 s"
    );
    let job = infer(&c, ContainerKind::Regular, "Never", None);
    assert_eq!(
        job.summary,
        "runs `python migrate.py`: an unknown program, assumed to finish after 10 s"
    );
    let server = infer(&c, ContainerKind::Regular, "Always", None);
    assert_eq!(
        server.summary,
        "runs `python migrate.py`: an unknown program, assumed to run until stopped"
    );
    let sidecar = infer(&c, ContainerKind::Sidecar, "Never", None);
    assert!(
        sidecar.summary.ends_with("assumed to run until stopped"),
        "{}",
        sidecar.summary
    );
    let mut world = World::default();
    let mut p = init.spawn("migrate", SimTime(0));
    assert_eq!(
        p.run_until(secs(5.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(1.0)
        }
    );
    let mut p = job.spawn("migrate", SimTime(0));
    assert_eq!(
        p.run_until(secs(50.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(10.0)
        }
    );
}

#[test]
fn an_unknown_server_listens_on_its_declared_and_probed_ports() {
    let mut c = container("app", "my-app:latest", &[]);
    c.ports.push(ContainerPort {
        container_port: 8080,
        ..ContainerPort::default()
    });
    c.readiness_probe = Some(crate::model::Probe {
        tcp_socket: Some(crate::model::TcpSocketAction {
            port: Some(IntOrString::Int(9090)),
            host: None,
        }),
        ..Default::default()
    });
    let b = regular(&c);
    assert_eq!(b.listens, vec![8080, 9090]);
    assert_eq!(
        b.summary,
        "runs `my-app:latest`'s default command: an unknown program, assumed to run until stopped"
    );
}

#[test]
fn a_script_podlife_cannot_read_is_an_unknown_program() {
    let b = infer(
        &sh("app", "select x in a b; do echo $x; done"),
        ContainerKind::Init,
        "Always",
        None,
    );
    assert!(
        b.summary.contains("podlife cannot read this script"),
        "{}",
        b.summary
    );
    assert!(
        b.summary.contains("assumed to finish after 1 s"),
        "{}",
        b.summary
    );
}

// ----- annotations -----------------------------------------------------------------------------

#[test]
fn annotations_set_start_delay_run_time_exit_code_and_probe_answers() {
    let mut c = container("app", "my-app:1", &[]);
    c.ports.push(ContainerPort {
        container_port: 8080,
        ..ContainerPort::default()
    });
    let b = infer(
        &c,
        ContainerKind::Regular,
        "Always",
        Some("start-delay=2s; run=30s; exit=1; pull=3s; readiness=ok-after=10s; liveness=fail-after=60s"),
    );
    assert!(b.annotation_errors.is_empty(), "{:?}", b.annotation_errors);
    assert_eq!(b.pull_time, Some(Millis::secs(3)));
    assert_eq!(b.listens_after, Millis::secs(2));
    assert_eq!(
        b.probe_override(ProbeKind::Readiness, Millis::secs(9)),
        Some(false)
    );
    assert_eq!(
        b.probe_override(ProbeKind::Readiness, Millis::secs(10)),
        Some(true)
    );
    assert_eq!(
        b.probe_override(ProbeKind::Liveness, Millis::secs(60)),
        Some(false)
    );
    assert_eq!(b.probe_override(ProbeKind::Startup, Millis::secs(60)), None);
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.run_until(secs(1.9), &mut world);
    assert!(!world.serves(8080));
    p.run_until(secs(2.0), &mut world);
    assert!(world.serves(8080));
    assert_eq!(
        p.run_until(secs(60.0), &mut world),
        ProcessState::Exited {
            code: 1,
            at: secs(30.0)
        }
    );
    assert!(!world.serves(8080));
}

#[test]
fn annotated_sigterm_handling_replaces_the_programs() {
    let b = infer(
        &sh("app", "sleep 3600"),
        ContainerKind::Regular,
        "Always",
        Some("sigterm=exit=0 after=5s"),
    );
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(10.0), &mut world);
    assert_eq!(
        p.run_until(secs(20.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(15.0)
        }
    );
    let b = infer(
        &container("web", "nginx", &[]),
        ContainerKind::Regular,
        "Always",
        Some("sigterm=ignore"),
    );
    let mut p = b.spawn("web", SimTime(0));
    p.signal(Signal::Term, secs(1.0), &mut world);
    assert!(matches!(
        p.run_until(secs(20.0), &mut world),
        ProcessState::Running { .. }
    ));
}

#[test]
fn exit_alone_makes_a_program_that_never_ends_crash_at_start() {
    let b = infer(
        &container("web", "nginx", &[]),
        ContainerKind::Regular,
        "Always",
        Some("exit=1"),
    );
    let mut world = World::default();
    let mut p = b.spawn("web", SimTime(0));
    assert_eq!(
        p.run_until(SimTime(0), &mut world),
        ProcessState::Exited {
            code: 1,
            at: SimTime(0)
        }
    );
    let b = infer(
        &sh("job", "sleep 5"),
        ContainerKind::Regular,
        "Never",
        Some("exit=2"),
    );
    let mut p = b.spawn("job", SimTime(0));
    assert_eq!(
        p.run_until(secs(9.0), &mut world),
        ProcessState::Exited {
            code: 2,
            at: secs(5.0)
        }
    );
}

#[test]
fn bad_annotations_are_reported_and_the_rest_still_applies() {
    let b = infer(
        &sh("app", "sleep 10"),
        ContainerKind::Regular,
        "Always",
        Some("run=soon; pull=2s; colour=red"),
    );
    assert_eq!(b.annotation_errors.len(), 2, "{:?}", b.annotation_errors);
    assert_eq!(b.pull_time, Some(Millis::secs(2)));
}

#[test]
fn an_annotated_pull_failure_is_exposed() {
    let b = infer(
        &sh("app", "sleep 10"),
        ContainerKind::Regular,
        "Always",
        Some("pull=fail-until=60s"),
    );
    assert_eq!(b.pull_fails_until, Some(secs(60.0)));
}

// ----- shell details -----------------------------------------------------------------------------

#[test]
fn loops_variables_and_arithmetic_count_on_the_clock() {
    let c = with_mount(
        sh("app", "i=0; while [ $i -lt 3 ]; do i=$((i + 1)); echo \"$i\" >> /d/n; sleep 1.5; done; exit $i"),
        "v",
        "/d",
    );
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 3,
            at: secs(4.5)
        }
    );
    assert_eq!(
        world.read_lines("app", "/d/n"),
        Some(argv(&["1", "2", "3"]))
    );
}

#[test]
fn for_loops_if_and_set_e() {
    let c = with_mount(
        sh("app", "set -e\nfor f in a b c; do\n  touch /d/$f\ndone\nif [ -f /d/b ]; then echo yes > /d/r; else echo no > /d/r; fi\ncat /missing\necho unreachable > /d/u"),
        "v",
        "/d",
    );
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(1.0), &mut world),
        ProcessState::Exited {
            code: 1,
            at: SimTime(0)
        }
    );
    assert_eq!(world.read_lines("app", "/d/r"), Some(argv(&["yes"])));
    assert!(!world.exists("app", "/d/u", SimTime(0)));
}

#[test]
fn pipes_carry_lines_to_tee_and_grep() {
    let c = with_mount(
        sh(
            "app",
            "echo ready | tee -a /d/status; grep -q ready /d/status && touch /d/ok",
        ),
        "v",
        "/d",
    );
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    p.run_until(SimTime(0), &mut world);
    assert!(world.exists("app", "/d/ok", SimTime(0)));
}

#[test]
fn grep_i_folds_ascii_case_as_in_the_c_locale() {
    // A container without LANG runs in the C locale, where `grep -i` folds ASCII letters only.
    let (_, world) = run_script(
        "echo 'Ready ÉTÉ' > /d/in; grep -i READY /d/in && echo ascii; grep -i été /d/in || echo none",
        1.0,
    );
    assert_eq!(log(&world), ["Ready ÉTÉ", "ascii", "none"]);
}

#[test]
fn a_busy_loop_polls_instead_of_hanging() {
    let waiter = with_mount(
        sh("w", "while [ ! -f /d/go ]; do :; done; echo went"),
        "v",
        "/d",
    );
    let maker = with_mount(sh("m", "sleep 2; touch /d/go"), "v", "/d");
    let mut world = World::default();
    world.add_container(&waiter);
    world.add_container(&maker);
    let mut w = regular(&waiter).spawn("w", SimTime(0));
    let mut m = regular(&maker).spawn("m", SimTime(0));
    run_together(&mut [&mut w, &mut m], &mut world, secs(5.0));
    match w.run_until(secs(5.0), &mut world) {
        ProcessState::Exited { code: 0, at } => {
            assert!(at >= secs(2.0) && at <= secs(2.2), "{at:?}")
        }
        other => panic!("{other:?}"),
    }
}

/// Runs a script in a container with a volume at /d; returns where it ended and the world.
fn run_script(script: &str, until: f64) -> (ProcessState, World) {
    let c = with_mount(sh("app", script), "v", "/d");
    let mut world = World::default();
    world.add_container(&c);
    let mut p = regular(&c).spawn("app", SimTime(0));
    let state = p.run_until(secs(until), &mut world);
    (state, world)
}

fn log(world: &World) -> Vec<String> {
    world
        .logs
        .get("app")
        .map(|l| l.iter().map(|(_, s)| s.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn redirections_here_documents_and_read_loops_move_lines() {
    let (state, world) = run_script(
        "cat <<EOF > /d/in\na\nb\nEOF\nwhile read line; do echo \"got $line\" >> /d/out; done < /d/in\nexec >> /d/all 2>&1\necho one; echo two",
        1.0,
    );
    assert_eq!(
        state,
        ProcessState::Exited {
            code: 0,
            at: SimTime(0)
        }
    );
    assert_eq!(
        world.read_lines("app", "/d/out"),
        Some(argv(&["got a", "got b"]))
    );
    assert_eq!(
        world.read_lines("app", "/d/all"),
        Some(argv(&["one", "two"]))
    );
}

#[test]
fn for_over_a_command_substitution_and_nested_shells() {
    let (state, world) = run_script(
        "for i in $(seq 1 3); do echo $i; done; sh -c 'exit 3'; echo \"nested $?\"",
        1.0,
    );
    assert_eq!(
        state,
        ProcessState::Exited {
            code: 0,
            at: SimTime(0)
        }
    );
    assert_eq!(log(&world), argv(&["1", "2", "3", "nested 3"]));
}

#[test]
fn timeout_stops_a_wait_that_never_ends_with_124() {
    let c = sh(
        "app",
        "timeout 5 sh -c 'until nc -z db 5432; do sleep 1; done'",
    );
    let mut world = World::default();
    world.services_up_at.insert("db".into(), secs(3600.0));
    let mut p = regular(&c).spawn("app", SimTime(0));
    assert_eq!(
        p.run_until(secs(60.0), &mut world),
        ProcessState::Exited {
            code: 124,
            at: secs(5.0)
        }
    );
}

#[test]
fn the_container_ends_when_pid_1_ends_even_with_jobs_in_the_background() {
    let (state, _) = run_script("sleep 100 & echo started", 1.0);
    assert_eq!(
        state,
        ProcessState::Exited {
            code: 0,
            at: SimTime(0)
        }
    );
}

#[test]
fn a_trap_can_stop_the_background_job_and_exit_at_once() {
    let b = regular(&sh("app", "trap 'kill $!; exit 0' TERM; sleep 1000 & wait"));
    let mut world = World::default();
    let mut p = b.spawn("app", SimTime(0));
    p.signal(Signal::Term, secs(7.0), &mut world);
    assert_eq!(
        p.run_until(secs(7.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(7.0)
        }
    );
}

#[test]
fn a_pipeline_with_a_follower_runs_forever() {
    let (state, _) = run_script("touch /d/x; tail -f /d/x | grep error", 100.0);
    assert_eq!(state, ProcessState::Running { wake_at: None });
}

#[test]
fn writing_under_a_missing_directory_fails_like_sh() {
    let b = regular(&sh("app", "echo hi > /nope/file"));
    assert!(b.summary.starts_with("exits 1 at once"), "{}", b.summary);
    assert!(
        b.summary.contains("can't create /nope/file"),
        "{}",
        b.summary
    );
}

#[test]
fn hooks_and_probes_in_exec_form_are_not_read_as_shell() {
    let hook = ExecAction {
        command: argv(&["echo", "a;", "sleep", "100"]),
    };
    let mut world = World::default();
    let r = run_exec(&hook.command, "app", SimTime(0), &mut world, None);
    assert_eq!(r.duration, Millis(0));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "sleep 1",
        "sleep 0.5",
        "echo hi",
        ">> /tmp/x",
        "> /d/y",
        "&&",
        "||",
        ";",
        "&",
        "|",
        "\n",
        "while true; do",
        "until false; do",
        "done",
        "if",
        "then",
        "else",
        "fi",
        "for i in 1 2; do",
        "trap 'exit 0' TERM",
        "trap 'sleep 2' TERM",
        "wait",
        "wait $!",
        "exec",
        "exit 3",
        "kill $!",
        "tail -f /d/y",
        "tail -F /tmp/x",
        "cat /tmp/x",
        "rm -f /tmp/x",
        "touch /d/y",
        "nc -z db 5432",
        "wget http://localhost:80",
        "$((1/0))",
        "${x:-y}",
        "$(cat /d/y)",
        "'",
        "\"",
        "(",
        ")",
        "{",
        "}",
        "[ -f /d/y ]",
        "test -d /d",
        "break",
        "continue",
        "set -e",
        "nginx",
        "python app.py",
        "sh -c 'sleep 1'",
        "timeout 1 sleep 5",
        "eval echo",
        "read x",
        "<<EOF",
        "EOF",
        "x=1",
        "$x",
        "`date`",
        "!",
        "((i++))",
        "*",
        "#",
        "\\",
    ];

    fn script() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

        #[test]
        fn parse_and_run_of_random_scripts_never_panic(text in script(), garbage in ".{0,40}") {
            for t in [text.clone(), garbage.clone(), format!("{text}{garbage}")] {
                let c = with_mount(sh("app", &t), "v", "/d");
                let b = infer(&c, ContainerKind::Regular, "Always", Some(&garbage));
                let mut world = World::default();
                world.add_container(&c);
                let mut p = b.spawn("app", SimTime(0));
                p.run_until(secs(30.0), &mut world);
                p.signal(Signal::Term, secs(30.0), &mut world);
                p.run_until(secs(60.0), &mut world);
                let _ = run_exec(&argv(&["sh", "-c", &t]), "app", secs(60.0), &mut world, Some(Millis::secs(1)));
                p.signal(Signal::Kill, secs(62.0), &mut world);
                let end = p.run_until(secs(62.0), &mut world);
                prop_assert!(matches!(end, ProcessState::Exited { .. }), "{:?}", end);
            }
        }
    }
}

#[test]
fn run_annotation_keeps_an_image_that_would_exit_at_once_running_for_that_long() {
    let c = container("app", "busybox:1.36", &[]);
    let b = infer(&c, ContainerKind::Regular, "Never", Some("run=5s"));
    let mut world = World::default();
    let mut p = b.spawn("app", secs(0.0));
    assert!(matches!(
        p.run_until(secs(4.9), &mut world),
        ProcessState::Running { .. }
    ));
    assert_eq!(
        p.run_until(secs(5.0), &mut world),
        ProcessState::Exited {
            code: 0,
            at: secs(5.0)
        }
    );
}

// ---------------------------------------------------------------- R104: where programs really listen

fn with_port(mut c: Container, port: i64) -> Container {
    c.ports.push(ContainerPort {
        container_port: port,
        ..ContainerPort::default()
    });
    c
}

#[test]
fn a_declared_container_port_does_not_make_a_known_program_listen_there() {
    // `sleep` listens nowhere, whatever the manifest declares.
    let sleeper = with_port(sh("app", "sleep 3600"), 8080);
    assert_eq!(regular(&sleeper).listens, Vec::<u16>::new());
    assert_eq!(regular(&sleeper).assumed_ports, Vec::<u16>::new());
    // nginx's image configuration says :80.
    let nginx = with_port(container("web", "nginx:1.27", &[]), 8080);
    assert_eq!(regular(&nginx).listens, vec![80]);
    // Its own configuration mounted over /etc/nginx/conf.d may say 8080: podlife cannot read it.
    let configured = with_mount(nginx, "conf", "/etc/nginx/conf.d");
    assert_eq!(regular(&configured).listens, vec![80, 8080]);
}

#[test]
fn only_an_unknown_programs_ports_are_assumed_and_the_annotation_lifts_the_assumption() {
    let mut c = with_port(container("api", "example.com/shop/api:2.1", &[]), 8080);
    c.liveness_probe = Some(crate::model::Probe {
        http_get: Some(crate::model::HttpGetAction {
            path: Some("/healthz".into()),
            port: Some(IntOrString::Int(9090)),
            host: None,
            scheme: None,
        }),
        ..Default::default()
    });
    assert_eq!(regular(&c).assumed_ports, vec![8080, 9090]);
    let annotated = infer(&c, ContainerKind::Regular, "Always", Some("listens=9090"));
    assert_eq!(annotated.listens, vec![9090]);
    assert_eq!(annotated.assumed_ports, Vec::<u16>::new());
    // In a Job an unknown program is a task, not a server: nothing is assumed to listen.
    let task = infer(&c, ContainerKind::Regular, "Never", None);
    assert_eq!(task.assumed_ports, Vec::<u16>::new());
}

#[test]
fn an_exec_commands_output_is_the_probes_not_the_containers_log() {
    let mut world = World::default();
    let r = run_exec(
        &argv(&[
            "sh",
            "-c",
            "echo checking; cat /tmp/healthy; echo to-pid-1 > /proc/1/fd/1",
        ]),
        "app",
        secs(1.0),
        &mut world,
        Some(Millis::secs(1)),
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        r.output,
        "checking\ncat: can't open '/tmp/healthy': No such file or directory"
    );
    let log: Vec<&str> = world
        .logs
        .get("app")
        .into_iter()
        .flatten()
        .map(|(_, l)| l.as_str())
        .collect();
    assert_eq!(
        log,
        vec!["to-pid-1"],
        "only what it wrote to PID 1's stdout"
    );
}

// ---------------------------------------------------------------- R105: memory against the limit

fn with_memory_limit(mut c: Container, limit: &str) -> Container {
    let mut resources = crate::model::ResourceRequirements::default();
    resources.limits.insert("memory".into(), limit.into());
    c.resources = Some(resources);
    c
}

fn stress(args: &[&str]) -> Container {
    let mut c = container("stress", "polinux/stress", &["stress"]);
    c.args = argv(args);
    c
}

#[test]
fn stress_vm_workers_over_the_limit_are_oom_killed_within_a_tenth_of_a_second() {
    let c = with_memory_limit(
        stress(&["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]),
        "100Mi",
    );
    let b = regular(&c);
    let mut world = World::default();
    let mut p = b.spawn("stress", secs(2.5));
    assert_eq!(
        p.run_until(secs(10.0), &mut world),
        ProcessState::Exited {
            code: 137,
            at: secs(2.6)
        }
    );
    assert_eq!(p.oom_killed(), Some(250 << 20));
    assert!(
        b.summary.starts_with("OOM-killed after 0.1 s (exit 137)"),
        "{}",
        b.summary
    );
    // Two workers of 60M under 100Mi: 120 MiB, over it too; one fits.
    let two = with_memory_limit(stress(&["--vm", "2", "--vm-bytes", "60M"]), "100Mi");
    assert!(regular(&two).summary.starts_with("OOM-killed"));
    let one = with_memory_limit(stress(&["-m", "1", "--vm-bytes", "60M"]), "100Mi");
    assert!(
        regular(&one).summary.starts_with("runs forever"),
        "{}",
        regular(&one).summary
    );
}

#[test]
fn stress_reads_its_options_as_stress_does() {
    // `--timeout` ends the run with 0; cpu workers hold no memory.
    let timed = with_memory_limit(stress(&["--cpu", "2", "--timeout", "5s"]), "10Mi");
    assert!(
        regular(&timed).summary.starts_with("exits 0 after 5 s"),
        "{}",
        regular(&timed).summary
    );
    // The default --vm-bytes is 256 MiB.
    let default_bytes = with_memory_limit(stress(&["--vm", "1"]), "200Mi");
    assert!(regular(&default_bytes).summary.contains("uses 256 MiB"));
    // An option it does not know: exit 1.
    let bad = stress(&["--vm", "1", "--memory", "1G"]);
    assert!(
        regular(&bad).summary.starts_with("exits 1"),
        "{}",
        regular(&bad).summary
    );
}

#[test]
fn the_memory_annotation_grows_and_an_unreadable_one_is_reported() {
    let c = with_memory_limit(container("app", "example.com/app:1", &[]), "100Mi");
    let leak = infer(&c, ContainerKind::Regular, "Always", Some("memory=10Mi/s"));
    let mut world = World::default();
    let mut p = leak.spawn("app", secs(0.0));
    assert!(matches!(
        p.run_until(secs(60.0), &mut world),
        ProcessState::Exited { code: 137, at } if at == SimTime(10_001)
    ));
    let bad = infer(&c, ContainerKind::Regular, "Always", Some("memory=lots"));
    assert_eq!(
        bad.annotation_errors,
        vec!["memory: \"lots\" is not a memory quantity (e.g. 300Mi, 1Gi, 500M)".to_string()]
    );
    // No limit: nothing to be killed by.
    let unlimited = container("app", "example.com/app:1", &[]);
    let free = infer(
        &unlimited,
        ContainerKind::Regular,
        "Always",
        Some("memory=10Mi/s"),
    );
    let mut p = free.spawn("app", secs(0.0));
    assert!(matches!(
        p.run_until(secs(600.0), &mut world),
        ProcessState::Running { .. }
    ));
}

#[test]
fn a_host_that_is_not_there_fails_as_the_tools_say_and_a_services_other_port_is_refused() {
    let logs_of = |script: &str, world: &mut World| {
        let b = infer(&sh("probe", script), ContainerKind::Init, "Always", None);
        let mut p = b.spawn("probe", SimTime(0));
        let state = p.run_until(secs(1.0), world);
        let lines: Vec<String> = world
            .logs
            .get("probe")
            .map(|l| l.iter().map(|(_, line)| line.clone()).collect())
            .unwrap_or_default();
        world.logs.clear();
        (state, lines)
    };
    let mut world = World::default();
    let exit = |code| ProcessState::Exited {
        code,
        at: SimTime(0),
    };
    assert_eq!(
        logs_of("wget -q -O- http://db:8080/", &mut world),
        (exit(1), vec!["wget: bad address 'db'".to_string()])
    );
    assert_eq!(
        logs_of("curl -s http://db:8080/", &mut world),
        (
            exit(6),
            vec!["curl: (6) Could not resolve host: db".to_string()]
        )
    );
    assert_eq!(
        logs_of("nc -z db 5432", &mut world),
        (exit(1), vec!["nc: bad address 'db'".to_string()])
    );
    world
        .cluster
        .services
        .push(super::outside_hosts::ServiceHost {
            name: "db".into(),
            ports: vec![3306],
            ..Default::default()
        });
    assert_eq!(logs_of("nc -z db 5432", &mut world), (exit(1), vec![]));
    assert_eq!(logs_of("nc -z db 3306", &mut world), (exit(0), vec![]));
    assert_eq!(
        logs_of("wget -q -O- http://db:5432/", &mut world).1,
        vec!["wget: can't connect to remote host (db): Connection refused".to_string()]
    );
}

/// The moments of a container's log lines, in seconds after its start.
fn timed_log(world: &World, container: &str) -> Vec<(f64, String)> {
    world
        .logs
        .get(container)
        .map(|l| l.iter().map(|(t, s)| (t.as_secs(), s.clone())).collect())
        .unwrap_or_default()
}

#[test]
fn one_liners_log_each_line_when_they_print_it() {
    let python = container(
        "py",
        "python:3.12",
        &[
            "python3",
            "-u",
            "-c",
            "import time; print('a'); time.sleep(5); print('b'); time.sleep(60)",
        ],
    );
    let perl = container(
        "pl",
        "perl:5.40",
        &[
            "perl",
            "-le",
            "$| = 1; print 'a'; sleep 5; print 'b'; sleep 60",
        ],
    );
    for c in [python, perl] {
        let mut world = World::default();
        let mut p = regular(&c).spawn(&c.name, SimTime(0));
        p.run_until(secs(4.0), &mut world);
        assert_eq!(timed_log(&world, &c.name), vec![(0.0, "a".to_string())]);
        p.run_until(secs(10.0), &mut world);
        assert_eq!(
            timed_log(&world, &c.name),
            vec![(0.0, "a".to_string()), (5.0, "b".to_string())]
        );
    }
}

#[test]
fn a_failed_python_one_liner_is_summarised_by_its_exception_not_its_last_flushed_line() {
    // Python writes the traceback as it exits, then flushes the piped stdout: the log ends with
    // "starting", and the summary names the exception instead.
    let b = regular(&container(
        "app",
        "python:3.12",
        &["python3", "-c", "print('starting'); n = int('x')"],
    ));
    assert!(
        b.summary
            .ends_with("(ValueError: invalid literal for int() with base 10: 'x')"),
        "{}",
        b.summary
    );
    let ok = regular(&container(
        "app",
        "python:3.12",
        &["python3", "-c", "print('done')"],
    ));
    assert!(!ok.summary.contains("Error"), "{}", ok.summary);
}

#[test]
fn a_commands_arguments_are_quoted_in_the_summary_as_a_shell_would_need_them() {
    let b = regular(&container(
        "app",
        "python:3.12",
        &["python3", "-c", "print('starting'); n = int('x')"],
    ));
    assert!(
        b.summary
            .contains(r#"`python3 -c "print('starting'); n = int('x')"`"#),
        "{}",
        b.summary
    );
    let b = regular(&container(
        "app",
        "python:3.12",
        &["python3", "-c", "print(1); exit(3)"],
    ));
    assert!(
        b.summary.contains("`python3 -c 'print(1); exit(3)'`"),
        "{}",
        b.summary
    );
}
