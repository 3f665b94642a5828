//! Component tests of the page, in a real browser (headless Chromium through
//! chromedriver). Run them with `cargo xtask test`, or by hand:
//!
//! ```sh
//! PORTHOLE_NATIVE_DIGEST=$(cargo run -q -p porthole-native -- sim --seed 7 --digest \
//!     < frontend/tests/determinism-script.txt | tail -1 | cut -d' ' -f2) \
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
//!     cargo test -p porthole-web --target wasm32-unknown-unknown
//! ```
//!
//! (`.cargo/config.toml` names `wasm-bindgen-test-runner` as the wasm runner;
//! `frontend/webdriver.json` passes Chromium the flags it needs here.)

#![cfg(target_arch = "wasm32")]

use porthole_engine::Engine;
use porthole_web::state::Session;
use porthole_web::{App, AppProps};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// The script of the determinism check, shared with `cargo xtask test`, which runs the
/// same file natively (`porthole sim --seed 7 --digest`) to compute the expected digest.
const DETERMINISM_SCRIPT: &str = include_str!("determinism-script.txt");

/// The script's commands: trimmed, blank lines and `#` comments skipped (as
/// `porthole sim` reads a script).
fn script_lines(script: &str) -> Vec<&str> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

// ---- helpers --------------------------------------------------------------------------

struct Mounted {
    app: Option<AppHandle<App>>,
    root: Element,
}

impl Mounted {
    /// Mounts a fresh App into a new div appended to the body.
    fn new(props: AppProps) -> Mounted {
        let doc = web_sys::window().unwrap().document().unwrap();
        let root = doc.create_element("div").unwrap();
        doc.body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
        Mounted {
            app: Some(app),
            root,
        }
    }

    fn one(&self, css: &str) -> Option<Element> {
        self.root.query_selector(css).unwrap()
    }

    fn get(&self, css: &str) -> Element {
        self.one(css)
            .unwrap_or_else(|| panic!("no element matches {css}"))
    }

    fn all(&self, css: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(css).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    fn text(&self, css: &str) -> String {
        self.get(css).text_content().unwrap_or_default()
    }

    fn disabled(&self, css: &str) -> bool {
        self.get(css).has_attribute("disabled")
    }

    fn click(&self, css: &str) {
        self.get(css).unchecked_into::<HtmlElement>().click();
    }

    fn input(&self) -> HtmlInputElement {
        self.get("input#terminal-input").unchecked_into()
    }

    /// Types `line` into the terminal input and presses Enter.
    fn type_line(&self, line: &str) {
        let input = self.input();
        input.set_value(line);
        key(&input, "Enter");
    }

    /// The 1-based number and the count in `Step N of M`.
    fn counter(&self) -> (usize, usize) {
        let t = self.text("#step-counter");
        let mut nums = t.split_whitespace().filter_map(|w| w.parse::<usize>().ok());
        match (nums.next(), nums.next()) {
            (Some(n), Some(m)) if t.starts_with("Step ") => (n, m),
            _ => panic!("#step-counter reads {t:?}, not `Step N of M`"),
        }
    }

    /// Statuses of the container rows, as `name=status`.
    fn containers(&self) -> Vec<String> {
        self.all("#containers tr.container-row")
            .iter()
            .map(|r| {
                format!(
                    "{}={}",
                    r.get_attribute("data-name").unwrap_or_default(),
                    r.get_attribute("data-status").unwrap_or_default()
                )
            })
            .collect()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

fn has_class(el: &Element, class: &str) -> bool {
    el.get_attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// Sends a bubbling keydown with `key` to `target`.
fn key(target: &web_sys::EventTarget, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

/// Yew renders asynchronously: waits (up to 5 s) until `cond` holds.
async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

// ---- (a) running a command --------------------------------------------------------------

#[wasm_bindgen_test]
async fn typing_a_command_shows_its_output_and_its_steps_at_the_last_one() {
    let page = Mounted::new(AppProps::default());
    wait_for("the terminal input", || {
        page.one("input#terminal-input").is_some()
    })
    .await;
    assert!(page.all(".cmd-block").is_empty());
    assert!(page.all("#steps li.step").is_empty());
    assert!(page.disabled("#step-prev") && page.disabled("#step-next"));

    let line = "docker run --rm busybox echo hello";
    page.type_line(line);
    wait_for("the command's block", || {
        page.one("#terminal-output .cmd-block").is_some()
    })
    .await;

    assert_eq!(page.all(".cmd-block").len(), 1);
    assert_eq!(page.text(".cmd-block .cmd-line"), line);
    let stdout: Vec<String> = page
        .all(".cmd-block .cmd-stdout")
        .iter()
        .filter_map(|e| e.text_content())
        .collect();
    assert!(
        stdout.iter().any(|t| t.contains("hello")),
        "no .cmd-stdout contains hello: {stdout:?}"
    );
    assert!(page
        .all(".cmd-block .cmd-stderr")
        .iter()
        .all(|e| !e.text_content().unwrap_or_default().is_empty()));
    assert_eq!(page.text(".cmd-block .cmd-exit"), "exit 0");
    assert_eq!(page.input().value(), "", "Enter clears the input");

    let steps = page.all("ol#steps > li.step");
    assert!(steps.len() > 20, "only {} steps", steps.len());
    let last = steps.last().unwrap();
    assert!(has_class(last, "current"), "the last step is current");
    assert_eq!(last.get_attribute("aria-current").as_deref(), Some("step"));
    assert_eq!(page.all("ol#steps > li.current").len(), 1);
    assert_eq!(page.all("ol#steps > li[aria-current]").len(), 1);
    for s in &steps {
        assert!(s
            .get_attribute("data-component")
            .is_some_and(|c| !c.is_empty()));
        assert!(s.query_selector(".step-action").unwrap().is_some());
    }
    assert_eq!(
        steps[0].get_attribute("data-component").as_deref(),
        Some("cli")
    );
    assert!(steps.iter().any(
        |s| s.get_attribute("data-component").as_deref() == Some("api")
            && s.query_selector(".step-http").unwrap().is_some()
    ));
    assert_eq!(page.counter(), (steps.len(), steps.len()));
    assert!(!page.disabled("#step-prev"));
    assert!(page.disabled("#step-next"));
    // --rm: after the last step the container is gone, the image stays.
    assert!(page.containers().is_empty());
    assert_eq!(page.all("#images tr.image-row").len(), 1);

    // ↑ recalls the line, ↓ goes back to the (empty) draft.
    let input = page.input();
    key(&input, "ArrowUp");
    assert_eq!(input.value(), line);
    key(&input, "ArrowDown");
    assert_eq!(input.value(), "");
}

// ---- (b) stepping back changes the listing ---------------------------------------------

#[wasm_bindgen_test]
async fn stepping_back_shows_the_host_as_it_was() {
    let page = Mounted::new(AppProps {
        seed: 0,
        script: vec!["docker run -d --name web nginx".into()],
        ..AppProps::default()
    });
    wait_for("the container row", || !page.containers().is_empty()).await;
    assert_eq!(page.containers(), ["web=running"]);
    let (n, m) = page.counter();
    assert_eq!(n, m);

    page.click("#step-prev");
    wait_for("Prev to take effect", || page.counter().0 == m - 1).await;
    let steps = page.all("ol#steps > li.step");
    assert!(has_class(&steps[m - 2], "current"));
    assert!(!has_class(&steps[m - 1], "current"));
    assert!(!page.disabled("#step-next"));

    // Walk back to step 1, noting what the listing showed at each step.
    let mut seen = vec![(m - 1, page.containers())];
    while page.counter().0 > 1 {
        let before = page.counter().0;
        page.click("#step-prev");
        wait_for("Prev to take effect", || page.counter().0 == before - 1).await;
        seen.push((before - 1, page.containers()));
    }
    assert!(page.disabled("#step-prev"));
    assert!(
        page.containers().is_empty(),
        "no container before the first step's effects"
    );
    assert!(
        page.all("#images tr.image-row").is_empty(),
        "nothing pulled yet"
    );
    assert!(
        seen.iter().any(|(_, c)| c == &["web=created"]),
        "never saw the container created: {seen:?}"
    );
    // The step that made it appear is the create call (`POST /containers/create → 201`,
    // which carries the "added container" change) or dockerd's "created container".
    let (first, _) = seen
        .iter()
        .filter(|(_, c)| !c.is_empty())
        .min_by_key(|(i, _)| *i)
        .unwrap();
    let steps = page.all("ol#steps > li.step");
    let action = steps[first - 1]
        .query_selector(".step-action")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        action.contains("/containers/create") || action.contains("created container"),
        "the container appeared at step {first}: {action:?}"
    );

    // → on the page moves forward; in the terminal input it does not.
    key(
        &web_sys::window().unwrap().document().unwrap(),
        "ArrowRight",
    );
    wait_for("→ to take effect", || page.counter().0 == 2).await;
    key(&page.input(), "ArrowRight");
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(page.counter().0, 2);

    // Clicking a step selects it.
    page.all("ol#steps > li.step")[*first - 1]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_for("the click to select the step", || {
        page.counter().0 == *first
    })
    .await;
    assert_eq!(page.containers(), ["web=created"]);
}

#[wasm_bindgen_test]
async fn an_earlier_command_can_be_reopened() {
    let page = Mounted::new(AppProps {
        seed: 0,
        script: vec![
            "docker run -d --name web nginx".into(),
            "docker ps -a".into(),
        ],
        ..AppProps::default()
    });
    wait_for("two command blocks", || page.all(".cmd-block").len() == 2).await;
    assert!(has_class(&page.all(".cmd-block")[1], "selected"));
    let ps_steps = page.counter().1;
    page.all(".cmd-block .cmd-steps")[0]
        .unchecked_ref::<HtmlElement>()
        .click();
    wait_for("the first command's steps", || page.counter().1 != ps_steps).await;
    assert!(has_class(&page.all(".cmd-block")[0], "selected"));
    let (n, m) = page.counter();
    assert_eq!(n, m, "a reopened command starts at its last step");
    assert_eq!(page.containers(), ["web=running"]);
}

// ---- (c) determinism in wasm ------------------------------------------------------------

#[wasm_bindgen_test]
fn the_simulation_reaches_the_native_digest() {
    let Some(expected) = option_env!("PORTHOLE_NATIVE_DIGEST") else {
        panic!(
            "PORTHOLE_NATIVE_DIGEST not set: run the wasm tests through `cargo xtask test`, \
             which computes it natively with `porthole sim --seed 7 --digest`"
        );
    };
    let lines = script_lines(DETERMINISM_SCRIPT);
    assert!(lines.len() >= 4, "the script lost its commands");
    let mut engine = Engine::sim(7);
    for l in &lines {
        engine.execute_next(l);
    }
    assert_eq!(
        engine.digest(),
        expected.trim(),
        "wasm and native runs of the script differ"
    );
    // The page's session records a snapshot after every step: that must not change the state.
    assert_eq!(Session::with_script(7, &lines).digest(), expected.trim());
}

// ---- (e) the views follow the step bar ---------------------------------------------------

#[wasm_bindgen_test]
async fn the_views_follow_the_step_bar_and_space_plays() {
    let page = Mounted::new(AppProps {
        script: vec!["docker run -d --name web -p 8080:80 nginx".into()],
        ..AppProps::default()
    });
    wait_for("the step counter", || page.one("#step-counter").is_some()).await;
    let (n, m) = page.counter();
    assert_eq!(n, m, "a command opens at its last step");

    // The network view shows web on docker0 with its address and the published port.
    page.click("button#tab-network");
    wait_for("the network panel shown", || {
        !page.get("#view-network").has_attribute("hidden")
    })
    .await;
    assert!(page.get("#view-architecture").has_attribute("hidden"));
    let web = page.get("#net-graph .net-container[data-container=web]");
    assert_eq!(
        web.get_attribute("data-ip").as_deref(),
        Some("172.17.0.2/16")
    );
    assert!(page
        .one(".net-port[data-port=\"0.0.0.0:8080->80/tcp\"]")
        .is_some());

    // Back to the first step: nothing on the bridge, the cli lit.
    page.click("button#step-first");
    wait_for("step 1", || page.counter().0 == 1).await;
    assert!(page.all("#net-graph .net-container").is_empty());
    assert_eq!(page.text("#step-component"), "cli");
    page.click("button#tab-architecture");
    wait_for("the architecture view", || page.one(".arch-node").is_some()).await;
    assert!(
        page.all("#net-graph").is_empty(),
        "only the open view is drawn"
    );
    let lit: Vec<String> = page
        .all(".arch-node.lit")
        .iter()
        .filter_map(|e| e.get_attribute("data-component"))
        .collect();
    assert_eq!(lit, ["cli"]);

    // Space plays: the counter moves on by itself; space again pauses.
    let doc = web_sys::window().unwrap().document().unwrap();
    key(&doc, " ");
    wait_for("play to move past step 1", || page.counter().0 > 1).await;
    assert_eq!(
        page.get("#step-play")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    key(&doc, " ");
    wait_for("pause", || {
        page.get("#step-play")
            .get_attribute("aria-pressed")
            .as_deref()
            == Some("false")
    })
    .await;
}
