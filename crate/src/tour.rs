//! The lecture tour: the lecture's claims in order, each a link that shows it and a caption that says what to look at.
//!
//! Every stop's claim is checked by playing its link (`crate/tests/it/tour.rs`); a stop is
//! added only with its check.

use serde::Serialize;

/// One stop: a title, a caption (one claim and where to see it) and the link that shows it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stop {
    pub title: &'static str,
    pub caption: &'static str,
    pub link: &'static str,
    /// Where the claim takes longer to show than a lecture can wait: the generations of the
    /// recorded run the page opens the stop from (`www/tour/stop-N.run`, what `evonas run --link
    /// LINK&tour=N --generations G --save` writes; `./build.sh tour-runs` makes them again), to
    /// go on live from there. 0: the stop runs live from the start.
    pub recorded: u64,
}

/// Where the page finds stop `number`'s recorded run (from the page's root).
pub fn recorded_path(number: usize) -> String {
    format!("www/tour/stop-{number}.run")
}

pub const STOPS: &[Stop] = &[
    Stop {
        title: "Where evolution starts: logistic regression",
        caption: "Every network of the first generation joins x, y and the bias straight to the output: \
                  logistic regression, whose boundary is a straight line. Step once: the rings mark the \
                  points a line cannot get right. NEAT adds a node or a connection only when a mutation \
                  earns its place.",
        link: "dataset=circle&seed=1",
        recorded: 0,
    },
    Stop {
        title: "Fitness: the loss, plus a price on size",
        caption: "Selection ranks trained networks by their loss on held-out points plus a price per \
                  connection (the size penalty), never by test accuracy. Here the price is ten times the \
                  default: champions stay small, and each connection they keep has to pay for itself.",
        link: "dataset=circle&seed=1&penalty=0.01",
        recorded: 0,
    },
    Stop {
        title: "XOR: evolution finds multiplication",
        caption: "No straight line splits xor. Within a few generations the champion gains one hidden \
                  node, a multiplication: x times y has exactly xor's signs. Hover that node to see its \
                  output over the plane.",
        link: "dataset=xor&seed=1",
        recorded: 0,
    },
    Stop {
        title: "Circles: radial features",
        caption: "A circle is one threshold on x squared plus y squared. The champions find that: their \
                  hidden nodes are squares (or gaussians, sines and abs, also symmetric about zero), \
                  which the output adds up. Hover the hidden nodes: each bends the plane the same way \
                  on both sides of an axis.",
        link: "dataset=circle&seed=3",
        recorded: 0,
    },
    Stop {
        title: "Spirals: a topology of its own",
        caption: "No single feature unrolls two spirals. The stop opens at generation 80 of its recorded \
                  run (about 10 s live): the champion has grown eight or more hidden nodes, in chains and \
                  side by side, sines among them that follow the turns, and passes 90% test accuracy.",
        link: "dataset=spiral&seed=3",
        recorded: 80,
    },
    Stop {
        title: "Speciation protects new structure",
        caption: "NEAT groups networks by how alike their genes are and shares fitness within each \
                  group, so a new structure competes first with its own kind while its weights settle. \
                  The stop opens at generation 60 of its recorded run: the species chart shows several \
                  species living side by side, arising and dying out.",
        link: "dataset=spiral&seed=1",
        recorded: 60,
    },
    Stop {
        title: "Accuracy against size: the Pareto front",
        caption: "Instead of one price on size, NSGA-II keeps every network that no other beats on both \
                  training loss and connections (LEAF's second objective: minimise the network). The \
                  Pareto view joins that front, from the smallest networks to the most accurate ones; \
                  click a point to show it.",
        link: "dataset=spiral&seed=1&strategy=pareto&population=60",
        recorded: 0,
    },
    Stop {
        title: "Cell search: aging evolution beats random search",
        caption: "AmoebaNet searched a cell, repeated to make the network, by regularized (aging) \
                  evolution. On NAS-Bench-201's recorded accuracies, aging evolution ends above random \
                  search at the same budget, and above its non-aging variant; the bands are 95% over \
                  20 seeds.",
        link: "scene=cells",
        recorded: 0,
    },
    Stop {
        title: "Evolved memory cells beat the LSTM on equal budgets",
        caption: "Genetic programming rewrites recurrent cells: it adds and removes gates, multiplies and \
                  whole memory cells. Every cell, evolved or the named LSTM, GRU, tanh RNN and NASCell, \
                  trains the same 300 steps on the same adding-problem sequences. The stop opens at \
                  generation 12 of its recorded run (about two minutes live): the best cell has grown a second memory cell (each memory path has its colour in the \
                  graph) and its test error ends far below all four named cells, while the LSTM has \
                  not yet left chance on this budget.",
        link: "scene=recurrent&task=adding&seed=2",
        recorded: 12,
    },
    Stop {
        title: "Modules: one building block, reused",
        caption: "CoDeepNEAT evolves two populations at once: modules (small graphs of layers, grouped \
                  into species) and blueprints, graphs whose nodes each name a species. Every node of one \
                  species gets the same module, so a good block can appear several times in one network. \
                  The stop opens at generation 3 of its recorded run on MNIST-1D (a few minutes live): the best network repeats one module (the same colour \
                  in two places) and beats the paper's CNN trained on the same data and epochs.",
        link: "scene=modules&seed=1&show=assembled,species",
        recorded: 3,
    },
    Stop {
        title: "LEAF: accuracy against size on MNIST-1D",
        caption: "LEAF makes size a second objective: NSGA-II keeps the blueprints whose networks no \
                  other beats on both validation accuracy and parameters. At generation 3 of the recorded run the front \
                  runs from networks of about a thousand parameters, little better than logistic \
                  regression, to ten times larger ones that pass the paper's CNN; along it, every \
                  step up in size buys accuracy.",
        link: "scene=modules&seed=1&show=front,accuracy",
        recorded: 3,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::page::TOUR;
    use crate::scene::Experiment;

    #[test]
    fn every_stop_opens_and_its_number_fits_the_tour_key() {
        assert!(STOPS.len() as f64 <= TOUR.max, "the tour key's bound holds every stop");
        for (k, stop) in STOPS.iter().enumerate() {
            let experiment = Experiment::from_link(stop.link).unwrap_or_else(|e| panic!("stop {}: {e}", k + 1));
            assert!(!stop.link.contains("tour="), "stop {}: the page adds the stop's number", k + 1);
            let numbered = Experiment::from_link(&format!("{}&tour={}", stop.link, k + 1)).unwrap();
            assert_eq!(numbered.to_link(), format!("{}&tour={}", experiment.to_link(), k + 1));
            assert!(!stop.title.is_empty() && stop.caption.len() > 80, "stop {}: a title and a claim", k + 1);
        }
    }
}
