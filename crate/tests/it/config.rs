//! Links decode strictly and round-trip: every setting, presentation keys, points and champions.

use evonas::activation::Activation;
use evonas::codec;
use evonas::link::page::View;
use evonas::scene::cells::config::CellConfig;
use evonas::scene::cells::nasbench::Bench;
use evonas::scene::cells::search::{CellSearch, CellStrategy};
use evonas::scene::neat::config::*;
use evonas::scene::{Experiment, Scene};

#[test]
fn defaults_round_trip_through_the_link() {
    let c = Config::default();
    assert_eq!(Config::from_link(&c.to_link()).unwrap(), c);
}

#[test]
fn every_setting_round_trips() {
    let link = "dataset=xor&noise=0.25&points=300&train=0.6&seed=42&population=80&steps=30&lr=0.01\
                &penalty=0.1&activations=sine,abs&optimizer=rmsprop&species=4";
    let c = Config::from_link(link).unwrap();
    assert_eq!(c.dataset, DatasetKind::Xor);
    assert_eq!((c.points, c.seed, c.population, c.steps, c.species), (300, 42, 80, 30, 4));
    assert_eq!(c.activations, vec![Activation::Sine, Activation::Abs]);
    assert_eq!(Config::from_link(&c.to_link()).unwrap(), c);
}

#[test]
fn presentation_points_and_champion_round_trip() {
    let champion = evonas::bench::population(1, 20).remove(0);
    let drawn = codec::encode_points(&[(1.5, -2.0, 1), (0.25, 3.0, 0)]);
    let link = format!("dataset=custom&drawn={drawn}&embed=1&autoplay=1&show=network,boundary&genome={}", codec::encode_genome(&champion));
    let c = Config::from_link(&link).unwrap();
    assert!(c.page.embed && c.page.autoplay);
    assert_eq!(c.page.show, vec![View::Network, View::Boundary]);
    assert_eq!(c.custom_points, vec![(1.5, -2.0, 1), (0.25, 3.0, 0)]);
    assert_eq!(c.genome.as_ref(), Some(&champion));
    assert_eq!(Config::from_link(&c.to_link()).unwrap(), c);
    let plain = Config::default().to_link();
    assert!(!["embed", "autoplay", "show", "drawn", "genome"].iter().any(|k| plain.contains(&format!("{k}="))));
}

#[test]
fn bad_links_name_the_problem() {
    let cases = [
        ("bogus=1", "bogus"),
        ("noise=NaN", "noise"),
        ("noise=abc", "not a number"),
        ("population=-5", "population"),
        ("points=1e12", "out of range"),
        ("steps=2.5", "whole number"),
        ("seed=1&seed=2", "more than once"),
        ("dataset=moons", "circle, xor"),
        ("activations=sine,zap", "zap"),
        ("lr", "key=value"),
        ("noise=%zz", "escape"),
        ("noise=%+0", "broken escape"),
        ("v=9", "version"),
        ("noise=inf", "finite"),
        ("show=boundary,plot", "show: 'plot'"),
        ("show=network,network", "named twice"),
        ("compare=neat,random", "compare: strategy 'random'"),
        ("compare=aging,aging", "named twice"),
        ("genome=AQ", "genome: truncated"),
        ("genome=!!", "genome: not base64url"),
        ("drawn=AAAA", "drawn:"),
    ];
    for (link, needle) in cases {
        let err = Config::from_link(link).unwrap_err();
        assert!(err.contains(needle), "{link}: {err}");
    }
}

#[test]
fn links_write_decimals_as_typed() {
    let link = Config::from_link("lr=0.07&noise=0.35&penalty=0.03").unwrap().to_link();
    let pairs: Vec<&str> = link.split('&').collect();
    assert!(["lr=0.07", "noise=0.35", "penalty=0.03"].iter().all(|p| pairs.contains(p)), "{link}");
}

#[test]
fn links_write_only_what_differs_from_their_versions_defaults() {
    assert_eq!(Config::default().to_link(), "v=2");
    let config = Config::from_link("dataset=spiral&seed=7&population=100&activations=sine,abs&compare=neat").unwrap();
    // population=100 is the default: it goes; the rest stays, in link order.
    assert_eq!(config.to_link(), "v=2&dataset=spiral&activations=sine,abs&seed=7&compare=neat");
    assert_eq!(Config::from_link(&config.to_link()).unwrap(), config);
    // A version-1 link is written as version 2, spelling out where version 1's defaults differ.
    let old = Config::from_link("v=1&dataset=xor").unwrap();
    let link = old.to_link();
    for pair in ["cost=scaled", "valid=0", "penalty=0.03", "jitter=0", "population=50", "dataset=xor"] {
        assert!(link.split('&').any(|p| p == pair), "{pair} missing from {link}");
    }
    assert_eq!(Config::from_link(&link).unwrap(), old);
    assert!(link.len() < 100, "{link}");
}

#[test]
fn hash_and_escapes_are_accepted() {
    let c = Config::from_link("#v=1&activations=sine%2Cabs&dataset=circle").unwrap();
    assert_eq!(c.activations.len(), 2);
    assert_eq!(c.dataset, DatasetKind::Circle);
}

#[test]
fn a_cell_search_link_reads_its_own_datasets_and_strategies_and_stays_short() {
    let Experiment::Cells(c) = Experiment::from_link("scene=cells").unwrap() else { panic!("scene=cells opens the cell search") };
    assert_eq!(c.dataset, Bench::Cifar10);
    assert_eq!(c.compare, CellStrategy::ALL, "no compare= runs all four");
    // Keys it leaves out take the cell search's defaults, not the NEAT scene's.
    assert_eq!(c.to_link(), "v=2&scene=cells", "its defaults are not written");
    // The scene is read first, whatever the key order.
    let link = "dataset=imagenet16&compare=random,aging&eval_noise=0.5&budget=1000&population=50&sample=10&embed=1&scene=cells&show=curves,cell";
    let experiment = Experiment::from_link(link).unwrap();
    assert_eq!(experiment.scene(), Scene::Cells);
    let Experiment::Cells(c) = experiment else { unreachable!() };
    assert_eq!(c.dataset, Bench::Imagenet16);
    assert_eq!(c.compare, [CellStrategy::Random, CellStrategy::Aging]);
    assert_eq!(c.page.show, [View::Curves, View::Cell]);
    assert_eq!(CellConfig::from_link(&c.to_link()).unwrap(), c);
    let search = CellSearch::from_config(&c, c.compare[1], 7);
    assert_eq!((search.evaluations, search.population, search.sample, search.noise, search.seed), (1000, 50, 10, 0.5, 7));
}

#[test]
fn scene_mistakes_are_named() {
    let refused = |link: &str| Experiment::from_link(link).unwrap_err();
    assert!(refused("dataset=cifar10").contains("add scene=cells"), "{}", refused("dataset=cifar10"));
    assert!(refused("scene=cells&dataset=spiral").contains("'spiral'"), "{}", refused("scene=cells&dataset=spiral"));
    assert!(refused("scene=cells&compare=pareto").contains("aging, aging-worst, random, local"));
    assert!(refused("compare=random").contains("neat, aging, aging-worst, pareto"));
    assert!(refused("scene=cells&population=8&sample=9").contains("sample: 9 is more than the population 8"));
    assert!(refused("scene=cells&eval_noise=6").contains("eval_noise"));
    assert!(refused("scene=lab").contains("neat, cells"));
    // Each scene reads its own keys, and says whose a stray one is.
    assert!(refused("scene=cells&lr=0.1").contains("unknown key 'lr'") && refused("scene=cells&lr=0.1").contains("(scene=cells)"));
    assert!(refused("scene=cells&genome=abc").contains("unknown key 'genome'"));
    assert!(Config::from_link("scene=cells").unwrap_err().contains("scene=neat"), "a NEAT config is no cell search");
    assert!(CellConfig::from_link("dataset=cifar10").unwrap_err().contains("scene=cells"), "nor the other way round");
    // NEAT links written before the scenes had sections of their own carry eval_noise=0.
    assert_eq!(Config::from_link("dataset=xor&eval_noise=0").unwrap(), Config::from_link("dataset=xor").unwrap());
    assert!(refused("eval_noise=9").contains("eval_noise: 9 is out of range"));
}

#[test]
fn the_first_problem_in_link_order_is_the_one_named() {
    let error = Config::from_link("seed=3&<b>=1&%%%&noise=NaN").unwrap_err();
    assert!(error.starts_with("unknown key '<b>'"), "{error}");
    let error = Config::from_link("%%%&<b>=1").unwrap_err();
    assert!(error.starts_with("'%%%' is not key=value"), "{error}");
    assert!(Experiment::from_link("scene=cells&budget=50&scene=cells").unwrap_err().contains("scene: given more than once"));
}

#[test]
fn a_links_version_names_the_defaults_of_the_keys_it_leaves_out() {
    // Version 1 selected on the training loss with the scaled size cost; its links still open
    // as they did, wherever `v` stands in them, and keys they spell out still win.
    for link in ["v=1&dataset=spiral", "dataset=spiral&v=1"] {
        let c = Config::from_link(link).unwrap();
        assert_eq!((c.valid, c.cost, c.penalty), (0.0, Cost::Scaled, 0.03), "{link}");
    }
    let c = Config::from_link("valid=0.2&v=1&cost=added").unwrap();
    assert_eq!((c.valid, c.cost), (0.2, Cost::Added));
    // No version, or the current one: today's defaults, and what a link writes reads back.
    for link in ["dataset=spiral", "v=2&dataset=spiral"] {
        let c = Config::from_link(link).unwrap();
        assert_eq!((c.valid, c.cost, c.penalty), (Config::default().valid, Cost::Added, Config::default().penalty), "{link}");
    }
    let old = Config::from_link("v=1&dataset=xor&seed=4").unwrap();
    assert!(old.to_link().starts_with("v=2&") && old.to_link().contains("&cost=scaled&") && old.to_link().contains("&valid=0&"));
    assert_eq!(Config::from_link(&old.to_link()).unwrap(), old);
}

#[test]
fn the_projector_theme_is_a_page_key_of_either_scene() {
    for (link, back) in [("dataset=xor&theme=projector", "v=2&dataset=xor&theme=projector"), ("scene=cells&theme=projector", "v=2&scene=cells&theme=projector")]
    {
        let experiment = Experiment::from_link(link).unwrap();
        assert_eq!(experiment.to_link(), back);
        assert_eq!(serde_json::to_value(&experiment).unwrap()["theme"], "projector");
    }
    assert_eq!(Config::from_link("theme=light").unwrap().to_link(), "v=2", "light is the default");
    assert!(Config::from_link("theme=dark").unwrap_err().contains("theme 'dark' is not one of light, projector"));
}

#[test]
fn a_caption_is_one_line_of_text_that_survives_its_link() {
    let text = "Aging beats random search: <b>&\"it's\"</b> 100% · über";
    let link = format!("embed=1&caption={}", evonas::link::escape::percent_encode(text));
    for scene in ["", "scene=cells&"] {
        let experiment = Experiment::from_link(&format!("{scene}{link}")).unwrap();
        assert_eq!(serde_json::to_value(&experiment).unwrap()["caption"], text);
        // Written as it was read, and read back to the same text.
        let again = Experiment::from_link(&experiment.to_link()).unwrap();
        assert_eq!(serde_json::to_value(&again).unwrap()["caption"], text);
        if scene.is_empty() {
            assert!(experiment.to_link().ends_with(&format!("caption={}", evonas::link::escape::percent_encode(text))));
        }
    }
    // Browsers write spaces as %20 or +; both read as spaces.
    let plus = Config::from_link("caption=aging+wins").unwrap();
    assert_eq!(plus.page.caption, "aging wins");
    assert_eq!(Config::from_link("caption=").unwrap().to_link(), "v=2", "an empty caption is none");
    let long = "x".repeat(161);
    assert!(Config::from_link(&format!("caption={long}")).unwrap_err().contains("caption: 161 characters is too long (at most 160)"));
    assert!(Config::from_link(&format!("caption={}", "é".repeat(160))).is_ok(), "characters, not bytes");
    assert!(Config::from_link("caption=one%0Atwo").unwrap_err().contains("control character U+000A"));
}

#[test]
fn the_status_strip_shows_unless_the_link_hides_it() {
    assert!(Config::default().page.strip);
    let hidden = Config::from_link("embed=1&strip=0").unwrap();
    assert!(!hidden.page.strip);
    assert_eq!(hidden.to_link(), "v=2&embed=1&strip=0");
    assert_eq!(Config::from_link("strip=1").unwrap().to_link(), "v=2");
    assert!(Config::from_link("strip=2").unwrap_err().contains("strip: '2' is not 0 or 1"));
}
