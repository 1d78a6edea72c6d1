// The GPU trainer: every genome's Program interpreted over every point, backprop with
// workgroup reductions, and the optimizer, for a whole population in one submission.
//
// Dispatch layout: workgroup (chunk, genome) of 64 invocations, one point each. Node values
// live in private arrays sized to MAX_SLOTS (WGSL zero-fills private memory at every
// invocation, so nothing else lives there). Every invocation walks the same Program, read
// from the read-only `code` buffer at uniform addresses (broadcast loads; and uniform values,
// so loops over them may hold barriers). The backward pass hands each weight's per-point
// gradient to workgroup memory as its edge is visited, 32 edges per round; a full round is
// summed per weight in point order (two barriers per round). Chunks' partials are summed by
// `update` in chunk order: WGSL has no float atomics, and the order must not vary anyway.
const MAX_SLOTS: u32 = 64u;
const INPUT_SLOTS: u32 = 3u;
// Weights summed per reduction round: 32 x 64 floats (8 KiB) of the 16 KiB WebGPU guarantees.
const ROUND: u32 = 32u;

struct Params {
    genomes: u32,
    train_points: u32,
    test_chunks: u32,
    train_chunks: u32,
    total_weights: u32,
    optimizer: u32, // 0 adam, 1 rmsprop
    decay: f32, // decoupled weight decay (each genome carries its own learning rate: Genome.lr_bits)
    clip: f32,
    node_base: u32,
    edge_base: u32,
    jitter: f32, // input noise: each step moves each training point by up to this in x and y
    jitter_key: u32,
}

// Per genome: where its nodes, edges and weights start, its result slot, and its own learning
// rate (f32 bits) and steps: genomes that evolve them differ, and one whose steps are done
// sits out the submission's remaining steps.
struct Genome {
    node_start: u32,
    node_count: u32,
    edge_start: u32,
    weight_start: u32,
    weight_count: u32,
    result_slot: u32,
    lr_bits: u32,
    steps: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
// The population's Programs in one array (few bindings fit every WebGPU device's limit of 8
// storage buffers): 8 words per genome (a Genome), then from node_base 4 words per node (slot,
// activation code, first edge relative to the genome's edge_start, edge count), then from
// edge_base 2 words per edge (source slot, weight index relative to the weight_start).
@group(0) @binding(1) var<storage, read> code: array<u32>;
@group(0) @binding(2) var<storage, read_write> weights: array<f32>;
// x, y, label, 1 for a real point (0 for padding): the training points padded to whole
// chunks, then the test points likewise, so no chunk mixes the two
@group(0) @binding(3) var<storage, read> points: array<vec4<f32>>;
// [train chunk][weight]: one gradient partial per chunk
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
// first and second moments per weight
@group(0) @binding(5) var<storage, read_write> moments: array<vec2<f32>>;
// per genome: steps taken, failed (0/1)
@group(0) @binding(6) var<storage, read_write> state: array<vec2<u32>>;
// [genome][chunk over train then test]: loss sum, correct count
@group(0) @binding(7) var<storage, read_write> scores: array<vec2<f32>>;

var<workgroup> shared_sum: array<f32, 64>;
var<workgroup> columns: array<f32, 2048>; // [edge in round][point in chunk]
var<workgroup> column_weight: array<u32, 32>; // each round's weights (relative to weight_start)
var<workgroup> uniform_genome: Genome;
var<workgroup> uniform_done: u32;

var<private> values: array<f32, MAX_SLOTS>;
var<private> slopes: array<f32, MAX_SLOTS>;
var<private> grads: array<f32, MAX_SLOTS>;

// The same polynomial kernels as math.rs, so both trainers compute nearly the same numbers.
// math.rs rounds with (v + ROUND) - ROUND; shader compilers may fold that sum away as
// inexact algebra, so here `round` (also ties to even) gives the same integer.
fn exp_poly(x_in: f32) -> f32 {
    let x = clamp(x_in, -87.33, 88.37);
    let n = round(x * 1.442695);
    let r = (x - n * 0.69314575) - n * 1.4286068e-6;
    let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    return p * bitcast<f32>(u32(i32(n) + 127) << 23u);
}

fn sin_cos(x: f32) -> vec2<f32> {
    let k = round(x * 0.63661977);
    let r = ((x - k * 1.5703125) - k * 4.837513e-4) - k * 7.54979e-8;
    let r2 = r * r;
    let s = r + r * r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0))));
    let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
    let q = bitcast<u32>(i32(k));
    var sc = vec2<f32>(s, c);
    if ((q & 1u) != 0u) {
        sc = vec2<f32>(c, -s);
    }
    if ((q & 2u) != 0u) {
        sc = -sc;
    }
    return sc;
}

fn sigmoid(x: f32) -> f32 {
    return 1.0 / (1.0 + exp_poly(-x));
}

// (value, slope) of activation `code` (the order of activation::ALL) at combined input x.
fn activate(code: u32, x: f32) -> vec2<f32> {
    switch code {
        case 0u: { let s = sigmoid(x); return vec2<f32>(s, s * (1.0 - s)); }
        case 1u: {
            var t = 1.0 - 2.0 / (exp_poly(2.0 * abs(x)) + 1.0);
            if (x < 0.0) { t = -t; }
            return vec2<f32>(t, 1.0 - t * t);
        }
        case 2u: { if (x > 0.0) { return vec2<f32>(x, 1.0); } return vec2<f32>(0.0, 0.0); }
        case 3u: { let g = exp_poly(-x * x); return vec2<f32>(g, -2.0 * x * g); }
        case 4u: { return sin_cos(x); }
        case 5u: { return vec2<f32>(abs(x), sign(x)); }
        case 6u: { return vec2<f32>(x * x, 2.0 * x); }
        default: { return vec2<f32>(x, 1.0); }
    }
}

fn is_finite(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn genome_at(g: u32) -> Genome {
    let at = g * 8u;
    return Genome(code[at], code[at + 1u], code[at + 2u], code[at + 3u], code[at + 4u], code[at + 5u], code[at + 6u], code[at + 7u]);
}

// Loads the workgroup's genome and whether it is out of training (failed, or all its own
// steps taken), uniformly.
fn load_genome(g: u32, lid: u32) -> Genome {
    if (lid == 0u) {
        uniform_genome = genome_at(g);
        uniform_done = state[g].y;
        if (state[g].x >= uniform_genome.steps) { uniform_done = 1u; }
    }
    return workgroupUniformLoad(&uniform_genome);
}

fn node_at(index: u32) -> vec4<u32> {
    let at = params.node_base + index * 4u;
    return vec4<u32>(code[at], code[at + 1u], code[at + 2u], code[at + 3u]);
}

fn edge_at(index: u32) -> vec2<u32> {
    let at = params.edge_base + index * 2u;
    return vec2<u32>(code[at], code[at + 1u]);
}

// rng.rs's hash32 and jitter_unit, in the same u32 operations (which wrap here as there), so
// every point and step draws the CPU trainer's noise.
fn hash32(v: u32) -> u32 {
    let state = v * 747796405u + 2891336453u;
    let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

fn jitter_unit(key: u32, step: u32, point: u32, axis: u32) -> f32 {
    let h = hash32(key ^ hash32(step ^ hash32(point * 2u + axis)));
    return f32(h >> 8u) * (2.0 / 16777216.0) - 1.0;
}

// Forward pass at one point; returns the result node's logit.
fn forward(info: Genome, point: vec4<f32>) -> f32 {
    values[0] = point.x;
    values[1] = point.y;
    values[2] = 1.0;
    var logit = 0.0;
    for (var n = 0u; n < info.node_count; n++) {
        let node = node_at(info.node_start + n);
        let product = node.y == 8u;
        var acc = 0.0;
        if (product && node.w > 0u) { acc = 1.0; }
        for (var e = 0u; e < node.w; e++) {
            let edge = edge_at(info.edge_start + node.z + e);
            let term = weights[info.weight_start + edge.y] * values[edge.x];
            if (product) { acc = acc * term; } else { acc = acc + term; }
        }
        if (node.x == info.result_slot) { logit = acc; }
        let vs = activate(node.y, acc);
        values[node.x] = vs.x;
        slopes[node.x] = vs.y;
    }
    return logit;
}

// Sums `v` over the workgroup (tree order fixed); every invocation gets the sum.
fn workgroup_sum(v: f32, lid: u32) -> f32 {
    shared_sum[lid] = v;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s >>= 1u) {
        if (lid < s) { shared_sum[lid] = shared_sum[lid] + shared_sum[lid + s]; }
        workgroupBarrier();
    }
    let total = shared_sum[0];
    workgroupBarrier();
    return total;
}

// The product of a product node's weighted inputs other than input `skip`.
fn others_product(info: Genome, node: vec4<u32>, skip: u32) -> f32 {
    var p = 1.0;
    for (var j = 0u; j < node.w; j++) {
        let other = edge_at(info.edge_start + node.z + j);
        if (j != skip) { p = p * weights[info.weight_start + other.y] * values[other.x]; }
    }
    return p;
}

// Sums the round's first `count` columns over the chunk's points, in point order, into the
// chunk's partials. The barriers keep the round's writes before, and the next round's after.
fn flush_round(info: Genome, chunk: u32, count: u32, lid: u32) {
    workgroupBarrier();
    if (lid < count) {
        var total = 0.0;
        for (var j = 0u; j < 64u; j++) { total = total + columns[lid * 64u + j]; }
        partials[chunk * params.total_weights + info.weight_start + column_weight[lid]] = total;
    }
    workgroupBarrier();
}

// Backward pass at one point from d loss / d logit. A weight's gradient is final when its
// edge is visited (its target's gradient is complete in reverse topological order), so it
// goes straight to the round's columns.
fn backward(info: Genome, d_logit: f32, chunk: u32, lid: u32) {
    for (var s = 0u; s < MAX_SLOTS; s++) { grads[s] = 0.0; }
    grads[info.result_slot] = d_logit;
    var filled = 0u;
    for (var k = 0u; k < info.node_count; k++) {
        let node = node_at(info.node_start + info.node_count - 1u - k);
        var g = grads[node.x];
        if (node.x != info.result_slot) { g = g * slopes[node.x]; }
        let product = node.y == 8u;
        for (var e = 0u; e < node.w; e++) {
            let edge = edge_at(info.edge_start + node.z + e);
            var g_term = g;
            if (product) { g_term = g * others_product(info, node, e); }
            columns[filled * 64u + lid] = g_term * values[edge.x];
            if (lid == 0u) { column_weight[filled] = edge.y; }
            if (edge.x >= INPUT_SLOTS) { grads[edge.x] = grads[edge.x] + weights[info.weight_start + edge.y] * g_term; }
            filled++;
            if (filled == ROUND) {
                flush_round(info, chunk, ROUND, lid);
                filled = 0u;
            }
        }
    }
    if (filled > 0u) { flush_round(info, chunk, filled, lid); }
}

@compute @workgroup_size(64)
fn backprop(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let chunk = wid.x;
    let info = load_genome(wid.y, lid);
    if (workgroupUniformLoad(&uniform_done) != 0u) { return; }
    var point = points[chunk * 64u + lid];
    if (params.jitter > 0.0) {
        // This genome's step count is the step being taken; training points come first, in
        // order, so chunk * 64 + lid is the point's index on the CPU too.
        let step = state[wid.y].x;
        let p = chunk * 64u + lid;
        point.x = point.x + params.jitter * jitter_unit(params.jitter_key, step, p, 0u);
        point.y = point.y + params.jitter * jitter_unit(params.jitter_key, step, p, 1u);
    }
    let logit = forward(info, point);
    // Sigmoid output with cross-entropy: d loss / d logit = (p - y) / count (0 on padding).
    backward(info, (sigmoid(logit) - point.z) * point.w / f32(params.train_points), chunk, lid);
}

// One workgroup per genome: sums each weight's chunk partials in chunk order, clips by the
// global norm, and takes one optimizer step; a non-finite gradient marks the genome failed
// for good.
@compute @workgroup_size(64)
fn update(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let g = wid.x;
    let info = load_genome(g, lid);
    if (workgroupUniformLoad(&uniform_done) != 0u) { return; }
    let t = f32(state[g].x + 1u);
    var norm2_part = 0.0;
    for (var i = lid; i < info.weight_count; i += 64u) {
        var grad = 0.0;
        for (var c = 0u; c < params.train_chunks; c++) {
            grad = grad + partials[c * params.total_weights + info.weight_start + i];
        }
        partials[info.weight_start + i] = grad; // chunk 0's slot now holds the sum
        norm2_part = norm2_part + grad * grad;
    }
    let norm2 = workgroup_sum(norm2_part, lid);
    if (!is_finite(norm2)) {
        if (lid == 0u) { state[g].y = 1u; }
        return;
    }
    if (lid == 0u) { state[g].x = state[g].x + 1u; }
    let norm = sqrt(norm2);
    var scale = 1.0;
    if (norm > params.clip) { scale = params.clip / norm; }
    let lr = bitcast<f32>(info.lr_bits);
    let c1 = 1.0 - pow(0.9, t);
    let c2 = 1.0 - pow(0.999, t);
    for (var i = lid; i < info.weight_count; i += 64u) {
        let at = info.weight_start + i;
        let grad = partials[at] * scale;
        var m = moments[at];
        // Decoupled weight decay (AdamW), before the step, as the CPU trainer does.
        if (params.decay > 0.0) { weights[at] = weights[at] - lr * params.decay * weights[at]; }
        if (params.optimizer == 0u) {
            m = vec2<f32>(0.9 * m.x + 0.1 * grad, 0.999 * m.y + 0.001 * grad * grad);
            weights[at] = weights[at] - lr * (m.x / c1) / (sqrt(m.y / c2) + 1e-8);
        } else {
            m.y = 0.9 * m.y + 0.1 * grad * grad;
            weights[at] = weights[at] - lr * grad / (sqrt(m.y) + 1e-8);
        }
        moments[at] = m;
    }
}

// Forward over training then test points: per chunk, the loss sum and the correct count.
@compute @workgroup_size(64)
fn evaluate(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let chunk = wid.x;
    let info = load_genome(wid.y, lid);
    let point = points[chunk * 64u + lid];
    let z = forward(info, point);
    let loss = (max(z, 0.0) - point.z * z + log(1.0 + exp_poly(-abs(z)))) * point.w;
    var correct = 0.0;
    if ((z > 0.0) == (point.z > 0.5)) { correct = point.w; }
    let loss_sum = workgroup_sum(loss, lid);
    let correct_sum = workgroup_sum(correct, lid);
    if (lid == 0u) {
        scores[wid.y * (params.train_chunks + params.test_chunks) + chunk] = vec2<f32>(loss_sum, correct_sum);
    }
}
