//! The GPU trainer: the population's Programs trained by `gpu.wgsl` through wgpu, every step
//! of a generation in one submission with one readback; the CPU trainer is the reference.

use super::{Outcome, Settings};
use crate::config::Optimizer;
use crate::dataset::{Dataset, Points};
use crate::program::Program;
use std::sync::{Arc, Mutex};
use wgpu::util::DeviceExt;

const SHADER: &str = include_str!("gpu.wgsl");
/// Node values live in private arrays of this many slots (gpu.wgsl's MAX_SLOTS).
pub const MAX_SLOTS: usize = 64;
/// Invocations per workgroup, one point each (gpu.wgsl's workgroup_size).
const CHUNK: usize = 64;
const BINDINGS: u32 = 8;

/// A device and the three pipelines (backprop, update, evaluate) sharing one layout.
pub struct Gpu {
    device: wgpu::Device,
    queue: wgpu::Queue,
    layout: wgpu::BindGroupLayout,
    pipelines: [wgpu::ComputePipeline; 3],
    /// The adapter, in words (name and backend), for status lines.
    pub adapter: String,
    /// True for a software adapter such as lavapipe or SwiftShader.
    pub software: bool,
    max_binding: u64,
}

/// The population packed for the shader (see the binding comments in gpu.wgsl).
struct Packed {
    params: [u32; 12],
    code: Vec<u32>,
    weights: Vec<f32>,
    points: Vec<[f32; 4]>,
    genomes: usize,
    chunks: (usize, usize),
}

/// Runs a future to completion on this thread (wgpu's native futures need no reactor).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    loop {
        if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        std::thread::park();
    }
}

fn storage_entry(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: if binding == 0 {
                wgpu::BufferBindingType::Uniform
            } else {
                wgpu::BufferBindingType::Storage { read_only }
            },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Gpu {
    /// Opens the first adapter wgpu offers (hardware preferred) and builds the pipelines.
    pub fn new() -> Result<Gpu, String> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        }))
        .map_err(|e| format!("no GPU adapter: {e}"))?;
        let info = adapter.get_info();
        let limits = adapter.limits();
        let (device, queue) = block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("evonas"),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| format!("the GPU device could not be opened: {e}"))?;
        let read_only = [false, true, false, true, false, false, false, false];
        let entries: Vec<_> = (0..BINDINGS).map(|b| storage_entry(b, read_only[b as usize])).collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: None, entries: &entries });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: None,
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("gpu.wgsl"),
            source: wgpu::ShaderSource::Wgsl(SHADER.into()),
        });
        let pipeline = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let pipelines = [pipeline("backprop"), pipeline("update"), pipeline("evaluate")];
        Ok(Gpu {
            adapter: format!("{} ({:?})", info.name, info.backend),
            software: info.device_type == wgpu::DeviceType::Cpu,
            max_binding: limits.max_storage_buffer_binding_size.min(limits.max_buffer_size),
            device,
            queue,
            layout,
            pipelines,
        })
    }

    /// Trains every program in place, as `train::train_all` does on the CPU. Programs larger
    /// than MAX_SLOTS are an error (the caller trains those on the CPU); a population whose
    /// buffers exceed the device's limits is trained in slices that fit.
    pub fn train(&self, programs: &mut [Program], data: &Dataset, settings: &Settings) -> Result<Vec<Outcome>, String> {
        if let Some(p) = programs.iter().find(|p| p.slots > MAX_SLOTS) {
            return Err(format!("a program has {} slots; the GPU trainer holds {MAX_SLOTS}", p.slots));
        }
        let chunks = data.train.len().div_ceil(CHUNK);
        let weights: usize = programs.iter().map(|p| p.weights.len()).sum();
        let partial_bytes = (chunks * weights.max(1) * 4) as u64;
        if partial_bytes > self.max_binding && programs.len() > 1 {
            let (a, b) = programs.split_at_mut(programs.len() / 2);
            let mut outcomes = self.train(a, data, settings)?;
            outcomes.extend(self.train(b, data, settings)?);
            return Ok(outcomes);
        }
        let packed = pack(programs, data, settings);
        let raw = self.run(&packed, settings.steps)?;
        Ok(unpack(programs, &packed, &raw, data))
    }

    /// Encodes `steps` x (backprop, update) and one evaluate, submits once, reads back once.
    fn run(&self, packed: &Packed, steps: usize) -> Result<Vec<u8>, String> {
        let device = &self.device;
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let init = |label: &str, contents: &[u8], usage: wgpu::BufferUsages| {
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor { label: Some(label), contents, usage })
        };
        let storage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
        let zeros = |label: &str, bytes: usize| init(label, &vec![0u8; bytes.max(16)], storage);
        let (genomes, (train_chunks, test_chunks)) = (packed.genomes, packed.chunks);
        let buffers = [
            init("params", bytemuck::cast_slice(&packed.params), wgpu::BufferUsages::UNIFORM),
            init("code", bytemuck::cast_slice(&packed.code), storage),
            init("weights", bytemuck::cast_slice(&pad16(&packed.weights)), storage),
            init("points", bytemuck::cast_slice(&packed.points), storage),
            zeros("partials", train_chunks * packed.weights.len() * 4),
            zeros("moments", packed.weights.len() * 8),
            zeros("state", genomes * 8),
            zeros("scores", genomes * (train_chunks + test_chunks) * 8),
        ];
        let entries: Vec<_> = buffers
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry { binding: i as u32, resource: b.as_entire_binding() })
            .collect();
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor { label: None, layout: &self.layout, entries: &entries });
        let mut encoder = device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_bind_group(0, &bind, &[]);
            for _ in 0..steps {
                pass.set_pipeline(&self.pipelines[0]);
                pass.dispatch_workgroups(train_chunks as u32, genomes as u32, 1);
                pass.set_pipeline(&self.pipelines[1]);
                pass.dispatch_workgroups(genomes.div_ceil(CHUNK) as u32, 1, 1);
            }
            pass.set_pipeline(&self.pipelines[2]);
            pass.dispatch_workgroups((train_chunks + test_chunks) as u32, genomes as u32, 1);
        }
        let sizes = [packed.weights.len() * 4, genomes * 8, genomes * (train_chunks + test_chunks) * 8];
        let total: usize = sizes.iter().sum();
        let read = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: total.max(4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut at = 0;
        for (buffer, size) in [&buffers[2], &buffers[6], &buffers[7]].into_iter().zip(sizes) {
            encoder.copy_buffer_to_buffer(buffer, 0, &read, at as u64, size as u64);
            at += size;
        }
        self.queue.submit(Some(encoder.finish()));
        if let Some(error) = block_on(scope.pop()) {
            return Err(format!("GPU error: {error}"));
        }
        let done = Arc::new(Mutex::new(None));
        let slot = done.clone();
        read.slice(..).map_async(wgpu::MapMode::Read, move |r| *slot.lock().expect("map result") = Some(r));
        device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| format!("GPU poll failed: {e}"))?;
        match done.lock().expect("map result").take() {
            Some(Ok(())) => {}
            other => return Err(format!("GPU readback failed: {other:?}")),
        }
        let bytes = read.slice(..).get_mapped_range().map_err(|e| format!("GPU readback failed: {e:?}"))?.to_vec();
        Ok(bytes)
    }
}

/// Storage buffers must not be empty; a zero-weight population still binds 16 bytes.
fn pad16(values: &[f32]) -> Vec<f32> {
    let mut out = values.to_vec();
    out.resize(values.len().max(4), 0.0);
    out
}

fn push_points(out: &mut Vec<[f32; 4]>, points: &Points) -> usize {
    let chunks = points.len().div_ceil(CHUNK).max(1);
    for i in 0..chunks * CHUNK {
        out.push(if i < points.len() { [points.x[i], points.y[i], points.label[i], 1.0] } else { [0.0; 4] });
    }
    chunks
}

fn pack(programs: &[Program], data: &Dataset, settings: &Settings) -> Packed {
    let mut code = Vec::new();
    let (mut nodes, mut edges, mut weights) = (Vec::new(), Vec::new(), Vec::new());
    for p in programs {
        let genome = [nodes.len() / 4, p.nodes.len(), edges.len() / 2, weights.len(), p.weights.len(), p.result_slot];
        code.extend(genome.iter().map(|&v| v as u32));
        code.extend([0, 0]);
        let edge_start = edges.len() / 2;
        for n in &p.nodes {
            nodes.extend([n.slot, n.activation, n.first_edge, n.edge_count]);
        }
        debug_assert_eq!(edge_start, edges.len() / 2);
        for e in &p.edges {
            edges.extend([e.source, e.weight]);
        }
        weights.extend(&p.weights);
    }
    let node_base = code.len();
    code.extend(nodes);
    let edge_base = code.len();
    code.extend(edges);
    let mut points = Vec::new();
    let train_chunks = push_points(&mut points, &data.train);
    let test_chunks = push_points(&mut points, &data.test);
    let optimizer = match settings.optimizer {
        Optimizer::Adam => 0,
        Optimizer::Rmsprop => 1,
    };
    let params = [
        programs.len() as u32,
        data.train.len() as u32,
        test_chunks as u32,
        train_chunks as u32,
        weights.len() as u32,
        optimizer,
        settings.lr.to_bits(),
        settings.clip.to_bits(),
        node_base as u32,
        edge_base as u32,
        0,
        0,
    ];
    Packed { params, code, weights, points, genomes: programs.len(), chunks: (train_chunks, test_chunks) }
}

/// Reads trained weights and scores back into the programs and their outcomes.
fn unpack(programs: &mut [Program], packed: &Packed, raw: &[u8], data: &Dataset) -> Vec<Outcome> {
    let n_weights = packed.weights.len();
    let weights: &[f32] = bytemuck::cast_slice(&raw[..n_weights * 4]);
    let state: &[u32] = bytemuck::cast_slice(&raw[n_weights * 4..n_weights * 4 + packed.genomes * 8]);
    let scores: &[f32] = bytemuck::cast_slice(&raw[n_weights * 4 + packed.genomes * 8..]);
    let (train_chunks, test_chunks) = packed.chunks;
    let mut at = 0;
    programs
        .iter_mut()
        .enumerate()
        .map(|(g, program)| {
            let trained = &weights[at..at + program.weights.len()];
            at += program.weights.len();
            let row = &scores[g * 2 * (train_chunks + test_chunks)..(g + 1) * 2 * (train_chunks + test_chunks)];
            let sum = |chunks: std::ops::Range<usize>, k: usize| chunks.map(|c| row[2 * c + k]).sum::<f32>();
            let loss = sum(0..train_chunks, 0) / data.train.len() as f32;
            if state[2 * g + 1] != 0 || !loss.is_finite() {
                return Outcome::failed(program.edges.len());
            }
            program.weights.copy_from_slice(trained);
            let test = train_chunks..train_chunks + test_chunks;
            Outcome {
                loss,
                train_accuracy: sum(0..train_chunks, 1) / data.train.len() as f32,
                test_accuracy: if data.test.is_empty() { 0.0 } else { sum(test, 1) / data.test.len() as f32 },
                failed: false,
                active_connections: program.edges.len(),
            }
        })
        .collect()
}
