//! Work spread over native threads: each takes the next item as it finishes; results in order,
//! whatever the thread count (one thread, and wasm, run in place).

/// `f(k, item)` for every item, over `threads` threads that take the next item as they finish;
/// results in order.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len()).max(1);
    if threads == 1 || cfg!(target_arch = "wasm32") {
        return items.iter().enumerate().map(|(k, t)| f(k, t)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break out };
                        out.push((k, f(k, item)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a training thread panicked")).collect()
    });
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
}
