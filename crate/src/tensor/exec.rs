//! Running a tape over a batch: forward through time, the loss, and backpropagation through time.
//!
//! Every op's value at every step is kept (BPTT reads them all); gradients flow back step by
//! step, ops in reverse, a slot's gradient into the op it took one step earlier.

use super::batch::Batch;
use super::kernels::{self, dense_backward, dense_forward, LANES};
use super::loss::{self, Score};
use super::tape::{DenseAt, Op, Tape};

/// The values and gradients of one tape over batches of one shape, kept between steps.
pub struct Workspace {
    batch: usize,
    length: usize,
    /// Where op i's value starts within a step's block, and the block's size.
    at: Vec<usize>,
    step: usize,
    values: Vec<f32>,
    grads: Vec<f32>,
    /// The readout's value at each scored step, `outputs` rows of `batch` lanes.
    readout: Vec<f32>,
    readout_grads: Vec<f32>,
    /// LANES partial sums per parameter.
    partials: Vec<f32>,
    layout: (Vec<Option<DenseAt>>, DenseAt),
}

impl Workspace {
    pub fn new(tape: &Tape, batch: &Batch) -> Workspace {
        let mut at = Vec::with_capacity(tape.ops.len());
        let mut step = 0;
        for i in 0..tape.ops.len() {
            at.push(step);
            step += tape.width_of(i) * batch.batch;
        }
        let layout = tape.layout();
        let readout = tape.outputs * batch.batch * batch.scored_steps();
        Workspace {
            batch: batch.batch,
            length: batch.length,
            at,
            step,
            values: vec![0.0; step * batch.length],
            grads: vec![0.0; step * batch.length],
            readout: vec![0.0; readout],
            readout_grads: vec![0.0; readout],
            partials: vec![0.0; layout.1.end() * LANES],
            layout,
        }
    }

    pub fn fits(&self, batch: &Batch) -> bool {
        self.batch == batch.batch && self.length == batch.length
    }

    /// Op i's value at step t.
    pub fn value(&self, t: usize, i: usize) -> &[f32] {
        let end = if i + 1 < self.at.len() { self.at[i + 1] } else { self.step };
        &self.values[t * self.step + self.at[i]..t * self.step + end]
    }

    /// The readout at scored step s: `outputs` rows of `batch` lanes.
    pub fn readout(&self, s: usize, outputs: usize) -> &[f32] {
        &self.readout[s * outputs * self.batch..][..outputs * self.batch]
    }

    /// Runs the tape forward over `batch` with `params`; the loss and accuracy of its targets.
    pub fn forward(&mut self, tape: &Tape, params: &[f32], batch: &Batch) -> Score {
        assert!(self.fits(batch), "a workspace serves batches of one shape");
        for t in 0..batch.length {
            for i in 0..tape.ops.len() {
                self.forward_op(tape, params, batch, t, i);
            }
            if batch.every_step || t + 1 == batch.length {
                let s = if batch.every_step { t } else { 0 };
                let at = self.layout.1;
                let h = self.slot_value(tape, t, 0).to_vec();
                let out = &mut self.readout[s * tape.outputs * self.batch..][..tape.outputs * self.batch];
                dense_forward(out, &params[at.offset..at.bias()], &params[at.bias()..at.end()], &[&h], self.batch);
            }
        }
        loss::score(&self.readout, tape.outputs, batch, None)
    }

    fn slot_value(&self, tape: &Tape, t: usize, k: usize) -> &[f32] {
        self.value(t, tape.slots[k])
    }

    fn forward_op(&mut self, tape: &Tape, params: &[f32], batch: &Batch, t: usize, i: usize) {
        let (lanes, start) = (self.batch, t * self.step + self.at[i]);
        let (before, rest) = self.values.split_at_mut(start);
        let out = &mut rest[..tape.width_of(i) * lanes];
        let value = |j: usize| -> &[f32] { &before[t * self.step + self.at[j]..][..tape.width_of(j) * lanes] };
        match &tape.ops[i] {
            Op::Input => out.copy_from_slice(batch.input(t)),
            Op::Prev(_) if t == 0 => out.fill(0.0),
            Op::Prev(k) => out.copy_from_slice(&before[(t - 1) * self.step + self.at[tape.slots[*k]]..][..tape.width * lanes]),
            Op::Dense(from) => {
                let at = self.layout.0[i].expect("a dense op has parameters");
                let inputs: Vec<&[f32]> = from.iter().map(|&j| value(j)).collect();
                dense_forward(out, &params[at.offset..at.bias()], &params[at.bias()..at.end()], &inputs, lanes);
            }
            Op::Add(a, b) => out.iter_mut().zip(value(*a).iter().zip(value(*b))).for_each(|(o, (x, y))| *o = x + y),
            Op::Sub(a, b) => out.iter_mut().zip(value(*a).iter().zip(value(*b))).for_each(|(o, (x, y))| *o = x - y),
            Op::Mult(a, b) => out.iter_mut().zip(value(*a).iter().zip(value(*b))).for_each(|(o, (x, y))| *o = x * y),
            Op::Act(kind, a) => kernels::activate(*kind, out, value(*a)),
        }
    }

    /// After `forward` on the same batch and params: the gradient of the loss with respect to
    /// every parameter, written to `grads` (one per parameter).
    pub fn backward(&mut self, tape: &Tape, params: &[f32], batch: &Batch, grads: &mut [f32]) {
        assert!(self.fits(batch), "a workspace serves batches of one shape");
        loss::gradient(&self.readout, &mut self.readout_grads, tape.outputs, batch);
        self.grads.fill(0.0);
        self.partials.fill(0.0);
        for t in (0..batch.length).rev() {
            if batch.every_step || t + 1 == batch.length {
                self.readout_backward(tape, params, batch, t);
            }
            for i in (0..tape.ops.len()).rev() {
                self.backward_op(tape, params, t, i);
            }
        }
        for (g, p) in grads.iter_mut().zip(self.partials.chunks_exact(LANES)) {
            *g = kernels::reduce(p);
        }
    }

    fn readout_backward(&mut self, tape: &Tape, params: &[f32], batch: &Batch, t: usize) {
        let s = if batch.every_step { t } else { 0 };
        let at = self.layout.1;
        let rows = tape.outputs * self.batch;
        let h_at = t * self.step + self.at[tape.slots[0]];
        let h = self.values[h_at..][..tape.width * self.batch].to_vec();
        let g = &self.readout_grads[s * rows..][..rows];
        let (wp, bp) = self.partials[at.offset * LANES..at.end() * LANES].split_at_mut(at.rows * at.cols * LANES);
        let mut h_grad = [Some(&mut self.grads[h_at..][..tape.width * self.batch])];
        dense_backward(g, &params[at.offset..at.bias()], &[&h], &mut h_grad, (wp, bp), self.batch);
    }

    fn backward_op(&mut self, tape: &Tape, params: &[f32], t: usize, i: usize) {
        let (lanes, start) = (self.batch, t * self.step + self.at[i]);
        let width = tape.width_of(i) * lanes;
        let (lower, rest) = self.grads.split_at_mut(start);
        let g = &rest[..width];
        let at_of = |j: usize| t * self.step + self.at[j];
        let values = &self.values;
        let value = |j: usize| &values[at_of(j)..][..tape.width_of(j) * lanes];
        match &tape.ops[i] {
            Op::Input => {}
            Op::Prev(_) if t == 0 => {}
            Op::Prev(k) => {
                let to = &mut lower[(t - 1) * self.step + self.at[tape.slots[*k]]..][..width];
                to.iter_mut().zip(g).for_each(|(d, g)| *d += g);
            }
            Op::Dense(from) => {
                let at = self.layout.0[i].expect("a dense op has parameters");
                let inputs: Vec<&[f32]> = from.iter().map(|&j| value(j)).collect();
                let mut targets = disjoint_rows(lower, from, |j| tape.ops[j] != Op::Input, |j| (at_of(j), tape.width_of(j) * lanes));
                let (wp, bp) = self.partials[at.offset * LANES..at.end() * LANES].split_at_mut(at.rows * at.cols * LANES);
                dense_backward(g, &params[at.offset..at.bias()], &inputs, &mut targets, (wp, bp), lanes);
            }
            Op::Add(a, b) => {
                for j in [*a, *b] {
                    lower[at_of(j)..][..width].iter_mut().zip(g).for_each(|(d, g)| *d += g);
                }
            }
            Op::Sub(a, b) => {
                lower[at_of(*a)..][..width].iter_mut().zip(g).for_each(|(d, g)| *d += g);
                lower[at_of(*b)..][..width].iter_mut().zip(g).for_each(|(d, g)| *d -= g);
            }
            Op::Mult(a, b) => {
                for (j, other) in [(*a, *b), (*b, *a)] {
                    let other = value(other);
                    lower[at_of(j)..][..width].iter_mut().zip(g.iter().zip(other)).for_each(|(d, (g, o))| *d += g * o);
                }
            }
            Op::Act(kind, a) => kernels::activate_backward(*kind, &mut lower[at_of(*a)..][..width], g, value(*a), value(i)),
        }
    }
}

/// Disjoint gradient rows in `lower` for the values `from` names, each where `place(j)` says
/// (start, length), none where `needs(j)` is false (an input needs none). The values must be
/// distinct, as the tape's and the net's checks make a dense op's inputs.
pub(super) fn disjoint_rows<'a>(
    lower: &'a mut [f32],
    from: &[usize],
    needs: impl Fn(usize) -> bool,
    place: impl Fn(usize) -> (usize, usize),
) -> Vec<Option<&'a mut [f32]>> {
    let mut order: Vec<usize> = (0..from.len()).filter(|&k| needs(from[k])).collect();
    order.sort_by_key(|&k| place(from[k]).0);
    let mut out: Vec<Option<&'a mut [f32]>> = (0..from.len()).map(|_| None).collect();
    let (mut rest, mut base): (&'a mut [f32], usize) = (lower, 0);
    for k in order {
        let (start, len) = place(from[k]);
        let (_, tail) = std::mem::take(&mut rest).split_at_mut(start - base);
        let (row, tail) = tail.split_at_mut(len);
        out[k] = Some(row);
        (rest, base) = (tail, start + len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::batch::Target;
    use crate::tensor::tape::Builder;

    #[test]
    fn a_dense_over_the_input_reads_its_weights_row_by_row() {
        let mut b = Builder::new(2, 1, 1, 1);
        let d = b.dense(&[Builder::INPUT]);
        let tape = b.finish(&[d]).unwrap();
        // W = [2, -1], bias 0.5; readout 3 h + 1.
        let params = [2.0, -1.0, 0.5, 3.0, 1.0];
        let batch = Batch::from_sequences(&[vec![1.0, 4.0]], 2, false, Target::Values(vec![0.0])).unwrap();
        let mut w = Workspace::new(&tape, &batch);
        let score = w.forward(&tape, &params, &batch);
        let h = 2.0 - 4.0 + 0.5;
        assert_eq!(w.value(0, d)[0], h);
        assert_eq!(w.readout(0, 1)[0], 3.0 * h + 1.0);
        assert_eq!(score.loss, (3.0 * h + 1.0) * (3.0 * h + 1.0));
    }
}
