//! A faithful subset of Go's `text/template`, as the docker CLI uses it for
//! `docker inspect -f`, `docker ps --format`, `docker images --format` and friends.
//!
//! The data is Docker API JSON (a [`serde_json::Value`]). Values print the way Go's
//! `fmt` prints the types the docker CLI decodes into: strings raw, integers as
//! integers, floats as Go's `%v` of a `float64` (`1.5`, `1e+06`), `null` as `<nil>`,
//! arrays as `[a b c]` and objects as `map[k1:v1 k2:v2]` with sorted keys. A missing
//! key on an object is `<no value>`; a field access on a non-object is an error.
//!
//! Supported: text and actions with `{{- ` / ` -}}` trim markers and `{{/* */}}`
//! comments; `.A.B` field chains, `$`, `$x := …`, `$x = …`; `if`/`else if`/`else`,
//! `range` (arrays, objects in sorted key order, integers) with `$i, $e :=`, `else`,
//! `{{break}}`/`{{continue}}`; `with`/`else with`/`else`; `define`/`template`/`block`;
//! pipelines, parenthesised pipelines, string/raw-string/char/number/bool/nil
//! literals; Go's builtins (`and or not len index slice eq ne lt le gt ge print printf
//! println html js urlquery call`) and docker's (`json split join title lower upper
//! pad truncate`, from docker/cli `templates/templates.go`). Errors are worded as
//! Go's, e.g. `template: :1: function "foo" not defined` and
//! `template: :1:8: executing "" at <.State.Status>: map has no entry for key "State"`.
//!
//! Where Go's answer depends on Go types JSON does not carry, this follows the types
//! the docker CLI decodes into (its typed structs first, then the raw
//! `map[string]interface{}` it falls back to):
//! - `null` prints `<nil>` (a nil pointer); a field of `null` is `<no value>` (of a nil
//!   map) unless [`Options::missing_key_error`] is set.
//! - `index` of a missing key in an all-string object gives `""` (a
//!   `map[string]string`), else `<no value>`.
//! - `join` takes any array of strings, including an empty one.
//! - `json` keeps the data's key order (a Go struct's field order) where Go would sort
//!   a map's keys; `%v` always prints `map[…]`, never a struct's `{…}`.
//! - "can't evaluate field X in type T" names `interface {}` for values taken out of
//!   the data, as the raw fallback does.
//!
//! Not supported: complex and hexadecimal-float literals, `%x`/`%b` on floats, `%p`,
//! and nesting deeper than 50 parentheses or control structures.

use serde_json::Value;
use std::fmt;
use std::rc::Rc;

/// A template parse or execution error, worded like Go's (`template: :LINE: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// Execution options (Go's `Template.Option`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Go's `missingkey=error`: a missing object key (or a field of a missing value or
    /// of `null`) is an execution error instead of `<no value>`. `docker inspect`
    /// re-runs a failed template over the raw JSON with this option, which is why
    /// `{{.State.Health.Status}}` on a container without a health check fails with
    /// `map has no entry for key "Health"`.
    pub missing_key_error: bool,
}

/// Renders `template` over `data` with Go's default options.
pub fn render(template: &str, data: &Value) -> Result<String, TemplateError> {
    render_with_options(template, data, Options::default())
}

/// Renders `template` over `data` with the given options.
pub fn render_with_options(
    template: &str,
    data: &Value,
    options: Options,
) -> Result<String, TemplateError> {
    let tree = parse(template)?;
    let root = V::from_json(data);
    let mut ex = Exec {
        src: template,
        tree: &tree,
        vars: vec![("$", root.clone())],
        cur: Cur::None,
        out: String::new(),
        strict: options.missing_key_error,
        depth: 0,
    };
    ex.walk_list(&root, &tree.root)?;
    Ok(ex.out)
}

/// Parses `template` without executing it: the docker CLI reports a bad template
/// before it looks any object up.
pub fn check(template: &str) -> Result<(), TemplateError> {
    parse(template).map(|_| ())
}

// ---------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------

/// A runtime value. `Missing` is Go's invalid `reflect.Value` (printed `<no value>`),
/// `Null` a nil interface (printed `<nil>`).
#[derive(Clone, Debug)]
enum V {
    Missing,
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<V>>),
    Map(Rc<Vec<(String, V)>>),
}

impl V {
    fn from_json(v: &Value) -> V {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    V::Int(i)
                } else if let Some(u) = n.as_u64() {
                    V::Uint(u)
                } else {
                    V::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Value::String(s) => V::Str(Rc::from(s.as_str())),
            Value::Array(a) => V::List(Rc::new(a.iter().map(V::from_json).collect())),
            Value::Object(o) => V::Map(Rc::new(
                o.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            )),
        }
    }

    fn str(s: &str) -> V {
        V::Str(Rc::from(s))
    }

    fn is_nil(&self) -> bool {
        matches!(self, V::Missing | V::Null)
    }
}

/// Go's name for the type the docker CLI would hold this value in.
fn go_type(v: &V) -> String {
    match v {
        V::Missing | V::Null => "interface {}".into(),
        V::Bool(_) => "bool".into(),
        V::Int(_) => "int".into(),
        V::Uint(_) => "uint64".into(),
        V::Float(_) => "float64".into(),
        V::Str(_) => "string".into(),
        V::List(l) => {
            if !l.is_empty() && l.iter().all(|e| matches!(e, V::Str(_))) {
                "[]string".into()
            } else {
                "[]interface {}".into()
            }
        }
        V::Map(m) => {
            if !m.is_empty() && m.iter().all(|(_, e)| matches!(e, V::Str(_))) {
                "map[string]string".into()
            } else {
                "map[string]interface {}".into()
            }
        }
    }
}

/// Go's `isTrue`: the zero value of its type is false.
fn truth(v: &V) -> bool {
    match v {
        V::Missing | V::Null => false,
        V::Bool(b) => *b,
        V::Int(i) => *i != 0,
        V::Uint(u) => *u != 0,
        V::Float(f) => *f != 0.0,
        V::Str(s) => !s.is_empty(),
        V::List(l) => !l.is_empty(),
        V::Map(m) => !m.is_empty(),
    }
}

fn sorted_entries(m: &[(String, V)]) -> Vec<&(String, V)> {
    let mut e: Vec<&(String, V)> = m.iter().collect();
    e.sort_by(|a, b| a.0.cmp(&b.0));
    e
}

// ---------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go)
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum T {
    Error,
    Bool,
    Char,
    CharConst,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Ident,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    Str,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Define,
    Dot,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl T {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            T::Block
                | T::Break
                | T::Continue
                | T::Define
                | T::Dot
                | T::Else
                | T::End
                | T::If
                | T::Nil
                | T::Range
                | T::Template
                | T::With
        )
    }
}

fn keyword(word: &str) -> Option<T> {
    Some(match word {
        "block" => T::Block,
        "break" => T::Break,
        "continue" => T::Continue,
        "define" => T::Define,
        "else" => T::Else,
        "end" => T::End,
        "if" => T::If,
        "nil" => T::Nil,
        "range" => T::Range,
        "template" => T::Template,
        "with" => T::With,
        _ => return None,
    })
}

#[derive(Clone, Debug)]
struct Item {
    typ: T,
    val: String,
    pos: usize,
    line: usize,
}

impl Item {
    /// Go's `item.String()`, used in "unexpected …" messages.
    fn describe(&self) -> String {
        match self.typ {
            T::Eof => "EOF".into(),
            T::Error => self.val.clone(),
            t if t.is_keyword() => format!("<{}>", self.val),
            _ if self.val.len() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                format!("{}...", go_quote(&head, false))
            }
            _ => go_quote(&self.val, false),
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

const TRIM_CHARS: [char; 4] = [' ', '\t', '\r', '\n'];

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// Go's `%#U`: `U+0023 '#'`.
fn sharp_u(c: char) -> String {
    if is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    paren_depth: i32,
    items: Vec<Item>,
}

fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        width: 0,
        paren_depth: 0,
        items: Vec::new(),
    };
    l.run();
    l.items
}

impl Lexer<'_> {
    fn line_at(&self, pos: usize) -> usize {
        1 + self.input.as_bytes()[..pos]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                None
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn backup(&mut self) {
        self.pos -= self.width;
        self.width = 0;
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn emit(&mut self, typ: T) {
        let line = self.line_at(self.start);
        self.items.push(Item {
            typ,
            val: self.input[self.start..self.pos].to_string(),
            pos: self.start,
            line,
        });
        self.start = self.pos;
    }

    /// Emits an error item; lexing stops.
    fn errorf(&mut self, msg: String) -> bool {
        let line = self.line_at(self.start);
        self.items.push(Item {
            typ: T::Error,
            val: msg,
            pos: self.start,
            line,
        });
        false
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            _ => {
                self.backup();
                false
            }
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.input[self.pos..];
        if has_right_trim_marker(rest) && rest[2..].starts_with("}}") {
            return (true, true);
        }
        (rest.starts_with("}}"), false)
    }

    fn at_terminator(&mut self) -> bool {
        match self.peek() {
            None => true,
            Some(c) => {
                is_space(c)
                    || matches!(c, '.' | ',' | '|' | ':' | ')' | '(')
                    || self.input[self.pos..].starts_with("}}")
            }
        }
    }

    fn run(&mut self) {
        loop {
            match self.input[self.pos..].find("{{") {
                None => {
                    self.pos = self.input.len();
                    if self.pos > self.start {
                        self.emit(T::Text);
                    }
                    self.emit(T::Eof);
                    return;
                }
                Some(x) => {
                    let delim = self.pos + x;
                    if x > 0 {
                        let mut end = delim;
                        if has_left_trim_marker(&self.input[delim + 2..]) {
                            end = self.start
                                + self.input[self.start..delim]
                                    .trim_end_matches(TRIM_CHARS)
                                    .len();
                        }
                        self.pos = end;
                        if end > self.start {
                            self.emit(T::Text);
                        }
                        self.pos = delim;
                        self.start = delim;
                    }
                    if !self.lex_left_delim() {
                        return;
                    }
                }
            }
        }
    }

    fn lex_left_delim(&mut self) -> bool {
        self.pos += 2;
        let trim = has_left_trim_marker(&self.input[self.pos..]);
        let after = if trim { 2 } else { 0 };
        if self.input[self.pos + after..].starts_with("/*") {
            self.pos += after;
            self.start = self.pos;
            return self.lex_comment();
        }
        self.emit(T::LeftDelim);
        self.pos += after;
        self.start = self.pos;
        self.paren_depth = 0;
        self.lex_inside_action()
    }

    fn lex_comment(&mut self) -> bool {
        self.pos += 2;
        match self.input[self.pos..].find("*/") {
            None => return self.errorf("unclosed comment".into()),
            Some(x) => self.pos += x + 2,
        }
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += 2;
        if trim {
            self.pos =
                self.input.len() - self.input[self.pos..].trim_start_matches(TRIM_CHARS).len();
        }
        self.start = self.pos;
        true
    }

    fn lex_right_delim(&mut self, trim: bool) {
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += 2;
        self.emit(T::RightDelim);
        if trim {
            self.pos =
                self.input.len() - self.input[self.pos..].trim_start_matches(TRIM_CHARS).len();
            self.start = self.pos;
        }
    }

    /// Lexes one action up to and including its right delimiter; false on error.
    fn lex_inside_action(&mut self) -> bool {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth == 0 {
                    self.lex_right_delim(trim);
                    return true;
                }
                return self.errorf("unclosed left paren".into());
            }
            let ok = match self.next() {
                None => self.errorf("unclosed action".into()),
                Some(c) if is_space(c) => {
                    self.backup();
                    if !self.lex_space() {
                        return true;
                    }
                    true
                }
                Some('=') => {
                    self.emit(T::Assign);
                    true
                }
                Some(':') => {
                    if self.next() != Some('=') {
                        self.errorf("expected :=".into())
                    } else {
                        self.emit(T::Declare);
                        true
                    }
                }
                Some('|') => {
                    self.emit(T::Pipe);
                    true
                }
                Some('"') => self.lex_quote('"', T::Str, "unterminated quoted string"),
                Some('`') => self.lex_raw_quote(),
                Some('$') => self.lex_variable(),
                Some('\'') => self.lex_quote('\'', T::CharConst, "unterminated character constant"),
                Some('.') => {
                    let next_is_digit = self
                        .input
                        .as_bytes()
                        .get(self.pos)
                        .is_some_and(u8::is_ascii_digit);
                    if self.pos < self.input.len() && !next_is_digit {
                        self.lex_field_or_variable(T::Field)
                    } else {
                        self.backup();
                        self.lex_number()
                    }
                }
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.lex_number()
                }
                Some(c) if is_alnum(c) => {
                    self.backup();
                    self.lex_identifier()
                }
                Some('(') => {
                    self.emit(T::LeftParen);
                    self.paren_depth += 1;
                    true
                }
                Some(')') => {
                    self.paren_depth -= 1;
                    if self.paren_depth < 0 {
                        self.errorf("unexpected right paren".into())
                    } else {
                        self.emit(T::RightParen);
                        true
                    }
                }
                Some(c) if (' '..='~').contains(&c) => {
                    self.emit(T::Char);
                    true
                }
                Some(c) => self.errorf(format!("unrecognized character in action: {}", sharp_u(c))),
            };
            if !ok {
                return false;
            }
        }
    }

    /// Scans a run of spaces; returns false if it ended the action (` -}}`).
    fn lex_space(&mut self) -> bool {
        let mut n = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            n += 1;
        }
        let before_last = self.pos - 1;
        if has_right_trim_marker(&self.input[before_last..])
            && self.input[before_last + 2..].starts_with("}}")
        {
            self.pos = before_last;
            if n == 1 {
                self.lex_right_delim(true);
                return false;
            }
        }
        self.emit(T::Space);
        true
    }

    fn lex_quote(&mut self, quote: char, typ: T, unterminated: &str) -> bool {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => return self.errorf(unterminated.into()),
                    _ => {}
                },
                None | Some('\n') => return self.errorf(unterminated.into()),
                Some(c) if c == quote => break,
                _ => {}
            }
        }
        self.emit(typ);
        true
    }

    fn lex_raw_quote(&mut self) -> bool {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(T::RawString);
        true
    }

    fn lex_variable(&mut self) -> bool {
        if self.at_terminator() {
            self.emit(T::Variable);
            return true;
        }
        self.lex_field_or_variable(T::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: T) -> bool {
        if self.at_terminator() {
            self.emit(if typ == T::Variable {
                T::Variable
            } else {
                T::Dot
            });
            return true;
        }
        let mut r;
        loop {
            r = self.next();
            if !r.is_some_and(is_alnum) {
                self.backup();
                break;
            }
        }
        if !self.at_terminator() {
            return self.errorf(format!(
                "bad character {}",
                sharp_u(r.unwrap_or('\u{fffd}'))
            ));
        }
        self.emit(typ);
        true
    }

    fn lex_identifier(&mut self) -> bool {
        loop {
            let r = self.next();
            if r.is_some_and(is_alnum) {
                continue;
            }
            self.backup();
            if !self.at_terminator() {
                return self.errorf(format!(
                    "bad character {}",
                    sharp_u(r.unwrap_or('\u{fffd}'))
                ));
            }
            let word = &self.input[self.start..self.pos];
            let typ = match keyword(word) {
                Some(k) => k,
                None if word == "true" || word == "false" => T::Bool,
                None => T::Ident,
            };
            self.emit(typ);
            return true;
        }
    }

    fn lex_number(&mut self) -> bool {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.errorf(format!("bad number syntax: {}", go_quote(&text, false)));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let text = self.input[self.start..self.pos].to_string();
                return self.errorf(format!("bad number syntax: {}", go_quote(&text, false)));
            }
            self.emit(T::Complex);
        } else {
            self.emit(T::Number);
        }
        true
    }

    fn scan_number(&mut self) -> bool {
        const DEC: &str = "0123456789_";
        const HEX: &str = "0123456789abcdefABCDEF_";
        self.accept("+-");
        let mut digits = DEC;
        if self.accept("0") {
            if self.accept("xX") {
                digits = HEX;
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits == DEC && self.accept("eE") {
            self.accept("+-");
            self.accept_run(DEC);
        }
        if digits == HEX && self.accept("pP") {
            self.accept("+-");
            self.accept_run(DEC);
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }
}

// ---------------------------------------------------------------------------------
// Parse tree (text/template/parse/node.go, parse.go)
// ---------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Control),
    Range(Control),
    With(Control),
    Break,
    Continue,
    Template(TemplateCall),
}

/// `{{template "name" pipeline}}` (also what `{{block}}` leaves in place).
#[derive(Debug)]
struct TemplateCall {
    pos: usize,
    name: String,
    pipe: Option<Pipe>,
}

impl fmt::Display for TemplateCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pipe {
            Some(p) => write!(f, "{{{{template {} {p}}}}}", go_quote(&self.name, false)),
            None => write!(f, "{{{{template {}}}}}", go_quote(&self.name, false)),
        }
    }
}

/// A parsed template: the main body and the `{{define}}`d ones.
struct Tree {
    root: Vec<Node>,
    defs: Vec<(String, Vec<Node>)>,
}

/// Go's `parse.IsEmptyTree`: nothing but space.
fn is_empty_tree(list: &[Node]) -> bool {
    list.iter()
        .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()))
}

/// The deepest nesting of parentheses and control structures the parser accepts
/// (Go has none; this keeps a hostile template from exhausting the stack).
const MAX_PARSE_DEPTH: usize = 50;
/// Go's `maxExecDepth` is 100000; templates here run on a small stack.
const MAX_EXEC_DEPTH: usize = 100;

#[derive(Debug)]
struct Control {
    pipe: Pipe,
    list: Vec<Node>,
    else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
struct Pipe {
    pos: usize,
    is_assign: bool,
    decl: Vec<String>,
    cmds: Vec<Cmd>,
}

#[derive(Debug)]
struct Cmd {
    pos: usize,
    args: Vec<Arg>,
}

#[derive(Debug, Clone)]
struct Num {
    text: String,
    int: Option<i64>,
    uint: Option<u64>,
    float: Option<f64>,
    is_char: bool,
}

#[derive(Debug)]
enum Arg {
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Num),
    /// Position, the literal as written, the unquoted value.
    Str(usize, String, String),
    /// `.A.B`: the identifiers without dots.
    Field(usize, Vec<String>),
    /// `$x.A.B`: the variable name and the field identifiers.
    Variable(usize, String, Vec<String>),
    Ident(usize, String),
    Pipe(Box<Pipe>),
    /// `(pipeline).A.B` or `fn.A`.
    Chain(usize, Box<Arg>, Vec<String>),
}

impl Arg {
    fn pos(&self) -> usize {
        match self {
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) | Arg::Number(p, _) | Arg::Str(p, _, _) => {
                *p
            }
            Arg::Field(p, _) | Arg::Variable(p, _, _) | Arg::Ident(p, _) | Arg::Chain(p, _, _) => {
                *p
            }
            Arg::Pipe(pipe) => pipe.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, n) => f.write_str(&n.text),
            Arg::Str(_, quoted, _) => f.write_str(quoted),
            Arg::Field(_, idents) => {
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Variable(_, name, idents) => {
                f.write_str(name)?;
                for i in idents {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Ident(_, name) => f.write_str(name),
            Arg::Pipe(p) => write!(f, "{p}"),
            Arg::Chain(_, node, fields) => {
                if let Arg::Pipe(p) = &**node {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(" := ")?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// What `itemList`/`textOrAction` hand back.
enum Parsed {
    Node(Node),
    End,
    Else,
}

struct Parser {
    toks: Vec<Item>,
    i: usize,
    seen: usize,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    depth: usize,
    defs: Vec<(String, Vec<Node>)>,
}

type PResult<X> = Result<X, TemplateError>;

fn parse(src: &str) -> PResult<Tree> {
    let mut p = Parser {
        toks: lex(src),
        i: 0,
        seen: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        action_line: 0,
        depth: 0,
        defs: Vec::new(),
    };
    let root = p.parse_root()?;
    Ok(Tree { root, defs: p.defs })
}

impl Parser {
    fn next(&mut self) -> Item {
        let idx = self.i.min(self.toks.len() - 1);
        self.i = idx + 1;
        self.seen = self.seen.max(idx);
        self.toks[idx].clone()
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&mut self) -> Item {
        let t = self.next();
        self.backup();
        t
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.typ != T::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf(&self, msg: impl fmt::Display) -> TemplateError {
        TemplateError {
            message: format!("template: :{}: {}", self.toks[self.seen].line, msg),
        }
    }

    fn unexpected(&self, tok: &Item, context: &str) -> TemplateError {
        if tok.typ == T::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(" in action started at :{}", self.action_line);
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", tok.val, extra));
        }
        self.errorf(format!("unexpected {} in {}", tok.describe(), context))
    }

    fn parse_root(&mut self) -> PResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().typ != T::Eof {
            if self.peek().typ == T::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().typ == T::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.push(n),
                Parsed::End => return Err(self.errorf("unexpected {{end}}")),
                Parsed::Else => return Err(self.errorf("unexpected {{else}}")),
            }
        }
        Ok(root)
    }

    /// `{{define "name"}} … {{end}}`; the `define` keyword is past.
    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, CONTEXT)?;
        let close = self.next_non_space();
        if close.typ != T::RightDelim {
            return Err(self.unexpected(&close, CONTEXT));
        }
        let list = self.template_body(CONTEXT)?;
        self.add_definition(name, list)
    }

    fn template_name(&self, tok: &Item, context: &str) -> PResult<String> {
        match tok.typ {
            T::Str | T::RawString => unquote(&tok.val).map_err(|e| self.errorf(e)),
            _ => Err(self.unexpected(tok, context)),
        }
    }

    /// The body of a `define` or `block`, parsed as a template of its own.
    fn template_body(&mut self, context: &str) -> PResult<Vec<Node>> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let range_depth = std::mem::replace(&mut self.range_depth, 0);
        let listed = self.item_list();
        self.vars = vars;
        self.range_depth = range_depth;
        let (list, end) = listed?;
        if !matches!(end, Parsed::End) {
            return Err(self.errorf(format!("unexpected {{{{else}}}} in {context}")));
        }
        Ok(list)
    }

    /// Go's `Tree.add`: a non-empty definition may not replace another.
    fn add_definition(&mut self, name: String, list: Vec<Node>) -> PResult<()> {
        match self.defs.iter_mut().find(|(n, _)| *n == name) {
            None => self.defs.push((name, list)),
            Some(slot) if is_empty_tree(&slot.1) => slot.1 = list,
            Some(_) if is_empty_tree(&list) => {}
            Some(_) => {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    go_quote(&name, false)
                )))
            }
        }
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Parsed)> {
        let mut list = Vec::new();
        while self.peek_non_space().typ != T::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                other => return Ok((list, other)),
            }
        }
        Err(self.errorf("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let tok = self.next_non_space();
        match tok.typ {
            T::Text => Ok(Parsed::Node(Node::Text(tok.val))),
            T::LeftDelim => {
                self.action_line = tok.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&tok, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let tok = self.next_non_space();
        match tok.typ {
            T::Block => {
                const CONTEXT: &str = "block clause";
                let name_tok = self.next_non_space();
                let name = self.template_name(&name_tok, CONTEXT)?;
                let pipe = self.pipeline(CONTEXT, T::RightDelim)?;
                let list = self.nested(|p| p.template_body(CONTEXT))?;
                self.add_definition(name.clone(), list)?;
                Ok(Parsed::Node(Node::Template(TemplateCall {
                    pos: name_tok.pos,
                    name,
                    pipe: Some(pipe),
                })))
            }
            T::Template => {
                const CONTEXT: &str = "template clause";
                let name_tok = self.next_non_space();
                let name = self.template_name(&name_tok, CONTEXT)?;
                let mut pipe = None;
                if self.next_non_space().typ != T::RightDelim {
                    self.backup();
                    pipe = Some(self.pipeline(CONTEXT, T::RightDelim)?);
                }
                Ok(Parsed::Node(Node::Template(TemplateCall {
                    pos: name_tok.pos,
                    name,
                    pipe,
                })))
            }
            T::Break | T::Continue => {
                let name = tok.val.clone();
                let next = self.next_non_space();
                if next.typ != T::RightDelim {
                    return Err(self.unexpected(&next, &format!("{{{{{name}}}}}")));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{{{{{name}}}}} outside {{{{range}}}}")));
                }
                Ok(Parsed::Node(if tok.typ == T::Break {
                    Node::Break
                } else {
                    Node::Continue
                }))
            }
            T::Else => {
                let peek = self.peek_non_space();
                if peek.typ == T::If || peek.typ == T::With {
                    return Ok(Parsed::Else);
                }
                let next = self.next_non_space();
                if next.typ != T::RightDelim {
                    return Err(self.unexpected(&next, "else"));
                }
                Ok(Parsed::Else)
            }
            T::End => {
                let next = self.next_non_space();
                if next.typ != T::RightDelim {
                    return Err(self.unexpected(&next, "end"));
                }
                Ok(Parsed::End)
            }
            T::If => Ok(Parsed::Node(Node::If(self.parse_control("if")?))),
            T::Range => Ok(Parsed::Node(Node::Range(self.parse_control("range")?))),
            T::With => Ok(Parsed::Node(Node::With(self.parse_control("with")?))),
            _ => {
                self.backup();
                Ok(Parsed::Node(Node::Action(
                    self.pipeline("command", T::RightDelim)?,
                )))
            }
        }
    }

    fn parse_control(&mut self, context: &str) -> PResult<Control> {
        let nvars = self.vars.len();
        let r = self.nested(|p| p.parse_control_inner(context));
        self.vars.truncate(nvars);
        r
    }

    /// Runs a nested parse, refusing absurd nesting depths.
    fn nested<X>(&mut self, f: impl FnOnce(&mut Self) -> PResult<X>) -> PResult<X> {
        if self.depth >= MAX_PARSE_DEPTH {
            return Err(self.errorf("max expression depth exceeded"));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<Control> {
        let pipe = self.pipeline(context, T::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = listed?;
        let else_list = match next {
            Parsed::Else => {
                if context == "if" && self.peek().typ == T::If {
                    self.next();
                    Some(vec![Node::If(self.parse_control("if")?)])
                } else if context == "with" && self.peek().typ == T::With {
                    self.next();
                    Some(vec![Node::With(self.parse_control("with")?)])
                } else {
                    let (el, nx) = self.item_list()?;
                    if !matches!(nx, Parsed::End) {
                        return Err(self.errorf("expected end; found {{else}}"));
                    }
                    Some(el)
                }
            }
            _ => None,
        };
        Ok(Control {
            pipe,
            list,
            else_list,
        })
    }

    fn pipeline(&mut self, context: &str, end: T) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        loop {
            let v = self.peek_non_space();
            if v.typ != T::Variable {
                break;
            }
            let var_idx = self.i;
            self.next();
            let next = self.peek_non_space();
            if next.typ == T::Assign || next.typ == T::Declare {
                pipe.is_assign = next.typ == T::Assign;
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val);
                break;
            } else if next.typ == T::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val);
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        T::Variable | T::RightDelim | T::RightParen => continue,
                        _ => return Err(self.errorf("range can only initialize variables")),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else {
                // `$x` is an operand, not a declaration: read it again as one.
                self.i = var_idx;
                break;
            }
        }
        loop {
            let tok = self.next_non_space();
            if tok.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match tok.typ {
                T::Bool
                | T::CharConst
                | T::Complex
                | T::Dot
                | T::Field
                | T::Ident
                | T::Number
                | T::Nil
                | T::RawString
                | T::Str
                | T::Variable
                | T::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&tok, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args[0],
                Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::Str(..)
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Cmd> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                args.push(op);
            }
            let tok = self.next();
            match tok.typ {
                T::Space => continue,
                T::RightDelim | T::RightParen => self.backup(),
                T::Pipe => {}
                _ => return Err(self.unexpected(&tok, "operand")),
            }
            break;
        }
        if args.is_empty() {
            return Err(self.errorf("empty command"));
        }
        Ok(Cmd { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != T::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == T::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field(_, mut idents) => {
                idents.extend(fields);
                Arg::Field(chain_pos, idents)
            }
            Arg::Variable(_, name, mut idents) => {
                idents.extend(fields);
                Arg::Variable(chain_pos, name, idents)
            }
            Arg::Bool(..) | Arg::Str(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    go_quote(&node.to_string(), false)
                )));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space();
        let pos = tok.pos;
        Ok(Some(match tok.typ {
            T::Ident => {
                if Func::from_name(&tok.val).is_none() {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        go_quote(&tok.val, false)
                    )));
                }
                Arg::Ident(pos, tok.val)
            }
            T::Dot => Arg::Dot(pos),
            T::Nil => Arg::Nil(pos),
            T::Variable => {
                if !self.vars.contains(&tok.val) {
                    return Err(
                        self.errorf(format!("undefined variable {}", go_quote(&tok.val, false)))
                    );
                }
                Arg::Variable(pos, tok.val, Vec::new())
            }
            T::Field => Arg::Field(pos, vec![tok.val[1..].to_string()]),
            T::Bool => Arg::Bool(pos, tok.val == "true"),
            T::CharConst | T::Complex | T::Number => match parse_number(&tok.val, tok.typ) {
                Ok(n) => Arg::Number(pos, n),
                Err(e) => return Err(self.errorf(e)),
            },
            T::LeftParen => {
                Arg::Pipe(Box::new(self.nested(|p| {
                    p.pipeline("parenthesized pipeline", T::RightParen)
                })?))
            }
            T::Str | T::RawString => match unquote(&tok.val) {
                Ok(s) => Arg::Str(pos, tok.val, s),
                Err(e) => return Err(self.errorf(e)),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

// ---------------------------------------------------------------------------------
// Literals (strconv)
// ---------------------------------------------------------------------------------

/// `strconv.Unquote` for "…" and `…` literals.
fn unquote(s: &str) -> Result<String, String> {
    const SYNTAX: &str = "invalid syntax";
    if let Some(inner) = s.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        if inner.contains('`') {
            return Err(SYNTAX.into());
        }
        return Ok(inner.replace('\r', ""));
    }
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .ok_or(SYNTAX)?;
    let mut out = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (bytes, tail) = unquote_char(rest, '"').ok_or(SYNTAX)?;
        out.extend_from_slice(&bytes);
        rest = tail;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `strconv.UnquoteChar`: decodes one (possibly escaped) character of a quoted literal.
fn unquote_char(s: &str, quote: char) -> Option<(Vec<u8>, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c == '\n' {
        return None;
    }
    if c != '\\' {
        let mut b = [0u8; 4];
        return Some((c.encode_utf8(&mut b).as_bytes().to_vec(), chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = |b: u8| Some((vec![b], rest));
    match e {
        'a' => simple(7),
        'b' => simple(8),
        'f' => simple(12),
        'n' => simple(b'\n'),
        'r' => simple(b'\r'),
        't' => simple(b'\t'),
        'v' => simple(11),
        '\\' => simple(b'\\'),
        '\'' | '"' => {
            if e == quote {
                simple(e as u8)
            } else {
                None
            }
        }
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(..n)?;
            let v = u32::from_str_radix(hex, 16).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let tail = &rest[n..];
            if e == 'x' {
                return Some((vec![v as u8], tail));
            }
            let ch = char::from_u32(v)?;
            let mut b = [0u8; 4];
            Some((ch.encode_utf8(&mut b).as_bytes().to_vec(), tail))
        }
        '0'..='7' => {
            let oct = s.get(1..4)?;
            if !oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(oct, 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((vec![v as u8], &s[4..]))
        }
        _ => None,
    }
}

fn parse_go_uint(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r.to_string(), true)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r.to_string(), true)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    if digits.contains('_') && !prefixed && !lower.starts_with('0') {
        // Go allows underscores only with a base prefix (or a leading 0).
        if !digits.split('_').all(|p| !p.is_empty()) {
            return None;
        }
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if clean.is_empty() || !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(&clean, radix).ok()
}

fn parse_go_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let u = parse_go_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `newNumber`.
fn parse_number(text: &str, typ: T) -> Result<Num, String> {
    let mut n = Num {
        text: text.to_string(),
        int: None,
        uint: None,
        float: None,
        is_char: false,
    };
    if typ == T::CharConst {
        let inner = &text[1..];
        let (bytes, tail) = unquote_char(inner, '\'').ok_or("invalid syntax")?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        let s = String::from_utf8_lossy(&bytes);
        let r = if bytes.len() == 1 {
            u32::from(bytes[0])
        } else {
            s.chars().next().map_or(0xfffd, |c| c as u32)
        };
        n.int = Some(i64::from(r));
        n.uint = Some(u64::from(r));
        n.float = Some(f64::from(r));
        n.is_char = true;
        return Ok(n);
    }
    if typ == T::Complex || text.ends_with('i') {
        return Err(format!(
            "complex numbers are not supported by this simulator: {text}"
        ));
    }
    n.uint = if text.starts_with('+') || text.starts_with('-') {
        None
    } else {
        parse_go_uint(text)
    };
    n.int = parse_go_int(text);
    if n.int == Some(0) {
        n.uint = Some(0);
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", go_quote(text, false)));
        }
        n.float = Some(f);
        // 2^63 and 2^64: the float is exactly representable.
        if f.fract() == 0.0
            && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
        {
            n.int = Some(f as i64);
        }
        if f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f) {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!("illegal number syntax: {}", go_quote(text, false)));
    }
    Ok(n)
}

fn parse_go_float(text: &str) -> Option<f64> {
    let body = text.trim_start_matches(['+', '-']);
    if body.is_empty()
        || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        || body.contains('_')
    {
        return None;
    }
    if body.starts_with("0x") || body.starts_with("0X") || body.contains(['i', 'n', 'N', 'I']) {
        return None;
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

// ---------------------------------------------------------------------------------
// Functions (text/template/funcs.go and docker/cli templates/templates.go)
// ---------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Func {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Call,
    Json,
    Split,
    Join,
    Title,
    Lower,
    Upper,
    Pad,
    Truncate,
}

/// A parameter's Go type, which decides how an argument is checked and converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    /// `reflect.Value`: passed through untouched (a missing value stays missing).
    Value,
    /// `any`: a missing value becomes nil.
    Any,
    Str,
    Int,
    StrSlice,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "and" => Func::And,
            "or" => Func::Or,
            "not" => Func::Not,
            "len" => Func::Len,
            "index" => Func::Index,
            "slice" => Func::Slice,
            "eq" => Func::Eq,
            "ne" => Func::Ne,
            "lt" => Func::Lt,
            "le" => Func::Le,
            "gt" => Func::Gt,
            "ge" => Func::Ge,
            "print" => Func::Print,
            "printf" => Func::Printf,
            "println" => Func::Println,
            "html" => Func::Html,
            "js" => Func::Js,
            "urlquery" => Func::Urlquery,
            "call" => Func::Call,
            "json" => Func::Json,
            "split" => Func::Split,
            "join" => Func::Join,
            "title" => Func::Title,
            "lower" => Func::Lower,
            "upper" => Func::Upper,
            "pad" => Func::Pad,
            "truncate" => Func::Truncate,
            _ => return None,
        })
    }

    /// Fixed parameters and the variadic element type, if any.
    fn sig(self) -> (&'static [Ty], Option<Ty>) {
        use Ty::*;
        match self {
            Func::And | Func::Or | Func::Index | Func::Slice | Func::Eq | Func::Call => {
                (&[Value], Some(Value))
            }
            Func::Not | Func::Len => (&[Value], None),
            Func::Ne | Func::Lt | Func::Le | Func::Gt | Func::Ge => (&[Value, Value], None),
            Func::Print | Func::Println | Func::Html | Func::Js | Func::Urlquery => {
                (&[], Some(Any))
            }
            Func::Printf => (&[Str], Some(Any)),
            Func::Json => (&[Any], None),
            Func::Split => (&[Str, Str], None),
            Func::Join => (&[StrSlice, Str], None),
            Func::Title | Func::Lower | Func::Upper => (&[Str], None),
            Func::Pad => (&[Str, Int, Int], None),
            Func::Truncate => (&[Str, Int], None),
        }
    }
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

fn basic_kind(v: &V) -> Kind {
    match v {
        V::Bool(_) => Kind::Bool,
        V::Int(_) => Kind::Int,
        V::Uint(_) => Kind::Uint,
        V::Float(_) => Kind::Float,
        V::Str(_) => Kind::Str,
        _ => Kind::Invalid,
    }
}

const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";

/// Go's `eq` for one pair.
fn eq2(a: &V, b: &V) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        return match (a, b) {
            (V::Int(x), V::Uint(y)) => Ok(*x >= 0 && *x as u64 == *y),
            (V::Uint(x), V::Int(y)) => Ok(*y >= 0 && *x == *y as u64),
            _ if !a.is_nil() && !b.is_nil() => Err(ERR_BAD_COMPARISON.into()),
            _ => Ok(false),
        };
    }
    Ok(match (a, b) {
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Int(x), V::Int(y)) => x == y,
        (V::Uint(x), V::Uint(y)) => x == y,
        (V::Float(x), V::Float(y)) => x == y,
        (V::Str(x), V::Str(y)) => x == y,
        _ => {
            if a.is_nil() || b.is_nil() {
                return Ok(a.is_nil() == b.is_nil());
            }
            if std::mem::discriminant(a) != std::mem::discriminant(b) {
                return Err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    sprint_v(a),
                    go_type(a),
                    go_type(b),
                    sprint_v(b)
                ));
            }
            return Err(format!(
                "non-comparable type {}: {}",
                sprint_v(b),
                go_type(b)
            ));
        }
    })
}

fn lt2(a: &V, b: &V) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(ERR_BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return match (a, b) {
            (V::Int(x), V::Uint(y)) => Ok(*x < 0 || (*x as u64) < *y),
            (V::Uint(x), V::Int(y)) => Ok(*y >= 0 && *x < *y as u64),
            _ => Err(ERR_BAD_COMPARISON.into()),
        };
    }
    match (a, b) {
        (V::Int(x), V::Int(y)) => Ok(x < y),
        (V::Uint(x), V::Uint(y)) => Ok(x < y),
        (V::Float(x), V::Float(y)) => Ok(x < y),
        (V::Str(x), V::Str(y)) => Ok(x < y),
        _ => Err(ERR_BAD_COMPARISON_TYPE.into()),
    }
}

/// An index argument for `index`/`slice` (Go's `indexArg`).
fn index_arg(v: &V, cap: usize) -> Result<usize, String> {
    let x: i128 = match v {
        V::Int(i) => i128::from(*i),
        V::Uint(u) => i128::from(*u),
        V::Missing | V::Null => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                go_type(other)
            ))
        }
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn byte_str(b: &[u8]) -> V {
    V::str(&String::from_utf8_lossy(b))
}

fn string_list(items: Vec<String>) -> V {
    V::List(Rc::new(
        items.into_iter().map(|s| V::Str(Rc::from(s))).collect(),
    ))
}

/// Go's `evalArgs` for `html`, `js` and `urlquery`.
fn eval_args(args: &[V]) -> String {
    if let [V::Str(s)] = args {
        return s.to_string();
    }
    let printable: Vec<V> = args
        .iter()
        .map(|a| {
            if a.is_nil() {
                V::str("<no value>")
            } else {
                a.clone()
            }
        })
        .collect();
    sprint(&printable)
}

/// Go's `unicode.ToUpper`/`ToLower` are one-to-one; keep a rune whose full
/// mapping would expand (e.g. `ß`).
fn map_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut m: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if m.len() == 1 {
                m.remove(0)
            } else {
                c
            }
        })
        .collect()
}

/// `strings.Title`.
fn title(s: &str) -> String {
    fn is_separator(r: char) -> bool {
        if r.is_ascii() {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if r.is_alphabetic() || r.is_numeric() {
            return false;
        }
        r.is_whitespace()
    }
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let out = if !is_separator(prev) {
                r
            } else {
                // unicode.ToTitle: the title case of the DŽ/LJ/NJ/DZ digraphs differs from upper case.
                match r {
                    '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
                    '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
                    '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
                    '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
                    _ => map_case(&r.to_string(), true).chars().next().unwrap_or(r),
                }
            };
            prev = r;
            out
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if !c.is_ascii() && !is_print(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn url_query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// JSON (encoding/json, SetEscapeHTML(false))
// ---------------------------------------------------------------------------------

fn json_encode(v: &V, out: &mut String) {
    match v {
        V::Missing | V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Int(i) => out.push_str(&i.to_string()),
        V::Uint(u) => out.push_str(&u.to_string()),
        V::Float(f) => out.push_str(&json_float(*f)),
        V::Str(s) => json_string(s, out),
        V::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode(e, out);
            }
            out.push(']');
        }
        V::Map(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                json_encode(e, out);
            }
            out.push('}');
        }
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let a = f.abs();
    let neg = f.is_sign_negative();
    let d = Digits::shortest(a);
    let nd = d.d.len() as i32;
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let mut s = fmt_e(neg, &d, (nd - 1).max(0) as usize, 'e');
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        fmt_f(neg, &d, (nd - d.dp).max(0) as usize)
    }
}

// ---------------------------------------------------------------------------------
// Floats (strconv ftoa.go)
// ---------------------------------------------------------------------------------

/// Decimal digits `d` with the decimal point before digit `dp` (Go's `decimalSlice`).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn parse_sci(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        Digits {
            d: mant.bytes().filter(u8::is_ascii_digit).collect(),
            dp: exp + 1,
        }
    }

    /// Shortest digits that round-trip (`a` is non-negative).
    fn shortest(a: f64) -> Digits {
        if a == 0.0 {
            return Digits {
                d: Vec::new(),
                dp: 0,
            };
        }
        Digits::parse_sci(&format!("{a:e}"))
    }

    /// `n` significant digits, correctly rounded.
    fn significant(a: f64, n: usize) -> Digits {
        if a == 0.0 {
            return Digits {
                d: Vec::new(),
                dp: 0,
            };
        }
        Digits::parse_sci(&format!("{:.*e}", n.saturating_sub(1), a))
    }
}

fn fmt_e(neg: bool, d: &Digits, prec: usize, ch: char) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push(d.d.first().map_or('0', |b| *b as char));
    if prec > 0 {
        s.push('.');
        let mut i = 1;
        let m = d.d.len().min(prec + 1);
        if i < m {
            s.extend(d.d[i..m].iter().map(|b| *b as char));
            i = m;
        }
        while i <= prec {
            s.push('0');
            i += 1;
        }
    }
    s.push(ch);
    let mut exp = if d.d.is_empty() { 0 } else { d.dp - 1 };
    if exp < 0 {
        s.push('-');
        exp = -exp;
    } else {
        s.push('+');
    }
    if exp < 10 {
        s.push('0');
    }
    s.push_str(&exp.to_string());
    s
}

fn fmt_f(neg: bool, d: &Digits, prec: usize) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    let nd = d.d.len() as i32;
    if d.dp > 0 {
        let m = nd.min(d.dp);
        s.extend(d.d[..m as usize].iter().map(|b| *b as char));
        for _ in m..d.dp {
            s.push('0');
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec as i32 {
            let j = d.dp + i;
            s.push(if j >= 0 && j < nd {
                d.d[j as usize] as char
            } else {
                '0'
            });
        }
    }
    s
}

/// `strconv.FormatFloat(x, fmt, prec, 64)`; `prec` None is Go's -1 (shortest).
fn format_float(x: f64, fmt: char, prec: Option<usize>) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = x.is_sign_negative();
    let a = x.abs();
    match fmt {
        'e' | 'E' => {
            let d = match prec {
                Some(p) => Digits::significant(a, p + 1),
                None => Digits::shortest(a),
            };
            let p = prec.unwrap_or(d.d.len().saturating_sub(1));
            fmt_e(neg, &d, p, fmt)
        }
        'f' => match prec {
            Some(p) => format!("{}{:.*}", if neg { "-" } else { "" }, p, a),
            None => {
                let d = Digits::shortest(a);
                let p = (d.d.len() as i32 - d.dp).max(0) as usize;
                fmt_f(neg, &d, p)
            }
        },
        _ => {
            let e = if fmt == 'G' { 'E' } else { 'e' };
            let (d, p, eprec) = match prec {
                None => {
                    let d = Digits::shortest(a);
                    let n = d.d.len();
                    (d, n, 6)
                }
                Some(p) => {
                    let p = p.max(1);
                    let mut d = Digits::significant(a, p);
                    while d.d.last() == Some(&b'0') {
                        d.d.pop();
                    }
                    let nd = d.d.len();
                    let mut eprec = p;
                    if eprec > nd && nd as i32 >= d.dp {
                        eprec = nd;
                    }
                    (d, p, eprec)
                }
            };
            let nd = d.d.len();
            let exp = d.dp - 1;
            if exp < -4 || exp >= eprec as i32 {
                let pp = p.min(nd);
                fmt_e(neg, &d, pp.saturating_sub(1), e)
            } else {
                let pp = if p as i32 > d.dp { nd } else { p };
                fmt_f(neg, &d, (pp as i32 - d.dp).max(0) as usize)
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// fmt (print.go, format.go)
// ---------------------------------------------------------------------------------

/// `strconv.IsPrint`, approximately: graphic characters and ASCII space.
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF)
}

fn escape_rune(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    let printable = if ascii_only {
        c.is_ascii() && is_print(c)
    } else {
        is_print(c)
    };
    if printable {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// `strconv.Quote` (or `QuoteToASCII`).
fn go_quote(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_rune(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{feff}' && (c == '\t' || !c.is_control()))
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
}

const TOO_LARGE: i64 = 1_000_000;

impl Printer {
    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        let Some(wid) = self.f.wid.filter(|w| *w > 0) else {
            self.buf.push_str(s);
            return;
        };
        let width = wid.saturating_sub(s.chars().count());
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.push_str(s);
        }
    }

    fn print_arg(&mut self, v: &V, verb: char) {
        if v.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(v, verb),
            }
            return;
        }
        if verb == 'T' {
            self.fmt_s(&go_type(v));
            return;
        }
        match v {
            V::List(_) | V::Map(_) => self.print_value(v, verb, 0),
            _ => self.print_scalar(v, verb),
        }
    }

    fn print_value(&mut self, v: &V, verb: char, depth: usize) {
        match v {
            V::Missing | V::Null => {
                if depth == 0 {
                    self.print_arg(v, verb);
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            V::List(items) => {
                if self.f.sharp_v {
                    self.buf.push_str(&go_type(v));
                    self.buf.push('{');
                    for (i, e) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(e, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, e) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.print_value(e, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            V::Map(m) => {
                if self.f.sharp_v {
                    self.buf.push_str(&go_type(v));
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                for (i, (k, e)) in sorted_entries(m).into_iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.print_value(&V::str(k), verb, depth + 1);
                    self.buf.push(':');
                    self.print_value(e, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            _ => self.print_scalar(v, verb),
        }
    }

    fn print_scalar(&mut self, v: &V, verb: char) {
        match v {
            V::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(v, verb),
            },
            V::Int(i) => self.fmt_integer(v, *i as u64, true, verb),
            V::Uint(u) => self.fmt_integer(v, *u, false, verb),
            V::Float(x) => match verb {
                'v' | 'g' | 'G' => self.fmt_float(*x, if verb == 'v' { 'g' } else { verb }, None),
                'f' | 'F' | 'e' | 'E' => {
                    self.fmt_float(*x, if verb == 'F' { 'f' } else { verb }, Some(6))
                }
                _ => self.bad_verb(v, verb),
            },
            V::Str(s) => match verb {
                'v' => {
                    if self.f.sharp_v {
                        self.fmt_q(s);
                    } else {
                        self.fmt_s(s);
                    }
                }
                's' => self.fmt_s(s),
                'x' => self.fmt_sx(s, false),
                'X' => self.fmt_sx(s, true),
                'q' => self.fmt_q(s),
                _ => self.bad_verb(v, verb),
            },
            _ => self.print_value(v, verb, 0),
        }
    }

    fn bad_verb(&mut self, v: &V, verb: char) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if v.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&go_type(v));
            self.buf.push('=');
            self.print_arg(v, 'v');
        }
        self.buf.push(')');
    }

    fn fmt_s(&mut self, s: &str) {
        match self.f.prec {
            Some(p) => {
                let t: String = s.chars().take(p).collect();
                self.pad(&t);
            }
            None => self.pad(s),
        }
    }

    fn fmt_q(&mut self, s: &str) {
        let s: String = match self.f.prec {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        };
        if self.f.sharp && can_backquote(&s) {
            self.pad(&format!("`{s}`"));
            return;
        }
        let q = go_quote(&s, self.f.plus);
        self.pad(&q);
    }

    fn fmt_sx(&mut self, s: &str, upper: bool) {
        let digits: &[u8] = if upper {
            b"0123456789ABCDEFX"
        } else {
            b"0123456789abcdefx"
        };
        let b = s.as_bytes();
        let length = self.f.prec.map_or(b.len(), |p| p.min(b.len()));
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        let wid = self.f.wid.unwrap_or(0);
        if wid > width && !self.f.minus {
            self.write_padding(wid - width);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, c) in b.iter().take(length).enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 0xf) as usize] as char);
        }
        if wid > width && self.f.minus {
            self.write_padding(wid - width);
        }
    }

    fn fmt_integer(&mut self, v: &V, u: u64, signed: bool, verb: char) {
        match verb {
            'v' | 'd' => self.fmt_int(u, 10, signed, verb, false),
            'b' => self.fmt_int(u, 2, signed, verb, false),
            'o' | 'O' => self.fmt_int(u, 8, signed, verb, false),
            'x' => self.fmt_int(u, 16, signed, verb, false),
            'X' => self.fmt_int(u, 16, signed, verb, true),
            'c' => {
                let c = rune_of(u, signed);
                self.pad(&c.to_string());
            }
            'q' => {
                let c = rune_of(u, signed);
                let mut q = String::from("'");
                escape_rune(&mut q, c, '\'', self.f.plus);
                q.push('\'');
                self.pad(&q);
            }
            'U' => {
                let prec = self.f.prec.unwrap_or(4).max(4);
                let mut s = format!("U+{u:0prec$X}");
                let printable = u32::try_from(u)
                    .ok()
                    .and_then(char::from_u32)
                    .filter(|c| is_print(*c));
                if let Some(c) = printable.filter(|_| self.f.sharp) {
                    s.push_str(&format!(" '{c}'"));
                }
                let old = self.f.zero;
                self.f.zero = false;
                self.pad(&s);
                self.f.zero = old;
            }
            _ => self.bad_verb(v, verb),
        }
    }

    fn fmt_int(&mut self, mut u: u64, base: u64, signed: bool, verb: char, upper: bool) {
        let digits: &[u8] = if upper {
            b"0123456789ABCDEFX"
        } else {
            b"0123456789abcdefx"
        };
        let negative = signed && (u as i64) < 0;
        if negative {
            u = u.wrapping_neg();
        }
        let mut prec = 0;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid.unwrap_or(0));
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid.is_some() {
            prec = self.f.wid.unwrap_or(0);
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut rev: Vec<u8> = Vec::new();
        let mut n = u;
        loop {
            rev.push(digits[(n % base) as usize]);
            n /= base;
            if n == 0 {
                break;
            }
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let s = String::from_utf8_lossy(&rev).into_owned();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_float(&mut self, x: f64, verb: char, default_prec: Option<usize>) {
        let prec = self.f.prec.or(default_prec);
        let s = format_float(x, verb, prec);
        let mut num = if s.starts_with('-') || s.starts_with('+') {
            s
        } else {
            format!("+{s}")
        };
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        let second = num.as_bytes()[1];
        if second == b'I' || second == b'N' {
            let old = self.f.zero;
            self.f.zero = false;
            if second == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = old;
            return;
        }
        if self.f.plus || !num.starts_with('+') {
            if let Some(w) = self
                .f
                .wid
                .filter(|w| self.f.zero && !self.f.minus && *w > num.len())
            {
                self.buf.push_str(&num[..1]);
                self.write_padding(w - num.len());
                self.buf.push_str(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        let unsigned = num[1..].to_string();
        self.pad(&unsigned);
    }
}

fn rune_of(u: u64, signed: bool) -> char {
    if signed && (u as i64) < 0 {
        return '\u{fffd}';
    }
    u32::try_from(u)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{fffd}')
}

/// `fmt.Sprint(v)`.
fn sprint_v(v: &V) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf
}

/// `fmt.Sprint`: spaces between operands when neither is a string.
fn sprint(args: &[V]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, V::Str(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(a, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// `fmt.Sprintln`: always spaces, then a newline.
fn sprintln(args: &[V]) -> String {
    let mut p = Printer::default();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.f = Flags::default();
        p.print_arg(a, 'v');
    }
    p.buf.push('\n');
    p.buf
}

fn parsenum(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if num > TOO_LARGE {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num as usize, isnum, i)
}

fn int_from_arg(args: &[V], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= args.len() {
        return (0, false, arg_num);
    }
    let (num, ok) = match &args[arg_num] {
        V::Int(i) => (*i, true),
        V::Uint(u) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if !(-TOO_LARGE..=TOO_LARGE).contains(&num) {
        return (0, false, arg_num + 1);
    }
    (num, ok, arg_num + 1)
}

/// `fmt.Sprintf`.
fn sprintf(format: &str, args: &[V]) -> String {
    let fb = format.as_bytes();
    let end = fb.len();
    let mut p = Printer::default();
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut i = 0;
    // Go's argNumber: an explicit `[n]` index.
    let arg_number =
        |arg_num: usize, i: usize, reordered: &mut bool, good: &mut bool| -> (usize, usize, bool) {
            if i >= end || fb[i] != b'[' {
                return (arg_num, i, false);
            }
            *reordered = true;
            // parseArgNumber
            let (index, wid, ok) = 'parse: {
                if end - i < 3 {
                    break 'parse (0usize, 1usize, false);
                }
                for j in 1..end - i {
                    if fb[i + j] == b']' {
                        let (width, isnum, newi) = parsenum(fb, i + 1, i + j);
                        if !isnum || newi != i + j {
                            break 'parse (0, j + 1, false);
                        }
                        break 'parse (width.wrapping_sub(1), j + 1, true);
                    }
                }
                (0, 1, false)
            };
            if ok && index < args.len() {
                return (index, i + wid, true);
            }
            *good = false;
            (arg_num, i + wid, ok)
        };
    while i < end {
        let mut good = true;
        let lasti = i;
        while i < end && fb[i] != b'%' {
            i += 1;
        }
        if i > lasti {
            p.buf.push_str(&format[lasti..i]);
        }
        if i >= end {
            break;
        }
        i += 1;
        p.f = Flags::default();
        while i < end {
            match fb[i] {
                b'#' => p.f.sharp = true,
                b'0' => p.f.zero = !p.f.minus,
                b'+' => p.f.plus = true,
                b'-' => {
                    p.f.minus = true;
                    p.f.zero = false;
                }
                b' ' => p.f.space = true,
                _ => break,
            }
            i += 1;
        }
        let (an, ni, mut after_index) = arg_number(arg_num, i, &mut reordered, &mut good);
        arg_num = an;
        i = ni;
        if i < end && fb[i] == b'*' {
            i += 1;
            let (w, ok, an) = int_from_arg(args, arg_num);
            arg_num = an;
            if !ok {
                p.buf.push_str("%!(BADWIDTH)");
                p.f.wid = None;
            } else if w < 0 {
                p.f.wid = Some(w.unsigned_abs() as usize);
                p.f.minus = true;
                p.f.zero = false;
            } else {
                p.f.wid = Some(w as usize);
            }
            after_index = false;
        } else {
            let (w, isnum, ni) = parsenum(fb, i, end);
            i = ni;
            p.f.wid = if isnum { Some(w) } else { None };
            if after_index && isnum {
                good = false;
            }
        }
        if i + 1 < end && fb[i] == b'.' {
            i += 1;
            if after_index {
                good = false;
            }
            let (an, ni, ai) = arg_number(arg_num, i, &mut reordered, &mut good);
            arg_num = an;
            i = ni;
            after_index = ai;
            if i < end && fb[i] == b'*' {
                i += 1;
                let (pr, ok, an) = int_from_arg(args, arg_num);
                arg_num = an;
                if pr < 0 || !ok {
                    p.f.prec = None;
                } else {
                    p.f.prec = Some(pr as usize);
                }
                if !ok {
                    p.buf.push_str("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (pr, isnum, ni) = parsenum(fb, i, end);
                i = ni;
                p.f.prec = Some(if isnum { pr } else { 0 });
            }
        }
        if !after_index {
            let (an, ni, _) = arg_number(arg_num, i, &mut reordered, &mut good);
            arg_num = an;
            i = ni;
        }
        if i >= end {
            p.buf.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('?');
        i += verb.len_utf8();
        if verb == '%' {
            p.buf.push('%');
        } else if !good {
            p.buf.push_str(&format!("%!{verb}(BADINDEX)"));
        } else if arg_num >= args.len() {
            p.buf.push_str(&format!("%!{verb}(MISSING)"));
        } else {
            if verb == 'v' {
                p.f.sharp_v = p.f.sharp;
                p.f.sharp = false;
                p.f.plus = false;
            }
            p.print_arg(&args[arg_num], verb);
            arg_num += 1;
        }
    }
    if !reordered && arg_num < args.len() {
        p.f = Flags::default();
        p.buf.push_str("%!(EXTRA ");
        for (k, a) in args[arg_num..].iter().enumerate() {
            if k > 0 {
                p.buf.push_str(", ");
            }
            if a.is_nil() {
                p.buf.push_str("<nil>");
            } else {
                p.buf.push_str(&go_type(a));
                p.buf.push('=');
                p.print_arg(a, 'v');
            }
        }
        p.buf.push(')');
    }
    p.buf
}

// ---------------------------------------------------------------------------------
// Execution (text/template/exec.go)
// ---------------------------------------------------------------------------------

/// The node execution is at, for error messages (Go's `state.at`).
#[derive(Clone, Copy)]
enum Cur<'t> {
    None,
    Arg(&'t Arg),
    Cmd(&'t Cmd),
    Pipe(&'t Pipe),
    Template(&'t TemplateCall),
}

enum Flow {
    Normal,
    Break,
    Continue,
}

type R<X> = Result<X, TemplateError>;

struct Exec<'t> {
    src: &'t str,
    tree: &'t Tree,
    vars: Vec<(&'t str, V)>,
    cur: Cur<'t>,
    out: String,
    strict: bool,
    depth: usize,
}

fn location(src: &str, pos: usize) -> (usize, usize) {
    let before = &src[..pos.min(src.len())];
    let line = 1 + before.matches('\n').count();
    let col = match before.rfind('\n') {
        Some(nl) => pos - (nl + 1),
        None => pos,
    };
    (line, col)
}

impl<'t> Exec<'t> {
    fn err(&self, msg: impl fmt::Display) -> TemplateError {
        let (pos, ctx) = match self.cur {
            Cur::None => {
                return TemplateError {
                    message: format!("template: : {msg}"),
                }
            }
            Cur::Arg(a) => (a.pos(), a.to_string()),
            Cur::Cmd(c) => (c.pos, c.to_string()),
            Cur::Pipe(p) => (p.pos, p.to_string()),
            Cur::Template(t) => (t.pos, t.to_string()),
        };
        let (line, col) = location(self.src, pos);
        TemplateError {
            message: format!("template: :{line}:{col}: executing \"\" at <{ctx}>: {msg}"),
        }
    }

    fn walk_list(&mut self, dot: &V, list: &'t [Node]) -> R<Flow> {
        for n in list {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &V, node: &'t Node) -> R<Flow> {
        match node {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(pipe) => {
                self.cur = Cur::Pipe(pipe);
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    match v {
                        V::Missing => self.out.push_str("<no value>"),
                        v => self.out.push_str(&sprint_v(&v)),
                    }
                }
            }
            Node::If(c) => return self.walk_if_or_with(false, dot, c),
            Node::With(c) => return self.walk_if_or_with(true, dot, c),
            Node::Range(c) => return self.walk_range(dot, c),
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
            Node::Template(call) => self.walk_template(dot, call)?,
        }
        Ok(Flow::Normal)
    }

    fn walk_template(&mut self, dot: &V, call: &'t TemplateCall) -> R<()> {
        self.cur = Cur::Template(call);
        let tree = self.tree;
        let body = if call.name.is_empty() {
            Some(&tree.root)
        } else {
            tree.defs
                .iter()
                .find(|(n, _)| *n == call.name)
                .map(|(_, body)| body)
        };
        let Some(body) = body else {
            return Err(self.err(format!(
                "template {} not defined",
                go_quote(&call.name, false)
            )));
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return Err(self.err(format!(
                "exceeded maximum template depth ({MAX_EXEC_DEPTH})"
            )));
        }
        // Variables declared by the pipeline persist; the callee sees only `$`.
        let new_dot = match &call.pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => V::Missing,
        };
        let vars = std::mem::replace(&mut self.vars, vec![("$", new_dot.clone())]);
        self.depth += 1;
        let r = self.walk_list(&new_dot, body);
        self.depth -= 1;
        self.vars = vars;
        r.map(|_| ())
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &V, c: &'t Control) -> R<Flow> {
        let mark = self.vars.len();
        let val = self.eval_pipeline(dot, &c.pipe)?;
        let r = if truth(&val) {
            if with {
                self.walk_list(&val, &c.list)
            } else {
                self.walk_list(dot, &c.list)
            }
        } else if let Some(el) = &c.else_list {
            self.walk_list(dot, el)
        } else {
            Ok(Flow::Normal)
        };
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &V, c: &'t Control) -> R<Flow> {
        let mark0 = self.vars.len();
        let r = self.walk_range_inner(dot, c);
        self.vars.truncate(mark0);
        r
    }

    fn range_iteration(&mut self, c: &'t Control, mark: usize, index: V, elem: V) -> R<Flow> {
        let n = self.vars.len();
        if !c.pipe.decl.is_empty() {
            self.vars[n - 1].1 = elem.clone();
        }
        if c.pipe.decl.len() > 1 {
            self.vars[n - 2].1 = index;
        }
        let f = self.walk_list(&elem, &c.list);
        self.vars.truncate(mark);
        f
    }

    fn walk_range_inner(&mut self, dot: &V, c: &'t Control) -> R<Flow> {
        self.cur = Cur::Pipe(&c.pipe);
        let val = self.eval_pipeline(dot, &c.pipe)?;
        let mark = self.vars.len();
        let mut ran = false;
        match &val {
            V::List(items) => {
                for (i, e) in items.iter().enumerate() {
                    ran = true;
                    if let Flow::Break =
                        self.range_iteration(c, mark, V::Int(i as i64), e.clone())?
                    {
                        break;
                    }
                }
            }
            V::Map(m) => {
                for (k, e) in sorted_entries(m) {
                    ran = true;
                    if let Flow::Break = self.range_iteration(c, mark, V::str(k), e.clone())? {
                        break;
                    }
                }
            }
            V::Int(_) | V::Uint(_) => {
                if c.pipe.decl.len() > 1 {
                    return Err(self.err(format!(
                        "can't use {} to iterate over more than one variable",
                        sprint_v(&val)
                    )));
                }
                let n = match val {
                    V::Int(i) => i.max(0) as u64,
                    V::Uint(u) => u,
                    _ => 0,
                };
                for i in 0..n {
                    ran = true;
                    let iv = if let V::Uint(_) = val {
                        V::Uint(i)
                    } else {
                        V::Int(i as i64)
                    };
                    if let Flow::Break = self.range_iteration(c, mark, iv.clone(), iv)? {
                        break;
                    }
                }
            }
            V::Missing | V::Null => {}
            other => return Err(self.err(format!("range can't iterate over {}", sprint_v(other)))),
        }
        if let Some(el) = c.else_list.as_ref().filter(|_| !ran) {
            return self.walk_list(dot, el);
        }
        Ok(Flow::Normal)
    }

    fn eval_pipeline(&mut self, dot: &V, pipe: &'t Pipe) -> R<V> {
        self.cur = Cur::Pipe(pipe);
        let mut value: Option<V> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let v = value.unwrap_or(V::Missing);
        for name in &pipe.decl {
            if pipe.is_assign {
                match self
                    .vars
                    .iter_mut()
                    .rev()
                    .find(|(n, _)| *n == name.as_str())
                {
                    Some(slot) => slot.1 = v.clone(),
                    None => return Err(self.err(format!("undefined variable: {name}"))),
                }
            } else {
                self.vars.push((name.as_str(), v.clone()));
            }
        }
        Ok(v)
    }

    fn not_a_function(&self, cmd_args: &[Arg], final_: &Option<V>) -> R<()> {
        if cmd_args.len() > 1 || final_.is_some() {
            return Err(self.err(format!(
                "can't give argument to non-function {}",
                cmd_args[0]
            )));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &V, cmd: &'t Cmd, final_: Option<V>) -> R<V> {
        let first = &cmd.args[0];
        match first {
            Arg::Field(_, idents) => {
                self.cur = Cur::Arg(first);
                self.eval_field_chain(dot.clone(), false, idents, cmd.args.len(), final_)
            }
            Arg::Chain(..) => self.eval_chain(dot, first, cmd.args.len(), final_),
            Arg::Ident(..) => self.eval_function(dot, first, Some(cmd), &cmd.args[1..], final_),
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                self.eval_pipeline(dot, p)
            }
            Arg::Variable(..) => self.eval_variable(first, &cmd.args, final_),
            _ => {
                self.cur = Cur::Arg(first);
                self.not_a_function(&cmd.args, &final_)?;
                match first {
                    Arg::Bool(_, b) => Ok(V::Bool(*b)),
                    Arg::Dot(_) => Ok(dot.clone()),
                    Arg::Nil(_) => Err(self.err("nil is not a command")),
                    Arg::Number(_, n) => self.ideal_constant(first, n),
                    Arg::Str(_, _, s) => Ok(V::str(s)),
                    _ => Err(self.err(format!(
                        "can't evaluate command {}",
                        go_quote(&first.to_string(), false)
                    ))),
                }
            }
        }
    }

    fn ideal_constant(&mut self, node: &'t Arg, n: &Num) -> R<V> {
        self.cur = Cur::Arg(node);
        let t = &n.text;
        let is_hex = t.len() > 2
            && t.starts_with('0')
            && (t.as_bytes()[1] | 0x20) == b'x'
            && !t.contains(['p', 'P']);
        if n.float.is_some() && !is_hex && !n.is_char && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(V::Float(n.float.unwrap_or(0.0)));
        }
        if let Some(i) = n.int {
            return Ok(V::Int(i));
        }
        if n.uint.is_some() {
            return Err(self.err(format!("{t} overflows int")));
        }
        Ok(V::Missing)
    }

    /// Evaluates `.A.B.C` on `receiver`. `concrete` says whether the receiver is a
    /// fresh value (a function's result) rather than one taken out of the data.
    fn eval_field_chain(
        &mut self,
        receiver: V,
        concrete: bool,
        idents: &[String],
        nargs: usize,
        final_: Option<V>,
    ) -> R<V> {
        let mut r = receiver;
        let n = idents.len();
        for (i, id) in idents[..n - 1].iter().enumerate() {
            r = self.eval_field(id, 0, None, r, concrete && i == 0)?;
        }
        self.eval_field(&idents[n - 1], nargs, final_, r, concrete && n == 1)
    }

    fn eval_field(
        &mut self,
        name: &str,
        nargs: usize,
        final_: Option<V>,
        receiver: V,
        concrete: bool,
    ) -> R<V> {
        match receiver {
            V::Missing => {
                if self.strict {
                    return Err(self.err(format!(
                        "nil data; no entry for key {}",
                        go_quote(name, false)
                    )));
                }
                Ok(V::Missing)
            }
            V::Null => {
                if self.strict {
                    return Err(self.err(format!("nil pointer evaluating interface {{}}.{name}")));
                }
                Ok(V::Missing)
            }
            V::Map(m) => {
                if nargs > 1 || final_.is_some() {
                    return Err(self.err(format!("{name} is not a method but has arguments")));
                }
                match m.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => Ok(v.clone()),
                    None if self.strict => Err(self.err(format!(
                        "map has no entry for key {}",
                        go_quote(name, false)
                    ))),
                    None => Ok(V::Missing),
                }
            }
            // Values out of the decoded JSON sit in `interface {}` slots, as in the raw
            // `map[string]interface{}` that `docker inspect` falls back to.
            other => {
                let typ = if concrete {
                    go_type(&other)
                } else {
                    "interface {}".to_string()
                };
                Err(self.err(format!("can't evaluate field {name} in type {typ}")))
            }
        }
    }

    fn eval_chain(&mut self, dot: &V, node: &'t Arg, nargs: usize, final_: Option<V>) -> R<V> {
        self.cur = Cur::Arg(node);
        let Arg::Chain(_, term, fields) = node else {
            return Ok(V::Missing);
        };
        if let Arg::Nil(_) = **term {
            return Err(self.err(format!("indirection through explicit nil in {node}")));
        }
        let recv = self.eval_arg(dot, Ty::Value, term)?;
        self.eval_field_chain(recv, true, fields, nargs, final_)
    }

    fn eval_variable(&mut self, node: &'t Arg, cmd_args: &[Arg], final_: Option<V>) -> R<V> {
        self.cur = Cur::Arg(node);
        let Arg::Variable(_, name, idents) = node else {
            return Ok(V::Missing);
        };
        let value = match self.vars.iter().rev().find(|(n, _)| *n == name.as_str()) {
            Some((_, v)) => v.clone(),
            None => return Err(self.err(format!("undefined variable: {name}"))),
        };
        if idents.is_empty() {
            if !cmd_args.is_empty() {
                self.not_a_function(cmd_args, &final_)?;
            }
            return Ok(value);
        }
        self.eval_field_chain(value, false, idents, cmd_args.len(), final_)
    }

    fn eval_function(
        &mut self,
        dot: &V,
        ident: &'t Arg,
        cmd: Option<&'t Cmd>,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        self.cur = Cur::Arg(ident);
        let Arg::Ident(_, name) = ident else {
            return Ok(V::Missing);
        };
        let Some(func) = Func::from_name(name) else {
            return Err(self.err(format!(
                "{} is not a defined function",
                go_quote(name, false)
            )));
        };
        let call_node = cmd.map_or(Cur::Arg(ident), Cur::Cmd);
        let (fixed, variadic) = func.sig();
        let num_in = args.len() + usize::from(final_.is_some());
        if variadic.is_some() {
            if num_in < fixed.len() {
                return Err(self.err(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    fixed.len(),
                    args.len()
                )));
            }
        } else if num_in != fixed.len() {
            return Err(self.err(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                fixed.len()
            )));
        }
        if func == Func::And || func == Func::Or {
            let want = func == Func::Or;
            let mut v = V::Missing;
            for a in args {
                v = self.eval_arg(dot, Ty::Value, a)?;
                if truth(&v) == want {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = f;
            }
            return Ok(v);
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let ty = fixed.get(i).copied().or(variadic).unwrap_or(Ty::Any);
            argv.push(self.eval_arg(dot, ty, a)?);
        }
        if let Some(f) = final_ {
            let ty = if variadic.is_some() && num_in > fixed.len() {
                variadic.unwrap_or(Ty::Any)
            } else {
                fixed[num_in - 1]
            };
            argv.push(self.validate(f, ty)?);
        }
        match self.call(func, argv) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.cur = call_node;
                Err(self.err(format!("error calling {name}: {e}")))
            }
        }
    }

    fn eval_arg(&mut self, dot: &V, ty: Ty, node: &'t Arg) -> R<V> {
        self.cur = Cur::Arg(node);
        let v = match node {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => {
                return match ty {
                    Ty::Value | Ty::Any => Ok(V::Null),
                    Ty::StrSlice => Ok(V::List(Rc::new(Vec::new()))),
                    Ty::Str => Err(self.err("cannot assign nil to string")),
                    Ty::Int => Err(self.err("cannot assign nil to int")),
                }
            }
            Arg::Field(_, idents) => self.eval_field_chain(dot.clone(), false, idents, 1, None)?,
            Arg::Variable(..) => self.eval_variable(node, &[], None)?,
            Arg::Pipe(p) => self.eval_pipeline(dot, p)?,
            Arg::Ident(..) => self.eval_function(dot, node, None, &[], None)?,
            Arg::Chain(..) => self.eval_chain(dot, node, 0, None)?,
            Arg::Bool(_, b) => {
                return match ty {
                    Ty::Value | Ty::Any => Ok(V::Bool(*b)),
                    Ty::Str => Err(self.err(format!("expected string; found {node}"))),
                    Ty::Int => Err(self.err(format!("expected integer; found {node}"))),
                    Ty::StrSlice => {
                        Err(self.err(format!("can't handle {node} for arg of type []string")))
                    }
                }
            }
            Arg::Number(_, n) => {
                return match ty {
                    Ty::Value | Ty::Any => self.ideal_constant(node, n),
                    Ty::Int => match n.int {
                        Some(i) => Ok(V::Int(i)),
                        None => Err(self.err(format!("expected integer; found {node}"))),
                    },
                    Ty::Str => Err(self.err(format!("expected string; found {node}"))),
                    Ty::StrSlice => {
                        Err(self.err(format!("can't handle {node} for arg of type []string")))
                    }
                }
            }
            Arg::Str(_, _, s) => {
                return match ty {
                    Ty::Value | Ty::Any | Ty::Str => Ok(V::str(s)),
                    Ty::Int => Err(self.err(format!("expected integer; found {node}"))),
                    Ty::StrSlice => {
                        Err(self.err(format!("can't handle {node} for arg of type []string")))
                    }
                }
            }
        };
        self.validate(v, ty)
    }

    /// Go's `validateType`: checks a computed value against a parameter type.
    fn validate(&self, v: V, ty: Ty) -> R<V> {
        match ty {
            Ty::Value => Ok(v),
            Ty::Any => Ok(if let V::Missing = v { V::Null } else { v }),
            Ty::Str => match v {
                V::Str(_) => Ok(v),
                V::Missing | V::Null => Err(self.err("invalid value; expected string")),
                o => Err(self.err(format!(
                    "wrong type for value; expected string; got {}",
                    go_type(&o)
                ))),
            },
            Ty::Int => match v {
                V::Int(_) => Ok(v),
                V::Uint(u) if i64::try_from(u).is_ok() => Ok(V::Int(u as i64)),
                V::Missing | V::Null => Err(self.err("invalid value; expected int")),
                o => Err(self.err(format!(
                    "wrong type for value; expected int; got {}",
                    go_type(&o)
                ))),
            },
            Ty::StrSlice => match v {
                V::Missing | V::Null => Ok(V::List(Rc::new(Vec::new()))),
                V::List(ref l) if l.iter().all(|e| matches!(e, V::Str(_))) => Ok(v),
                o => Err(self.err(format!(
                    "wrong type for value; expected []string; got {}",
                    go_type(&o)
                ))),
            },
        }
    }

    /// Runs a builtin; `Err` is the function's own error (wrapped by the caller).
    fn call(&self, func: Func, a: Vec<V>) -> Result<V, String> {
        let s = |i: usize| -> &str {
            match &a[i] {
                V::Str(s) => s,
                _ => "",
            }
        };
        let n = |i: usize| -> i64 {
            match &a[i] {
                V::Int(x) => *x,
                _ => 0,
            }
        };
        Ok(match func {
            Func::And | Func::Or => V::Missing,
            Func::Not => V::Bool(!truth(&a[0])),
            Func::Len => match &a[0] {
                V::Str(s) => V::Int(s.len() as i64),
                V::List(l) => V::Int(l.len() as i64),
                V::Map(m) => V::Int(m.len() as i64),
                V::Null if self.strict => return Err("len of nil pointer".into()),
                V::Null => V::Int(0),
                V::Missing => {
                    return Err("reflect: call of reflect.Value.Type on zero Value".into())
                }
                o => return Err(format!("len of type {}", go_type(o))),
            },
            Func::Index => {
                let mut item = a[0].clone();
                if item.is_nil() {
                    return Err("index of untyped nil".into());
                }
                for idx in &a[1..] {
                    item = match &item {
                        V::List(l) => {
                            let x = index_arg(idx, l.len())?;
                            if x == l.len() {
                                return Err("reflect: slice index out of range".into());
                            }
                            l[x].clone()
                        }
                        V::Str(st) => {
                            let x = index_arg(idx, st.len())?;
                            if x == st.len() {
                                return Err("reflect: string index out of range".into());
                            }
                            V::Int(i64::from(st.as_bytes()[x]))
                        }
                        V::Map(m) => {
                            let key = match idx {
                                V::Str(k) => k.clone(),
                                V::Missing | V::Null => {
                                    return Err("value is nil; should be of type string".into())
                                }
                                o => {
                                    return Err(format!(
                                        "value has type {}; should be string",
                                        go_type(o)
                                    ))
                                }
                            };
                            match m.iter().find(|(k, _)| **k == *key) {
                                Some((_, v)) => v.clone(),
                                // The zero value of the map's element type: "" for the
                                // map[string]string the CLI decodes labels into.
                                None if !self.strict
                                    && m.iter().all(|(_, v)| matches!(v, V::Str(_))) =>
                                {
                                    V::str("")
                                }
                                None => V::Missing,
                            }
                        }
                        V::Missing | V::Null => return Err("index of nil pointer".into()),
                        o => return Err(format!("can't index item of type {}", go_type(o))),
                    };
                }
                item
            }
            Func::Slice => {
                let item = &a[0];
                if item.is_nil() {
                    return Err("slice of untyped nil".into());
                }
                let idx = &a[1..];
                if idx.len() > 3 {
                    return Err(format!("too many slice indexes: {}", idx.len()));
                }
                let len = match item {
                    V::Str(st) => {
                        if idx.len() == 3 {
                            return Err("cannot 3-index slice a string".into());
                        }
                        st.len()
                    }
                    V::List(l) => l.len(),
                    o => return Err(format!("can't slice item of type {}", go_type(o))),
                };
                let mut bounds = [0, len, len];
                for (i, x) in idx.iter().enumerate() {
                    bounds[i] = index_arg(x, len)?;
                }
                if bounds[0] > bounds[1] {
                    return Err(format!(
                        "invalid slice index: {} > {}",
                        bounds[0], bounds[1]
                    ));
                }
                if idx.len() == 3 && bounds[1] > bounds[2] {
                    return Err(format!(
                        "invalid slice index: {} > {}",
                        bounds[1], bounds[2]
                    ));
                }
                match item {
                    V::Str(st) => byte_str(&st.as_bytes()[bounds[0]..bounds[1]]),
                    V::List(l) => V::List(Rc::new(l[bounds[0]..bounds[1]].to_vec())),
                    _ => V::Missing,
                }
            }
            Func::Eq => {
                if a.len() < 2 {
                    return Err("missing argument for comparison".into());
                }
                for b in &a[1..] {
                    if eq2(&a[0], b)? {
                        return Ok(V::Bool(true));
                    }
                }
                V::Bool(false)
            }
            Func::Ne => V::Bool(!eq2(&a[0], &a[1])?),
            Func::Lt => V::Bool(lt2(&a[0], &a[1])?),
            Func::Le => V::Bool(lt2(&a[0], &a[1])? || eq2(&a[0], &a[1])?),
            Func::Gt => V::Bool(!(lt2(&a[0], &a[1])? || eq2(&a[0], &a[1])?)),
            Func::Ge => V::Bool(!lt2(&a[0], &a[1])?),
            Func::Print => V::str(&sprint(&a)),
            Func::Println => V::str(&sprintln(&a)),
            Func::Printf => V::str(&sprintf(s(0), &a[1..])),
            Func::Html => V::str(&html_escape(&eval_args(&a))),
            Func::Js => V::str(&js_escape(&eval_args(&a))),
            Func::Urlquery => V::str(&url_query_escape(&eval_args(&a))),
            Func::Call => {
                return Err(match &a[0] {
                    V::Missing | V::Null => "call of nil".into(),
                    o => format!("non-function of type {}", go_type(o)),
                })
            }
            Func::Json => {
                let mut out = String::new();
                json_encode(&a[0], &mut out);
                V::str(&out)
            }
            Func::Split => {
                let (st, sep) = (s(0), s(1));
                if sep.is_empty() {
                    string_list(st.chars().map(String::from).collect())
                } else {
                    string_list(st.split(sep).map(String::from).collect())
                }
            }
            Func::Join => {
                let parts: Vec<String> = match &a[0] {
                    V::List(l) => l
                        .iter()
                        .map(|e| {
                            if let V::Str(x) = e {
                                x.to_string()
                            } else {
                                String::new()
                            }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                V::str(&parts.join(s(1)))
            }
            Func::Title => V::str(&title(s(0))),
            Func::Lower => V::str(&map_case(s(0), false)),
            Func::Upper => V::str(&map_case(s(0), true)),
            Func::Pad => {
                let (src, prefix, suffix) = (s(0), n(1), n(2));
                if src.is_empty() {
                    V::str("")
                } else if prefix < 0 || suffix < 0 {
                    return Err("strings: negative Repeat count".into());
                } else {
                    V::str(&format!(
                        "{}{}{}",
                        " ".repeat(prefix as usize),
                        src,
                        " ".repeat(suffix as usize)
                    ))
                }
            }
            Func::Truncate => {
                let (src, length) = (s(0), n(1));
                if (src.len() as i64) < length {
                    V::str(src)
                } else if length < 0 {
                    return Err(format!(
                        "runtime error: slice bounds out of range [:{length}]"
                    ));
                } else {
                    byte_str(&src.as_bytes()[..length as usize])
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container() -> Value {
        json!({
            "Id": "4f1c2a9e3b7d",
            "Created": "2024-05-01T12:00:00.000000000Z",
            "Path": "/docker-entrypoint.sh",
            "Args": ["nginx", "-g", "daemon off;"],
            "State": {
                "Status": "running",
                "Running": true,
                "Paused": false,
                "Restarting": false,
                "Pid": 4242,
                "ExitCode": 0,
                "Error": "",
                "StartedAt": "2024-05-01T12:00:01Z"
            },
            "Image": "sha256:a8758716bb6a",
            "Name": "/web",
            "RestartCount": 0,
            "Mounts": [],
            "Config": {
                "Hostname": "4f1c2a9e3b7d",
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin", "NGINX_VERSION=1.25.3"],
                "Cmd": ["nginx", "-g", "daemon off;"],
                "Image": "nginx:latest",
                "Entrypoint": null,
                "Labels": {"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"},
                "ExposedPorts": {"80/tcp": {}}
            },
            "HostConfig": {"Memory": 0, "NanoCpus": 0, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}},
            "NetworkSettings": {
                "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]},
                "Networks": {
                    "bridge": {"IPAddress": "172.17.0.2", "Gateway": "172.17.0.1", "IPAMConfig": null},
                    "appnet": {"IPAddress": "172.18.0.3", "Gateway": "172.18.0.1", "IPAMConfig": null}
                }
            }
        })
    }

    fn r(t: &str) -> String {
        match render(t, &container()) {
            Ok(s) => s,
            Err(e) => panic!("template {t:?} failed: {e}"),
        }
    }

    fn r_on(t: &str, data: Value) -> String {
        match render(t, &data) {
            Ok(s) => s,
            Err(e) => panic!("template {t:?} failed: {e}"),
        }
    }

    fn e(t: &str) -> String {
        match render(t, &container()) {
            Ok(s) => panic!("template {t:?} should fail, rendered {s:?}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn plain_fields() {
        assert_eq!(r("{{.State.Status}}"), "running");
        assert_eq!(r("{{.State.Pid}}"), "4242");
        assert_eq!(r("{{.State.Running}}"), "true");
        assert_eq!(r("{{.Name}} is {{.State.Status}}"), "/web is running");
        assert_eq!(r("{{ .Config.Image }}"), "nginx:latest");
        assert_eq!(r("no actions"), "no actions");
        assert_eq!(r(""), "");
    }

    #[test]
    fn value_printing_like_go_fmt() {
        assert_eq!(r("{{.Config.Cmd}}"), "[nginx -g daemon off;]");
        assert_eq!(
            r_on(
                "{{.Config.Labels}}",
                json!({"Config": {"Labels": {"a": "b"}}})
            ),
            "map[a:b]"
        );
        assert_eq!(
            r_on("{{.}}", json!({"b": 1, "a": [true, null], "c": {"z": "y"}})),
            "map[a:[true <nil>] b:1 c:map[z:y]]"
        );
        assert_eq!(r("{{.Mounts}}"), "[]");
        assert_eq!(r("{{.Config.Entrypoint}}"), "<nil>");
        assert_eq!(r("{{.Nope}}"), "<no value>");
        assert_eq!(r("{{.Nope.Deeper}}"), "<no value>");
        assert_eq!(r("{{.Config.ExposedPorts}}"), "map[80/tcp:map[]]");
        assert_eq!(r_on("{{.}}", json!(1.5)), "1.5");
        assert_eq!(r_on("{{.}}", json!(1000000.0)), "1e+06");
        assert_eq!(r_on("{{.}}", json!(100000.0)), "100000");
        assert_eq!(r_on("{{.}}", json!(2.0)), "2");
        assert_eq!(r_on("{{.}}", json!(0.0001)), "0.0001");
        assert_eq!(r_on("{{.}}", json!(0.00001)), "1e-05");
        assert_eq!(r_on("{{.}}", json!(123456789.0)), "1.23456789e+08");
        assert_eq!(r_on("{{.}}", json!(-2.5e-10)), "-2.5e-10");
        assert_eq!(
            r_on("{{.}}", json!(18446744073709551615u64)),
            "18446744073709551615"
        );
        assert_eq!(r_on("{{.}}", json!(-7)), "-7");
    }

    #[test]
    fn json_function() {
        assert_eq!(
            r("{{json .Config.Env}}"),
            r#"["PATH=/usr/local/sbin:/usr/local/bin","NGINX_VERSION=1.25.3"]"#
        );
        assert_eq!(
            r("{{json .Config.Labels}}"),
            r#"{"maintainer":"NGINX Docker Maintainers <docker-maint@nginx.com>"}"#
        );
        assert_eq!(r("{{json .State.Pid}}"), "4242");
        assert_eq!(r("{{json .Nope}}"), "null");
        assert_eq!(
            r("{{.NetworkSettings.Ports | json}}"),
            r#"{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}]}"#
        );
        assert_eq!(
            r_on(
                "{{json .}}",
                json!({"f": 1000000.0, "g": 1.5, "h": 1e21, "i": 1e-7, "s": "a\"b\\c\n\u{1}<&>"})
            ),
            r#"{"f":1000000,"g":1.5,"h":1e+21,"i":1e-7,"s":"a\"b\\c\n\u0001<&>"}"#
        );
    }

    #[test]
    fn range_over_arrays_and_objects() {
        assert_eq!(
            r("{{range .Config.Env}}{{println .}}{{end}}"),
            "PATH=/usr/local/sbin:/usr/local/bin\nNGINX_VERSION=1.25.3\n"
        );
        assert_eq!(
            r("{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}}\n{{end}}"),
            "appnet 172.18.0.3\nbridge 172.17.0.2\n"
        );
        assert_eq!(
            r("{{range $i, $a := .Args}}{{$i}}={{$a}};{{end}}"),
            "0=nginx;1=-g;2=daemon off;;"
        );
        assert_eq!(
            r("{{range $a := .Args}}[{{$a}}]{{end}}"),
            "[nginx][-g][daemon off;]"
        );
        assert_eq!(r("{{range .Mounts}}x{{else}}no mounts{{end}}"), "no mounts");
        assert_eq!(r("{{range .Nope}}x{{else}}none{{end}}"), "none");
        assert_eq!(
            r("{{range $p, $conf := .NetworkSettings.Ports}}{{$p}} -> {{(index $conf 0).HostPort}}{{end}}"),
            "80/tcp -> 8080"
        );
        assert_eq!(
            r("{{range .Args}}{{if eq . \"-g\"}}{{continue}}{{end}}{{.}} {{end}}"),
            "nginx daemon off; "
        );
        assert_eq!(
            r("{{range .Args}}{{if eq . \"-g\"}}{{break}}{{end}}{{.}}{{end}}"),
            "nginx"
        );
        assert_eq!(r("{{range 3}}{{.}}{{end}}"), "012");
        assert_eq!(r("{{range $i, $e := .Args}}{{end}}{{len .Args}}"), "3");
        // The root is still reachable inside a range.
        assert_eq!(r("{{range .Args}}{{$.Name}}{{end}}"), "/web/web/web");
    }

    #[test]
    fn conditionals_and_with() {
        assert_eq!(r("{{if .State.Running}}up{{else}}down{{end}}"), "up");
        assert_eq!(
            r("{{if .State.Paused}}paused{{else if .State.Running}}running{{else}}stopped{{end}}"),
            "running"
        );
        assert_eq!(r("{{if .State.ExitCode}}failed{{else}}ok{{end}}"), "ok");
        assert_eq!(
            r("{{if .Config.Entrypoint}}ep{{else}}no ep{{end}}"),
            "no ep"
        );
        assert_eq!(r("{{if .Mounts}}m{{else}}no m{{end}}"), "no m");
        assert_eq!(r("{{if .State.Error}}e{{else}}no e{{end}}"), "no e");
        assert_eq!(
            r("{{with .State}}{{.Status}} {{.Pid}}{{end}}"),
            "running 4242"
        );
        assert_eq!(
            r("{{with .Nope}}x{{else}}fallback {{.Name}}{{end}}"),
            "fallback /web"
        );
        assert_eq!(
            r("{{with .Nope}}x{{else with .State}}{{.Status}}{{end}}"),
            "running"
        );
        assert_eq!(
            r("{{if and .State.Running (not .State.Paused)}}yes{{end}}"),
            "yes"
        );
        assert_eq!(
            r("{{if or .State.Paused .State.Restarting}}yes{{else}}no{{end}}"),
            "no"
        );
        assert_eq!(
            r("{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{or 0 false}} {{and 1 2}}"),
            "0 x false 2"
        );
        // and/or short-circuit: the failing call is never made.
        assert_eq!(r("{{if or true (index .Args 99)}}ok{{end}}"), "ok");
    }

    #[test]
    fn variables() {
        assert_eq!(r("{{$n := .Name}}{{$n}}"), "/web");
        assert_eq!(r("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"), "2");
        assert!(r("{{$}}").starts_with("map["));
        assert_eq!(
            r("{{with .State}}{{$.Name}}:{{.Status}}{{end}}"),
            "/web:running"
        );
        assert_eq!(r("{{$s := .State}}{{$s.Pid}}"), "4242");
    }

    #[test]
    fn builtins() {
        assert_eq!(
            r("{{index .Config.Labels \"maintainer\"}}"),
            "NGINX Docker Maintainers <docker-maint@nginx.com>"
        );
        assert_eq!(r("{{index .Config.Labels \"nope\"}}"), "");
        assert_eq!(r("{{index .Args 1}}"), "-g");
        assert_eq!(
            r("{{index .NetworkSettings.Ports \"80/tcp\" 0 \"HostPort\"}}"),
            "8080"
        );
        assert_eq!(
            r("{{len .Args}} {{len .Name}} {{len .Config.Labels}}"),
            "3 4 1"
        );
        assert_eq!(
            r("{{slice .Args 1}} {{slice .Name 1 3}} {{slice .Id 0 4}}"),
            "[-g daemon off;] we 4f1c"
        );
        assert_eq!(
            r("{{eq .State.Status \"running\"}} {{ne .State.Pid 0}} {{eq .State.Status \"a\" \"running\"}}"),
            "true true true"
        );
        assert_eq!(
            r("{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge \"b\" \"a\"}}"),
            "true true false true"
        );
        assert_eq!(r("{{if eq .State.ExitCode 0}}clean{{end}}"), "clean");
        assert_eq!(r("{{eq .Nope nil}} {{eq .Name nil}}"), "true false");
        assert_eq!(r("{{not .State.Running}}"), "false");
        assert_eq!(r("{{print .Name 1 2 \"x\" 3}}"), "/web1 2x3");
        assert_eq!(r("{{print .Nope}}"), "<nil>");
        assert_eq!(r("{{println .Name .State.Pid}}"), "/web 4242\n");
        assert_eq!(
            r("{{html \"<a href='x'>&</a>\"}}"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(r("{{js \"it's <b>\"}}"), "it\\'s \\u003Cb\\u003E");
        assert_eq!(r("{{urlquery \"a b&c=d/é\"}}"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(r("{{index \"abc\" 1}}"), "98");
        assert_eq!(r("{{len (split .Name \"/\")}}"), "2");
    }

    #[test]
    fn printf() {
        assert_eq!(r("{{printf \"%-10s|\" .Name}}"), "/web      |");
        assert_eq!(r("{{printf \"%10s|\" .Name}}"), "      /web|");
        assert_eq!(r("{{printf \"%s:%d\" .Name .State.Pid}}"), "/web:4242");
        assert_eq!(
            r("{{printf \"%v %v %v\" .Args .State.Running .Nope}}"),
            "[nginx -g daemon off;] true <nil>"
        );
        assert_eq!(r("{{printf \"%q\" .Name}}"), "\"/web\"");
        assert_eq!(
            r("{{printf \"%q\" .Args}}"),
            "[\"nginx\" \"-g\" \"daemon off;\"]"
        );
        assert_eq!(
            r("{{printf \"%t %x %X %o %b\" true 255 255 8 5}}"),
            "true ff FF 10 101"
        );
        assert_eq!(
            r("{{printf \"%05d|%-5d|%+d|%x\" 42 42 42 \"hi\"}}"),
            "00042|42   |+42|6869"
        );
        assert_eq!(
            r("{{printf \"%.2f %e %g %v\" 3.14159 1234.5678 0.000012 2.50}}"),
            "3.14 1.234568e+03 1.2e-05 2.5"
        );
        assert_eq!(
            r("{{printf \"%6.2f|%-8.3f|%08.3f\" 3.14159 2.0 -3.5}}"),
            "  3.14|2.000   |-003.500"
        );
        assert_eq!(r("{{printf \"%d%%\" 50}}"), "50%");
        assert_eq!(r("{{printf \"%d\" .Name}}"), "%!d(string=/web)");
        assert_eq!(r("{{printf \"%s\" .State.Pid}}"), "%!s(int=4242)");
        assert_eq!(r("{{printf \"%s %s\" .Name}}"), "/web %!s(MISSING)");
        assert_eq!(r("{{printf \"%s\" .Name 1}}"), "/web%!(EXTRA int=1)");
        assert_eq!(r("{{printf \"%[2]s %[1]s\" \"a\" \"b\"}}"), "b a");
        assert_eq!(r("{{printf \"%*d|\" 5 42}}"), "   42|");
        assert_eq!(r("{{printf \"%.3s\" .Id}}"), "4f1");
        assert_eq!(
            r("{{printf \"%T %T %T %T\" .Name .State.Pid .Args .Config.Labels}}"),
            "string int []string map[string]string"
        );
        assert_eq!(r("{{printf \"%c%c\" 72 105}}"), "Hi");
        assert_eq!(r("{{printf \"%q\" 'x'}}"), "'x'");
        assert_eq!(r("{{printf \"%U\" 0x1F600}}"), "U+1F600");
        assert_eq!(r("{{.Name | printf \"name=%s\"}}"), "name=/web");
        assert_eq!(
            r("{{printf \"%v\" .Config.Labels}}"),
            "map[maintainer:NGINX Docker Maintainers <docker-maint@nginx.com>]"
        );
        assert_eq!(
            r("{{printf \"%d\" .Args}}"),
            "[%!d(string=nginx) %!d(string=-g) %!d(string=daemon off;)]"
        );
    }

    #[test]
    fn docker_functions() {
        assert_eq!(
            r("{{upper .Name}} {{lower \"ABC\"}} {{title \"hello wide-world\"}}"),
            "/WEB abc Hello Wide-World"
        );
        assert_eq!(r("{{join .Args \",\"}}"), "nginx,-g,daemon off;");
        assert_eq!(
            r_on("{{join .Args \",\"}}", json!({"Args": ["a", "b"]})),
            "a,b"
        );
        assert_eq!(r("{{split .Config.Image \":\"}}"), "[nginx latest]");
        assert_eq!(r("{{index (split .Config.Image \":\") 1}}"), "latest");
        assert_eq!(r("{{split \"\" \",\"}} {{len (split \"\" \",\")}}"), "[] 1");
        assert_eq!(
            r("[{{pad .Name 2 3}}] [{{pad \"\" 2 3}}]"),
            "[  /web   ] []"
        );
        assert_eq!(r("{{truncate .Id 4}} {{truncate .Name 10}}"), "4f1c /web");
        assert_eq!(r("{{.Name | upper}}"), "/WEB");
        // The piped value is the *last* argument, so this passes 3 as the string.
        assert_eq!(
            e("{{.Name | truncate 3}}"),
            "template: :1:19: executing \"\" at <3>: expected string; found 3"
        );
    }

    #[test]
    fn pipelines_and_literals() {
        assert_eq!(r("{{.Args | len}}"), "3");
        assert_eq!(r("{{\"a\\tb\\u00e9\\x41\"}}"), "a\tbéA");
        assert_eq!(r("{{`raw \\n`}}"), "raw \\n");
        assert_eq!(
            r("{{1}} {{-2}} {{3.5}} {{1e3}} {{0x1F}} {{'a'}} {{true}} {{1_000}}"),
            "1 -2 3.5 1000 31 97 true 1000"
        );
        assert_eq!(r("{{(.State).Status}}"), "running");
        assert_eq!(
            r("{{(index .NetworkSettings.Networks \"bridge\").Gateway}}"),
            "172.17.0.1"
        );
        assert_eq!(
            r("{{printf \"%s-%s\" (upper .Config.Image) (lower \"X\")}}"),
            "NGINX:LATEST-x"
        );
        assert_eq!(r("{{\"x\" | printf \"%s%s\" \"y\"}}"), "yx");
    }

    #[test]
    fn trim_markers_and_comments() {
        assert_eq!(r("a  {{- .State.Status -}}  b"), "arunningb");
        assert_eq!(r("a \n {{- .State.Status}} \n b"), "arunning \n b");
        assert_eq!(
            r("{{range .Args -}}\n  {{.}}\n{{- end}}"),
            "nginx-gdaemon off;"
        );
        assert_eq!(r("x {{/* a comment */}} y"), "x  y");
        assert_eq!(r("x {{- /* a comment */ -}} y"), "xy");
        assert_eq!(r("{{-3}}"), "-3");
        assert_eq!(r("{{.State.Pid -}} !"), "4242!");
        assert_eq!(r("{{if .State.Running}}\n  up\n{{- end}}"), "\n  up");
        assert_eq!(r("{{\n.Name\n}}"), "/web");
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            e("{{.State.Status }"),
            "template: :1: unexpected \"}\" in operand"
        );
        assert_eq!(
            e("{{.State.Status}"),
            "template: :1: bad character U+007D '}'"
        );
        assert_eq!(
            e("{{foo .Name}}"),
            "template: :1: function \"foo\" not defined"
        );
        assert_eq!(e("{{.Name"), "template: :1: unclosed action");
        assert_eq!(e("{{if .A}}x"), "template: :1: unexpected EOF");
        assert_eq!(e("{{end}}"), "template: :1: unexpected {{end}}");
        assert_eq!(e("{{else}}"), "template: :1: unexpected {{else}}");
        assert_eq!(e("{{$x}}"), "template: :1: undefined variable \"$x\"");
        assert_eq!(e("{{}}"), "template: :1: missing value for command");
        assert_eq!(e("{{if}}{{end}}"), "template: :1: missing value for if");
        assert_eq!(e("{{\"abc}}"), "template: :1: unterminated quoted string");
        assert_eq!(e("{{/* x }}"), "template: :1: unclosed comment");
        assert_eq!(
            e("{{.A | 3}}"),
            "template: :1: non executable command in pipeline stage 2"
        );
        assert_eq!(e("{{(.A}}"), "template: :1: unclosed left paren");
        assert_eq!(e("{{.A)}}"), "template: :1: unexpected right paren");
        assert_eq!(e("{{break}}"), "template: :1: {{break}} outside {{range}}");
        assert_eq!(e("{{.A#}}"), "template: :1: bad character U+0023 '#'");
        assert_eq!(e("{{3x}}"), "template: :1: bad number syntax: \"3x\"");
        assert_eq!(
            e("{{if .A}}{{else}}{{else}}{{end}}"),
            "template: :1: expected end; found {{else}}"
        );
        assert_eq!(
            e("line1\n{{.A}}\n{{.B.}}"),
            "template: :3: unexpected <.> in operand"
        );
        assert_eq!(
            e("{{range $a, $b, $c := .}}{{end}}"),
            "template: :1: too many declarations in range"
        );
        assert_eq!(
            e("{{\"x\".Foo}}"),
            "template: :1: unexpected . after term \"\\\"x\\\"\""
        );
        assert_eq!(e("{{\"\\q\"}}"), "template: :1: invalid syntax");
        assert_eq!(
            e("{{define \"x\"}}a{{end}}{{define \"x\"}}b{{end}}"),
            "template: :1: template: multiple definition of template \"x\""
        );
        assert_eq!(
            e("{{if true}}{{define \"x\"}}{{end}}{{end}}"),
            "template: :1: unexpected <define> in command"
        );
        assert_eq!(
            e(&format!("{{{{{}1{}}}}}", "(".repeat(300), ")".repeat(300))),
            "template: :1: max expression depth exceeded"
        );
        assert_eq!(check("{{.Name}}"), Ok(()));
    }

    #[test]
    fn exec_errors() {
        assert_eq!(
            e("{{.Name.Foo}}"),
            "template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type interface {}"
        );
        assert_eq!(
            e("{{.State.Pid.X}}"),
            "template: :1:8: executing \"\" at <.State.Pid.X>: can't evaluate field X in type interface {}"
        );
        assert_eq!(
            e("{{.Args.X}}"),
            "template: :1:7: executing \"\" at <.Args.X>: can't evaluate field X in type interface {}"
        );
        // Go reports the node it evaluated last (`.Name`), and the concrete type.
        assert_eq!(
            e("{{(upper .Name).X}}"),
            "template: :1:9: executing \"\" at <.Name>: can't evaluate field X in type string"
        );
        assert_eq!(
            e("{{index .Args 5}}"),
            "template: :1:2: executing \"\" at <index .Args 5>: error calling index: index out of range: 5"
        );
        assert_eq!(
            e("{{join .Args}}"),
            "template: :1:2: executing \"\" at <join>: wrong number of args for join: want 2 got 1"
        );
        assert_eq!(
            e("{{upper .State.Pid}}"),
            "template: :1:14: executing \"\" at <.State.Pid>: wrong type for value; expected string; got int"
        );
        assert_eq!(
            e("{{truncate .Name \"x\"}}"),
            "template: :1:17: executing \"\" at <\"x\">: expected integer; found \"x\""
        );
        assert_eq!(
            e("{{eq .Name 1}}"),
            "template: :1:2: executing \"\" at <eq .Name 1>: error calling eq: incompatible types for comparison"
        );
        assert_eq!(
            e("{{lt .Nope 1}}"),
            "template: :1:2: executing \"\" at <lt .Nope 1>: error calling lt: invalid type for comparison"
        );
        assert_eq!(
            e("{{len .State.Pid}}"),
            "template: :1:2: executing \"\" at <len .State.Pid>: error calling len: len of type int"
        );
        assert_eq!(
            e("{{range .State.Pid.X}}{{end}}"),
            "template: :1:14: executing \"\" at <.State.Pid.X>: can't evaluate field X in type interface {}"
        );
        assert_eq!(
            e("{{range .Name}}{{end}}"),
            "template: :1:8: executing \"\" at <.Name>: range can't iterate over /web"
        );
        assert_eq!(
            e("{{.Name 1}}"),
            "template: :1:2: executing \"\" at <.Name>: Name is not a method but has arguments"
        );
        assert_eq!(
            e("{{nil}}"),
            "template: :1:2: executing \"\" at <nil>: nil is not a command"
        );
        assert_eq!(
            e("{{$x := 1}}{{$x 2}}"),
            "template: :1:13: executing \"\" at <$x>: can't give argument to non-function $x"
        );
        assert_eq!(
            e("{{truncate .Name -1}}"),
            "template: :1:2: executing \"\" at <truncate .Name -1>: error calling truncate: runtime error: slice bounds out of range [:-1]"
        );
        assert_eq!(
            e("x\n  {{.Name.Foo}}"),
            "template: :2:9: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type interface {}"
        );
    }

    #[test]
    fn define_template_block() {
        assert_eq!(
            r(r#"{{define "st"}}{{.Status}}/{{.Pid}}{{end}}{{template "st" .State}}"#),
            "running/4242"
        );
        assert_eq!(r(r#"{{block "b" .Name}}[{{.}}]{{end}}!"#), "[/web]!");
        assert_eq!(
            r(r#"{{define "b"}} {{end}}{{block "b" .Name}}[{{.}}]{{end}}"#),
            "[/web]"
        );
        assert_eq!(
            e(r#"{{define "b"}}<{{.}}>{{end}}{{block "b" .Name}}[{{.}}]{{end}}"#),
            "template: :1: template: multiple definition of template \"b\""
        );
        assert_eq!(
            r(r#"{{define "x"}}{{.}}{{end}}{{template "x"}}"#),
            "<no value>"
        );
        assert_eq!(
            e(r#"{{template "x"}}"#),
            "template: :1:11: executing \"\" at <{{template \"x\"}}>: template \"x\" not defined"
        );
        assert_eq!(
            e(r#"{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}"#),
            "template: :1:25: executing \"\" at <{{template \"r\" .}}>: exceeded maximum template depth (100)"
        );
        // Variables do not leak into a template; `$` is the template's argument.
        assert_eq!(
            e(r#"{{define "v"}}{{$x}}{{end}}{{$x := 1}}{{template "v"}}"#),
            "template: :1: undefined variable \"$x\""
        );
        assert_eq!(
            r(r#"{{define "v"}}{{$.Pid}}{{end}}{{template "v" .State}}"#),
            "4242"
        );
    }

    #[test]
    fn missing_key_error_option() {
        let strict = Options {
            missing_key_error: true,
        };
        let err =
            render_with_options("{{.State.Health.Status}}", &container(), strict).unwrap_err();
        assert_eq!(
            err.message,
            "template: :1:8: executing \"\" at <.State.Health.Status>: map has no entry for key \"Health\""
        );
        let err = render_with_options("{{.State.Status}}", &json!({"Id": "sha256:x"}), strict)
            .unwrap_err();
        assert_eq!(
            err.message,
            "template: :1:8: executing \"\" at <.State.Status>: map has no entry for key \"State\""
        );
        assert_eq!(
            render_with_options("{{.State.Status}}", &container(), strict).unwrap(),
            "running"
        );
        assert_eq!(
            render("{{.State.Health.Status}}", &container()).unwrap(),
            "<no value>"
        );
    }

    #[test]
    fn display_is_the_message() {
        let err = render("{{foo}}", &json!({})).unwrap_err();
        assert_eq!(err.to_string(), err.message);
    }

    #[test]
    fn float_formatting_helpers() {
        assert_eq!(format_float(0.0, 'g', None), "0");
        assert_eq!(format_float(1e21, 'g', None), "1e+21");
        assert_eq!(format_float(123456.0, 'g', None), "123456");
        assert_eq!(format_float(1234567.0, 'g', None), "1.234567e+06");
        assert_eq!(format_float(3.0, 'e', Some(2)), "3.00e+00");
        assert_eq!(format_float(1234.5678, 'g', Some(3)), "1.23e+03");
        assert_eq!(format_float(100.0, 'g', Some(3)), "100");
        assert_eq!(format_float(0.5, 'f', None), "0.5");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(123.0), "123");
        assert_eq!(json_float(0.1), "0.1");
    }
}
