//! The cell searches a cell link compares, by name.

use crate::link::names::named_enum;

named_enum! {
    /// A cell search (`compare` under scene=cells): aging evolution (regularized, or the
    /// non-aging baseline that retires the worst cell), random sampling, or first-improvement
    /// local search with restarts (White et al. 2020). Its place in `ALL` names its random
    /// streams, so a new one goes at the end and old seeds still reproduce.
    pub enum CellStrategy: "strategy" { Aging = "aging", AgingWorst = "aging-worst", Random = "random", Local = "local" }
}
