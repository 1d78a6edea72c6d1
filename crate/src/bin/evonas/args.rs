//! The CLI's flags: every command, flag, default and bound, for clap (and so for `--help`).

use clap::builder::RangedU64ValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use evonas::scene::cells::nasbench::Bench;
use evonas::scene::cells::search::{CellSearch, CellStrategy, MAX_EVALUATIONS, MAX_NOISE, MAX_POPULATION};

/// Backprop NEAT and evolutionary NAS from the command line, with the page's link strings.
#[derive(Parser)]
#[command(name = "evonas", version, subcommand_required = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Evolves the experiment a link describes, one line per generation
    Run(RunArgs),
    /// Times the trainer and spiral to 90% test accuracy (or the GPU against the CPU)
    ///
    /// The trainer's figure is connection-sample-steps per second on 1 and on all threads.
    Bench(BenchArgs),
    /// Strategies side by side on one experiment, over seeds
    ///
    /// Best-so-far test accuracy against networks trained, mean and 95% band over seeds 1..K.
    Compare(CompareArgs),
    /// NAS-Bench-201 cell searches side by side on recorded accuracies, over seeds
    ///
    /// The test accuracy of the best-by-validation cell against cells evaluated, mean and 95%
    /// band over seeds 1..K, and the regret to the best cell.
    Cells(CellsArgs),
    /// Writes the NAS-Bench-201 table in its compact binary form (for the page)
    Table(TableArgs),
    /// Writes MNIST-1D in its compact binary form (for the page's modules scene)
    Mnist1d(TableArgs),
    /// Writes the tour's recorded runs (stop-N.run), each what `run --save` makes of its stop's link
    TourRuns(FolderArgs),
}

/// Where `run` trains its networks.
#[derive(Clone, Copy, ValueEnum)]
pub enum RunBackend {
    /// the CPU trainer
    Cpu,
    /// the GPU trainer (Vulkan); fails without an adapter
    Gpu,
    /// a hardware GPU adapter if there is one, otherwise the CPU
    Auto,
}

/// What `bench` times.
#[derive(Clone, Copy, ValueEnum)]
pub enum BenchBackend {
    /// the CPU trainer on 1 and all threads, and spiral to 90% test accuracy
    Cpu,
    /// CPU against GPU throughput on the same populations at four sizes
    Gpu,
}

#[derive(Args)]
pub struct RunArgs {
    /// The experiment as a link, 'key=value&...' (the README lists the keys) [default: every key's default]
    #[arg(long, value_name = "LINK", conflicts_with = "resume")]
    pub link: Option<String>,
    /// Goes on with the run saved in FILE (by --save), from the generation it was saved at
    #[arg(long, value_name = "FILE")]
    pub resume: Option<String>,
    /// Generations to run, 1 to 1000000 (for a scene=cells link: at most this many searches)
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = upto(1_000_000))]
    pub generations: usize,
    /// Writes the whole run to FILE at the end (settings, population, search state, history)
    #[arg(long, value_name = "FILE")]
    pub save: Option<String>,
    /// Training threads, 1 to 1024 [default: all available]
    #[arg(long, value_name = "T", value_parser = upto(1024))]
    pub threads: Option<usize>,
    /// Where networks train [default: the link's backend if it names a GPU, else the CPU]
    #[arg(long, value_enum)]
    pub backend: Option<RunBackend>,
    /// One JSON object per generation: the summary plus elapsed_ms
    #[arg(long)]
    pub json: bool,
    /// End with the link that opens the final champion (genome=...)
    #[arg(long)]
    pub champion: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    /// One JSON object with the figures
    #[arg(long)]
    pub json: bool,
    /// A tiny workload, a smoke test rather than a measurement
    #[arg(long)]
    pub quick: bool,
    /// What to time
    #[arg(long, value_enum, default_value_t = BenchBackend::Cpu)]
    pub backend: BenchBackend,
}

#[derive(Args)]
pub struct CompareArgs {
    /// The experiment as a link, 'key=value&...' [default: every key's default]
    #[arg(long, value_name = "LINK")]
    pub link: Option<String>,
    /// Strategies to compare, comma-separated [default: the scene's: neat, aging, aging-worst,
    /// pareto (or a NEAT link's compare=); a cell link's compare=; recurrent: aging, novelty,
    /// random; modules: coevolution, one-species, random]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub strategies: Option<Vec<String>>,
    /// Seeds 1..K, K from 1 to 1000
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = upto(1000))]
    pub seeds: usize,
    /// Evaluations per run (networks, cells or look-ups trained), 1 to 10000000 [default: a NEAT
    /// or cell link's budget=; 10 generations' cells; 5 generations' networks]
    #[arg(long, value_name = "N", value_parser = upto(10_000_000))]
    pub budget: Option<usize>,
    #[command(flatten)]
    pub curves: CurveOutput,
}

#[derive(Args)]
pub struct CellsArgs {
    /// Searches to compare, comma-separated, from aging, aging-worst, random, local
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = |s: &str| CellStrategy::from_name(s.trim()),
          default_value = "aging,aging-worst,random,local")]
    pub strategy: Vec<CellStrategy>,
    /// NAS-Bench-201 dataset: cifar10, cifar100 or imagenet16
    #[arg(long, value_name = "NAME", value_parser = Bench::from_name, default_value = CellSearch::default().bench.name())]
    pub dataset: Bench,
    #[arg(long, value_name = "N", help = format!("Cells each search evaluates, 1 to {MAX_EVALUATIONS}"),
          default_value_t = CellSearch::default().evaluations, value_parser = upto(MAX_EVALUATIONS))]
    pub evaluations: usize,
    /// Seeds 1..K, K from 1 to 10000
    #[arg(long, value_name = "K", default_value_t = 20, value_parser = upto(10_000))]
    pub seeds: usize,
    #[arg(long, value_name = "P", help = format!("Population (the aging queue), 1 to {MAX_POPULATION}"),
          default_value_t = CellSearch::default().population, value_parser = upto(MAX_POPULATION))]
    pub population: usize,
    #[arg(long, value_name = "S", help = format!("Tournament sample, 1 to {MAX_POPULATION} and at most the population"),
          default_value_t = CellSearch::default().sample, value_parser = upto(MAX_POPULATION))]
    pub sample: usize,
    #[arg(long, value_name = "X", help = format!("Gaussian noise (std X points, 0 to {MAX_NOISE}) added to every validation accuracy a search sees"),
          default_value_t = CellSearch::default().noise)]
    pub noise: f32,
    #[command(flatten)]
    pub curves: CurveOutput,
}

/// How `compare` and `cells` print their curves.
#[derive(Args)]
pub struct CurveOutput {
    /// Points on each curve, 1 to 1000
    #[arg(long, value_name = "M", default_value_t = 10, value_parser = upto(1000))]
    pub points: usize,
    /// JSON: for compare one object with the link, seeds, budget and curves; for cells one
    /// object per strategy (its report, with the curve and every seed's result)
    #[arg(long)]
    pub json: bool,
    /// CSV, one row per strategy and point (--json wins if both are given)
    #[arg(long)]
    pub csv: bool,
}

#[derive(Args)]
pub struct TableArgs {
    /// Where to write the file
    #[arg(long, value_name = "PATH")]
    pub out: String,
}

#[derive(Args)]
pub struct FolderArgs {
    /// The folder to write into
    #[arg(long, value_name = "DIR")]
    pub out: String,
}

/// A whole number from 1 to `max`.
fn upto(max: usize) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=max as u64)
}

/// Every command with its flags, read from the parser, for the end of `evonas --help`.
fn overview(cli: &clap::Command) -> String {
    let mut text = String::from("Every command's flags (`evonas <COMMAND> --help` says what each does):");
    for sub in cli.get_subcommands() {
        let mut line = format!("  evonas {}", sub.get_name());
        for arg in sub.get_arguments() {
            let long = format!("--{}", arg.get_long().unwrap_or_default());
            let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
            let token = match (arg.get_action().takes_values(), arg.get_value_names()) {
                (false, _) => long,
                (true, _) if !values.is_empty() => format!("{long} {}", values.join("|")),
                (true, Some(names)) => format!("{long} {}", names[0]),
                (true, None) => format!("{long} VALUE"),
            };
            let token = if arg.is_required_set() { token } else { format!("[{token}]") };
            if line.len() + token.len() > 98 {
                text += &format!("\n{line}");
                line = " ".repeat(sub.get_name().len() + 9);
            }
            line += &format!(" {token}");
        }
        text += &format!("\n{line}");
    }
    text
}

/// The parser: `Cli`'s, with the overview after the top-level help.
pub fn command() -> clap::Command {
    // A negative number is a bad value of its flag (and the message says which), not a flag.
    let command =
        Cli::command().mut_subcommands(|sub| sub.mut_args(|arg| if arg.get_action().takes_values() { arg.allow_negative_numbers(true) } else { arg }));
    let text = overview(&command);
    command.after_help(text)
}
