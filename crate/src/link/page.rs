//! The page section of a link, read in every scene: embed mode, autoplay, the views shown, how they look.

use super::escape::percent_encode;
use super::names::named_enum;
use super::schema::Bound;
use super::schema::KeyDoc;
use super::{parse_flag, parse_number};
use serde::Serialize;

named_enum! {
    /// The views a page or an embed shows; each scene lists its own (`neat::config::VIEWS`,
    /// `cells::config::VIEWS`, `recurrent::config::VIEWS`, `modules::config::VIEWS`).
    pub enum View {
        Boundary = "boundary", Network = "network", Charts = "charts", Gallery = "gallery", Pareto = "pareto", Compare = "compare",
        Curves = "curves", Cell = "cell", Population = "population",
        Tree = "tree", Learning = "learning", Losses = "losses", Sequences = "sequences", Members = "members",
        Assembled = "assembled", Species = "species", Accuracy = "accuracy", Front = "front", Confusion = "confusion", Digits = "digits",
    }
}

named_enum! {
    /// How the page looks: the everyday light one, or one for projectors and lecture halls
    /// (larger type and lines, darker ink, full-strength colours).
    pub enum Theme: "theme" { Light = "light", Projector = "projector" }
}

/// How the page presents an experiment: only the views (for slides), played at once, which views.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page {
    pub embed: bool,
    pub autoplay: bool,
    /// The views an embed shows (`show`), in the page's order.
    pub show: Vec<View>,
    /// The lecture tour's stop the link opens (`tour`, counted from 1); 0: none.
    pub tour: u32,
    pub theme: Theme,
    /// Whether an embed shows its status strip (generation, accuracy, play/pause/step): `strip=0`
    /// hides it, for a slide that plays by itself.
    pub strip: bool,
    /// A line of text an embed shows (and a recording burns in): the slide's claim (`caption`).
    pub caption: String,
}

/// The longest caption, in characters: one line on a slide.
pub const CAPTION_CHARS: usize = 160;

/// The `tour` key's bounds: a stop number, room for the stops still to come (`tour::STOPS`
/// is checked against it).
pub const TOUR: Bound = Bound {
    key: "tour",
    label: "Lecture stop",
    min: 0.0,
    max: 40.0,
    integer: true,
    doc: "the lecture tour's stop this link opens, from 1 (its caption and the way to the next); 0: none",
};

/// What an embed shows where the link names no `show`: the four classic NEAT views (a cell
/// search's embed, finding none of its own views here, shows its default ones).
pub const SHOWN: &[View] = &[View::Boundary, View::Network, View::Charts, View::Gallery];

impl Default for Page {
    fn default() -> Page {
        Page { embed: false, autoplay: false, show: SHOWN.to_vec(), tour: 0, theme: Theme::Light, strip: true, caption: String::new() }
    }
}

impl View {
    /// The view as the page's embed panel names it, and what it shows.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            View::Boundary => ("boundary", "The decision boundary, with the training and test points"),
            View::Network => ("network", "The network on show: its nodes, activations and connections"),
            View::Charts => ("charts", "Fitness, accuracy and species over the generations"),
            View::Gallery => ("population", "Every member of the population, as a small boundary"),
            View::Pareto => ("Pareto front", "Accuracy against size: the networks none beats on both"),
            View::Compare => ("strategy comparison", "The strategy comparison this link names (compare=): its chart, run from the embed"),
            View::Curves => ("curves", "Each search's best test accuracy against cells evaluated, with bands"),
            View::Cell => ("cell", "The cell on show, as its graph of operations"),
            View::Population => ("population", "Where one search ended: its population, best first"),
            View::Tree => ("cell", "The recurrent cell on show, as its graph: ops, memory cells and their paths"),
            View::Learning => ("learning curves", "The best evolved cell's training loss against LSTM, GRU and the RNN, on the same budget"),
            View::Losses => ("losses", "Held-out losses of the best cell and the named cells"),
            View::Sequences => ("task", "Sequences of the task with what the cell on show predicts"),
            View::Members => ("population", "The cells of the population, best first"),
            View::Assembled => ("network", "The best network: its blueprint, each node expanded into its module, a colour per module species"),
            View::Species => ("module species", "The module species and their members, with the accuracy each took part in"),
            View::Accuracy => ("accuracy", "Best and mean validation accuracy per generation, against the baselines"),
            View::Front => ("accuracy vs size", "Every network trained: accuracy against parameters, the front none beats on both"),
            View::Confusion => ("confusion", "The best network's test predictions: each digit against what it was taken for"),
            View::Digits => ("test sequences", "Test sequences with the best network's predictions"),
        }
    }
}

impl Page {
    /// Sets one page key from its link text; `None` when `key` is not a page key.
    pub fn apply(&mut self, key: &str, value: &str) -> Option<Result<(), String>> {
        let set = match key {
            "embed" => parse_flag(key, value).map(|on| self.embed = on),
            "autoplay" => parse_flag(key, value).map(|on| self.autoplay = on),
            "show" => parse_views(value).map(|views| self.show = views),
            "tour" => parse_number(&TOUR, value).map(|stop| self.tour = stop as u32),
            "theme" => super::parse_enum(key, value, Theme::from_name).map(|theme| self.theme = theme),
            "strip" => parse_flag(key, value).map(|on| self.strip = on),
            "caption" => parse_caption(value).map(|text| self.caption = text),
            _ => return None,
        };
        Some(set)
    }

    /// The page's link pairs: only what differs from a plain page.
    pub fn pairs(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if self.embed {
            parts.push("embed=1".to_string());
        }
        if self.autoplay {
            parts.push("autoplay=1".to_string());
        }
        if self.show != SHOWN {
            let names: Vec<&str> = self.show.iter().map(|v| v.name()).collect();
            parts.push(format!("show={}", names.join(",")));
        }
        if self.tour > 0 {
            parts.push(format!("tour={}", self.tour));
        }
        if self.theme != Theme::Light {
            parts.push(format!("theme={}", self.theme.name()));
        }
        if !self.strip {
            parts.push("strip=0".to_string());
        }
        if !self.caption.is_empty() {
            parts.push(format!("caption={}", percent_encode(&self.caption)));
        }
        parts
    }

    /// The page keys' rows, `show` as `scene` (its `views`, and what its embed shows by default).
    pub fn schema(scene: &'static str, views: &[View], shown: &[View]) -> Vec<KeyDoc> {
        let names = |views: &[View]| views.iter().map(|v| v.name()).collect::<Vec<_>>();
        vec![
            KeyDoc::choice("show", scene, "list", &names(views), &names(shown).join(","), "the views an embed shows, in the page's order")
                .called("Views")
                .labelled(&views.iter().map(|v| v.label().0).collect::<Vec<_>>())
                .helped(&views.iter().map(|v| v.label().1).collect::<Vec<_>>())
                .part_of("page"),
            KeyDoc::choice("embed", "all", "flag", &[], "0", "show only the views, filling the frame (for slides)").called("Embed").part_of("page"),
            KeyDoc::choice("autoplay", "all", "flag", &[], "0", "start playing (or run the comparison) when the link opens").called("Autoplay").part_of("page"),
            KeyDoc::number(&TOUR, "all", "0".into()).part_of("page"),
            KeyDoc::choice(
                "theme",
                "all",
                "enum",
                Theme::NAMES,
                Theme::Light.name(),
                "how the page looks: light, or projector (larger type, darker ink) for lecture halls and embeds in slides",
            )
            .called("Theme")
            .labelled(&["light", "projector"])
            .part_of("page"),
            KeyDoc::choice("strip", "all", "flag", &[], "1", "an embed's status strip: generation, accuracy and play, pause, step (0 hides it)")
                .called("Status strip")
                .part_of("page"),
            KeyDoc::choice(
                "caption",
                "all",
                "text",
                &[],
                "",
                "a line an embed shows above its views (a recording burns it in): the slide's claim, at most 160 characters",
            )
            .called("Caption")
            .part_of("page"),
        ]
    }
}

/// A caption: one line of plain text (shown as text, never as markup), at most `CAPTION_CHARS`.
fn parse_caption(value: &str) -> Result<String, String> {
    let chars = value.chars().count();
    if chars > CAPTION_CHARS {
        return Err(format!("caption: {chars} characters is too long (at most {CAPTION_CHARS})"));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!("caption: holds the control character U+{:04X} (one line of text)", c as u32));
    }
    Ok(value.to_string())
}

/// A comma list of views: known names, none twice, at least one.
fn parse_views(value: &str) -> Result<Vec<View>, String> {
    let mut views = Vec::new();
    for name in value.split(',') {
        let view = super::parse_enum("show", name.trim(), View::from_name)?;
        if views.contains(&view) {
            return Err(format!("show: '{}' is named twice", view.name()));
        }
        views.push(view);
    }
    if views.is_empty() {
        return Err("show: name at least one view".into());
    }
    Ok(views)
}
