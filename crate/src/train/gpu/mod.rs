//! The GPU trainer: the population's Programs trained by `trainer.wgsl` through wgpu (Vulkan
//! natively, WebGPU in the browser), every step of a generation in one submission with one
//! readback; the CPU trainer is the reference.
//!
//! The core is async because the browser can only wait for a readback by yielding to its event
//! loop; natively `Gpu::new` and `Gpu::train` block on the same futures.

mod pack;

use super::{Outcome, Settings};
use crate::dataset::Dataset;
use crate::program::Program;
use pack::{pack, pad16, pad16_u32, unpack, Packed};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

const SHADER: &str = include_str!("trainer.wgsl");
/// Node values live in private arrays of this many slots (trainer.wgsl's MAX_SLOTS).
pub const MAX_SLOTS: usize = 64;
/// Invocations per workgroup, one point each (trainer.wgsl's workgroup_size).
const CHUNK: usize = 64;
const BINDINGS: u32 = 8;
/// Workgroup memory the shader declares, in bytes (columns and their weights, shared_sum,
/// the genome, a flag).
const WORKGROUP_BYTES: u32 = (2048 + 32 + 64 + 8 + 1) * 4;

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
    /// Bytes the gradient partials of one submission may take (max_binding unless capped).
    max_partials: u64,
    max_groups: usize,
    /// Set when the device is lost or reports an error outside a training run.
    broken: Arc<Mutex<Option<String>>>,
}

/// Whether a program fits the shader's private arrays; those that do not train on the CPU.
pub fn fits(program: &Program) -> bool {
    program.slots <= MAX_SLOTS
}

/// A value a callback delivers once, awaited (wgpu's map_async reports through a callback).
struct Delivery<T>(Arc<Mutex<(Option<T>, Option<Waker>)>>);

impl<T> Delivery<T> {
    fn new() -> Self {
        Delivery(Arc::new(Mutex::new((None, None))))
    }

    fn sender(&self) -> impl FnOnce(T) {
        let slot = self.0.clone();
        move |value| {
            let mut slot = slot.lock().expect("delivery slot");
            slot.0 = Some(value);
            if let Some(waker) = slot.1.take() {
                waker.wake();
            }
        }
    }
}

impl<T> Future for Delivery<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.0.lock().expect("delivery slot");
        match slot.0.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs a future to completion on this thread (wgpu's native futures need no reactor).
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        std::thread::park();
    }
}

fn layout_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    // Bindings 1 (code) and 3 (points) are read-only; 0 is the uniform params.
    let ty = match binding {
        0 => wgpu::BufferBindingType::Uniform,
        b => wgpu::BufferBindingType::Storage { read_only: b == 1 || b == 3 },
    };
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None },
        count: None,
    }
}

fn pipelines(device: &wgpu::Device, layout: &wgpu::BindGroupLayout) -> [wgpu::ComputePipeline; 3] {
    let pipeline_layout =
        device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor { label: None, bind_group_layouts: &[Some(layout)], immediate_size: 0 });
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some("trainer.wgsl"), source: wgpu::ShaderSource::Wgsl(SHADER.into()) });
    ["backprop", "update", "evaluate"].map(|entry| {
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        })
    })
}

impl Gpu {
    /// Opens the first adapter wgpu offers (hardware preferred) and builds the pipelines.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new() -> Result<Gpu, String> {
        block_on(Gpu::open())
    }

    /// Opens the first adapter wgpu offers (hardware preferred) with its own limits, and
    /// builds the pipelines; a shader the platform rejects is an error here, not later.
    pub async fn open() -> Result<Gpu, String> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                apply_limit_buckets: false,
            })
            .await
            .map_err(|e| format!("no GPU adapter: {e}"))?;
        let info = adapter.get_info();
        let limits = adapter.limits();
        if limits.max_compute_workgroup_storage_size < WORKGROUP_BYTES {
            return Err(format!("the GPU offers {} bytes of workgroup memory; the trainer needs {WORKGROUP_BYTES}", limits.max_compute_workgroup_storage_size));
        }
        let descriptor = wgpu::DeviceDescriptor { label: Some("evonas"), required_limits: limits.clone(), ..Default::default() };
        let (device, queue) = adapter.request_device(&descriptor).await.map_err(|e| format!("the GPU device could not be opened: {e}"))?;
        let broken = Arc::new(Mutex::new(None));
        let lost = broken.clone();
        device.set_device_lost_callback(move |reason, message| {
            *lost.lock().expect("gpu state") = Some(format!("the GPU device was lost ({reason:?}: {message})"));
        });
        let failed = broken.clone();
        device.on_uncaptured_error(Arc::new(move |error| {
            failed.lock().expect("gpu state").get_or_insert(format!("GPU error: {error}"));
        }));
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let entries: Vec<_> = (0..BINDINGS).map(layout_entry).collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: None, entries: &entries });
        let pipelines = pipelines(&device, &layout);
        if let Some(error) = scope.pop().await {
            return Err(format!("the GPU rejected the trainer's shader: {error}"));
        }
        let name = if info.name.is_empty() { "unnamed adapter".to_string() } else { info.name.clone() };
        Ok(Gpu {
            adapter: format!("{name} ({:?})", info.backend),
            software: info.device_type == wgpu::DeviceType::Cpu,
            max_binding: limits.max_storage_buffer_binding_size.min(limits.max_buffer_size),
            max_partials: limits.max_storage_buffer_binding_size.min(limits.max_buffer_size),
            max_groups: limits.max_compute_workgroups_per_dimension as usize,
            device,
            queue,
            layout,
            pipelines,
            broken,
        })
    }

    /// Caps the gradient buffer the trainer plans with below the device's own limit, so tests
    /// can make a small population take the path a huge one takes.
    pub fn limit_gradient_buffer(&mut self, bytes: u64) {
        self.max_partials = self.max_partials.min(bytes);
    }

    /// Destroys the device, as a driver reset would: later training reports a lost device.
    pub fn lose(&self) {
        self.broken.lock().expect("gpu state").get_or_insert("the GPU device was lost (destroyed)".into());
        self.device.destroy();
    }

    /// Trains every program in place, as `train::train_all` does on the CPU.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn train(&self, programs: &mut [Program], data: &Dataset, settings: &Settings) -> Result<Vec<Outcome>, String> {
        block_on(self.train_async(programs, data, settings))
    }

    /// Trains every program in place. Programs that do not `fit` are an error (the caller
    /// trains those on the CPU). A population whose buffers or dispatch would exceed the
    /// device's limits trains in consecutive slices that fit; no result depends on the slicing.
    pub async fn train_async(&self, programs: &mut [Program], data: &Dataset, settings: &Settings) -> Result<Vec<Outcome>, String> {
        if let Some(p) = programs.iter().find(|p| !fits(p)) {
            return Err(format!("a program has {} slots; the GPU trainer holds {MAX_SLOTS}", p.slots));
        }
        let mut outcomes = Vec::with_capacity(programs.len());
        let mut rest = programs;
        while !rest.is_empty() {
            let take = self.slice_len(rest, data)?;
            let (slice, tail) = rest.split_at_mut(take);
            let packed = pack(slice, data, settings);
            let raw = self.run(&packed, pack::most_steps(slice, settings)).await?;
            outcomes.extend(unpack(slice, &packed, &raw, data));
            rest = tail;
        }
        Ok(outcomes)
    }

    /// How many of `programs` (from the front) one submission can train within the limits:
    /// the per-chunk gradient partials and the points must fit one binding, the genomes one
    /// dispatch dimension.
    fn slice_len(&self, programs: &[Program], data: &Dataset) -> Result<usize, String> {
        let chunks = pack::train_chunks(data) as u64;
        let points_bytes = (data.train.len() + data.test.len() + 2 * CHUNK) as u64 * 16;
        if points_bytes > self.max_binding {
            return Err(format!("{points_bytes} bytes of points exceed the GPU's binding limit of {}", self.max_binding));
        }
        let mut weights = 0u64;
        for (i, p) in programs.iter().enumerate() {
            weights += p.weights.len() as u64;
            if i == self.max_groups || chunks * weights * 4 > self.max_partials {
                return if i == 0 { Err("one genome's gradients exceed the GPU's binding limit".into()) } else { Ok(i) };
            }
        }
        Ok(programs.len())
    }

    /// Encodes `steps` x (backprop, update) and one evaluate, submits once, reads back once.
    async fn run(&self, packed: &Packed, steps: usize) -> Result<Vec<u8>, String> {
        if let Some(reason) = self.broken.lock().expect("gpu state").clone() {
            return Err(reason);
        }
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let (buffers, read) = self.buffers(packed);
        let mut encoder = self.device.create_command_encoder(&Default::default());
        self.encode(&mut encoder, &buffers, packed, steps);
        let mut at = 0;
        for (buffer, size) in [&buffers[2], &buffers[6], &buffers[7]].into_iter().zip(packed.readback_sizes()) {
            encoder.copy_buffer_to_buffer(buffer, 0, &read, at as u64, size as u64);
            at += size;
        }
        self.queue.submit(Some(encoder.finish()));
        let mapped = Delivery::new();
        read.slice(..).map_async(wgpu::MapMode::Read, mapped.sender());
        if let Some(error) = validation.pop().await {
            return Err(format!("GPU error: {error}"));
        }
        if let Some(error) = memory.pop().await {
            return Err(format!("the GPU ran out of memory: {error}"));
        }
        #[cfg(not(target_arch = "wasm32"))]
        self.device.poll(wgpu::PollType::wait_indefinitely()).map_err(|e| format!("GPU poll failed: {e}"))?;
        if let Err(e) = mapped.await {
            let lost = self.broken.lock().expect("gpu state").clone();
            return Err(lost.unwrap_or_else(|| format!("GPU readback failed: {e}")));
        }
        let bytes = read.slice(..).get_mapped_range().map_err(|e| format!("GPU readback failed: {e:?}"))?.to_vec();
        Ok(bytes)
    }

    /// The eight bindings (see trainer.wgsl) and the readback buffer. Buffers are written
    /// through the queue, not mapped, so a device lost meanwhile surfaces as an error later
    /// rather than a failed mapping here; WebGPU zero-fills what is not written.
    fn buffers(&self, packed: &Packed) -> ([wgpu::Buffer; 8], wgpu::Buffer) {
        let create = |label: &str, bytes: usize, usage: wgpu::BufferUsages| {
            self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: bytes.max(16).next_multiple_of(4) as u64,
                usage,
                mapped_at_creation: false,
            })
        };
        let storage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
        let filled = |label: &str, contents: &[u8], usage: wgpu::BufferUsages| {
            let buffer = create(label, contents.len(), usage | wgpu::BufferUsages::COPY_DST);
            self.queue.write_buffer(&buffer, 0, contents);
            buffer
        };
        let (genomes, (train_chunks, test_chunks)) = (packed.genomes, packed.chunks);
        let buffers = [
            filled("params", bytemuck::cast_slice(&packed.params), wgpu::BufferUsages::UNIFORM),
            filled("code", bytemuck::cast_slice(&pad16_u32(&packed.code)), storage),
            filled("weights", bytemuck::cast_slice(&pad16(&packed.weights)), storage),
            filled("points", bytemuck::cast_slice(&packed.points), storage),
            create("partials", train_chunks * packed.weights.len() * 4, storage),
            create("moments", packed.weights.len() * 8, storage),
            create("state", genomes * 8, storage),
            create("scores", genomes * (train_chunks + test_chunks) * 8, storage),
        ];
        let read_usage = wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST;
        (buffers, create("readback", packed.readback_sizes().iter().sum(), read_usage))
    }

    fn encode(&self, encoder: &mut wgpu::CommandEncoder, buffers: &[wgpu::Buffer; 8], packed: &Packed, steps: usize) {
        let entries: Vec<_> = buffers.iter().enumerate().map(|(i, b)| wgpu::BindGroupEntry { binding: i as u32, resource: b.as_entire_binding() }).collect();
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor { label: None, layout: &self.layout, entries: &entries });
        let (genomes, (train_chunks, test_chunks)) = (packed.genomes as u32, packed.chunks);
        let mut pass = encoder.begin_compute_pass(&Default::default());
        pass.set_bind_group(0, &bind, &[]);
        for _ in 0..steps {
            pass.set_pipeline(&self.pipelines[0]);
            pass.dispatch_workgroups(train_chunks as u32, genomes, 1);
            pass.set_pipeline(&self.pipelines[1]);
            pass.dispatch_workgroups(genomes, 1, 1);
        }
        pass.set_pipeline(&self.pipelines[2]);
        pass.dispatch_workgroups((train_chunks + test_chunks) as u32, genomes, 1);
    }
}
