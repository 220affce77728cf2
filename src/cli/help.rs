//! The help in the run's language. The help texts are written in Swedish beside each
//! subcommand's options; [`localize`] turns clap's own words (headings, "Usage",
//! "Possible values", "default", the help and version flags) into the run's language
//! and, for English, puts the English text of every option and command in place
//! of the Swedish one from [`super::help_en`]. The language is known before parsing
//! from `--lang` or `LAGESBILD_LANG`, so `--help` follows it too.

use clap::{Arg, ArgAction, Command};

use crate::lang::Lang;

/// The language a run asks for, read before parsing: the last `--lang X` or
/// `--lang=X` on the command line, else `LAGESBILD_LANG`, else Swedish.
pub fn requested_lang(args: &[std::ffi::OsString], env: Option<&str>) -> Lang {
    let mut lang = match env.map(str::trim) {
        Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
        _ => Lang::Sv,
    };
    let mut next_is_value = false;
    for a in args.iter().map(|a| a.to_string_lossy()) {
        if next_is_value {
            lang = parse(&a).unwrap_or(lang);
            next_is_value = false;
        } else if a == "--lang" {
            next_is_value = true;
        } else if let Some(v) = a.strip_prefix("--lang=") {
            lang = parse(v).unwrap_or(lang);
        } else if a == "--" {
            break;
        }
    }
    lang
}

fn parse(v: &str) -> Option<Lang> {
    match v.trim() {
        "sv" => Some(Lang::Sv),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// Words of clap's help in each language.
struct Words {
    usage: &'static str,
    options: &'static str,
    arguments: &'static str,
    commands: &'static str,
    command: &'static str,
    values: &'static str,
    default: &'static str,
    help: &'static str,
    version: &'static str,
}

const SV: Words = Words {
    usage: "Användning:",
    options: "Flaggor",
    arguments: "Argument",
    commands: "Kommandon",
    command: "KOMMANDO",
    values: "värden",
    default: "standard",
    help: "Visa hjälpen (--help visar mer än -h)",
    version: "Visa versionen",
};

const EN: Words = Words {
    usage: "Usage:",
    options: "Options",
    arguments: "Arguments",
    commands: "Commands",
    command: "COMMAND",
    values: "values",
    default: "default",
    help: "Print help (--help shows more than -h)",
    version: "Print version",
};

/// The command in `lang`: headings, clap's own words and (English) every text.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let mut cmd = localize_one(cmd, lang, true);
    if lang == Lang::Sv {
        // clap writes "[OPTIONS]" in every usage line; the usage is rendered once with
        // the full command path and given back with the Swedish word.
        cmd.build();
        cmd = swedish_usage(cmd);
    }
    cmd
}

fn swedish_usage(mut cmd: Command) -> Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim_start()
        .strip_prefix("Usage:")
        .unwrap_or(&usage)
        .trim()
        .replace("[OPTIONS]", "[FLAGGOR]");
    cmd = cmd.override_usage(usage);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, swedish_usage);
    }
    cmd
}

fn localize_one(mut cmd: Command, lang: Lang, top: bool) -> Command {
    let w = match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    };
    if lang == Lang::En {
        cmd = translate_command(cmd);
    }
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            w.usage
        ))
        .subcommand_help_heading(w.commands)
        .subcommand_value_name(w.command)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .next_help_heading(w.options)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(w.help),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(w.version),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| localize_arg(a, lang, w));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| localize_one(s, lang, false));
    }
    cmd
}

/// An option in `lang`: its heading, its text, and its values and default in words
/// of the language rather than clap's English.
fn localize_arg(mut a: Arg, lang: Lang, w: &Words) -> Arg {
    if lang == Lang::En {
        let names: Vec<clap::builder::Str> = a
            .get_value_names()
            .unwrap_or_default()
            .iter()
            .map(|n| english_value_name(n.as_str()).map_or_else(|| n.clone(), Into::into))
            .collect();
        if !names.is_empty() {
            a = a.value_names(names);
        }
        for (is_long, text) in [
            (false, a.get_help().map(ToString::to_string)),
            (true, a.get_long_help().map(ToString::to_string)),
        ] {
            if let Some(text) = text {
                let english = super::help_en::english(&text).unwrap_or(&text).to_owned();
                a = if is_long {
                    a.long_help(english)
                } else {
                    a.help(english)
                };
            }
        }
    }
    let heading = if a.is_positional() {
        w.arguments
    } else {
        w.options
    };
    a = a.help_heading(heading);
    let values: Vec<String> = if a.is_hide_possible_values_set() {
        Vec::new()
    } else {
        a.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect()
    };
    let default: Vec<String> = if a.is_hide_default_value_set() {
        Vec::new()
    } else {
        a.get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect()
    };
    // Flags (no value) have "false" as default; nothing to say.
    let takes_value = a.get_num_args().is_none_or(|n| n.takes_values())
        && !matches!(
            a.get_action(),
            ArgAction::SetTrue
                | ArgAction::SetFalse
                | ArgAction::Count
                | ArgAction::Help
                | ArgAction::Version
        );
    let mut extra = Vec::new();
    if takes_value && !values.is_empty() {
        extra.push(format!("{}: {}", w.values, values.join(", ")));
    }
    if takes_value && !default.is_empty() {
        extra.push(format!("{}: {}", w.default, default.join(", ")));
    }
    if !takes_value {
        return a;
    }
    a = a.hide_possible_values(true).hide_default_value(true);
    if !extra.is_empty() {
        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
        let add = format!("[{}]", extra.join("; "));
        a = a.help(format!("{} {add}", help.trim_end()).trim().to_owned());
        if let Some(long) = a.get_long_help().map(ToString::to_string) {
            a = a.long_help(format!("{}\n\n{add}", long.trim_end()));
        }
    }
    a
}

/// The English placeholder of an option's value.
fn english_value_name(sv: &str) -> Option<&'static str> {
    Some(match sv {
        "FIL" => "FILE",
        "FILER" => "FILES",
        "MAPP" => "DIR",
        "RAPPORTMAPP" => "REPORT_DIR",
        "DATUM" => "DATE",
        "KOMMUN" => "MUNICIPALITY",
        "MÅNAD" => "MONTH",
        "NIVÅ" => "LEVEL",
        "PLATS" => "PLACE",
        "ÅR" => "YEARS",
        "ÅÅÅÅ" => "YYYY",
        "ÅÅÅÅ-MM-DD" => "YYYY-MM-DD",
        "METER" => "METRES",
        "OMRÅDE" => "AREA",
        "SÖK" => "SEARCH",
        _ => return None,
    })
}

/// The English about, long about and examples of a command.
fn translate_command(mut cmd: Command) -> Command {
    if let Some(s) = cmd.get_about().map(ToString::to_string) {
        if let Some(e) = super::help_en::english(&s) {
            cmd = cmd.about(e);
        }
    }
    if let Some(s) = cmd.get_long_about().map(ToString::to_string) {
        if let Some(e) = super::help_en::english(&s) {
            cmd = cmd.long_about(e);
        }
    }
    if let Some(s) = cmd.get_after_help().map(ToString::to_string) {
        if let Some(e) = super::help_en::english(&s) {
            cmd = cmd.after_help(e);
        }
    }
    if let Some(s) = cmd.get_after_long_help().map(ToString::to_string) {
        if let Some(e) = super::help_en::english(&s) {
            cmd = cmd.after_long_help(e);
        }
    }
    cmd
}

/// Every Swedish text of the command line (abouts, examples, option texts), for the
/// test that each has its English text.
pub fn all_texts(cmd: &Command) -> Vec<String> {
    let mut out = Vec::new();
    for s in [
        cmd.get_about(),
        cmd.get_long_about(),
        cmd.get_after_help(),
        cmd.get_after_long_help(),
    ]
    .into_iter()
    .flatten()
    {
        out.push(s.to_string());
    }
    for a in cmd.get_arguments() {
        for s in [a.get_help(), a.get_long_help()].into_iter().flatten() {
            out.push(s.to_string());
        }
    }
    for s in cmd.get_subcommands() {
        out.extend(all_texts(s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_language_is_found_before_parsing() {
        let args = |s: &str| -> Vec<std::ffi::OsString> { s.split(' ').map(Into::into).collect() };
        assert_eq!(
            requested_lang(&args("lagesbild report --help"), None),
            Lang::Sv
        );
        assert_eq!(
            requested_lang(&args("lagesbild --lang en report --help"), None),
            Lang::En
        );
        assert_eq!(
            requested_lang(&args("lagesbild report --lang=en -h"), None),
            Lang::En
        );
        assert_eq!(
            requested_lang(&args("lagesbild report -h"), Some("en")),
            Lang::En
        );
        assert_eq!(
            requested_lang(&args("lagesbild --lang sv report"), Some("en")),
            Lang::Sv
        );
        // After "--" everything is a file name.
        assert_eq!(
            requested_lang(&args("lagesbild report -- --lang en"), None),
            Lang::Sv
        );
    }

    /// The localized command line passes clap's own checks in both languages, and
    /// the English help has none of clap's or our Swedish words, the Swedish none of
    /// clap's English ones.
    #[test]
    fn help_in_each_language() {
        for lang in [Lang::Sv, Lang::En] {
            let mut cmd = localize(crate::cli::Cli::command(), lang);
            cmd.build();
            cmd.clone().debug_assert();
            let mut pages = vec![cmd.render_long_help().to_string()];
            for sub in cmd.get_subcommands_mut() {
                pages.push(sub.render_long_help().to_string());
            }
            let page = pages.join("\n");
            let (unwanted, wanted): (&[&str], &[&str]) = match lang {
                Lang::Sv => (
                    &[
                        "Usage:",
                        "Options:",
                        "Arguments:",
                        "Possible values",
                        "[default:",
                        "Print help",
                    ],
                    &["Användning:", "Flaggor:", "Kommandon:", "standard: sv"],
                ),
                Lang::En => (
                    &[
                        "Användning",
                        "Flaggor",
                        "Exempel",
                        "standard:",
                        "Ersätter",
                        "FIL ",
                        "MAPP",
                        "Skriv ",
                    ],
                    &["Usage:", "Options:", "Commands:", "default: sv"],
                ),
            };
            for w in unwanted {
                assert!(!page.contains(w), "{lang:?}: '{w}' in\n{page}");
            }
            for w in wanted {
                assert!(page.contains(w), "{lang:?}: no '{w}'");
            }
        }
    }

    /// Every Swedish text of the command line has its English text.
    #[test]
    fn every_help_text_has_its_english() {
        let cmd = crate::cli::Cli::command();
        let missing: Vec<String> = all_texts(&cmd)
            .into_iter()
            .filter(|s| crate::cli::help_en::english(s).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "utan engelsk text:\n{}",
            missing.join("\n----\n")
        );
    }
}
