//! Rebuilds the store when a migration is added: `sqlx::migrate!` embeds the files it finds,
//! but cargo only knows to look again when told the folder matters.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
