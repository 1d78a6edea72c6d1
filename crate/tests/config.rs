//! Links decode strictly and round-trip: every setting, presentation keys, points and champions.

use evonas::activation::Activation;
use evonas::codec;
use evonas::config::*;

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
    assert!(c.embed && c.autoplay);
    assert_eq!(c.show, vec![View::Network, View::Boundary]);
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
    let link = Config::from_link("lr=0.05&noise=0.35&penalty=0.03").unwrap().to_link();
    assert!(link.contains("lr=0.05&") && link.contains("noise=0.35&") && link.contains("penalty=0.03&"), "{link}");
}

#[test]
fn hash_and_escapes_are_accepted() {
    let c = Config::from_link("#v=1&activations=sine%2Cabs&dataset=circle").unwrap();
    assert_eq!(c.activations.len(), 2);
    assert_eq!(c.dataset, DatasetKind::Circle);
}
