//! The terminal: a scrollback of the commands run and their output, and a prompt.
//!
//! Enter runs the line on the simulated host; ↑ and ↓ walk through the lines run so
//! far; Escape leaves the input (then ← and → step). Each command's block has a button
//! that reopens its steps.

use crate::hooks::use_session;
use crate::state::{Action, Command, Session};
use porthole_engine::Stream;
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

/// Commands offered on an empty terminal.
const SUGGESTIONS: [&str; 4] = [
    "docker run --rm busybox echo hello",
    "docker run -d --name web nginx",
    "docker ps -a",
    "docker images",
];

/// Where ↑/↓ are in the history: `None` while editing a fresh line.
#[derive(Default)]
struct Browse {
    pos: Option<usize>,
    /// The line being typed before ↑ was first pressed, restored by ↓ past the end.
    draft: String,
}

#[function_component(Terminal)]
pub fn terminal() -> Html {
    let session = use_session();
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    let browse = use_mut_ref(Browse::default);

    // Keep the newest output in view.
    {
        let output_ref = output_ref.clone();
        use_effect_with(session.commands.len(), move |_| {
            if let Some(el) = output_ref.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let session = session.clone();
        let input_ref = input_ref.clone();
        let browse = browse.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let history: Vec<&str> = session.history().collect();
            let mut b = browse.borrow_mut();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = input.value();
                    input.set_value("");
                    *b = Browse::default();
                    if !line.trim().is_empty() {
                        session.dispatch(Action::Run(line));
                    }
                }
                "ArrowUp" => {
                    e.prevent_default();
                    if history.is_empty() {
                        return;
                    }
                    let pos = match b.pos {
                        None => {
                            b.draft = input.value();
                            history.len() - 1
                        }
                        Some(p) => p.saturating_sub(1),
                    };
                    b.pos = Some(pos);
                    set_line(&input, history[pos]);
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match b.pos {
                        None => {}
                        Some(p) if p + 1 < history.len() => {
                            b.pos = Some(p + 1);
                            set_line(&input, history[p + 1]);
                        }
                        Some(_) => {
                            b.pos = None;
                            let draft = std::mem::take(&mut b.draft);
                            set_line(&input, &draft);
                        }
                    }
                }
                // Leave the input, so that ← and → step through the trace.
                "Escape" => {
                    let _ = input.blur();
                }
                _ => {}
            }
        })
    };

    // Blocks only re-render when their command or selection changes, not on every step.
    let selected = session.selected;
    let dispatcher = session.dispatcher();
    let blocks = session
        .commands
        .iter()
        .map(|c| {
            html! {
                <CommandBlock key={c.index} command={Rc::clone(c)} selected={selected == Some(c.index)} dispatcher={dispatcher.clone()} />
            }
        })
        .collect::<Html>();

    let hints = if session.commands.is_empty() {
        let buttons = SUGGESTIONS
            .iter()
            .map(|s| {
                let session = session.clone();
                let line = (*s).to_string();
                let onclick = Callback::from(move |_: MouseEvent| session.dispatch(Action::Run(line.clone())));
                html! { <li key={*s}><button type="button" class="hint" {onclick} aria-label={format!("Run {s}")}><code>{ *s }</code></button></li> }
            })
            .collect::<Html>();
        html! {
            <div class="hints">
                <p>{ "A simulated Docker host is ready. Type a docker command below, or try one of these:" }</p>
                <ul>{ buttons }</ul>
            </div>
        }
    } else {
        Html::default()
    };

    let following = session.follow.is_some();
    html! {
        <section class="pane terminal-pane" aria-labelledby="terminal-title">
            <div class="pane-head">
                <h2 id="terminal-title">{ "Terminal" }</h2>
                <span class="pane-note">{ format!("simulated host, seed {}", session.seed) }</span>
                <super::Clock />
            </div>
            <div id="terminal-output" class="terminal-output" ref={output_ref} role="log" aria-live="polite" aria-label="Commands and their output">
                { hints }
                { blocks }
            </div>
            <div class="terminal-prompt">
                <label for="terminal-input" class="prompt" aria-hidden="true">{ "$" }</label>
                <input
                    id="terminal-input"
                    ref={input_ref}
                    type="text"
                    {onkeydown}
                    aria-label="Command line: type a docker command and press Enter; up and down arrows recall earlier commands; Escape leaves the input so that left and right arrows step"
                    placeholder={ if following { "following porthole serve: run docker commands with DOCKER_HOST set to it" } else { "type a docker command, then Enter" } }
                    disabled={following}
                    autocomplete="off"
                    autocapitalize="off"
                    autocorrect="off"
                    spellcheck="false"
                    autofocus=true
                />
            </div>
        </section>
    }
}

/// Replaces the input's line and puts the caret at its end.
fn set_line(input: &HtmlInputElement, line: &str) {
    input.set_value(line);
    let end = line.encode_utf16().count() as u32;
    let _ = input.set_selection_range(end, end);
}

#[derive(Properties, PartialEq)]
struct CommandBlockProps {
    command: Rc<Command>,
    selected: bool,
    dispatcher: UseReducerDispatcher<Session>,
}

/// One command: its line, stdout, stderr and exit code.
#[function_component(CommandBlock)]
fn command_block(props: &CommandBlockProps) -> Html {
    let on_select = {
        let (dispatcher, index) = (props.dispatcher.clone(), props.command.index);
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::SelectCommand(index)))
    };
    let o = &props.command.outcome;
    let stdout = o.stdout();
    let stderr = o.stderr();
    // Both streams are shown whole, the one that wrote first on top.
    let stderr_first = o.output.first().is_some_and(|x| x.stream == Stream::Stderr);
    let out = (!stdout.is_empty()).then(|| html! { <pre class="cmd-stdout">{ stdout }</pre> });
    let err = (!stderr.is_empty()).then(|| html! { <pre class="cmd-stderr">{ stderr }</pre> });
    let (first, second) = if stderr_first { (err, out) } else { (out, err) };
    let n = o.steps.len();
    let exit_class = if o.exit_code == 0 {
        "cmd-exit ok"
    } else {
        "cmd-exit fail"
    };
    html! {
        <div class={classes!("cmd-block", props.selected.then_some("selected"))}>
            <div class="cmd-head">
                <span class="prompt" aria-hidden="true">{ "$" }</span>
                <span class="cmd-line">{ o.line.clone() }</span>
                <button
                    type="button"
                    class="cmd-steps"
                    onclick={on_select}
                    aria-pressed={props.selected.to_string()}
                    aria-label={format!("Show the {n} steps of: {}", o.line)}
                    disabled={n == 0}
                >
                    { if n == 1 { "1 step".to_string() } else { format!("{n} steps") } }
                </button>
            </div>
            { first }
            { second }
            <div class={exit_class}>{ format!("exit {}", o.exit_code) }</div>
        </div>
    }
}
