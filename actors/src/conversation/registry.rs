//! [`ActorMap`]: live actors by key, found in O(1) without a process-wide lock.
//!
//! The map is split into [`SHARDS`] shards, each a `HashMap` behind its own
//! mutex, picked by the key's hash: a lookup locks one shard and reads one
//! entry, so lookups of different conversations rarely wait on each other and
//! none scans the others. An entry whose actor has stopped is replaced on the
//! next lookup; an actor that stops itself (idle) removes its own entry first
//! with [`ActorMap::remove`], so the map holds no dead addresses. Messages are
//! enqueued under the shard's lock ([`ActorMap::with`]), so none is sent to an
//! actor after it left the map.

use actix::{Actor, Addr};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many independently locked parts the map has.
pub const SHARDS: usize = 32;

/// One shard: part of the keys, behind its own lock.
type Shard<K, A> = Mutex<HashMap<K, Addr<A>>>;

/// Live actors of type `A` by key `K` (cheap to clone; clones share the map).
pub struct ActorMap<K, A: Actor> {
    shards: Arc<[Shard<K, A>; SHARDS]>,
    hasher: RandomState,
}

impl<K, A: Actor> Clone for ActorMap<K, A> {
    fn clone(&self) -> Self {
        ActorMap {
            shards: self.shards.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<K: Hash + Eq + Clone, A: Actor> Default for ActorMap<K, A> {
    fn default() -> Self {
        ActorMap {
            shards: Arc::new(std::array::from_fn(|_| Mutex::new(HashMap::new()))),
            hasher: RandomState::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, A: Actor> ActorMap<K, A> {
    /// The live actor for `key`, or the one `start` starts (and the map keeps).
    /// `start` runs under the shard's lock, so one key never gets two actors.
    pub fn get_or_start(&self, key: &K, start: impl FnOnce() -> Addr<A>) -> Addr<A> {
        self.with(key, start, Addr::clone)
    }

    /// Runs `f` on the live actor for `key` (or the one `start` starts) under the
    /// shard's lock. A message `f` enqueues is then in that actor's mailbox before
    /// an actor leaving the map ([`ActorMap::remove`], same lock) queues its own stop
    /// behind it, so an actor stopping idle never drops a message sent to it.
    pub fn with<R>(
        &self,
        key: &K,
        start: impl FnOnce() -> Addr<A>,
        f: impl FnOnce(&Addr<A>) -> R,
    ) -> R {
        let mut shard = self.shard(key);
        if let Some(addr) = shard.get(key).filter(|addr| addr.connected()) {
            return f(addr);
        }
        let addr = start();
        let result = f(&addr);
        shard.insert(key.clone(), addr);
        result
    }

    /// Forgets `key` if it still maps to `addr` (an actor stopping itself; a
    /// newer actor for the key is left alone). `true` when it was removed.
    pub fn remove(&self, key: &K, addr: &Addr<A>) -> bool {
        let mut shard = self.shard(key);
        if shard.get(key) == Some(addr) {
            shard.remove(key);
            return true;
        }
        false
    }

    /// How many mapped actors are alive (for `/metrics`; visits every shard).
    pub fn live(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| lock(shard).values().filter(|addr| addr.connected()).count())
            .sum()
    }

    fn shard(&self, key: &K) -> MutexGuard<'_, HashMap<K, Addr<A>>> {
        // The remainder is below SHARDS, so it fits any usize.
        let index = (self.hasher.hash_one(key) % SHARDS as u64) as usize;
        lock(&self.shards[index])
    }
}

/// A shard's guard; a poisoned shard (a panic while it was held) is still a
/// consistent map, since every critical section is a single insert or remove.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix::{ActorContext, Context, Handler, Message};

    struct Probe;

    impl Actor for Probe {
        type Context = Context<Self>;
    }

    #[derive(Message)]
    #[rtype(result = "()")]
    struct Stop;

    impl Handler<Stop> for Probe {
        type Result = ();
        fn handle(&mut self, _: Stop, ctx: &mut Context<Self>) {
            ctx.stop();
        }
    }

    fn start(map: &ActorMap<(String, u8), Probe>, key: (&str, u8)) -> Addr<Probe> {
        map.get_or_start(&(key.0.to_owned(), key.1), || Probe.start())
    }

    #[actix::test]
    async fn one_actor_per_key_and_a_stopped_one_is_replaced() {
        let map = ActorMap::default();
        let alice = start(&map, ("+14155550001", 1));
        let bob = start(&map, ("+14155550002", 1));
        assert!(alice != bob, "two customers, two actors");
        assert!(
            start(&map, ("+14155550001", 1)) == alice,
            "same key, same actor"
        );
        assert!(
            start(&map, ("+14155550001", 2)) != alice,
            "same customer, other channel"
        );
        assert_eq!(map.live(), 3);

        alice.send(Stop).await.ok();
        for _ in 0..100 {
            if !alice.connected() {
                break;
            }
            actix::clock::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert!(!alice.connected(), "the actor stopped");
        let again = start(&map, ("+14155550001", 1));
        assert!(
            again != alice && again.connected(),
            "a stopped actor is replaced"
        );
        assert_eq!(map.live(), 3);
    }

    #[actix::test]
    async fn remove_forgets_only_the_actor_it_names() {
        let map = ActorMap::default();
        let first = start(&map, ("+14155550003", 1));
        let other = Probe.start();
        assert!(!map.remove(&("+14155550003".to_owned(), 1), &other));
        assert!(start(&map, ("+14155550003", 1)) == first, "kept");
        assert!(map.remove(&("+14155550003".to_owned(), 1), &first));
        assert!(
            start(&map, ("+14155550003", 1)) != first,
            "forgotten, so a new one"
        );
    }
}
