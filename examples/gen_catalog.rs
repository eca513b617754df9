//! Writes a synthetic product CSV for imports and benchmarks, in the format of
//! `hanse import products`.
//!
//! ```text
//! cargo run --release --example gen_catalog -- 24000 > catalog-24k.csv
//! ```
//!
//! The default of 24,000 products is Magento's "medium" performance profile. Output is
//! deterministic: the same count gives the same file. Products spread over 300 leaf categories
//! (10 top-level, 5 below each, 6 below those), with 4-decimal prices, weights, stock and two
//! attributes; every 20th product is inactive.

use std::io::{BufWriter, Write};

const TOP: [&str; 10] = [
    "Fasteners", "Power Tools", "Hand Tools", "Safety", "Electrical", "Plumbing", "Adhesives", "Abrasives",
    "Storage", "Cleaning",
];
const MID: [&str; 5] = ["Standard", "Professional", "Heavy Duty", "Compact", "Specialist"];
const LEAF: [&str; 6] = ["Small", "Medium", "Large", "Sets", "Spares", "Accessories"];
const MATERIALS: [&str; 6] = ["steel", "stainless A2", "stainless A4", "brass", "aluminium", "nylon"];
const FINISHES: [&str; 4] = ["plain", "zinc plated", "black oxide", "hot-dip galvanized"];

/// A small deterministic generator (xorshift64*), so the file needs no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> std::io::Result<()> {
    let count: u64 = match std::env::args().nth(1) {
        None => 24_000,
        Some(arg) => match arg.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("usage: gen_catalog [COUNT] > file.csv   (COUNT defaults to 24000)");
                std::process::exit(2);
            }
        },
    };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(out, "sku,name,price,description,status,weight,categories,quantity,attribute.material,attribute.finish")?;
    for i in 0..count {
        let (top, mid, leaf) = (rng.below(10) as usize, rng.below(5) as usize, rng.below(6) as usize);
        let price = 50 + rng.below(50_000_000); // 0.0050 .. 5000.0050
        let weight = 10 + rng.below(250_000);
        let status = if i % 20 == 19 { "inactive" } else { "active" };
        let material = MATERIALS[rng.below(6) as usize];
        let finish = FINISHES[rng.below(4) as usize];
        writeln!(
            out,
            "GEN-{i:07},\"{} {} item {i}\",{}.{:04},\"Generated product {i}, {material}, {finish}.\",{status},{}.{:04},{}/{}/{},{},{material},{finish}",
            MID[mid],
            TOP[top],
            price / 10_000,
            price % 10_000,
            weight / 10_000,
            weight % 10_000,
            TOP[top],
            MID[mid],
            LEAF[leaf],
            rng.below(10_000),
        )?;
    }
    out.flush()
}
