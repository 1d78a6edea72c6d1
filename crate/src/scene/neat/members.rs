//! The population as the page lists it: each member's standing, size and Pareto front.

use super::run::Run;
use super::strategy::pareto;
use crate::hyper::Hyper;
use serde::Serialize;

/// One member of the current population, for the gallery and the Pareto view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    pub index: usize,
    /// Its species' id (NEAT only).
    pub species: Option<u32>,
    pub fitness: f32,
    pub test_accuracy: f32,
    pub nodes: usize,
    pub connections: usize,
    /// Training loss (null in JSON when training failed).
    pub loss: f32,
    pub train_accuracy: f32,
    /// Pareto front (0 = non-dominated) over training loss and connections, whatever the
    /// strategy, so the Pareto view reads the same for every run.
    pub front: usize,
    /// Its own learning rate and steps, when the run evolves them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hyper: Option<Hyper>,
}

/// Every member of the run's population, in population order.
pub fn members(run: &Run) -> Vec<Member> {
    let speciation = run.speciation();
    let (population, outcomes, fitness) = (run.population(), run.outcomes(), run.fitness());
    let objectives: Vec<[f32; 2]> = population.iter().zip(outcomes).map(|(g, o)| pareto::objectives(o.loss, g)).collect();
    let mut front = vec![0; population.len()];
    for (k, members) in pareto::fronts(&objectives).iter().enumerate() {
        members.iter().for_each(|&i| front[i] = k);
    }
    (0..population.len())
        .map(|i| Member {
            index: i,
            species: speciation.species_of(i).map(|s| speciation.species[s].id),
            fitness: fitness[i],
            test_accuracy: outcomes[i].test_accuracy,
            nodes: population[i].nodes.len(),
            connections: population[i].enabled_connections(),
            loss: outcomes[i].loss,
            train_accuracy: outcomes[i].train_accuracy,
            front: front[i],
            hyper: population[i].hyper,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::neat::config::Config;

    #[test]
    fn members_describe_the_population_and_its_fronts() {
        let mut run = Run::new(Config::from_link("dataset=xor&population=24&steps=20&seed=2").unwrap()).unwrap();
        for _ in 0..4 {
            run.step();
        }
        let all = members(&run);
        assert_eq!(all.len(), 24);
        for (i, m) in all.iter().enumerate() {
            assert_eq!((m.index, m.fitness), (i, run.fitness()[i]));
            assert_eq!(m.connections, run.population()[i].enabled_connections());
            assert!(m.species.is_some(), "NEAT places every member in a species");
        }
        // Front 0 is exactly the members no other beats on both loss and connections.
        let beats = |a: &Member, b: &Member| a.loss <= b.loss && a.connections <= b.connections && (a.loss < b.loss || a.connections < b.connections);
        for m in &all {
            let dominated = all.iter().any(|o| beats(o, m));
            assert_eq!(m.front == 0, !dominated, "member {}", m.index);
        }
        assert!(all.iter().any(|m| m.front > 0), "four generations leave some members dominated");
    }
}
