//! The web app in headless Chromium, as a student uses it: type a docker command into the
//! terminal, read its output, step back and forth through what happened, and watch a
//! container appear in the containers view at the step that created it.
//!
//! Needs the built app (`trunk build --release --offline` → `dist/`, or `PORTHOLE_DIST`)
//! and `/usr/bin/chromedriver` (or `CHROMEDRIVER`); fails, saying which, if either is
//! missing. Run it with `cargo xtask test e2e`, or after a trunk build with
//! `cargo test --workspace --features porthole-tests/e2e --test e2e`.
//!
//! The DOM contract it reads: `input#terminal-input`; `#terminal-output .cmd-block` with
//! `.cmd-line`, `.cmd-stdout`, `.cmd-stderr` (absent when empty) and `.cmd-exit`
//! (`exit N`); `ol#steps li.step[data-component]` with `.step-action`, the current one
//! `.current`; `button#step-prev`, `button#step-next`, `#step-counter` (`Step N of M`);
//! `#containers tr.container-row[data-name][data-status]`; `#images tr.image-row`;
//! `time#clock-now[datetime]` and `button.clock-step` (`+1 s`, `+10 s`, `+1 min`);
//! `details#host-settings` with `#host-summary`, `select#host-cpus`, `select#host-memory`,
//! `select#host-cgroup` and `button#host-apply`.

mod follow;
mod harness;
mod views;

use harness::{Browser, Context, Result};
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

const COMPONENTS: [&str; 8] = [
    "cli",
    "api",
    "dockerd",
    "containerd",
    "shim",
    "runc",
    "kernel",
    "registry",
];

/// A whole test's time limit: each wait has its own, this catches a WebDriver call that
/// never answers.
const TEST_LIMIT: Duration = Duration::from_secs(240);

async fn within_limit(test: impl Future<Output = Result<()>>) -> Result<()> {
    tokio::time::timeout(TEST_LIMIT, test)
        .await
        .unwrap_or_else(|_| Err(format!("the test took more than {TEST_LIMIT:?}")))
}

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

fn str_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

#[derive(Debug, Clone)]
struct Block {
    line: String,
    stdout: Option<String>,
    stderr: Option<String>,
    exit: String,
}

fn blocks(s: &Value) -> Vec<Block> {
    let list = s["blocks"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|b| Block {
            line: str_of(&b["line"]).unwrap_or_default(),
            stdout: str_of(&b["stdout"]),
            stderr: str_of(&b["stderr"]),
            exit: str_of(&b["exit"]).unwrap_or_default().trim().to_string(),
        })
        .collect()
}

#[derive(Debug, Clone)]
struct Step {
    component: String,
    action: String,
}

fn steps(s: &Value) -> Vec<Step> {
    let list = s["steps"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|st| Step {
            component: str_of(&st["component"]).unwrap_or_default(),
            action: str_of(&st["action"]).unwrap_or_default().trim().to_string(),
        })
        .collect()
}

/// The index of the current step, if exactly one `li.step` is `.current`.
fn current(s: &Value) -> Option<usize> {
    let list = s["steps"].as_array()?;
    let mut cur = list
        .iter()
        .enumerate()
        .filter(|(_, st)| st["current"].as_bool() == Some(true));
    let (i, _) = cur.next()?;
    cur.next().is_none().then_some(i)
}

fn counter(s: &Value) -> String {
    str_of(&s["counter"])
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `data-status` of the container row named `name`, if there is one.
fn container_status(s: &Value, name: &str) -> Option<String> {
    s["containers"]
        .as_array()?
        .iter()
        .find(|r| r["name"].as_str() == Some(name))
        .map(|r| str_of(&r["status"]).unwrap_or_default())
}

/// The page showing step `index` (0-based) of `total` as current, in the counter and in
/// the list.
fn at_step(s: &Value, index: usize, total: usize) -> bool {
    counter(s) == format!("Step {} of {total}", index + 1)
        && steps(s).len() == total
        && current(s) == Some(index)
}

/// Clicks Prev or Next and waits until the page shows step `index` of `total`.
async fn step_to(b: &Browser, button: &str, index: usize, total: usize) -> Result<Value> {
    b.click(button).await?;
    b.wait_for(
        &format!(
            "`Step {} of {total}` with li.step #{index} current after clicking {button}",
            index + 1
        ),
        |s| at_step(s, index, total).then(|| s.clone()),
    )
    .await
}

async fn open(b: &Browser) -> Result<()> {
    b.client
        .goto(&b.url)
        .await
        .context(format!("opening {}", b.url))?;
    b.wait_for("input#terminal-input", |s| {
        s["input"].as_bool().filter(|&x| x)
    })
    .await?;
    Ok(())
}

/// Types `command` and waits for a new `.cmd-block` with its `.cmd-exit`.
async fn run(b: &Browser, command: &str) -> Result<Block> {
    let before = blocks(&b.state().await?).len();
    b.type_command(command).await?;
    let block = b
        .wait_for(
            &format!("a new .cmd-block with a .cmd-exit for `{command}`"),
            |s| {
                let all = blocks(s);
                (all.len() > before)
                    .then(|| all.last().cloned())
                    .flatten()
                    .filter(|bl| !bl.exit.is_empty())
            },
        )
        .await?;
    ensure(block.line.contains(command), || {
        format!(
            ".cmd-line {:?} does not show the command `{command}`",
            block.line
        )
    })?;
    Ok(block)
}

/// Waits for the step list to settle on its last step, as it does after a command.
async fn at_last_step(b: &Browser) -> Result<Value> {
    b.wait_for(
        "the last li.step to be current and #step-counter to say `Step M of M`",
        |s| {
            let m = steps(s).len();
            (m > 0 && at_step(s, m - 1, m)).then(|| s.clone())
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_a_container_then_step_back_and_forth_through_it() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(run_and_step(&b)).await;
    b.finish(outcome, Some("e2e-screenshot.png")).await;
}

async fn run_and_step(b: &Browser) -> Result<()> {
    open(b).await?;

    // A first container: its output, its exit status, and the steps behind them.
    let block = run(b, "docker run --rm busybox echo hello").await?;
    ensure(
        block.stdout.as_deref().is_some_and(|o| o.contains("hello")),
        || format!(".cmd-stdout should contain hello: {block:?}"),
    )?;
    ensure(block.exit == "exit 0", || {
        format!(".cmd-exit should say `exit 0`: {block:?}")
    })?;
    let all = steps(&at_last_step(b).await?);
    let m = all.len();
    ensure(m > 20, || {
        format!("a docker run with a pull takes more than 20 steps, the page lists {m}: {all:#?}")
    })?;
    for c in COMPONENTS {
        ensure(all.iter().any(|s| s.component == c), || {
            let seen: Vec<&str> = all.iter().map(|s| s.component.as_str()).collect();
            format!("no li.step[data-component={c}] among {seen:?}")
        })?;
    }

    // One step back, forward, back and forward again.
    step_to(b, "button#step-prev", m - 2, m).await?;
    step_to(b, "button#step-next", m - 1, m).await?;
    step_to(b, "button#step-prev", m - 2, m).await?;
    step_to(b, "button#step-next", m - 1, m).await?;

    // A long-running container shows up in the containers view...
    let block = run(b, "docker run -d --name web busybox sleep 1000").await?;
    ensure(block.exit == "exit 0", || {
        format!(".cmd-exit should say `exit 0`: {block:?}")
    })?;
    b.wait_for(
        "#containers tr.container-row[data-name=web][data-status=running]",
        |s| (container_status(s, "web").as_deref() == Some("running")).then_some(()),
    )
    .await?;
    let state = at_last_step(b).await?;
    let all = steps(&state);
    let total = all.len();
    let created = all
        .iter()
        .rposition(|s| s.action.starts_with("created container"))
        .ok_or_else(|| format!("no .step-action starts with `created container`: {all:#?}"))?;
    ensure(created > 0 && created < total, || {
        format!("the `created container` step is #{created} of {total}")
    })?;

    // ...and stepping back to before it was created takes it away again...
    for index in (created - 1..total - 1).rev() {
        step_to(b, "button#step-prev", index, total).await?;
    }
    b.wait_for(
        &format!(
            "no web row at step {created} (`{}`), the step before `{}`",
            all[created - 1].action,
            all[created].action
        ),
        |s| container_status(s, "web").is_none().then_some(()),
    )
    .await?;

    // ...until the step that created it, where it is `created`, not yet running.
    step_to(b, "button#step-next", created, total).await?;
    b.wait_for(
        &format!(
            "the web row with data-status=created at step {} (`{}`)",
            created + 1,
            all[created].action
        ),
        |s| (container_status(s, "web").as_deref() == Some("created")).then_some(()),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_command_shows_dockers_error_and_exit_1() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(bad_command(&b)).await;
    b.finish(outcome, None).await;
}

async fn bad_command(b: &Browser) -> Result<()> {
    open(b).await?;
    let block = run(b, "docker run").await?;
    ensure(
        block
            .stderr
            .as_deref()
            .is_some_and(|e| e.contains("requires at least 1 argument")),
        || format!(".cmd-stderr should say `requires at least 1 argument`: {block:?}"),
    )?;
    ensure(block.exit == "exit 1", || {
        format!(".cmd-exit should say `exit 1`: {block:?}")
    })?;
    ensure(block.stdout.is_none(), || {
        format!("no .cmd-stdout for a command that printed nothing: {block:?}")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_lets_virtual_time_pass_and_a_container_exits_meanwhile() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(clock(&b)).await;
    b.finish(outcome, None).await;
}

async fn clock(b: &Browser) -> Result<()> {
    open(b).await?;
    run(b, "docker run -d --name napper busybox sleep 5").await?;
    let before = b
        .wait_for("time#clock-now", |s| str_of(&s["clock"]))
        .await?;
    let running = b
        .wait_for("napper in the containers view", |s| {
            container_status(s, "napper")
        })
        .await?;
    ensure(running == "running", || {
        format!("napper should be running first, is {running}")
    })?;
    // The `+10 s` button runs `wait 10s`: time passes, and sleep 5 ends meanwhile.
    b.click("button.clock-step:nth-of-type(2)").await?;
    let after = b
        .wait_for("the clock to move on", |s| {
            str_of(&s["clock"]).filter(|c| *c != before)
        })
        .await?;
    ensure(after.as_str() > before.as_str(), || {
        format!("the clock went from {before} to {after}")
    })?;
    let blocks = blocks(&b.state().await?);
    ensure(
        blocks.last().is_some_and(|bl| bl.line.contains("wait 10s")),
        || format!("the last command should be `wait 10s`: {blocks:?}"),
    )?;
    b.wait_for("napper to have exited", |s| {
        container_status(s, "napper").filter(|st| st == "exited")
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_settings_start_a_host_with_other_cpus_and_memory() {
    let b = Browser::start().await.unwrap_or_else(|e| panic!("{e}"));
    let outcome = within_limit(host_settings(&b)).await;
    b.finish(outcome, None).await;
}

async fn host_settings(b: &Browser) -> Result<()> {
    // From the URL, as the panel writes it.
    let url = format!("{}?cpus=2&memory=2g&cgroup=1", b.url.trim_end_matches('/'));
    b.client
        .goto(&url)
        .await
        .context(format!("opening {url}"))?;
    b.wait_for("#host-summary", |s| {
        str_of(&s["host"]).filter(|h| h == "2 CPUs, 2GiB, cgroup v1")
    })
    .await?;
    let block = run(
        b,
        "docker info --format '{{.NCPU}} {{.MemTotal}} {{.CgroupVersion}}'",
    )
    .await?;
    ensure(block.stdout.as_deref() == Some("2 2147483648 1\n"), || {
        format!("docker info should report the host's settings: {block:?}")
    })?;
    // From the panel: pick 8 CPUs and apply; a new host starts.
    b.click("details#host-settings summary").await?;
    let select = b
        .client
        .find(fantoccini::Locator::Css("select#host-cpus"))
        .await
        .context("finding select#host-cpus")?;
    select
        .select_by_value("8")
        .await
        .context("choosing 8 CPUs")?;
    b.click("button#host-apply").await?;
    b.wait_for("#host-summary to say 8 CPUs", |s| {
        str_of(&s["host"]).filter(|h| h.starts_with("8 CPUs, 2GiB"))
    })
    .await?;
    let block = run(b, "docker run --rm --cpus 9 busybox true").await?;
    ensure(
        block.stderr.as_deref().is_some_and(|e| {
            e.contains("range of CPUs is from 0.01 to 8.00, as there are only 8 CPUs available")
        }),
        || format!("dockerd should know the 8 CPUs: {block:?}"),
    )
}
