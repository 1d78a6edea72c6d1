//! Seeded, portable random streams: the same numbers natively and in wasm, whatever the threads.
//!
//! Every random decision draws from a stream named by (seed, purpose, generation, index), so the
//! result of a run never depends on the order in which genomes are processed or on how many
//! workers process them. PCG64 (MCG variant) is value-stable across platforms and versions.

use rand::{Rng, RngCore};
use rand_pcg::Pcg64Mcg;

/// What a stream is for; part of its name so two purposes never share numbers.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    Dataset = 1,
    Initial = 2,
    Breed = 3,
    Bench = 4,
    /// Children of aging (regularized) evolution: tournament draws and mutations.
    Aging = 5,
    /// Children of the multi-objective (NSGA-II) search: tournaments, crossover, mutations.
    Pareto = 6,
    /// NAS-Bench-201 cell search: cells drawn, tournaments, mutations, neighbour order and
    /// the evaluation noise.
    Cells = 7,
    /// The key of a generation's input noise (see `jitter_unit`).
    Jitter = 8,
    /// Recurrent cells: a task's sequences (generation 0), a cell's initial weights (its
    /// generation and index), genetic programming's draws.
    Recurrent = 9,
    /// Modules and blueprints (MNIST-1D): the shuffled variant's permutation (generation 0,
    /// index 1), batches, initial weights, coevolution's draws.
    Modules = 10,
}

/// A portable random stream.
pub struct Stream(Pcg64Mcg);

/// PCG's output permutation used as a hash (Jarzynski and Olano 2020, "Hash Functions for GPU
/// Rendering"): u32 operations only, so the WGSL trainer computes the same bits.
pub fn hash32(v: u32) -> u32 {
    let state = v.wrapping_mul(747_796_405).wrapping_add(2_891_336_453);
    let word = ((state >> ((state >> 28) + 4)) ^ state).wrapping_mul(277_803_737);
    (word >> 22) ^ word
}

/// Input noise in [-1, 1) for coordinate `axis` (0 or 1) of training point `point` at step
/// `step` under `key`: a counter-based draw, so every point and step has its own value whatever
/// order a trainer visits them in. 24 bits on a 2^-23 grid: exact in f32 everywhere.
pub fn jitter_unit(key: u32, step: u32, point: u32, axis: u32) -> f32 {
    let h = hash32(key ^ hash32(step ^ hash32(point.wrapping_mul(2).wrapping_add(axis))));
    (h >> 8) as f32 * (2.0 / 16_777_216.0) - 1.0
}

/// SplitMix64's finaliser: spreads nearby inputs over the whole 64-bit range.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Stream {
    /// The stream for `purpose` at (`generation`, `index`) of a run seeded with `seed`.
    pub fn new(seed: u64, purpose: Purpose, generation: u64, index: u64) -> Stream {
        let a = mix(seed ^ mix(purpose as u64));
        let b = mix(a ^ mix(generation.wrapping_add(0x5851_F42D)));
        let c = mix(b ^ mix(index.wrapping_add(0x1405_7B7E)));
        let state = ((mix(c ^ 0xA5A5) as u128) << 64) | c as u128;
        Stream(Pcg64Mcg::new(state | 1))
    }

    /// 32 random bits.
    pub fn bits(&mut self) -> u32 {
        self.0.next_u32()
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        // 24 random bits give every f32 in [0,1) on a 2^-24 grid, exactly, on every platform.
        (self.0.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    /// Uniform index in 0..n; n must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n as u64) as usize
    }

    /// Standard normal (Box-Muller through libm, so it is portable).
    pub fn normal(&mut self) -> f32 {
        let u1 = 1.0 - self.unit(); // (0, 1]: the log stays finite
        let u2 = self.unit();
        libm::sqrtf(-2.0 * libm::logf(u1)) * libm::cosf(core::f32::consts::TAU * u2)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Shuffles in place (Fisher-Yates, from the last slot down), one draw per slot.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_repeatable_and_distinct() {
        let a: Vec<u32> = (0..4).map(|_| Stream::new(7, Purpose::Breed, 3, 9).0.next_u32()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Stream::new(7, Purpose::Breed, 3, 9);
        let mut y = Stream::new(7, Purpose::Breed, 3, 10);
        assert_ne!(x.0.next_u64(), y.0.next_u64());
    }

    #[test]
    fn the_hash_matches_pcg_and_jitter_is_uniform_on_its_range() {
        // PCG-RXS-M-XS 32 as the paper lists it, evaluated independently (in Python) at 0 and 1.
        assert_eq!(hash32(0), 129_708_002);
        assert_eq!(hash32(1), 2_831_084_092);
        let draws: Vec<f32> = (0..20_000).map(|p| jitter_unit(5, 3, p, p % 2)).collect();
        assert!(draws.iter().all(|u| (-1.0..1.0).contains(u)));
        let mean = draws.iter().sum::<f32>() / draws.len() as f32;
        let var = draws.iter().map(|u| u * u).sum::<f32>() / draws.len() as f32 - mean * mean;
        // Uniform on [-1, 1): mean 0, variance 1/3.
        assert!(mean.abs() < 0.02 && (var - 1.0 / 3.0).abs() < 0.01, "mean {mean} var {var}");
        assert_ne!(jitter_unit(5, 3, 7, 0), jitter_unit(5, 4, 7, 0));
        assert_ne!(jitter_unit(5, 3, 7, 0), jitter_unit(6, 3, 7, 0));
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut s = Stream::new(1, Purpose::Bench, 0, 0);
        let n = 100_000;
        let xs: Vec<f64> = (0..n).map(|_| s.normal() as f64).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.02 && (var - 1.0).abs() < 0.03, "mean {mean} var {var}");
    }
}
