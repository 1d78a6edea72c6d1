//! `RecurrentBench`: the recurrent engine's benchmark workload (an LSTM on the adding problem), timed by the page.

use wasm_bindgen::prelude::*;

/// An LSTM and its batch, built once so the page times only training.
#[wasm_bindgen]
pub struct RecurrentBench {
    workload: crate::bench::LstmWorkload,
}

#[wasm_bindgen]
impl RecurrentBench {
    /// `cell=lstm` of hidden width `width` on one adding-problem batch of `batch` sequences of `length`.
    #[wasm_bindgen(constructor)]
    pub fn new(width: usize, length: usize, batch: usize) -> RecurrentBench {
        RecurrentBench { workload: crate::bench::LstmWorkload::new(width.clamp(1, 256), length.clamp(1, 1000), batch.clamp(1, 1024)) }
    }

    /// Runs `steps` training steps on this thread and returns them; the page times the call.
    pub fn train(&mut self, steps: usize) -> usize {
        self.workload.train(steps);
        steps
    }

    /// The parameters' bits folded into one word (`LstmWorkload::checksum`).
    pub fn checksum(&self) -> u32 {
        self.workload.checksum()
    }
}
