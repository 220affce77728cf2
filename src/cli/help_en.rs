//! The English text of every Swedish help text of the command line, keyed by the
//! Swedish text itself, so that a changed Swedish text without its English fails the
//! test in [`super::help`].

/// The English text of a Swedish help text, if there is one.
/// Texts are compared with runs of white space as one space, since clap joins the
/// lines of a doc comment.
pub fn english(sv: &str) -> Option<&'static str> {
    let sv = normalized(sv);
    TEXTS
        .iter()
        .find(|(s, _)| normalized(s) == sv)
        .map(|(_, e)| *e)
}

fn normalized(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// (Swedish, English).
const TEXTS: &[(&str, &str)] = &[
    (
        "lagesbild – lokal lägesbild över brott och trygghet för kommun och polis",
        "lagesbild – local situation picture of crime and safety for municipalities and police",
    ),
    (
        r#"lagesbild – lokal lägesbild över brott och trygghet för kommun och polis.

Läser händelser och enkätsvar (CSV från polis, kommun, räddningstjänst …), kontrollerar varje rad och bygger lägesbilden per prioriterat område, plats och period. Utan --config används den inbyggda standarden för Västerviks kommun."#,
        r#"lagesbild – local situation picture of crime and safety for municipalities and police.

Reads incidents and survey responses (CSV from police, municipality, fire and rescue
service …), checks every row and builds the situation picture per priority area, place and
period. Without --config, the built-in default for Västervik Municipality is used."#,
    ),
    (
        "Språk för utdata: sv (svenska) eller en (English)",
        "Output language: sv (Swedish) or en (English)",
    ),
    (
        "Skriv bara fel, ingen sammanfattning",
        "Print only errors, no summary",
    ),
    (
        "Skriv varje steg med tidsåtgång till standard fel",
        "Print each step with its duration to standard error",
    ),
    (
        "Skriv lägesbilden: HTML-rapport, Excel, CSV-tabeller, diagram och GeoJSON",
        "Write the situation picture: HTML report, Excel, CSV tables, charts and GeoJSON",
    ),
    (
        r#"Exempel:
  lagesbild report                              Västerviks lägesbild ur den inbyggda standarden
  lagesbild report --year 2025 handelser.csv    egna händelser, år 2025
  lagesbild report --lang en --out ut/          på engelska, till mappen ut/

Skriver till reports/<kommun>-<år>/ (eller --out): index.html (en fil, diagram inbäddade,
inga externa resurser, utskriftsvänlig på A4), lagesbild.xlsx (alla tabeller),
tables/*.csv (semikolon, UTF-8 med BOM), charts/*.svg och *.png, places.geojson (för
QGIS) och rojandekontroll.json; avvisade rader hamnar bredvid mappen, aldrig i den. Med --polisen (eller [inputs] polisen) får rapporten ett
avsnitt om polisens öppna händelser, med --bra (eller [inputs] bra) en jämförelse med
länet och riket ur Brå:s statistik. Antal under --threshold visas som "<3" och det som skulle
avslöja dem som "..". Mappen skrivs färdig i en tillfällig mapp och byter sedan plats med
den gamla, så en avbruten körning lämnar ingen halv rapport. Samma indata och samma
--generated ger samma bytes.

Med --store MAPP läses händelserna ur databasen (lagesbild import incidents), med --kommun
för en annan kommun än projektets. --all skriver en rapport per kommun i databasen,
parallellt, i --out (standard reports/) som KOD-KOMMUN-ÅR/, och fortsätter förbi en
kommun som misslyckas."#,
        r#"Examples:
  lagesbild report                              the built-in Västervik default
  lagesbild report --year 2025 handelser.csv    your own incidents, year 2025
  lagesbild report --lang en --out ut/          in English, to the folder ut/

Writes to reports/<municipality>-<year>/ (or --out): index.html (one file, charts embedded,
no external resources, prints well on A4), lagesbild.xlsx (all tables), tables/*.csv
(semicolon, UTF-8 with BOM), charts/*.svg and *.png, places.geojson (for QGIS) and
rojandekontroll.json; rejected rows go beside the folder, never into it. With --polisen
(or [inputs] polisen) the report gets a section on the police's open events, with --bra
(or [inputs] bra) a comparison with the county and the whole country from Brå's
statistics. Counts below --threshold are shown as "<3", and whatever would reveal them as
"..". The folder is written complete in a temporary folder and then swapped with the old
one, so an interrupted run leaves no half-written report. The same input and the same
--generated give the same bytes.

With --store DIR the incidents are read from the store (lagesbild import incidents), with
--kommun for another municipality than the project's. --all writes one report per
municipality in the store, in parallel, into --out (default reports/) as
CODE-MUNICIPALITY-YEAR/, and goes past a municipality that fails."#,
    ),
    (
        "En rapport för varje kommun i databasen (--store), parallellt; --out är mappen de hamnar i",
        "One report for every municipality in the store (--store), in parallel; --out is the folder they go in",
    ),
    (
        "Året som rapporten gäller (standard: det senaste året i data)",
        "Year the report covers (default: the latest year in the data)",
    ),
    (
        "Mapp att skriva rapporten till (standard: UTDATAMAPP/KOMMUN-ÅR)",
        "Folder to write the report to (default: OUTPUT_DIR/MUNICIPALITY-YEAR)",
    ),
    (
        "Antal under detta visas inte i publicerade tabeller och diagram",
        "Counts below this are not shown in published tables and charts",
    ),
    (
        "Datum som anges som skapandedatum (standard: i dag); fast datum ger samma bytes",
        "Date given as the creation date (default: today); a fixed date gives the same bytes",
    ),
    (
        "Polisens öppna händelser (JSON, JSON-rader eller CSV) för avsnittet om dem. Ersätter konfigurationens inputs.polisen",
        "The police's open events (JSON, JSON Lines or CSV) for the section on them. Overrides the configuration's inputs.polisen",
    ),
    (
        "Brå-tabeller över anmälda brott per kommun, för jämförelsen med länet och riket. Ersätter konfigurationens inputs.bra",
        "Brå tables of reported offences per municipality, for the comparison with the county and the whole country. Overrides the configuration's inputs.bra",
    ),
    (
        r#"Endast för tester: visa alla antal utan röjandekontroll, för att visa att `lagesbild audit` hittar läckan. Rapporten märks "FÅR INTE PUBLICERAS""#,
        r#"For tests only: show all counts without disclosure control, to show that `lagesbild audit` finds the leak. The report is marked "FÅR INTE PUBLICERAS" (must not be published)"#,
    ),
    (
        "Projektkonfiguration (lagesbild.toml). Utan den används den inbyggda Västervik-standarden",
        "Project configuration (lagesbild.toml). Without it, the built-in Västervik default is used",
    ),
    (
        "Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_rader.csv)",
        "Where the rejected rows are written (default: OUTPUT_DIR/avvisade_rader.csv)",
    ),
    (
        "Händelsefiler (CSV). Ersätter konfigurationens indata",
        "Incident files (CSV), in place of the configuration's inputs",
    ),
    (
        "Pröva en skriven rapportmapp: går något dolt litet antal att räkna ut?",
        "Audit a written report folder: can any hidden small count be worked out?",
    ),
    (
        r#"Exempel:
  lagesbild audit reports/vastervik-2025

Läser rapportmappen tillbaka – tabellerna som CSV, sidans tabeller, arbetsbokens blad
och GeoJSON-lagret – och prövar, utan koden som dolde talen, att inget dolt litet antal
går att räkna ut ur allt som publiceras tillsammans (exakt prövning med
linjärprogrammering). Varje fynd skrivs med fil och cell. Avslutningskod 0: inga fynd;
1: fynd (rapporten ska inte publiceras); 2: mappen kunde inte läsas."#,
        r#"Example:
  lagesbild audit reports/vastervik-2025

Reads the report folder back – the tables as CSV, the page's tables, the workbook's sheets
and the GeoJSON layer – and tests, without the code that hid the numbers, that no hidden
small count can be worked out from everything published together (an exact test by
linear programming). Each finding is printed with its file and cell. Exit code 0: no
findings; 1: findings (the report must not be published); 2: the folder could not be read."#,
    ),
    (
        "Rapportmappen (med rojandekontroll.json)",
        "The report folder (with rojandekontroll.json)",
    ),
    (
        "Kontrollera indatafiler: format, godkända och avvisade rader med orsak",
        "Check input files: format, accepted rows, and rejected rows with their reasons",
    ),
    (
        r#"Exempel:
  lagesbild check                          kontrollera den inbyggda Västervik-standardens indata
  lagesbild check handelser.csv            kontrollera en egen fil (ersätter konfigurationens indata)
  lagesbild check --config lagesbild.toml  kontrollera ett projekts indata
  lagesbild check --strict a.csv b.csv     avsluta med kod 1 om någon rad avvisas

Varje rad i varje fil blir antingen godkänd eller avvisad med fil, radnummer och orsak.
De avvisade raderna skrivs till avvisade_rader.csv i utdatamappen (semikolon, UTF-8 med
BOM, öppnas direkt i Excel). Format och godkända kolumnnamn: docs/data-formats.md."#,
        r#"Examples:
  lagesbild check                          check the inputs of the built-in Västervik default
  lagesbild check handelser.csv            check your own file (instead of the configured inputs)
  lagesbild check --config lagesbild.toml  check a project's inputs
  lagesbild check --strict a.csv b.csv     exit with code 1 if any row is rejected

Every row of every file is either accepted or rejected with file, line number and reason.
The rejected rows are written to avvisade_rader.csv in the output folder (semicolon, UTF-8
with BOM, opens directly in Excel). Formats and accepted column names: docs/data-formats.md."#,
    ),
    (
        "Skriv de godkända raderna i kanoniskt format till denna CSV-fil",
        "Write the accepted rows in canonical form to this CSV file",
    ),
    (
        "Utdataformat för sammanfattningen",
        "Output format of the summary",
    ),
    (
        "Avsluta med kod 1 om någon rad avvisas",
        "Exit with code 1 if any row is rejected",
    ),
    (
        "Räkna per prioriterat område, brottstyp, plats eller källa × period, med takt och förändringstest",
        "Count per priority area, offence type, place or source × period, with rates and tests of change",
    ),
    (
        r#"Exempel:
  lagesbild aggregate                                   per prioriterat område och år (inbyggd standard)
  lagesbild aggregate --by offence,place --period year handelser.csv
  lagesbild aggregate --by place --period rolling12 --from 2024-01-01 --out r12.csv
  lagesbild aggregate --by priority_area,place --format parquet --out celler.parquet
  lagesbild aggregate --all --store databas --by offence     varje kommun i databasen, kommun för kommun

Kolumner: de valda --by-fälten, period (2025, 2025-Q1, 2025-03, 2025-W09; för rolling12
den sista månaden i 12-månadersfönstret), count, rate_per_1000 och rate_per_100k (per
invånare i platsen, eller i kommunen när --by saknar place), share_of_municipality
(platsens andel av kommunens antal i samma period och övriga fält), population, days
(dagar av perioden som ligger i intervallet), complete, previous_count (föregående period;
för rolling12 de 12 månaderna innan), change, change_pct (tom när föregående är 0),
rate_ratio med rr_ci_low/rr_ci_high (exakt Poisson-test, exponering = dagar), p_value,
e_test_p och verdict (ökning / minskning / ingen säker förändring), annual_rate_per_1000
(rate_per_1000 räknad om till ett helt år: × 365,25 / days, så att en ofullständig period
och en månad kan jämföras med ett år), harm (skadevärde: summan av händelsernas vikter i
dagars fängelse enligt skadeindexet, docs/harm.md), harm_per_1000 (per invånare) och
harm_unweighted (händelser som skadetabellen saknar vikt för: harm är då ofullständigt).

Avrundning: takter per 1 000 och andelar med 4 decimaler, per 100 000 och harm_per_1000
med 2, change_pct och harm med 1, rate_ratio och dess intervall med 4; antal är heltal och
p-värden skrivs med full precision.

complete = false betyder att perioden inte ligger helt inom data (t.ex. ett år som inte är
slut): dess count och rate_per_1000 gäller bara days dagar. Jämför ett ofullständigt år med
samma månader tidigare år med --through-month (t.ex. 10 för januari–oktober varje år).

En händelse räknas en gång i varje prioriterat område den hör till; händelser som inget
specifikt område tar hand om hamnar i "ovrigt". Antal summerar kolumnen count."#,
        r#"Examples:
  lagesbild aggregate                                   per priority area and year (built-in default)
  lagesbild aggregate --by offence,place --period year handelser.csv
  lagesbild aggregate --by place --period rolling12 --from 2024-01-01 --out r12.csv
  lagesbild aggregate --by priority_area,place --format parquet --out celler.parquet
  lagesbild aggregate --all --store databas --by offence     every municipality in the store, one at a time

Columns: the chosen --by fields, period (2025, 2025-Q1, 2025-03, 2025-W09; for rolling12
the last month of the 12-month window), count, rate_per_1000 and rate_per_100k (relative to
the place's inhabitants, or the municipality's when --by has no place),
share_of_municipality (the place's share of the municipality's count in the same period
and other fields), population, days (days of the period that lie within the date range),
complete, previous_count (the previous period; for rolling12 the 12 months before),
change, change_pct (empty when the previous count is 0), rate_ratio with
rr_ci_low/rr_ci_high (exact Poisson test, exposure = days), p_value, e_test_p and verdict
(increase / decrease / no clear change), annual_rate_per_1000 (rate_per_1000 scaled to a
whole year: × 365.25 / days, so that an incomplete period or a month can be compared with
a year), harm (the sum of the incidents' weights in days of imprisonment from the harm
index, docs/harm.md), harm_per_1000 (per inhabitant) and harm_unweighted (incidents the
harm table has no weight for: harm is then incomplete).

Rounding: rates per 1,000 and shares to 4 decimals, rates per 100,000 and harm_per_1000 to
2, change_pct and harm to 1, rate_ratio and its interval to 4; counts are integers and
p-values are written at full precision.

complete = false means that the period does not lie wholly within the data (e.g. a year
that is not over yet): its count and rate_per_1000 cover only the days given in days.
Compare an incomplete year with the same months of earlier years using --through-month
(e.g. 10 for January–October of every year).

An incident is counted once in every priority area it belongs to; incidents that no
specific area covers go to "ovrigt". Counts are sums of the input's count column."#,
    ),
    (
        "Fält att räkna per, kommaseparerade",
        "Fields to count by, comma-separated",
    ),
    (
        "Period",
        "Period",
    ),
    (
        "Första dag som räknas (ÅÅÅÅ-MM-DD); standard: första dagen i data",
        "First day counted (YYYY-MM-DD); default: the first day in the data",
    ),
    (
        "Sista dag som räknas (ÅÅÅÅ-MM-DD); standard: sista dagen i data",
        "Last day counted (YYYY-MM-DD); default: the last day in the data",
    ),
    (
        "Räkna bara januari till och med denna månad (1–12) varje år: samma månader, så att ett år som inte är slut jämförs med samma del av tidigare år",
        "Count only January up to and including this month (1–12) of every year: the same months, so that a year that is not over yet is compared with the same part of earlier years",
    ),
    (
        "Konfidensnivå för intervallet kring kvoten (och testets nivå för verdict)",
        "Confidence level of the interval around the ratio (and the test's level for verdict)",
    ),
    (
        "Dölj antal från 1 till N − 1 (och allt som räknas ur dem), med sekundär röjandekontroll mellan platser; för tabeller som lämnar analytikerns dator",
        "Hide counts from 1 to N − 1 (and everything computed from them), with secondary disclosure control across places; for tables that leave the analyst's computer",
    ),
    (
        "Varje kommun i databasen (--store), en i taget per kärna, i en tabell med kolumnerna municipality_code och municipality först",
        "Every municipality in the store (--store), one at a time per core, in one table with the columns municipality_code and municipality first",
    ),
    (
        "Utdataformat",
        "Output format",
    ),
    (
        "CSV-dialekt: excel (;, decimalkomma, BOM) eller plain (, och decimalpunkt)",
        "CSV dialect: excel (;, decimal comma, BOM) or plain (, and decimal point)",
    ),
    (
        "Skriv till denna fil i stället för standard ut (\"-\": standard ut)",
        "Write to this file instead of standard output (\"-\": standard output)",
    ),
    (
        "Veckodag × timme med aoristiska vikter för händelser med osäker tid",
        "Weekday × hour with aoristic weights for incidents with uncertain times",
    ),
    (
        r#"Exempel:
  lagesbild timeprofile                          alla händelser, veckodag × timme
  lagesbild timeprofile --by priority_area a.csv en profil per prioriterat område

En rad per (grupp,) veckodag × timme, måndag först, i svensk tid (sommartid hanterad):
weekday (1 = måndag), weekday_name, hour (0–23), weight (aoristiskt viktat antal: en
händelse med osäker tid, t.ex. 01:50–02:10, fördelas på timmarna efter hur stor del av
intervallet som ligger i varje timme; ett datum utan klockslag fördelas över dygnet;
intervall över 7 dagar jämnt över veckan), share (andel av gruppens vikt) och flag
("för få händelser" när gruppen har färre händelser än --min)."#,
        r#"Examples:
  lagesbild timeprofile                          all incidents, weekday × hour
  lagesbild timeprofile --by priority_area a.csv one profile per priority area

One row per (group,) weekday × hour, Monday first, in Swedish time (daylight saving time
handled): weekday (1 = Monday), weekday_name, hour (0–23), weight (aoristically weighted
count: an incident with an uncertain time, e.g. 01:50–02:10, is spread over the hours by
how much of the interval lies in each hour; a date without a time of day is spread over
the whole day; intervals longer than 7 days evenly over the week), share (share of the
group's weight) and flag ("too few incidents" when the group has fewer incidents than
--min)."#,
    ),
    (
        "En profil per grupp",
        "One profile per group",
    ),
    (
        "Minsta antal händelser för en tolkbar profil",
        "Minimum number of incidents for an interpretable profile",
    ),
    (
        "Hot spots i rutnät (Getis–Ord Gi*, FDR-korrigerat) och koncentration över rutor",
        "Hot spots on a grid (Getis–Ord Gi*, FDR-corrected) and concentration over cells",
    ),
    (
        r#"Exempel:
  lagesbild hotspots a.csv                       250 m-rutor, FDR 5 %
  lagesbild hotspots --cell 500 --format geojson --out hotspots.geojson a.csv

Händelser med koordinater (x,y i SWEREF 99 TM eller lat,lon i WGS84) räknas i rutor.
För varje ruta beräknas Getis–Ord Gi* med rutan och dess åtta grannar, ett tvåsidigt
p-värde och ett p-värde justerat för falska upptäckter (Benjamini–Hochberg). Klass:
het punkt / kall punkt när det justerade p-värdet är under --alpha, annars ej
signifikant. Utdata: rutor med händelser och alla signifikanta rutor (x_min, y_min,
lat, lon för rutans mitt, count, gi_z, p_value, p_fdr, class). Platsnamn görs aldrig
om till koordinater. Koncentrationen över rutorna (Gini, andel i topp 5/10/20 %) skrivs
till standard fel."#,
        r#"Examples:
  lagesbild hotspots a.csv                       250 m cells, FDR 5 %
  lagesbild hotspots --cell 500 --format geojson --out hotspots.geojson a.csv

Incidents with coordinates (x,y in SWEREF 99 TM or lat,lon in WGS84) are counted in grid
cells. For each cell, Getis–Ord Gi* is computed over the cell and its eight neighbours,
with a two-sided p-value and a p-value adjusted for false discoveries
(Benjamini–Hochberg). Class: hot spot / cold spot when the adjusted p-value is below
--alpha, otherwise not significant. Output: cells with incidents and all significant
cells (x_min, y_min, lat, lon of the cell centre, count, gi_z, p_value, p_fdr, class).
Place names are never turned into coordinates. The concentration over the cells (Gini,
share in the top 5/10/20 %) is printed to standard error."#,
    ),
    (
        "Rutstorlek i meter",
        "Cell size in metres",
    ),
    (
        "Nivå för falska upptäckter (FDR)",
        "False discovery rate (FDR) level",
    ),
    (
        "Minsta antal händelser med koordinater",
        "Minimum number of incidents with coordinates",
    ),
    (
        "Studieområde: kommungränsen ur konfigurationen ([reference] boundary; rutor utanför ingår inte) eller händelsernas utbredning plus en ruta",
        "Study area: the municipal boundary from the configuration ([reference] boundary; cells outside it are left out) or the extent of the incidents plus one cell",
    ),
    (
        "CSV-dialekt",
        "CSV dialect",
    ),
    (
        "Koncentration över platser eller rutor: Gini, andel i toppen, Lorenzkurva",
        "Concentration over places or cells: Gini, top shares, Lorenz curve",
    ),
    (
        r#"Exempel:
  lagesbild concentration                        över ortsregistrets platser
  lagesbild concentration --units cell --cell 250 a.csv

Enheter: platserna i ortsregistret (alla, även de utan händelser; okänd plats räknas
inte) eller rutor (händelser med koordinater, rutor i det omslutande området). Utdata:
Lorenzkurvans punkter, enheterna sorterade efter antal (rank, unit, count,
share_of_units, share_of_incidents). Gini, generaliserad Gini (Bernasco & Steenbeek) och
andelen i de 5, 10 och 20 % mest drabbade enheterna skrivs till standard fel, med
"för få händelser" under --min."#,
        r#"Examples:
  lagesbild concentration                        over the gazetteer's places
  lagesbild concentration --units cell --cell 250 a.csv

Units: the places in the gazetteer (all of them, including those without incidents;
unknown places are not counted) or grid cells (incidents with coordinates, cells in the
enclosing area). Output: the points of the Lorenz curve: the units sorted by count
(rank, unit, count, share_of_units, share_of_incidents). Gini, generalised Gini (Bernasco
& Steenbeek) and the share in the 5, 10 and 20 % most affected units are printed to
standard error, with "too few incidents" below --min."#,
    ),
    (
        "Enheter",
        "Units",
    ),
    (
        "Rutstorlek i meter (för --units cell)",
        "Cell size in metres (for --units cell)",
    ),
    (
        "Minsta antal händelser för tolkbara mått",
        "Minimum number of incidents for interpretable measures",
    ),
    (
        "Trygghet per plats och år: viktade andelar med osäkerhet, förändring, problemindex",
        "Perceived safety per place and year: weighted shares with uncertainty, change, problem index",
    ),
    (
        r#"Exempel:
  lagesbild survey svar-2024.csv svar-2025.csv          andelar per plats och år
  lagesbild survey --by place,year,gender svar.csv      även per kön
  lagesbild survey --table index svar.csv               problemindex (0–6) per plats och år

--table shares (standard): en rad per fråga × valda fält med n (antal giltiga svar;
"vet ej" och tomma räknas inte), n_eff (Kish effektiva urval (Σw)²/Σw²), share (viktad
andel problemsvar), ci_low, ci_high (Wilson-intervall på n_eff), flag ("för få svar"
under --min), previous_share, change_pp (procentenheter) med intervall (change_low_pp,
change_high_pp: Newcombes intervall byggt på de två Wilson-intervallen) och verdict mot
närmast föregående år: ökat / minskat när hela intervallet ligger på ena sidan om noll,
ingen säker förändring annars, kan inte bedömas när något av åren har färre svar än --min.
--published: andelstabeller utan vikter; n_eff = n / --design-effect.
--table index: problemindex per svarande (medel av poängen över besvarade frågor med
poäng i definitionen), viktat medel per grupp med bootstrap-intervall över svarande
(--replicates dragningar, fast --seed)."#,
        r#"Examples:
  lagesbild survey svar-2024.csv svar-2025.csv          shares per place and year
  lagesbild survey --by place,year,gender svar.csv      also per gender
  lagesbild survey --table index svar.csv               problem index (0–6) per place and year

--table shares (default): one row per question × chosen fields with n (number of valid
answers; "vet ej" (don't know) and blanks are not counted), n_eff (Kish effective sample
size (Σw)²/Σw²), share (weighted share of problem answers), ci_low, ci_high (Wilson
interval on n_eff), flag ("too few answers" below --min), previous_share, change_pp
(percentage points) with an interval (change_low_pp, change_high_pp: Newcombe's interval
built from the two Wilson intervals) and verdict against the closest earlier year:
increased / decreased when the whole interval lies on one side of zero, no clear change
otherwise, cannot be assessed when either year has fewer answers than --min.
--published: share tables without weights; n_eff = n / --design-effect.
--table index: problem index per respondent (mean of the scores over the answered
questions that have scores in the definition), weighted mean per group with a bootstrap
interval over respondents (--replicates draws, fixed --seed)."#,
    ),
    (
        "Projektkonfiguration (lagesbild.toml)",
        "Project configuration (lagesbild.toml)",
    ),
    (
        "Enkätdefinition (TOML); standard: konfigurationens",
        "Survey definition (TOML); default: the configuration's",
    ),
    (
        "Fält att redovisa per, kommaseparerade",
        "Fields to report by, comma-separated",
    ),
    (
        "Vilken tabell",
        "Which table",
    ),
    (
        "Minsta antal svar för en tolkbar andel (standard: [statistics] min_answers, 30)",
        "Minimum number of answers for an interpretable share (default: [statistics] min_answers, 30)",
    ),
    (
        "Designeffekt för publicerade andelar, n_eff = n / designeffekt (standard: [statistics] design_effect, 1,5)",
        "Design effect for published shares, n_eff = n / design effect (default: [statistics] design_effect, 1.5)",
    ),
    (
        "Konfidensnivå",
        "Confidence level",
    ),
    (
        "Bootstrap-dragningar för problemindexet",
        "Bootstrap draws for the problem index",
    ),
    (
        "Frö för bootstrap (samma frö ger samma intervall)",
        "Seed for the bootstrap (the same seed gives the same intervals)",
    ),
    (
        "Var de avvisade raderna skrivs (standard: UTDATAMAPP/avvisade_enkatsvar.csv)",
        "Where the rejected rows are written (default: OUTPUT_DIR/avvisade_enkatsvar.csv)",
    ),
    (
        "Filerna är färdiga andelstabeller (fråga, andel, antal svar, plats, år, grupp) i stället för svar per person, t.ex. NTU:s publicerade procent",
        "The files are ready-made share tables (question, share, number of answers, place, year, group) instead of answers per person, e.g. the published percentages of NTU (the Swedish Crime Survey)",
    ),
    (
        r#"Plats för andelstabeller som saknar platskolumn (t.ex. "riket")"#,
        r#"Place for share tables without a place column (e.g. "riket")"#,
    ),
    (
        "År för andelstabeller som saknar årskolumn",
        "Year for share tables without a year column",
    ),
    (
        "Enkätsvar (CSV, en rad per svarande). Ersätter konfigurationens",
        "Survey responses (CSV, one row per respondent), in place of the configuration's",
    ),
    (
        "Skapa reproducerbar, tydligt märkt testdata för kommunen",
        "Create reproducible, clearly labelled test data for the municipality",
    ),
    (
        r#"Exempel:
  lagesbild generate --out testdata
  lagesbild generate --out testdata --seed 7 --years 2021..2026 --until 2026-11-30 --incidents 5000

Skriver genererade-handelser.csv, genererade-polisen.json (i formen av polisens öppna
händelser), genererade-enkatsvar.csv (när projektet har en enkätdefinition) och LASMIG.txt. Alla rader är påhittade ("Genererad testdata.") men
följer kommunens verkliga orter och befolkning, ett rimligt brottsmönster över dygn,
vecka och år, och planterade problem: en brandserie i Karstorp, bränder i Ankarsrum och
narkotikabrott i Edsbruk. Samma frö och --until ger samma filer byte för byte; utan
--until slutar datan i dag (som ett riktigt uttag), eller vid sista årets slut."#,
        r#"Examples:
  lagesbild generate --out testdata
  lagesbild generate --out testdata --seed 7 --years 2021..2026 --until 2026-11-30 --incidents 5000

Writes genererade-handelser.csv, genererade-polisen.json (in the form of the police's open
events), genererade-enkatsvar.csv (when the project has a survey definition) and
LASMIG.txt. All rows are made up ("Genererad testdata.") but follow the municipality's real
localities and population, a plausible crime pattern over the day, week and year, and
planted problems: a series of fires in Karstorp, fires in Ankarsrum and drug offences in
Edsbruk. The same seed and --until give the same files byte for byte; without --until the
data end today (like a real extract), or at the end of the last year."#,
    ),
    (
        "Projektkonfiguration (orter, enkätdefinition)",
        "Project configuration (localities, survey definition)",
    ),
    (
        "Mapp att skriva till",
        "Folder to write to",
    ),
    (
        "Frö",
        "Seed",
    ),
    (
        "År, t.ex. 2021..2026",
        "Years, e.g. 2021..2026",
    ),
    (
        "Sista dag med data (ÅÅÅÅ-MM-DD); standard: i dag, eller sista årets slut om det är tidigare. Riktiga uttag slutar när de görs, och det gör testdatan också",
        "Last day with data (YYYY-MM-DD); default: today, or the end of the last year if that is earlier. Real extracts end when they are made, and so does the test data",
    ),
    (
        "Händelser per år i hela kommunen (före planterade serier)",
        "Incidents per year in the whole municipality (before planted series)",
    ),
    (
        "Antal kommuner: 1 = projektets kommun; fler lägger till Sveriges övriga kommuner (i kommunkodsordning, 290 = hela landet) med samma takt per invånare",
        "Number of municipalities: 1 = the project's municipality; more adds Sweden's other municipalities (in order of municipality code, 290 = the whole country) at the same rate per inhabitant",
    ),
    (
        "Enkätsvar per år",
        "Survey responses per year",
    ),
    (
        "Läs in andra källor: polisens öppna händelser, Brå:s statistik per kommun",
        "Import other sources: the police's open events, Brå's statistics per municipality",
    ),
    (
        "Polisens öppna händelser (polisen.se/api/events) som kanoniska händelser",
        "The police's open events (polisen.se/api/events) as canonical incidents",
    ),
    (
        r#"Exempel:
  lagesbild import polisen handelser.json --kommun Västervik --out polisen-vastervik.csv
  lagesbild import polisen arkiv.jsonl --kommun 0883 --out polisen.parquet
  lagesbild import polisen *.json                 alla kommuner, CSV till standard ut

Läser polisens öppna händelser (polisen.se/api/events): en JSON-lista som API:t ger,
JSON-rader (en händelse per rad) eller arkivens CSV. Samma id två gånger: den senaste
versionen gäller. Kommunen läses ur location.name, och ur rubrikens sista del när
location.name är ett län (så är det från januari 2026). Sammanfattningar ("Sammanfattning
natt") är inga händelser och räknas för sig. Orten hämtas ur sammanfattningen eller
brödtexten med kommunens ortsregister; händelsens GPS är kommunens eller länets mittpunkt
och används aldrig. Händelsetyperna räknas till prioriterade områden enligt
data/sverige/polisen-handelsetyper.toml (eller [reference] event_types).
Utdata: kanoniska händelser (docs/data-formats.md) med extra kolumner om källan."#,
        r#"Examples:
  lagesbild import polisen handelser.json --kommun Västervik --out polisen-vastervik.csv
  lagesbild import polisen arkiv.jsonl --kommun 0883 --out polisen.parquet
  lagesbild import polisen *.json                 all municipalities, CSV to standard output

Reads the police's open events (polisen.se/api/events): a JSON list as the API returns it,
JSON Lines (one event per line) or the archives' CSV. The same id twice: the latest
version counts. The municipality is read from location.name, and from the last part of
the title when location.name is a county (as it is from January 2026). Summaries
("Sammanfattning natt") are not events and are counted separately. The locality is taken
from the summary or the body text using the municipality's gazetteer; the event's GPS
position is the centre of the municipality or county and is never used. Event types are
assigned to priority areas according to data/sverige/polisen-handelsetyper.toml (or
[reference] event_types).
Output: canonical incidents (docs/data-formats.md) with extra columns about the source."#,
    ),
    (
        r#"Behåll bara denna kommuns händelser: namn ("Västervik", "Västerviks kommun") eller kommunkod ("0883")"#,
        r#"Keep only this municipality's events: name ("Västervik", "Västerviks kommun") or municipality code ("0883")"#,
    ),
    (
        "Skriv hit i stället för standard ut (\"-\": standard ut). Formatet följer filändelsen: .csv, .parquet, .json",
        "Write here instead of standard output (\"-\": standard output). The format follows the file extension: .csv, .parquet, .json",
    ),
    (
        "CSV-dialekt: excel (;, BOM) eller plain (,)",
        "CSV dialect: excel (;, BOM) or plain (,)",
    ),
    (
        "Projektkonfiguration (kommun, ortsregister, områden). Utan den används Västervik-standarden",
        "Project configuration (municipality, gazetteer, areas). Without it, the Västervik default is used",
    ),
    (
        "Var avvisade rader skrivs (standard: avvisade_handelser.csv resp. avvisade_bra.csv i utdatamappen)",
        "Where rejected rows are written (default: avvisade_handelser.csv or avvisade_bra.csv, respectively, in the output folder)",
    ),
    (
        "Händelsefiler: JSON, JSON-rader eller CSV",
        "Event files: JSON, JSON Lines or CSV",
    ),
    (
        "Brå:s anmälda brott per kommun: kommunen bredvid länet och riket per 100 000 invånare",
        "Brå's reported offences per municipality: the municipality beside the county and the whole country, per 100,000 inhabitants",
    ),
    (
        r#"Exempel:
  lagesbild import bra anmalda_brott.csv                      den inbyggda kommunen (Västervik)
  lagesbild import bra sol_export.csv --kommun 0880 --out kalmar.csv

Läser Brå:s tabeller över anmälda brott per kommun (;- eller ,-separerade, UTF-8 med eller
utan BOM eller Windows-1252, "Västerviks kommun" eller "Västervik", .. = uppgift saknas)
med kolumner för område och antal och/eller antal per 100 000 invånare, gärna år och
brottskategori. Länet och riket tas ur tabellen när de står där; annars räknas de fram
ur kommunernas rader: summerade antal genom summerad befolkning (den befolkning som
tabellens antal och tal ger) eller, när bara tal finns, tal vägda med folkmängd 2024."#,
        r#"Examples:
  lagesbild import bra anmalda_brott.csv                      the built-in municipality (Västervik)
  lagesbild import bra sol_export.csv --kommun 0880 --out kalmar.csv

Reads Brå's tables of reported offences per municipality (;- or ,-separated, UTF-8 with or
without BOM, or Windows-1252; "Västerviks kommun" or "Västervik"; .. = data not available)
with columns for area and count and/or count per 100,000 inhabitants, preferably also year
and offence category. The county and the whole country are taken from the table when they
are in it; otherwise they are computed from the municipalities' rows: summed counts over
summed population (the population implied by the table's counts and rates) or, when there
are only rates, rates weighted by the 2024 population."#,
    ),
    (
        "Kommunen att jämföra: namn eller kommunkod (standard: projektets kommun)",
        "The municipality to compare: name or municipality code (default: the project's municipality)",
    ),
    (
        "Brå-tabeller: CSV eller Excel (.xlsx, .xls, .ods)",
        "Brå tables: CSV or Excel (.xlsx, .xls, .ods)",
    ),
    (
        "Medborgarlöften: kandidatproblem ur lägesbilden och uppföljning av löftena",
        "Medborgarlöften (citizen promises): candidate problems from the situation picture and the follow-up of the promises",
    ),
    (
        "Rangordna kandidatproblem för medborgarlöften med öppen poäng och belägg",
        "Rank candidate problems for medborgarlöften with an open score and its evidence",
    ),
    (
        r#"Exempel:
  lagesbild promises suggest                       Västerviks tio starkaste kandidater
  lagesbild promises suggest --top 20 --format csv --out kandidater.csv

Rangordnar brottstyper och prioriterade områden per plats och i hela kommunen efter
poängen vikt × (nivå + trend + otrygghet): nivå = log₂ av den nedre 95 %-gränsen för
kvoten mot övriga kommunen per invånare (exakt test), trend = +1 för en säker ökning
från samma månader året innan (−0,5 för en säker minskning), otrygghet = en tiondel av
den nedre gränsen (procentenheter) för hur mycket fler som ser problemet i enkäten än i
kommunen, vikt = allvarsgraden ur data/sverige/allvarsgrad.toml (eller projektets
[reference] weights). Varje del skrivs ut, så att ordningen går att pröva för hand.
Utdata är arbetsmaterial med alla antal: publicera via rapporten, som döljer små tal."#,
        r#"Examples:
  lagesbild promises suggest                       Västervik's ten strongest candidates
  lagesbild promises suggest --top 20 --format csv --out kandidater.csv

Ranks offence types and priority areas by place and in the whole municipality by the
score weight × (level + trend + insecurity): level = log₂ of the lower 95 % limit of the
ratio to the rest of the municipality per inhabitant (exact test), trend = +1 for a
clear increase from the same months of the year before (−0.5 for a clear decrease),
insecurity = a tenth of the lower limit (percentage points) of how many more see the
problem in the survey than in the municipality, weight = the seriousness from
data/sverige/allvarsgrad.toml (or the project's [reference] weights). Every part is
printed, so the order can be checked by hand. The output is working material with
every count: publish through the report, which hides small numbers."#,
    ),
    (
        "Året som rangordnas (standard: det senaste året i data)",
        "Year ranked (default: the latest year in the data)",
    ),
    ("Antal kandidater att visa", "Number of candidates to show"),
    (
        "Utdataformat: text (en mening per kandidat) eller csv (alla delar av poängen)",
        "Output format: text (one sentence per candidate) or csv (every part of the score)",
    ),
    (
        "Följ upp löftenas indikatorer och aktiviteter med ett omdöme per indikator",
        "Follow up the promises' indicators and activities with a verdict per indicator",
    ),
    (
        r#"Exempel:
  lagesbild promises evaluate                     löftena i den inbyggda standarden
  lagesbild promises evaluate --promises loften.toml --out uppfoljning/
  lagesbild promises evaluate --all projekt/      varje lagesbild.toml under projekt/

Följer upp varje indikator: antal före och efter (lika långa perioder) med exakt test,
med jämförelseplatser även WDD (weighted displacement difference) och kvoten av
kvoterna; enkätandelar med Newcombes intervall och skillnad i skillnader. Omdömet är
förbättring, försämring, ingen säker förändring eller kan inte bedömas (för få händelser
för att någon förändring ska kunna säkerställas, eller för få svar). Skriver
indikatorer.csv och aktiviteter.csv i --out. Med --all körs varje projekt för sig; ett
projekt som inte går att köra hoppas över och nämns på slutet (avslutningskod 1)."#,
        r#"Examples:
  lagesbild promises evaluate                     the promises of the built-in default
  lagesbild promises evaluate --promises loften.toml --out uppfoljning/
  lagesbild promises evaluate --all projekt/      every lagesbild.toml under projekt/

Follows up each indicator: counts before and after (periods of the same length) with an
exact test, with comparison places also the WDD (weighted displacement difference) and
the ratio of rate ratios; survey shares with Newcombe's interval and the difference in
differences. The verdict is improvement, deterioration, no clear change or cannot be
assessed (too few incidents for any change to be told from chance, or too few answers).
Writes indikatorer.csv and aktiviteter.csv in --out. With --all each project runs on its
own; a project that cannot be run is skipped and named at the end (exit code 1)."#,
    ),
    (
        "Löftesfil (medborgarloften.toml). Standard: konfigurationens [reference] promises",
        "Promises file (medborgarloften.toml). Default: the configuration's [reference] promises",
    ),
    (
        "Mapp att skriva indikatorer.csv och aktiviteter.csv till (standard: UTDATAMAPP/uppfoljning)",
        "Folder to write indikatorer.csv and aktiviteter.csv to (default: OUTPUT_DIR/uppfoljning)",
    ),
    (
        "Kör varje lagesbild.toml i denna mapp (och dess undermappar) och skriv en sammanställning",
        "Run every lagesbild.toml in this folder (and its subfolders) and write a summary",
    ),
    (
        "Skriv ett utkast till löftesdokument: problembild, aktiviteter och indikatorer",
        "Write a draft promise document: problem picture, activities and indicators",
    ),
    (
        r#"Exempel:
  lagesbild promises draft                          utkast för projektets löften
  lagesbild promises draft --promises loften.toml --out utkast/

Skriver en rapportmapp (index.html och samma filer som lägesbilden) med ett avsnitt per
löfte: löftets text och ansvariga, problembilden på dess platser (brottstyperna mot
övriga kommunen med exakt test och trend), aktiviteterna och indikatorerna med
basvärden och hur de prövas. Utan löftesfil (varken --promises eller [reference]
promises) skrivs utkastet för de tre starkaste kandidatproblemen. Sidan är märkt som
utkast att bearbeta; små antal är dolda som i lägesbilden."#,
        r#"Examples:
  lagesbild promises draft                          a draft for the project's promises
  lagesbild promises draft --promises loften.toml --out utkast/

Writes a report folder (index.html and the same files as the situation picture) with a
section per promise: its text and parties, the problem picture at its places (the
offence types against the rest of the municipality with an exact test and the trend),
the activities, and the indicators with their baselines and how they are tested.
Without a promises file (neither --promises nor [reference] promises) the draft is
written for the three strongest candidate problems. The page is marked as a draft to
edit; small numbers are hidden as in the situation picture."#,
    ),
    (
        "Året som problembilden gäller (standard: det senaste året i data)",
        "Year of the problem picture (default: the latest year in the data)",
    ),
    (
        "Mapp att skriva utkastet till (standard: UTDATAMAPP/KOMMUN-ÅR-utkast-medborgarloften)",
        "Folder to write the draft to (default: OUTPUT_DIR/MUNICIPALITY-YEAR-utkast-medborgarloften)",
    ),
    (
        "Skapa ett färdigt projekt för vilken kommun som helst ur de nationella tabellerna",
        "Create a ready project for any municipality from the national tables",
    ),
    (
        r#"Exempel:
  lagesbild init --kommun Vimmerby                  projekt i mappen vimmerby/
  lagesbild init --kommun 0884 --out lagesbild-vimmerby

Skriver ett färdigt projekt ur de nationella tabellerna i programmet: kommunens namn,
kod, län och folkmängd (SCB 2024), dess tätorter med befolkning, yta och läge (SCB 2020),
kommungränsen (Lantmäteriet, förenklad), de sju prioriterade områdena, trygghetsmätningens
frågor, en tom löftesfil och en kommenterad lagesbild.toml. Direkt efteråt fungerar
lagesbild report --config MAPP/lagesbild.toml UTTAG.csv. Kommunen hittas i alla
skrivsätt (Vimmerby, vimmerby, "Vimmerby kommun", 0884). Mappen får inte finnas med
innehåll: inget skrivs över."#,
        r#"Examples:
  lagesbild init --kommun Vimmerby                  a project in the folder vimmerby/
  lagesbild init --kommun 0884 --out lagesbild-vimmerby

Writes a ready project from the national tables in the program: the municipality's
name, code, county and population (SCB 2024), its localities with population, area and
position (SCB 2020), the municipal boundary (Lantmäteriet, simplified), the seven
priority areas, the safety survey's questions, an empty promises file and a commented
lagesbild.toml. Right after, lagesbild report --config DIR/lagesbild.toml EXPORT.csv
works. The municipality is found in any spelling (Vimmerby, vimmerby, "Vimmerby kommun",
0884). The folder must not exist with content: nothing is overwritten."#,
    ),
    (
        "Kommunens namn eller fyrsiffriga kommunkod",
        "The municipality's name or four-digit code",
    ),
    (
        "Mapp att skriva projektet till (standard: kommunens namn, t.ex. vimmerby)",
        "Folder to write the project to (default: the municipality's name, e.g. vimmerby)",
    ),
    (
        "Brå:s brottskoder med benämning och de prioriterade områden koden räknas i",
        "Brå's crime codes with their names and the priority areas each code counts in",
    ),
    (
        r#"Exempel:
  lagesbild codes misshandel            koder vars benämning innehåller misshandel
  lagesbild codes 50                    koder som börjar på 50 (narkotikastrafflagen)
  lagesbild codes --area trafikbrott    koderna som reglerna lägger i trafikbrott

Listar Brå:s brottskoder (statistikdatabasen SOL, 1 361 koder varav 359 upphörda) med
benämning, år då koden upphörde och de prioriterade områden som projektets regler
(priority_areas.toml) lägger koden i. Sökningen bortser från versaler och å/ä/ö."#,
        r#"Examples:
  lagesbild codes misshandel            codes whose name contains misshandel (assault)
  lagesbild codes 50                    codes beginning with 50 (the narcotics act)
  lagesbild codes --area trafikbrott    the codes the rules put in trafikbrott

Lists Brå's crime codes (statistics database SOL, 1,361 codes of which 359 have ceased)
with their name, the year a code ceased and the priority areas the project's rules
(priority_areas.toml) put it in. The search ignores case and å/ä/ö."#,
    ),
    (
        "Bara koder som reglerna lägger i detta område (slug)",
        "Only codes the rules put in this area (slug)",
    ),
    (
        "Ord i benämningen, eller kodens första siffror",
        "Words of the name, or the code's first digits",
    ),
    (
        "Upprepade händelser nära i tid och rum: Knox-test med omblandningar",
        "Near repeats in time and space: the Knox test with permutations",
    ),
    (
        r#"Exempel:
  lagesbild nearrepeat --offences 'brand*'             bränder i standarddatan
  lagesbild nearrepeat --distances 100,200,400 --days 3,7,14 --permutations 999 a.csv

Knox-test som i Ratcliffes Near Repeat Calculator: par av händelser inom varje
avståndsband (meter) och tidsband (dagar), observerat mot förväntat när tiderna blandas
om mellan händelserna (Monte Carlo, platserna behålls), kvot och p-värde = (1 + antal
omblandningar med minst det observerade) / (1 + omblandningar). Raderna börjar med
närmaste bandet. Händelser utan koordinater räknas och lämnas utanför. Samma --seed ger
samma tabell. near_repeat = true när bandet är signifikant på 5 %-nivån efter Holms
korrektion för tabellens alla band och kvoten är minst 1,2. Med --by offence eller
--by priority_area får varje brottstyp eller prioriterat område en egen tabell (första
kolumnen säger vilken)."#,
        r#"Examples:
  lagesbild nearrepeat --offences 'brand*'             fires in the default data
  lagesbild nearrepeat --distances 100,200,400 --days 3,7,14 --permutations 999 a.csv

The Knox test as in Ratcliffe's Near Repeat Calculator: pairs of incidents within each
distance band (metres) and time band (days), observed against expected when the times
are shuffled among the incidents (Monte Carlo, places kept), the ratio and p-value =
(1 + permutations with at least the observed count) / (1 + permutations). Rows start
with the closest band. Incidents without coordinates are counted and left out. The
same --seed gives the same table. near_repeat = true when the band is significant at 5 %
after Holm's correction for all the table's bands and the ratio is at least 1.2. With
--by offence or --by priority_area each offence type or priority area gets a table of its
own (the first column says which)."#,
    ),
    (
        "Övre gränser för avståndsbanden i meter, t.ex. 200,400,800",
        "Upper limits of the distance bands in metres, e.g. 200,400,800",
    ),
    (
        "Övre gränser för tidsbanden i dagar, t.ex. 7,14,28",
        "Upper limits of the time bands in days, e.g. 7,14,28",
    ),
    ("Antal omblandningar av tiderna", "Number of permutations of the times"),
    ("Frö för omblandningarna", "Seed of the permutations"),
    (
        "Bara dessa brottstyper (mönster som i reglerna, * som jokertecken)",
        "Only these offence types (patterns as in the rules, * as wildcard)",
    ),
    (
        r#"Exempel:
  lagesbild import incidents handelser-2025.csv --store databas
  lagesbild import incidents kalmar/*.csv --store databas --kommun 0880
  lagesbild aggregate --store databas --kommun Västervik --by offence,place

Läser händelsefilerna som alla andra kommandon (varje rad godkänd eller avvisad med fil,
rad och orsak) och lägger de godkända i databasen: en Parquet-fil per kommun och år i
mappar kommun=KOD/year=ÅR/ (hive-stil, läsbar av DuckDB, Spark, Trino och polars). En
händelse med samma id som en som redan finns (vilket år som helst) ersätter den gamla.
Beskrivningen (fritext) lagras aldrig. Mappen skapas; en befintlig mapp måste vara en
lagesbild-databas. Schema och frågor: docs/scaling.md."#,
        r#"Examples:
  lagesbild import incidents handelser-2025.csv --store store
  lagesbild import incidents kalmar/*.csv --store store --kommun 0880
  lagesbild aggregate --store store --kommun Västervik --by offence,place

Reads the incident files as every other command does (each row accepted or rejected
with its file, line and reason) and puts the accepted ones into the store: one Parquet
file per municipality and year in folders kommun=CODE/year=YEAR/ (hive style, readable
by DuckDB, Spark, Trino and polars). An incident with the id of one already there (in
any year) replaces the old one. The description (free text) is never stored. The
folder is created; an existing folder must be a lagesbild store. Schema and queries:
docs/scaling.md."#,
    ),
    (
        "Lägg också händelserna i en databas (som import incidents --store), en kommun i taget",
        "Also put the incidents into a store (as import incidents --store), one municipality at a time",
    ),
    (
        "Läs händelserna ur en databas (lagesbild import incidents --store) i stället för filer",
        "Read the incidents from a store (lagesbild import incidents --store) instead of files",
    ),
    (
        "Kommunen i databasen: namn eller kommunkod (standard: projektets kommun)",
        "The municipality in the store: name or code (default: the project's municipality)",
    ),
    (
        "Kontrollerade händelser in i en databas per kommun och år (Parquet), för stora datamängder",
        "Checked incidents into a store per municipality and year (Parquet), for large data",
    ),
    (
        "Databasens mapp (en ny eller tom mapp, eller en befintlig lagesbild-databas)",
        "The store's folder (a new or empty folder, or an existing lagesbild store)",
    ),
    (
        "Kommunen händelserna hör till: namn eller kommunkod (standard: projektets kommun)",
        "The municipality the incidents belong to: name or code (default: the project's municipality)",
    ),
    (
        "Händelsefiler (CSV, Excel). Utan dem: konfigurationens indata",
        "Incident files (CSV, Excel). Without them: the configuration's inputs",
    ),
    (
        "En tabell per brottstyp eller per prioriterat område",
        "One table per offence type or per priority area",
    ),
];
