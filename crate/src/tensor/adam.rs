//! Adam with global-norm clipping, the tensor engine's optimizer.

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPSILON: f32 = 1e-8;

/// Adam's moments for one parameter vector.
#[derive(Clone, Debug)]
pub struct Adam {
    m: Vec<f32>,
    v: Vec<f32>,
    steps: u32,
}

impl Adam {
    pub fn new(parameters: usize) -> Adam {
        Adam { m: vec![0.0; parameters], v: vec![0.0; parameters], steps: 0 }
    }

    /// One step: the gradient scaled down to a global norm of at most `clip`, then Adam's
    /// update at rate `lr`. A gradient that is not finite changes nothing and returns false.
    pub fn step(&mut self, params: &mut [f32], grads: &[f32], lr: f32, clip: f32) -> bool {
        let norm2: f32 = grads.iter().map(|g| g * g).sum();
        if !norm2.is_finite() {
            return false;
        }
        let norm = libm::sqrtf(norm2);
        let scale = if norm > clip { clip / norm } else { 1.0 };
        self.steps += 1;
        let t = self.steps as f32;
        let (c1, c2) = (1.0 - libm::powf(BETA1, t), 1.0 - libm::powf(BETA2, t));
        for ((w, &g), (m, v)) in params.iter_mut().zip(grads).zip(self.m.iter_mut().zip(self.v.iter_mut())) {
            let g = g * scale;
            *m = BETA1 * *m + (1.0 - BETA1) * g;
            *v = BETA2 * *v + (1.0 - BETA2) * g * g;
            *w -= lr * (*m / c1) / (libm::sqrtf(*v / c2) + EPSILON);
        }
        true
    }
}
