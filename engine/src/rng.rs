//! The engine's only source of randomness: a ChaCha8 stream from the caller's seed.
//! Same seed, same sequence, on every platform (wasm32 included).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct Rng {
    inner: ChaCha8Rng,
    seed: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            inner: ChaCha8Rng::seed_from_u64(seed),
            seed,
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many 32-bit words have been drawn: part of the state digest.
    pub fn position(&self) -> u128 {
        self.inner.get_word_pos()
    }

    pub fn below(&mut self, n: u32) -> u32 {
        // Lemire's nearly-divisionless method would do; a rejection loop is simpler and exact.
        let zone = u32::MAX - (u32::MAX % n);
        loop {
            let v = self.inner.next_u32();
            if v < zone {
                return v % n;
            }
        }
    }

    /// A 64-hex ID as Docker's `stringid.GenerateRandomID` makes them: 32 random bytes,
    /// redrawn when the 12-character short form would read as a plain number.
    pub fn hex_id(&mut self) -> String {
        loop {
            let mut bytes = [0u8; 32];
            self.inner.fill_bytes(&mut bytes);
            let id = hex(&bytes);
            if !id[..12].bytes().all(|b| b.is_ascii_digit()) {
                return id;
            }
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
