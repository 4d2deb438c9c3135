//! `test`, `[ … ]` and (as far as they share it) bash's `[[ … ]]`: file tests against the pod's files,
//! string and number comparisons, `!`, `-a`, `-o` and parentheses.

use crate::word_list;

use super::super::shell_expansion::glob_match;
use super::{Ctx, Ran};

/// Runs `test`, `[` or `[[`, or `None` when `name` is none of them.
pub(super) fn run(ctx: &mut Ctx<'_>, name: &str, args: &[String]) -> Option<Ran> {
    Some(match name {
        "test" => Ran::Status(test(ctx, args)),
        "[" => match args.split_last() {
            Some((last, rest)) if last == "]" => Ran::Status(test(ctx, rest)),
            _ => {
                ctx.error("sh: [: missing ]".into());
                Ran::Status(2)
            }
        },
        "[[" => match args.split_last() {
            Some((last, rest)) if last == "]]" => {
                let rest: Vec<String> = rest
                    .iter()
                    .map(|a| match a.as_str() {
                        "&&" => "-a".to_string(),
                        "||" => "-o".to_string(),
                        _ => a.clone(),
                    })
                    .collect();
                Ran::Status(test(ctx, &rest))
            }
            _ => Ran::Status(2),
        },
        _ => return None,
    })
}

/// `test` / `[`: 0 true, 1 false, 2 error.
pub(crate) fn test(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    match test_expr(ctx, args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(e) => {
            ctx.error(format!("sh: test: {e}"));
            2
        }
    }
}

fn test_expr(ctx: &mut Ctx<'_>, args: &[String]) -> Result<bool, String> {
    if let Some(i) = args.iter().rposition(|a| a == "-o") {
        if i > 0 && i + 1 < args.len() {
            return Ok(test_expr(ctx, &args[..i])? | test_expr(ctx, &args[i + 1..])?);
        }
    }
    if let Some(i) = args.iter().rposition(|a| a == "-a") {
        if i > 0 && i + 1 < args.len() {
            return Ok(test_expr(ctx, &args[..i])? & test_expr(ctx, &args[i + 1..])?);
        }
    }
    match args {
        [] => Ok(false),
        [a] => Ok(!a.is_empty()),
        [bang, rest @ ..] if bang == "!" => Ok(!test_expr(ctx, rest)?),
        [open, inner @ .., close] if open == "(" && close == ")" => test_expr(ctx, inner),
        [op, operand] => unary(ctx, op, operand),
        [a, op, b] => binary_test(a, op, b),
        _ => Err("too many arguments".into()),
    }
}

fn unary(ctx: &mut Ctx<'_>, op: &str, operand: &str) -> Result<bool, String> {
    let p = ctx.path(operand);
    let w = &ctx.world;
    Ok(match op {
        o if word_list::contains("-e -a -r -w -x", o) => w.exists(ctx.container, &p, ctx.at),
        "-f" => w.is_file(ctx.container, &p, ctx.at),
        "-d" => w.is_dir(ctx.container, &p, ctx.at),
        "-s" => {
            w.is_file(ctx.container, &p, ctx.at) && w.line_count(ctx.container, &p).unwrap_or(0) > 0
        }
        o if word_list::contains("-L -h -p -S -b -c -t -g -u -k", o) => false,
        "-n" => !operand.is_empty(),
        "-z" => operand.is_empty(),
        _ => return Err(format!("{op}: unary operator expected")),
    })
}

fn binary_test(a: &str, op: &str, b: &str) -> Result<bool, String> {
    let num = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: bad number"))
    };
    Ok(match op {
        "=" | "==" => a == b || (b.contains('*') && glob_match(b, a)),
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "-eq" => num(a)? == num(b)?,
        "-ne" => num(a)? != num(b)?,
        "-lt" => num(a)? < num(b)?,
        "-le" => num(a)? <= num(b)?,
        "-gt" => num(a)? > num(b)?,
        "-ge" => num(a)? >= num(b)?,
        o if word_list::contains("-nt -ot -ef", o) => false,
        _ => return Err(format!("{op}: binary operator expected")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_reads_numbers_strings_and_operators() {
        assert_eq!(binary_test("3", "-lt", "5"), Ok(true));
        assert!(binary_test("x", "-lt", "5").is_err());
        assert_eq!(binary_test("abc", "=", "a*"), Ok(true));
    }
}
