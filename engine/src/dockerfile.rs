//! The Dockerfile parser, as moby v28.2.2's classic builder uses BuildKit's
//! (`frontend/dockerfile/parser` and `instructions`): logical lines (comments dropped,
//! `\` continuations joined as the parser joins them), one instruction per line with its
//! start line, stages split at `FROM`, the ARGs before the first FROM as meta args, and
//! the parse errors in BuildKit's wording (`dockerfile parse error on line 3: unknown
//! instruction: RUNN (did you mean RUN?)`).

/// The instructions BuildKit knows (`command.Commands`).
pub const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// One instruction of a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// The line it starts on (1-based).
    pub line: usize,
    /// Upper case: `RUN`.
    pub keyword: String,
    /// The instruction as written, continuations joined (`Step 2/5 : <original>`).
    pub original: String,
    /// `--from=build`, `--chown=1:1`: the flags before the arguments.
    pub flags: Vec<(String, String)>,
    /// What follows the keyword and the flags, trimmed.
    pub rest: String,
    /// The JSON (exec) form, when `rest` is a JSON array of strings.
    pub json: Option<Vec<String>>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A build stage: its FROM and the instructions under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub from: Instruction,
    /// The base image as written (ARGs not yet expanded).
    pub base: String,
    /// `AS name`, lower-cased as BuildKit does.
    pub name: Option<String>,
    pub commands: Vec<Instruction>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// ARGs before the first FROM.
    pub meta_args: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// Every instruction counted by the classic builder's `Step N/M`.
    pub fn total_steps(&self) -> usize {
        self.meta_args.len()
            + self
                .stages
                .iter()
                .map(|s| 1 + s.commands.len())
                .sum::<usize>()
    }
}

/// Levenshtein distance (agext/levenshtein's default costs).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// BuildKit's `suggest.Search`: the closest instruction within distance 2, in the case
/// the user typed.
fn suggest(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for opt in INSTRUCTIONS {
        let o = opt.to_lowercase();
        if o == lower {
            return None;
        }
        let d = distance(&lower, &o);
        if d < 3 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, opt));
        }
    }
    best.map(|(_, opt)| {
        if word == lower {
            opt.to_lowercase()
        } else if word == word.to_uppercase() {
            opt.to_string()
        } else {
            opt.to_lowercase()
        }
    })
}

/// `["a", "b"]` → the strings, if it is a JSON array of strings.
fn json_form(rest: &str) -> Option<Vec<String>> {
    if !rest.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(rest).ok()
}

fn parse_error(line: usize, msg: impl std::fmt::Display) -> String {
    format!("dockerfile parse error on line {line}: {msg}")
}

/// Parses a Dockerfile. Errors are the message dockerd answers with.
pub fn parse(text: &str) -> Result<Dockerfile, String> {
    let mut df = Dockerfile::default();
    for inst in parse_lines(text)? {
        if inst.keyword == "FROM" {
            let words: Vec<&str> = inst.rest.split_whitespace().collect();
            let (base, name) = match words.as_slice() {
                [b] => (b.to_string(), None),
                [b, as_, n] if as_.eq_ignore_ascii_case("as") => {
                    (b.to_string(), Some(n.to_lowercase()))
                }
                _ => {
                    return Err(parse_error(
                        inst.line,
                        "FROM requires either one or three arguments",
                    ))
                }
            };
            df.stages.push(Stage {
                from: inst,
                base,
                name,
                commands: Vec::new(),
            });
            continue;
        }
        match df.stages.last_mut() {
            Some(s) => s.commands.push(inst),
            None if inst.keyword == "ARG" => df.meta_args.push(inst),
            None => return Err("no build stage in current context".into()),
        }
    }
    Ok(df)
}

/// The instructions of a text, in order, without grouping them into stages (what
/// `docker commit --change` parses).
pub fn parse_lines(text: &str) -> Result<Vec<Instruction>, String> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    let mut in_directives = true;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            // Parser directives (`# syntax=…`, `# escape=…`) and comments.
            let _ = in_directives;
            continue;
        }
        in_directives = false;
        if cur.is_none() && trimmed.is_empty() {
            continue;
        }
        let (content, continues) = match line.trim_end().strip_suffix('\\') {
            Some(c) => (c, true),
            None => (line, false),
        };
        match &mut cur {
            Some((_, s)) => s.push_str(content),
            None => cur = Some((n, content.trim_start().to_string())),
        }
        if !continues {
            if let Some((start, s)) = cur.take() {
                if !s.trim().is_empty() {
                    logical.push((start, s.trim().to_string()));
                }
            }
        }
    }
    if let Some((start, s)) = cur.take() {
        if !s.trim().is_empty() {
            logical.push((start, s.trim().to_string()));
        }
    }
    let mut out = Vec::new();
    for (line, original) in logical {
        let (word, rest) = match original.split_once(char::is_whitespace) {
            Some((w, r)) => (w.to_string(), r.trim().to_string()),
            None => (original.clone(), String::new()),
        };
        let keyword = word.to_uppercase();
        if !INSTRUCTIONS.contains(&keyword.as_str()) {
            let mut msg = format!("unknown instruction: {word}");
            if let Some(s) = suggest(&word) {
                msg.push_str(&format!(" (did you mean {s}?)"));
            }
            return Err(parse_error(line, msg));
        }
        // Flags: `--name=value` words before the arguments.
        let mut flags = Vec::new();
        let mut rest_str = rest.as_str();
        if matches!(
            keyword.as_str(),
            "COPY" | "ADD" | "FROM" | "RUN" | "HEALTHCHECK"
        ) {
            while let Some(f) = rest_str.strip_prefix("--") {
                let (w, r) = f.split_once(char::is_whitespace).unwrap_or((f, ""));
                let (k, v) = w.split_once('=').unwrap_or((w, ""));
                flags.push((k.to_string(), v.to_string()));
                rest_str = r.trim_start();
            }
        }
        let rest = rest_str.trim().to_string();
        for (k, _) in &flags {
            let known: &[&str] = match keyword.as_str() {
                "COPY" => &["from", "chown", "chmod", "link", "parents", "exclude"],
                "ADD" => &[
                    "chown",
                    "chmod",
                    "link",
                    "checksum",
                    "keep-git-dir",
                    "exclude",
                ],
                "FROM" => &["platform"],
                "RUN" => &["mount", "network", "security"],
                _ => &[
                    "interval",
                    "timeout",
                    "start-period",
                    "start-interval",
                    "retries",
                ],
            };
            if !known.contains(&k.as_str()) {
                return Err(parse_error(line, format!("unknown flag: --{k}")));
            }
        }
        let json = json_form(&rest);
        let inst = Instruction {
            line,
            keyword: keyword.clone(),
            original: original.clone(),
            flags,
            rest: rest.clone(),
            json,
        };
        check_arguments(&inst).map_err(|m| parse_error(line, m))?;
        out.push(inst);
    }
    Ok(out)
}

/// The argument checks of BuildKit's `instructions.Parse*` functions.
fn check_arguments(i: &Instruction) -> Result<(), String> {
    let k = i.keyword.as_str();
    let words = || i.rest.split_whitespace().count();
    match k {
        "FROM" | "RUN" | "ENV" | "LABEL" | "EXPOSE" | "VOLUME" | "ARG" | "ONBUILD"
            if i.rest.is_empty() =>
        {
            Err(format!("{k} requires at least one argument"))
        }
        "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER" if words() != 1 && k != "MAINTAINER" => {
            Err(format!("{k} requires exactly one argument"))
        }
        "MAINTAINER" if i.rest.is_empty() => Err(format!("{k} requires exactly one argument")),
        "COPY" | "ADD" => {
            let n = match &i.json {
                Some(v) => v.len(),
                None => words(),
            };
            match n {
                0 => Err(format!("{k} requires at least two arguments")),
                1 => Err(format!("{k} requires at least two arguments, but only one was provided. Destination could not be determined")),
                _ => Ok(()),
            }
        }
        "ENV" | "LABEL" => {
            let words = split_words(&i.rest);
            if !words[0].contains('=') && words.len() < 2 && k == "ENV" {
                return Err("ENV must have two arguments".into());
            }
            if k == "LABEL" && words.iter().any(|w| !w.contains('=')) && words.len() != 2 {
                return Err("LABEL must have two arguments".into());
            }
            Ok(())
        }
        "SHELL" if i.json.is_none() => {
            Err("SHELL requires the arguments to be in JSON form".to_string())
        }
        _ => Ok(()),
    }
}

/// Splits on whitespace, keeping quoted parts together (quotes stay, for `unquote`).
pub fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                cur.push(c);
            }
            Some(_) => {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        cur.push(c);
                        cur.push(n);
                        continue;
                    }
                }
                cur.push(c);
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// BuildKit's shell lexer on one word: `$VAR`, `${VAR}`, `${VAR:-default}`,
/// `${VAR:+alt}`, quotes removed (no expansion inside single quotes), `\` escapes.
pub fn expand(word: &str, env: &[(String, String)]) -> String {
    let lookup = |name: &str| -> Option<String> {
        env.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' if quote.is_none() => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    out.push(chars[i]);
                    i += 1;
                }
                i += 1;
                continue;
            }
            '"' if quote.is_none() => {
                quote = Some('"');
                i += 1;
                continue;
            }
            '"' if quote == Some('"') => {
                quote = None;
                i += 1;
                continue;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '$' if i + 1 < chars.len() => {
                if chars[i + 1] == '{' {
                    let Some(end) = chars[i + 2..].iter().position(|&c| c == '}') else {
                        out.push(c);
                        i += 1;
                        continue;
                    };
                    let inner: String = chars[i + 2..i + 2 + end].iter().collect();
                    i += 3 + end;
                    if let Some((name, def)) = inner.split_once(":-") {
                        match lookup(name).filter(|v| !v.is_empty()) {
                            Some(v) => out.push_str(&v),
                            None => out.push_str(&expand(def, env)),
                        }
                    } else if let Some((name, alt)) = inner.split_once(":+") {
                        if lookup(name).is_some_and(|v| !v.is_empty()) {
                            out.push_str(&expand(alt, env));
                        }
                    } else {
                        out.push_str(&lookup(&inner).unwrap_or_default());
                    }
                    continue;
                }
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                if j == start {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let name: String = chars[start..j].iter().collect();
                out.push_str(&lookup(&name).unwrap_or_default());
                i = j;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `KEY=value KEY2="v 2"` (or the legacy `KEY value`) into pairs, expanded.
pub fn key_values(rest: &str, env: &[(String, String)]) -> Vec<(String, String)> {
    let words = split_words(rest);
    if words.first().is_some_and(|w| !w.contains('=')) {
        // Legacy form: `ENV KEY value with spaces`.
        let (k, v) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        return vec![(k.to_string(), expand(v.trim(), env))];
    }
    words
        .iter()
        .map(|w| {
            let (k, v) = w.split_once('=').unwrap_or((w, ""));
            (expand(k, env), expand(v, env))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stages_continuations_and_errors() {
        let df = parse("# syntax=docker/dockerfile:1\nARG V=1\nFROM busybox AS Build\nRUN echo a && \\\n    echo b\n\nFROM alpine\nCOPY --from=build /a /b\n").unwrap();
        assert_eq!(df.meta_args.len(), 1);
        assert_eq!(df.stages.len(), 2);
        assert_eq!(df.stages[0].name.as_deref(), Some("build"));
        assert_eq!(
            df.stages[0].commands[0].original,
            "RUN echo a &&     echo b"
        );
        assert_eq!(df.stages[0].commands[0].line, 4);
        assert_eq!(df.stages[1].commands[0].flag("from"), Some("build"));
        assert_eq!(df.total_steps(), 5);
        assert_eq!(
            parse("FROM busybox\nCOPY . /app\nRUNN echo\n").unwrap_err(),
            "dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)"
        );
        assert_eq!(
            parse("FROM busybox\nFOOBAR x\n").unwrap_err(),
            "dockerfile parse error on line 2: unknown instruction: FOOBAR"
        );
        assert_eq!(
            parse("RUN echo\n").unwrap_err(),
            "no build stage in current context"
        );
        assert_eq!(
            parse("FROM busybox\nCOPY app.py\n").unwrap_err(),
            "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"
        );
    }

    #[test]
    fn expands_like_the_shell_lexer() {
        let env = vec![("A".to_string(), "x".to_string())];
        assert_eq!(expand("$A/${A}/${B:-d}/'$A'/\"$A\"", &env), "x/x/d/$A/x");
        assert_eq!(
            key_values("K=\"a b\" L=$A", &env),
            vec![("K".into(), "a b".into()), ("L".into(), "x".into())]
        );
    }
}
