//! `check`: clean editions pass; every kind of mistake is reported with its
//! exact message and location.

use crate::support::{mini, root, run};

#[test]
fn the_repository_editions_pass() {
    for edition in ["data/2008", "data/2010", "data/2012", "data/2014"] {
        let r = run(&root(), &["check", edition]);
        assert_eq!(r.code, 0, "{edition}: {}", r.stderr);
        assert!(r.stdout.contains("no errors"), "{}", r.stdout);
        // Nothing stale, nothing copied.
        assert_eq!(r.stderr, "", "{edition}");
    }
}

#[test]
fn the_mini_fixture_passes() {
    let dir = mini(None);
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "mini: 3 units, 2 dimensions: no errors (previous edition mini/../mini-prev: 2 units)\n"
    );
}

/// Runs `check` on the mini edition with the fixture `case` laid over it
/// and asserts the whole report: every message, position, field and hint.
fn assert_report(case: &str, expected: &str) {
    let dir = mini(Some(case));
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{case}: exit code\n{}", r.stderr);
    assert_eq!(r.stdout, "", "{case}");
    assert_eq!(r.stderr, expected, "{case}\n{}", r.stderr);
}

/// One test per fixture under tests/fixtures/invalid, each with the whole
/// report it must give.
macro_rules! invalid {
    ($($name:ident: $case:literal => $expected:expr;)*) => {
        $(
            #[test]
            fn $name() {
                assert_report($case, $expected);
            }
        )*
        /// Every fixture's name.
        const CASES: &[&str] = &[$($case),*];
    };
}

invalid! {
    yaml_syntax: "yaml-syntax" => r#"error: found [unclosed, expected text: a value that starts with `[` is read as a list
  ┌─ mini/units/alfa.yaml:4:8
  │
4 │   bad: [unclosed
  │        ^^^^^^^^^
  │
  = hint: put the whole value in quotes: bad: '[unclosed'

1 error, 0 warnings
"#;
    unknown_field: "unknown-field" => r#"error: unknown field `nmae`, expected one of `id`, `name`, `article`, `group`, `continues`, `illustrative`, `manager`, `verdict`, `manual_verdict`, `dimensions`, `recommendations`, `key_figures`, `partners`, `notes`
  ┌─ mini/units/alfa.yaml:2:1
  │
2 │ nmae: Alfa
  │ ^^^^ field `nmae`
  │
  = hint: did you mean `name`?

1 error, 0 warnings
"#;
    wrong_type: "wrong-type" => r#"error: found vier, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/edition.yaml:23:21
   │
23 │         max_points: vier
   │                     ^^^^ field `dimensions[0].indicators[0].max_points`

1 error, 0 warnings
"#;
    number_as_string: "number-as-string" => r#"error: found "4", expected a whole number of points or `nvt`
   ┌─ mini/units/alfa.yaml:13:17
   │
13 │       controle: "4"
   │                 ^^^ field `dimensions.toezicht.points.controle`
   │
   = hint: a number in quotes is read as text: write 4 without quotes

1 error, 0 warnings
"#;
    pasted_separators: "pasted-separators" => "warning: found a soft hyphen (U+00AD), which cannot be seen but splits or hides in the word
   ┌─ mini/units/alfa.yaml:15:23
   │
15 │     findings: Goed toe\u{ad}zicht.\u{2028}Het blijft zo.
   │                       ^^^^^^^^^^^^^^^^^^^^^
   │
   = hint: remove it: it can print as a hyphen or hide the word from a search, and the documents break lines without it

error: found a line separator (U+2028), which YAML reads as a line break
   ┌─ mini/units/alfa.yaml:15:30
   │
15 │     findings: Goed toe\u{ad}zicht.\u{2028}Het blijft zo.
   │                             ^^^^^^^^^^^^^^^
   │
   = hint: replace it with a line break (a new paragraph) or a space

error: found a non-breaking space (U+00A0) where YAML expects a plain space of indentation
   ┌─ mini/units/alfa.yaml:17:1
   │
17 │ \u{a0}   points:
   │ ^^^^^^^^^^
   │
   = hint: replace it with a space; text pasted from a word processor brings these

2 errors, 1 warning
";
    pasted_invisible: "pasted-invisible" => "error: found only spaces or invisible characters (U+00A0), expected visible text
  ┌─ mini/units/alfa.yaml:2:7
  │
2 │ name: \u{a0}\u{a0}
  │       ^ field `name`

1 error, 0 warnings
";
    colon_in_value: "colon-in-value" => r#"error: found Alfa: Midden, expected text: `: ` inside a value is read as a field and its value
  ┌─ mini/units/alfa.yaml:2:7
  │
2 │ name: Alfa: Midden
  │       ^^^^^^^^^^^^
  │
  = hint: put the whole value in quotes: name: 'Alfa: Midden'

1 error, 0 warnings
"#;
    unclosed_quote: "unclosed-quote" => r#"error: found "Alfa, expected text: the quote that opens this value is not closed on its line
  ┌─ mini/units/alfa.yaml:2:7
  │
2 │ name: "Alfa
  │       ^^^^^
  │
  = hint: close the quote: name: "Alfa"

1 error, 0 warnings
"#;
    thousands_point: "thousands-point" => r#"error: found 1.019, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/units/alfa.yaml:23:13
   │
23 │   suspects: 1.019
   │             ^^^^^ field `key_figures.suspects`
   │
   = hint: a point marks decimals, not thousands: write 1019

1 error, 0 warnings
"#;
    weight_huge: "weight-huge" => r#"error: found 1e308, expected a number below 1,000,000,000,000
   ┌─ mini/edition.yaml:16:13
   │
16 │     weight: 1e308
   │             ^^^^^ field `dimensions[0].weight`

1 error, 0 warnings
"#;
    placeholder_not_closed: "placeholder-not-closed" => r#"error: unexpected `}`, expected end of variable block
   ┌─ mini/letter.yaml:24:57
   │
24 │   subject: Testmonitor {{ edition.year }}, {{ unit.name }
   │                                                         ^ field `manager_letters.subject`
   │
   = hint: write a placeholder as `{{ name }}` and close each `{% if %}` or `{% for %}` with `{% endif %}` or `{% endfor %}`; see docs/letters.md

1 error, 0 warnings
"#;
    chapter_file_missing: "chapter-file-missing" => r#"error: there is no file mini/chapters/inleidng.txt
   ┌─ mini/edition.yaml:61:11
   │
61 │     file: chapters/inleidng.txt
   │           ^^^^^^^^^^^^^^^^^^^^^ field `chapters[0].file`

1 error, 0 warnings
"#;
    choice_capitals: "choice-capitals" => r#"error: found Goed, expected one of `goed`, `voldoende`, `matig`, `onvoldoende`
   ┌─ mini/units/alfa.yaml:28:13
   │
28 │     rating: Goed
   │             ^^^^ field `partners.om.rating`
   │
   = hint: did you mean `goed`?

error: found Conform norm, expected one of `onvoldoende`, `aandacht`, `conform_norm`
   ┌─ mini/units/beta.yaml:21:16
   │
21 │       verdict: Conform norm
   │                ^^^^^^^^^^^^ field `dimensions.opsporing.manual_verdict.verdict`
   │
   = hint: did you mean `conform_norm`?

2 errors, 0 warnings
"#;
    year_in_quotes: "year-in-quotes" => r#"error: found '2030', expected a whole number from 0 to 65,535
  ┌─ mini/edition.yaml:1:7
  │
1 │ year: '2030'
  │       ^^^^^^ field `year`
  │
  = hint: a number in quotes is read as text: write 2030 without quotes

1 error, 0 warnings
"#;
    nan_weight: "nan-weight" => r#"error: found .nan, expected a finite number with at most two decimals
   ┌─ mini/edition.yaml:30:13
   │
30 │     weight: .nan
   │             ^^^^ field `dimensions[1].weight`

1 error, 0 warnings
"#;
    duplicate_key: "duplicate-key" => r#"error: duplicate key `controle` (first at line 13)
   ┌─ mini/units/alfa.yaml:14:7
   │
14 │       controle: 3
   │       ^^^^^^^^
   │
   = hint: each key may appear once in a mapping; merge the two entries

1 error, 0 warnings
"#;
    points_above_max: "points-above-max" => r#"error: found 9 points, expected at most 4 (the indicator's maximum)
   ┌─ mini/units/alfa.yaml:13:17
   │
13 │       controle: 9
   │                 ^ field `dimensions.toezicht.points.controle`

1 error, 0 warnings
"#;
    points_below_zero: "points-below-zero" => r#"error: found -1, expected a whole number of points of at least 0, or `nvt`
   ┌─ mini/units/alfa.yaml:18:18
   │
18 │       onderzoek: -1
   │                  ^^ field `dimensions.opsporing.points.onderzoek`

1 error, 0 warnings
"#;
    missing_indicator: "missing-indicator" => r#"error: missing indicator `vergunning` in dimension `toezicht`
   ┌─ mini/units/alfa.yaml:12:5
   │
12 │     points:
   │     ^^^^^^ field `dimensions.toezicht.points`
   │
   = hint: give its points, or `nvt` when it does not apply

1 error, 0 warnings
"#;
    missing_dimension: "missing-dimension" => r#"error: missing dimension `opsporing`
   ┌─ mini/units/gamma.yaml:10:1
   │
10 │ dimensions:
   │ ^^^^^^^^^^ field `dimensions`
   │
   = hint: give the points of each of its indicators, or `nvt`

1 error, 0 warnings
"#;
    unknown_dimension: "unknown-dimension" => r#"error: unknown dimension `opsporen`
   ┌─ mini/units/alfa.yaml:16:3
   │
16 │   opsporen:
   │   ^^^^^^^^ field `dimensions.opsporen`
   │
   = hint: expected one of: toezicht, opsporing

error: missing dimension `opsporing`
   ┌─ mini/units/alfa.yaml:10:1
   │
10 │ dimensions:
   │ ^^^^^^^^^^ field `dimensions`
   │
   = hint: give the points of each of its indicators, or `nvt`

2 errors, 0 warnings
"#;
    unknown_indicator: "unknown-indicator" => r#"error: unknown indicator `onderzoeken` in dimension `opsporing`
   ┌─ mini/units/alfa.yaml:19:7
   │
19 │       onderzoeken: 1
   │       ^^^^^^^^^^^ field `dimensions.opsporing.points.onderzoeken`
   │
   = hint: expected one of: onderzoek

1 error, 0 warnings
"#;
    unknown_unit: "unknown-unit" => r#"error: unknown unit id `delta`
   ┌─ mini/edition.yaml:51:5
   │
51 │   - delta
   │     ^^^^^ field `units[3]`
   │
   = hint: no file units/delta.yaml in this edition

1 error, 0 warnings
"#;
    unknown_group: "unknown-group" => r#"error: unknown group `korps`
  ┌─ mini/units/alfa.yaml:3:8
  │
3 │ group: korps
  │        ^^^^^ field `group`
  │
  = hint: expected one of: korpsen, diensten

1 error, 0 warnings
"#;
    unknown_partner: "unknown-partner" => r#"error: unknown partner `ommm`
   ┌─ mini/units/alfa.yaml:27:3
   │
27 │   ommm:
   │   ^^^^ field `partners.ommm`
   │
   = hint: expected one of: om

1 error, 0 warnings
"#;
    duplicate_id: "duplicate-id" => r#"error: duplicate dimension id `toezicht`
   ┌─ mini/edition.yaml:27:9
   │
27 │   - id: toezicht
   │         ^^^^^^^^ field `dimensions[1].id`

error: unknown dimension `opsporing`
   ┌─ mini/units/alfa.yaml:16:3
   │
16 │   opsporing:
   │   ^^^^^^^^^ field `dimensions.opsporing`
   │
   = hint: expected one of: toezicht, toezicht

error: unknown dimension `opsporing`
   ┌─ mini/units/beta.yaml:17:3
   │
17 │   opsporing:
   │   ^^^^^^^^^ field `dimensions.opsporing`
   │
   = hint: expected one of: toezicht, toezicht

error: unknown dimension `opsporing`
   ┌─ mini/units/gamma.yaml:15:3
   │
15 │   opsporing:
   │   ^^^^^^^^^ field `dimensions.opsporing`
   │
   = hint: expected one of: toezicht, toezicht

4 errors, 0 warnings
"#;
    id_mismatch: "id-mismatch" => r#"error: found id `alpha` in file `alfa.yaml`
  ┌─ mini/units/alfa.yaml:1:5
  │
1 │ id: alpha
  │     ^^^^^ field `id`
  │
  = hint: the id must equal the file name: `alfa`

1 error, 0 warnings
"#;
    manual_without_justification: "manual-without-justification" => r#"error: a manual verdict needs a justification
   ┌─ mini/units/beta.yaml:20:5
   │
20 │     manual_verdict:
   │     ^^^^^^^^^^^^^^ field `dimensions.opsporing.manual_verdict`
   │
   = hint: add `justification:` explaining why the computed verdict is overridden

1 error, 0 warnings
"#;
    thresholds_out_of_order: "thresholds-out-of-order" => r#"error: thresholds out of order: conform_norm 40 is below aandacht 50
   ┌─ mini/edition.yaml:18:21
   │
18 │       conform_norm: 40
   │                     ^^ field `dimensions[0].thresholds.conform_norm`
   │
   = hint: conform_norm must be at least aandacht

1 error, 0 warnings
"#;
    weight_zero: "weight-zero" => r#"error: found weight 0, expected a weight above zero
   ┌─ mini/edition.yaml:30:13
   │
30 │     weight: 0
   │             ^ field `dimensions[1].weight`

1 error, 0 warnings
"#;
    weight_negative: "weight-negative" => r#"error: found weight -2, expected a weight above zero
   ┌─ mini/edition.yaml:30:13
   │
30 │     weight: -2
   │             ^^ field `dimensions[1].weight`

1 error, 0 warnings
"#;
    previous_missing: "previous-missing" => r#"error: the previous edition cannot be loaded: mini/../mini-2000 has no edition.yaml
  ┌─ mini/edition.yaml:7:11
  │
7 │ previous: ../mini-2000
  │           ^^^^^^^^^^^^ field `previous`
  │
  = hint: give the folder relative to this edition's folder, e.g. `../2008`

1 error, 0 warnings
"#;
    chapter_outside: "chapter-outside" => r#"error: found "../../../etc/passwd", expected a path inside the edition folder
   ┌─ mini/edition.yaml:61:11
   │
61 │     file: ../../../etc/passwd
   │           ^^^^^^^^^^^^^^^^^^^ field `chapters[0].file`
   │
   = hint: write the path relative to the edition folder, without `..`

1 error, 0 warnings
"#;
    several_problems: "several-problems" => r#"error: found 9 points, expected at most 4 (the indicator's maximum)
   ┌─ mini/units/alfa.yaml:13:17
   │
13 │       controle: 9
   │                 ^ field `dimensions.toezicht.points.controle`

error: unknown group `onbekend`
  ┌─ mini/units/beta.yaml:3:8
  │
3 │ group: onbekend
  │        ^^^^^^^^ field `group`
  │
  = hint: expected one of: korpsen, diensten

2 errors, 0 warnings
"#;
    control_characters: "control-characters" => r#"error: found the unprintable character U+0007 (a control character or noncharacter) in a text, expected printable characters only
  ┌─ mini/units/alfa.yaml:2:7
  │
2 │ name: "Al\x07fa"
  │       ^^^^^^^^^^ field `name`
  │
  = hint: remove it; in double quotes, escapes such as `\e` or `\x01` write characters no document can show

error: found the unprintable character U+001B (a control character or noncharacter) in a text, expected printable characters only
  ┌─ mini/chapters/inleiding.txt:1:18
  │
1 │ Deze Korpsmonitor\x1b[0m beschrijft de aanpak.
  │                  ^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: remove it; it often comes along when text is copied from another program

2 errors, 0 warnings
"#;
    date_format: "date-format" => r#"error: found 31-05-2011, expected a date written as YYYY-MM-DD
  ┌─ mini/edition.yaml:6:7
  │
6 │ date: 31-05-2011
  │       ^^^^^^^^^^ field `date`

1 error, 0 warnings
"#;
    date_not_in_calendar: "date-not-in-calendar" => r#"error: 30 February 2011 is not a calendar date
   ┌─ mini/letter.yaml:25:13
   │
25 │   deadline: 2011-02-30
   │             ^^^^^^^^^^ field `manager_letters.deadline`

1 error, 0 warnings
"#;
    dates_out_of_range: "dates-out-of-range" => r#"error: found 20310706, expected a date written as YYYY-MM-DD
  ┌─ mini/edition.yaml:6:7
  │
6 │ date: 20310706
  │       ^^^^^^^^ field `date`

error: the year 0000 does not exist; expected a year from 0001 to 9999
   ┌─ mini/letter.yaml:11:7
   │
11 │ date: 0000-07-06
   │       ^^^^^^^^^^ field `date`

error: 31 April 2031 is not a calendar date
   ┌─ mini/letter.yaml:25:13
   │
25 │   deadline: 2031-04-31
   │             ^^^^^^^^^^ field `manager_letters.deadline`

3 errors, 0 warnings
"#;
    tab_indent: "tab-indent" => r#"error: a tab indents this line; YAML indents with spaces only
   ┌─ mini/units/alfa.yaml:23:1
   │
23 │     suspects: 11
   │ ^^^^^^^^^^^^
   │
   = hint: replace the tab with spaces

1 error, 0 warnings
"#;
    every_problem_of_a_file: "every-problem-of-a-file" => r#"error: found 019, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/units/alfa.yaml:23:13
   │
23 │   suspects: 019
   │             ^^^ field `key_figures.suspects`
   │
   = hint: a number with a leading zero is read as text: write 19

error: found slecht, expected one of `goed`, `voldoende`, `matig`, `onvoldoende`
   ┌─ mini/units/alfa.yaml:28:13
   │
28 │     rating: slecht
   │             ^^^^^^ field `partners.om.rating`

2 errors, 0 warnings
"#;
    every_problem_of_a_file_more: "every-problem-of-a-file-more" => r#"error: unknown field `naam`, expected one of `id`, `name`, `article`, `group`, `continues`, `illustrative`, `manager`, `verdict`, `manual_verdict`, `dimensions`, `recommendations`, `key_figures`, `partners`, `notes`
  ┌─ mini/units/beta.yaml:2:1
  │
2 │ naam: Beta
  │ ^^^^ field `naam`
  │
  = hint: did you mean `name`?

error: found veel, expected a whole number of points or `nvt`
   ┌─ mini/units/beta.yaml:19:18
   │
19 │       onderzoek: veel
   │                  ^^^^ field `dimensions.opsporing.points.onderzoek`

error: found matig, expected one of `onvoldoende`, `aandacht`, `conform_norm`
   ┌─ mini/units/beta.yaml:21:16
   │
21 │       verdict: matig
   │                ^^^^^ field `dimensions.opsporing.manual_verdict.verdict`

error: missing field `victims`, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/units/beta.yaml:23:1
   │
23 │ key_figures:
   │ ^^^^^^^^^^^ field `key_figures.victims`
   │
   = hint: add `victims:` under `key_figures:`

4 errors, 0 warnings
"#;
    whole_number_as_decimal: "whole-number-as-decimal" => r#"error: found 4.0, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/edition.yaml:23:21
   │
23 │         max_points: 4.0
   │                     ^^^ field `dimensions[0].indicators[0].max_points`

error: found 4.0, expected a whole number of points or `nvt`
   ┌─ mini/units/alfa.yaml:18:18
   │
18 │       onderzoek: 4.0
   │                  ^^^ field `dimensions.opsporing.points.onderzoek`

error: found 1.2e1, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/units/alfa.yaml:25:12
   │
25 │   victims: 1.2e1
   │            ^^^^^ field `key_figures.victims`

3 errors, 0 warnings
"#;
    placeholder_misspelt: "placeholder-misspelt" => r#"error: unknown placeholder `headline.onvoldoende_nams` (`headline` has aandacht, conform_norm, not_conform, not_conform_names, onvoldoende, onvoldoende_names, units)
   ┌─ mini/letter.yaml:15:156
   │
15 │ …nform de norm en {{ headline.onvoldoende }} onvoldoende ({{ headline.onvoldoende_nams | list }}).{{ footnote(1) }}
   │                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^ field `body`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `edition.jaar` (`edition` has title, year)
   ┌─ mini/letter.yaml:12:25
   │
12 │ subject: Testmonitor {{ edition.jaar }}
   │                         ^^^^^^^^^^^^ field `subject`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `onbekend`
   ┌─ mini/letter.yaml:19:16
   │
19 │   - Kenmerk {{ onbekend | length }}
   │                ^^^^^^^^ field `footnotes[0]`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: a placeholder passed to `list` has no value
   ┌─ mini/letter.yaml:20:52
   │
20 │   - 'Onvoldoende: {{ headline["onvoldoende_nams"] | list }}.'
   │                                                    ^^^^ field `footnotes[1]`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `headline['onvoldoende_nams']` (passed to `length`)
   ┌─ mini/letter.yaml:21:47
   │
21 │   - 'Aantal: {{ headline["onvoldoende_nams"] | length }}.'
   │                                               ^^^^^^ field `footnotes[2]`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `groups['korpsen']['aantal']` (passed to `word`)
   ┌─ mini/letter.yaml:22:45
   │
22 │   - 'Woord: {{ groups["korpsen"]["aantal"] | word }}.'
   │                                             ^^^^ field `footnotes[3]`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `unit.tekorten` (`unit` has change, compared_with, name, not_conform_running, not_conform_running_ordinal, previous_verdict, recommendations, score, series, shortfalls, verdict, verdict_running, verdict_running_ordinal, with_article)
   ┌─ mini/letter.yaml:30:88
   │
30 │     Het totaaloordeel over {{ unit.name }} is {{ unit.verdict }}; tekortkomingen op {{ unit.tekorten | join(', ') }}. Graag uiterlijk {{ deadline }} uw maatregelen.
   │                                                                                        ^^^^^^^^^^^^^ field `manager_letters.body`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

error: unknown placeholder `unit.naam` (`unit` has change, compared_with, name, not_conform_running, not_conform_running_ordinal, previous_verdict, recommendations, score, series, shortfalls, verdict, verdict_running, verdict_running_ordinal, with_article)
   ┌─ mini/letter.yaml:27:47
   │
27 │   subject: Testmonitor {{ edition.year }}, {{ unit.naam | upper }}
   │                                               ^^^^^^^^^ field `manager_letters.subject`
   │
   = hint: placeholders can use the figures listed in docs/letters.md

8 errors, 0 warnings
"#;
    placeholder_in_plain_field: "placeholder-in-plain-field" => r#"error: found a placeholder in a field that is not a template; it would print as written
  ┌─ mini/units/beta.yaml:7:15
  │
7 │   salutation: Geachte {{ unit.name }},
  │               ^^^^^^^^^^^^^^^^^^^^^^^^ field `manager.salutation`
  │
  = hint: write the text itself: placeholders are filled only in the body, the subject and the footnotes of letter.yaml

error: found a placeholder in a field that is not a template; it would print as written
   ┌─ mini/letter.yaml:22:9
   │
22 │   name: '{% if true %}T. Tester{% endif %}'
   │         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ field `signatory.name`
   │
   = hint: write the text itself: placeholders are filled only in the body, the subject and the footnotes of letter.yaml

error: found a placeholder in a field that is not a template; it would print as written
   ┌─ mini/letter.yaml:10:5
   │
10 │   - Aan de Voorzitter van de {{ kamer }}
   │     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ field `addressee[0]`
   │
   = hint: write the text itself: placeholders are filled only in the body, the subject and the footnotes of letter.yaml

3 errors, 0 warnings
"#;
    blank_texts: "blank-texts" => r#"error: found only spaces or invisible characters, expected visible text
   ┌─ mini/edition.yaml:60:12
   │
60 │     title: " "
   │            ^^^ field `chapters[0].title`

error: found only spaces or invisible characters (U+200B, U+00A0), expected visible text
   ┌─ mini/edition.yaml:29:17
   │
29 │     short_name: "\u200B\u00A0"
   │                 ^^^^^^^^^^^^^^ field `dimensions[1].short_name`

error: found only spaces or invisible characters (U+2060), expected visible text
  ┌─ mini/units/beta.yaml:2:7
  │
2 │ name: "\u2060"
  │       ^^^^^^^^ field `name`

error: a manual verdict needs a justification
   ┌─ mini/units/beta.yaml:20:5
   │
20 │     manual_verdict:
   │     ^^^^^^^^^^^^^^ field `dimensions.opsporing.manual_verdict`
   │
   = hint: add `justification:` explaining why the computed verdict is overridden

4 errors, 0 warnings
"#;
    all_nvt: "all-nvt" => r#"error: every indicator of this unit is `nvt`: it has no score, so no verdict
   ┌─ mini/units/gamma.yaml:10:1
   │
10 │ dimensions:
   │ ^^^^^^^^^^ field `dimensions`
   │
   = hint: give the points of at least one indicator, or set `manual_verdict` with a justification

1 error, 0 warnings
"#;
    absurd_numbers: "absurd-numbers" => r#"error: found 5000000000, expected a whole number from 0 to 4,294,967,295
   ┌─ mini/units/alfa.yaml:23:13
   │
23 │   suspects: 5000000000
   │             ^^^^^^^^^^ field `key_figures.suspects`

error: found weight 1000000, expected a weight of at most 100
   ┌─ mini/edition.yaml:30:13
   │
30 │     weight: 1000000
   │             ^^^^^^^ field `dimensions[1].weight`

error: found 3000000000, expected a maximum of at most 100 points
   ┌─ mini/edition.yaml:37:21
   │
37 │         max_points: 3000000000
   │                     ^^^^^^^^^^ field `dimensions[1].indicators[0].max_points`

3 errors, 0 warnings
"#;
    dutch_habits: "dutch-habits" => r#"error: found 70%, expected a number with at most two decimals
   ┌─ mini/edition.yaml:18:21
   │
18 │       conform_norm: 70%
   │                     ^^^ field `dimensions[0].thresholds.conform_norm`
   │
   = hint: write the percentage without `%`: 70

error: found 1,5, expected a number with at most two decimals
   ┌─ mini/edition.yaml:30:13
   │
30 │     weight: 1,5
   │             ^^^ field `dimensions[1].weight`
   │
   = hint: write decimals with a point: 1.5

error: found ja, expected true or false
   ┌─ mini/edition.yaml:44:15
   │
44 │     headline: ja
   │               ^^ field `groups[0].headline`

error: found NVT, expected a whole number of points or `nvt`
   ┌─ mini/units/gamma.yaml:13:17
   │
13 │       controle: NVT
   │                 ^^^ field `dimensions.toezicht.points.controle`

error: found drie, expected a whole number of points or `nvt`
   ┌─ mini/units/gamma.yaml:17:18
   │
17 │       onderzoek: drie
   │                  ^^^^ field `dimensions.opsporing.points.onderzoek`

5 errors, 0 warnings
"#;
    pdf_limits: "pdf-limits" => r#"error: found 20300, expected a year from 1 to 9999
  ┌─ mini/edition.yaml:1:7
  │
1 │ year: 20300
  │       ^^^^^ field `year`

error: found 612 characters, expected at most 500 for a name or title
  ┌─ mini/edition.yaml:2:8
  │
2 │ title: Korpsmonitor testuitgave testuitgave testuitgave testuitgave…
  │        ^^^^^^^^^^^^ field `title`

error: found a word of 40001 characters without a space, expected at most 1000
   ┌─ mini/units/alfa.yaml:15:15
   │
15 │     findings: Goed toezichttoezichttoezichttoezichttoezichttoezichttoezich…
   │               ^^^^ field `dimensions.toezicht.findings`
   │
   = hint: break the text with spaces; a PDF holds at most 32,767 characters in one piece

3 errors, 0 warnings
"#;
    missing_field: "missing-field" => r#"error: missing field `short_name`, expected text
   ┌─ mini/edition.yaml:27:5
   │
27 │   - id: opsporing
   │     ^^ field `dimensions[1].short_name`
   │
   = hint: add `short_name:` to this list item

error: missing field `id`, expected text
  ┌─ mini/units/alfa.yaml:2:1
  │
2 │ name: Alfa
  │ ^^^^ field `id`
  │
  = hint: add `id:` at the top level of the file

2 errors, 0 warnings
"#;
    overall_thresholds_missing: "overall-thresholds-missing" => r#"error: missing field `overall_thresholds`, expected the thresholds for the overall verdict
  ┌─ mini/edition.yaml:1:1
  │
1 │ year: 2030
  │ ^^^^ field `overall_thresholds`
  │
  = hint: add `overall_thresholds:` at the top level of the file

1 error, 0 warnings
"#;
    overall_thresholds_empty: "overall-thresholds-empty" => r#"error: found an empty value, expected the thresholds for the overall verdict
   ┌─ mini/edition.yaml:38:21
   │
38 │ overall_thresholds: null
   │                     ^^^^ field `overall_thresholds`

1 error, 0 warnings
"#;
    points_missing: "points-missing" => r#"error: missing field `points`, expected the points of each indicator of dimension `toezicht` (`controle`, `vergunning`)
   ┌─ mini/units/alfa.yaml:11:3
   │
11 │   toezicht:
   │   ^^^^^^^^ field `dimensions.toezicht.points`
   │
   = hint: add `points:` with the points of each indicator, or `nvt` when it does not apply

1 error, 0 warnings
"#;
    manager_missing: "manager-missing" => r#"error: unit `beta` is not conform norm and receives a letter, but has no `manager`
  ┌─ mini/units/beta.yaml:1:1
  │
1 │ id: beta
  │ ^^ field `manager`
  │
  = hint: add `manager:` with name, title and address

1 error, 0 warnings
"#;
    empty_file: "empty-file" => r#"error: the file is empty, expected `key: value` lines
  ┌─ mini/units/gamma.yaml:1:1
  │
1 │ # Eenheid Gamma: nog in te vullen
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

1 error, 0 warnings
"#;
    first_line_indented: "first-line-indented" => r#"error: found a line indented less than the file's first line, expected the keys of the top level in one column (the first at line 1, column 2)
  ┌─ mini/units/gamma.yaml:2:1
  │
2 │ name: Gamma
  │ ^^^^
  │
  = hint: start every key of the top level in the same column, usually the first

1 error, 0 warnings
"#;
    chapter_long_word: "chapter-long-word" => r#"error: found a word of 1024 characters without a space, expected at most 1000
  ┌─ mini/chapters/inleiding.txt:3:5
  │
3 │ Zie https://www.example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…
  │     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  │
  = hint: break the text with spaces; a PDF holds at most 32,767 characters in one piece

1 error, 0 warnings
"#;
    second_document: "second-document" => r#"error: found a second YAML document, expected one per file
   ┌─ mini/units/alfa.yaml:20:1
   │
20 │ ---
   │ ^^^
   │
   = hint: remove the `---` line and what follows, or move it to its own file

1 error, 0 warnings
"#;
}

#[test]
fn every_fixture_has_its_test() {
    let mut fixtures: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fixtures.sort();
    let mut cases: Vec<&str> = CASES.to_vec();
    cases.sort();
    assert_eq!(fixtures, cases);
}

#[test]
fn the_report_snapshot_shows_snippet_field_and_hint() {
    let dir = mini(Some("several-problems"));
    let r = run(dir.path(), &["check", "mini"]);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["check", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere is not a folder"), "{}", r.stderr);
    let r = run(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    let r = run(dir.path(), &["frobnicate"]);
    assert_eq!(r.code, 2);
}

#[test]
fn hostile_bytes_give_errors_not_panics() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let original = std::fs::read(&unit).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid utf-8", b"id: \xff\xfe\n".to_vec()),
        ("alias bomb", {
            let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
            for i in 0..9 {
                let prev = if i == 0 {
                    "a".to_string()
                } else {
                    format!("a{}", i - 1)
                };
                s.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            }
            s.into_bytes()
        }),
        (
            "deep nesting",
            format!("id: {}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        ("empty file", Vec::new()),
        ("tabs", b"id:\talfa\n\tname: x\n".to_vec()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&unit, &bytes).unwrap();
        let r = run(dir.path(), &["check", "mini"]);
        assert_eq!(r.code, 1, "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains("mini/units/alfa.yaml"),
            "{what}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
    }
    // A byte-order mark and CRLF line ends are accepted.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(
        String::from_utf8(original)
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    std::fs::write(&unit, bom).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn one_broken_unit_file_is_not_also_no_unit_files() {
    let dir = mini(None);
    let units = dir.path().join("mini/units");
    std::fs::remove_file(units.join("beta.yaml")).unwrap();
    std::fs::remove_file(units.join("gamma.yaml")).unwrap();
    std::fs::write(units.join("alfa.yaml"), "id: alfa\nname: [\n").unwrap();
    let edition = dir.path().join("mini/edition.yaml");
    let text = std::fs::read_to_string(&edition).unwrap();
    std::fs::write(&edition, text.replace("  - beta\n  - gamma\n", "")).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("found no unit files"), "{}", r.stderr);
    assert!(r.stderr.ends_with("1 error, 0 warnings\n"), "{}", r.stderr);
}

#[test]
fn no_unit_files_at_all_is_said_so() {
    let dir = mini(None);
    let units = dir.path().join("mini/units");
    std::fs::remove_dir_all(&units).unwrap();
    std::fs::create_dir(&units).unwrap();
    let edition = dir.path().join("mini/edition.yaml");
    let text = std::fs::read_to_string(&edition).unwrap();
    std::fs::write(
        &edition,
        text.replace("units:\n  - alfa\n  - beta\n  - gamma\n", ""),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(
            "error: found no unit files, expected at least one units/<unit-id>.yaml\n"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn an_edition_yaml_that_is_a_folder_is_named_as_such() {
    let dir = mini(None);
    let edition = dir.path().join("mini/edition.yaml");
    std::fs::remove_file(&edition).unwrap();
    std::fs::create_dir(&edition).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: mini/edition.yaml is a folder; expected the edition's file edition.yaml\n"
    );
}

#[test]
fn an_error_on_a_huge_line_shows_a_window_of_it() {
    let dir = mini(None);
    let unit = dir.path().join("mini/units/alfa.yaml");
    let text = std::fs::read_to_string(&unit).unwrap();
    let long = format!("{} onbekend", "lang ".repeat(600_000));
    let text = text.replace("group: korpsen", &format!("group: korpsen\nfoo: {long}"));
    std::fs::write(&unit, text).unwrap();
    let r = run(dir.path(), &["check", "mini"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.len() < 2_000, "{} bytes", r.stderr.len());
    assert!(
        r.stderr.starts_with("error: unknown field `foo`"),
        "{}",
        r.stderr
    );
    let window = r.stderr.lines().nth(3).unwrap();
    assert_eq!(window, format!("4 │ foo: {}…", "lang ".repeat(11)));
}

#[test]
fn a_published_verdict_left_out_or_empty_is_placed() {
    // mini-prev publishes its verdicts: each unit must give one.
    let dir = mini(None);
    let units = dir.path().join("mini-prev/units");
    let edit = |file: &str, from: &str, to: &str| {
        let path = units.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("alfa.yaml", "verdict: aandacht\ndimensions:", "dimensions:");
    edit(
        "beta.yaml",
        "verdict: aandacht\ndimensions:",
        "verdict:\ndimensions:",
    );
    let r = run(dir.path(), &["check", "mini-prev"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        r#"error: missing field `verdict`, expected the published overall verdict of this unit
  ┌─ mini-prev/units/alfa.yaml:1:1
  │
1 │ id: alfa
  │ ^^ field `verdict`
  │
  = hint: add `verdict:` at the top level of the file

error: found an empty value, expected the published overall verdict of this unit
  ┌─ mini-prev/units/beta.yaml:4:8
  │
4 │ verdict:
  │        ^ field `verdict`

2 errors, 0 warnings
"#
    );
}
