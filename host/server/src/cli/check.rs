//! `hanse inventory check` and `hanse credit check`: prove that every running sum equals its
//! append-only ledger, and report the rows that drift.

use clap::Subcommand;
use hanse_store::{DriftKind, Store};

use super::CliError;

#[derive(Subcommand)]
pub enum InventoryCommand {
    /// Prove that every SKU's reserved quantity equals the sum of its reservation ledger, and its
    /// quantity on hand what its enabled sources hold (so its salable quantity is right), in
    /// every tenant. Lists each SKU that drifts and exits with status 1 when any does.
    Check,
}

#[derive(Subcommand)]
pub enum CreditCommand {
    /// Prove that every company's credit balance equals the sum of its credit history, in every
    /// tenant. Lists each company that drifts and exits with status 1 when any does.
    Check,
}

/// Runs an inventory command.
pub async fn inventory(store: &Store, command: InventoryCommand) -> Result<(), CliError> {
    match command {
        InventoryCommand::Check => {
            let drift = store.inventory_drift().await?;
            for d in &drift {
                let (recorded, expected) = match d.kind {
                    DriftKind::Reserved => ("reserved", "ledger"),
                    DriftKind::OnHand => ("quantity", "sources"),
                };
                println!("drift\ttenant {}\tsku {}\t{recorded} {}\t{expected} {}", d.tenant_id, d.sku, d.recorded, d.ledger);
            }
            report("SKU", drift.len())
        }
    }
}

/// Runs a credit command.
pub async fn credit(store: &Store, command: CreditCommand) -> Result<(), CliError> {
    match command {
        CreditCommand::Check => {
            let drift = store.credit_drift().await?;
            for d in &drift {
                println!("drift\ttenant {}\tcompany {}\tbalance {}\tledger {}", d.tenant_id, d.company_id, d.balance, d.ledger);
            }
            report("company", drift.len())
        }
    }
}

fn report(what: &str, drifting: usize) -> Result<(), CliError> {
    if drifting == 0 {
        println!("ok: every {what} balances with its ledger");
        Ok(())
    } else {
        Err(CliError::Drift(format!("{drifting} {what}(s) differ from their ledger")))
    }
}
