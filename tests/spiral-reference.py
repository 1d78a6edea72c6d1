"""Where the noisy spiral's ceiling lies, measured with learners independent of evonas (NumPy).

The README's generalisation figures: the same generator as crate/src/dataset.rs (other draws),
400 points, noise 0.5, 200 training points of which 150 are fitted and 50 validate (the
validation loss picks the step to keep), 200 test points; median test accuracy over 10 draws.
Run: python3 tests/spiral-reference.py [noise]   (about 4 minutes on one core)
"""
import sys
import numpy as np


def spiral(n, noise, rng):
    """Two arms of 1.75 turns out to radius 5, jittered uniformly by up to `noise`."""
    xs, labels = [], []
    half = (n + 1) // 2
    for i in range(n):
        label, f = i % 2, (i // 2) / half
        t = 1.75 * f * 2 * np.pi + (0 if label == 1 else np.pi)
        point = 5 * f * np.array([np.sin(t), np.cos(t)]) + noise * rng.uniform(-1, 1, 2)
        xs.append(np.clip(point, -6, 6))
        labels.append(label)
    order = rng.permutation(n)
    return np.array(xs)[order], np.array(labels, float)[order]


def nearest_neighbour(x_train, y_train, x_test):
    d = ((x_test[:, None, :] - x_train[None]) ** 2).sum(-1)
    return y_train[np.argmin(d, 1)]


def mlp(fit, valid, test, rng, hidden=32, steps=4000, lr=0.01, l2=0.0, jitter=0.0):
    """A 2-h-h-1 tanh MLP, full-batch Adam, early stopping on the validation loss (every 20
    steps); returns the test accuracy at the best validation loss."""
    sizes = [2, hidden, hidden, 1]
    params = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in zip(sizes, sizes[1:])] + [np.zeros(b) for b in sizes[1:]]
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]

    def forward(x):
        acts = [x]
        for i in range(3):
            z = acts[-1] @ params[i] + params[3 + i]
            acts.append(np.tanh(z) if i < 2 else 1 / (1 + np.exp(-z)))
        return acts

    best, best_test = np.inf, None
    for step in range(1, steps + 1):
        acts = forward(fit[0] + jitter * rng.uniform(-1, 1, fit[0].shape))
        delta = (acts[-1][:, 0] - fit[1])[:, None] / len(fit[1])
        grads = [None] * 6
        for i in (2, 1, 0):
            grads[i] = acts[i].T @ delta + l2 * params[i]
            grads[3 + i] = delta.sum(0)
            if i:
                delta = (delta @ params[i].T) * (1 - acts[i] ** 2)
        for j in range(6):
            m1[j] = 0.9 * m1[j] + 0.1 * grads[j]
            m2[j] = 0.999 * m2[j] + 0.001 * grads[j] ** 2
            params[j] -= lr * (m1[j] / (1 - 0.9 ** step)) / (np.sqrt(m2[j] / (1 - 0.999 ** step)) + 1e-8)
        if step % 20 == 0:
            p = np.clip(forward(valid[0])[-1][:, 0], 1e-7, 1 - 1e-7)
            loss = -np.mean(valid[1] * np.log(p) + (1 - valid[1]) * np.log(1 - p))
            if loss < best:
                best, best_test = loss, np.mean((forward(test[0])[-1][:, 0] > 0.5) == test[1])
    return best_test


def main():
    noise = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    learners = {
        "mlp, early stopping": {},
        "mlp, early stopping, L2 1e-3": {"l2": 1e-3},
        "mlp, early stopping, input noise 0.3": {"jitter": 0.3},
        "mlp, early stopping, input noise 0.5": {"jitter": 0.5},
    }
    results = {name: [] for name in [*learners, "1-nearest-neighbour (all 200 training points)"]}
    for draw in range(10):
        rng = np.random.default_rng(draw)
        x, y = spiral(400, noise, rng)
        fit, valid, test = (x[:150], y[:150]), (x[150:200], y[150:200]), (x[200:], y[200:])
        for name, options in learners.items():
            results[name].append(mlp(fit, valid, test, rng, **options))
        results["1-nearest-neighbour (all 200 training points)"].append(np.mean(nearest_neighbour(x[:200], y[:200], test[0]) == test[1]))
    for name, accuracies in results.items():
        print(f"{name}: median {np.median(accuracies):.3f} ({' '.join(f'{a:.3f}' for a in accuracies)})")


if __name__ == "__main__":
    main()
