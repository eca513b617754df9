//! The plugin registry, installs and execution records, on the test run's backend.

use hanse_domain::currency::Currency;
use hanse_domain::plugin::{Capture, PluginId, PluginKind, Version};
use hanse_domain::tenant::TenantSlug;
use hanse_store::testing::fresh_store;
use hanse_store::{Captured, ExecutionRecord, InstallChange, NewTenant, PluginPackage, Store, StoreError, Tenant, now};

async fn tenant(store: &Store, slug: &str) -> Tenant {
    let new = NewTenant { slug: TenantSlug::parse(slug).unwrap(), name: slug.into(), currency: Currency::parse("USD").unwrap(), domains: vec![] };
    store.tenants().create(&new).await.unwrap()
}

fn package(id: &str, version: &str, owner: Option<&Tenant>, sha: &str) -> PluginPackage {
    PluginPackage {
        owner: owner.map(|t| t.id.clone()),
        id: PluginId::parse(id).unwrap(),
        version: Version::parse(version).unwrap(),
        kind: PluginKind::Pricing,
        wit: "hanse:plugin@0.1.0".into(),
        description: "test".into(),
        manifest: format!("{{\"id\":\"{id}\",\"version\":\"{version}\"}}"),
        sha256: sha.into(),
        size: 4,
        created_at: now(),
    }
}

#[tokio::test]
async fn registry_publishes_lists_and_resolves_versions() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let beta = tenant(&store, "beta").await;
    let registry = store.registry();
    registry.publish(&package("tiers", "1.0.0", None, "a"), b"\0asm").await.unwrap();
    registry.publish(&package("tiers", "1.2.0", None, "b"), b"\0asm").await.unwrap();
    registry.publish(&package("tiers", "2.0.0-beta.1", None, "c"), b"\0asm").await.unwrap();
    // Idempotent with the same contents, a conflict with others.
    registry.publish(&package("tiers", "1.0.0", None, "a"), b"\0asm").await.unwrap();
    let clash = registry.publish(&package("tiers", "1.0.0", None, "z"), b"\0asm").await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    // A private package is the owner's only, and may not reuse a platform id.
    registry.publish(&package("acme-special", "0.1.0", Some(&acme), "d"), b"\0asm\x01").await.unwrap();
    let shadow = registry.publish(&package("tiers", "9.0.0", Some(&acme), "e"), b"\0asm").await;
    assert!(matches!(shadow, Err(StoreError::Conflict(_))), "{shadow:?}");

    let ids = |list: Vec<PluginPackage>| list.iter().map(|p| format!("{}@{}", p.id, p.version)).collect::<Vec<_>>();
    assert_eq!(ids(registry.list(None).await.unwrap()), ["tiers@2.0.0-beta.1", "tiers@1.2.0", "tiers@1.0.0"]);
    assert_eq!(ids(registry.list(Some(&acme.id)).await.unwrap())[0], "acme-special@0.1.0");
    assert_eq!(registry.list(Some(&beta.id)).await.unwrap().len(), 3);

    let tiers = PluginId::parse("tiers").unwrap();
    let latest = registry.find(&acme.id, &tiers, None).await.unwrap().unwrap();
    assert_eq!(latest.version.to_string(), "1.2.0", "the newest release, not the beta");
    let pinned = registry.find(&acme.id, &tiers, Some(&Version::parse("1.0.0").unwrap())).await.unwrap().unwrap();
    assert_eq!(registry.component(&pinned).await.unwrap(), b"\0asm");
    let special = PluginId::parse("acme-special").unwrap();
    assert!(registry.find(&beta.id, &special, None).await.unwrap().is_none(), "another tenant's private plugin");
    assert_eq!(registry.component(&registry.find(&acme.id, &special, None).await.unwrap().unwrap()).await.unwrap(), b"\0asm\x01");
}

#[tokio::test]
async fn installs_activate_roll_back_and_bump_the_revision() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let registry = store.registry();
    let v1 = registry.publish(&package("tiers", "1.0.0", None, "a"), b"1").await.unwrap();
    let v2 = registry.publish(&package("tiers", "2.0.0", None, "b"), b"2").await.unwrap();
    let other = registry.publish(&package("other", "1.0.0", None, "c"), b"3").await.unwrap();
    let installs = store.installs(&acme.id);
    let revision = |store: &Store| {
        let slug = acme.slug.clone();
        let store = store.clone();
        async move { store.tenants().get_by_slug(&slug).await.unwrap().unwrap().plugin_revision }
    };
    let r0 = revision(&store).await;

    let installed = installs.install(&v1, r#"{"a":1}"#).await.unwrap();
    assert!(installed.enabled && installed.position == 1 && installed.previous.is_none());
    assert!(matches!(installs.install(&v1, "{}").await, Err(StoreError::Conflict(_))));
    let second = installs.install(&other, "{}").await.unwrap();
    assert_eq!(second.position, 2);

    let activated = installs.activate(&v2, r#"{"a":2}"#).await.unwrap();
    assert_eq!(activated.version.to_string(), "2.0.0");
    assert_eq!(activated.previous, Some((Version::parse("1.0.0").unwrap(), r#"{"a":1}"#.to_owned())));
    let rolled = installs.rollback(&v1.id).await.unwrap();
    assert_eq!((rolled.version.to_string(), rolled.config.as_str()), ("1.0.0".into(), r#"{"a":1}"#));
    let again = installs.rollback(&v1.id).await.unwrap();
    assert_eq!(again.version.to_string(), "2.0.0", "a second rollback undoes the first");

    assert_eq!(again.capture, Capture::Off, "inputs are not kept unless asked for");
    let change = InstallChange { enabled: Some(false), position: Some(9), config: None, capture: Some(Capture::Failures) };
    let changed = installs.update(&v1.id, &change).await.unwrap();
    assert!(!changed.enabled && changed.position == 9 && changed.config == r#"{"a":2}"#);
    assert_eq!(changed.capture, Capture::Failures);
    let order: Vec<String> = installs.list().await.unwrap().iter().map(|i| i.plugin_id.to_string()).collect();
    assert_eq!(order, ["other", "tiers"]);
    assert!(matches!(installs.rollback(&other.id).await, Err(StoreError::Refused("no_previous_version", _))));

    installs.uninstall(&v1.id).await.unwrap();
    assert!(installs.get(&v1.id).await.unwrap().is_none());
    assert!(matches!(installs.uninstall(&v1.id).await, Err(StoreError::NotFound(_))));
    assert!(revision(&store).await >= r0 + 7, "every change bumps the revision");

    // Another tenant sees none of it.
    let beta = tenant(&store, "beta").await;
    assert!(store.installs(&beta.id).list().await.unwrap().is_empty());
    assert!(matches!(store.installs(&beta.id).update(&other.id, &InstallChange::default()).await, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn executions_are_recorded_in_a_ring_of_the_newest() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let record = |i: i64| ExecutionRecord {
        id: ExecutionRecord::new_id(),
        plugin_id: "tiers".into(),
        version: "1.0.0".into(),
        kind: PluginKind::Pricing,
        started_at: hanse_domain::time::Timestamp::from_millis(1_000 + i),
        duration_us: 40,
        fuel: 1_000 + i,
        outcome: if i % 2 == 0 { "ok".into() } else { "plugin_trap".into() },
        error: (i % 2 == 1).then(|| "boom".to_owned()),
        logs: "[]".into(),
        input_captured: i == 7,
        captured: (i == 7).then(|| Captured { input: r#"{"lines":[]}"#.into(), config: "{}".into() }),
    };
    // Two flushes' worth: the ring holds the newest EXECUTIONS_KEPT, whatever the batches.
    let batch: Vec<_> = (0..hanse_store::EXECUTIONS_KEPT + 5).map(|i| (acme.id.clone(), record(i))).collect();
    store.record_executions(&batch[..600]).await.unwrap();
    store.record_executions(&batch[600..]).await.unwrap();
    let id = PluginId::parse("tiers").unwrap();
    let recent = store.installs(&acme.id).executions(&id, 3).await.unwrap();
    assert_eq!(recent.iter().map(|r| r.fuel).collect::<Vec<_>>(), [2_004, 2_003, 2_002]);
    assert_eq!(recent[1].error.as_deref(), Some("boom"));
    let all = store.installs(&acme.id).executions(&id, 5_000).await.unwrap();
    assert_eq!(all.len() as i64, hanse_store::EXECUTIONS_KEPT);
    assert_eq!(all.last().map(|r| r.fuel), Some(1_005), "the five oldest were overwritten");
    assert_eq!(store.installs(&acme.id).executions_recorded(&id).await.unwrap(), hanse_store::EXECUTIONS_KEPT + 5);
    // Another tenant's plugin of the same id has its own ring.
    let globex = tenant(&store, "globex").await;
    store.record_executions(&[(globex.id.clone(), record(0)), (acme.id.clone(), record(2_000))]).await.unwrap();
    assert_eq!(store.installs(&globex.id).executions(&id, 5_000).await.unwrap().len(), 1);
    assert_eq!(store.installs(&acme.id).executions(&id, 1).await.unwrap()[0].fuel, 3_000);
    // More calls in one write than the ring holds: the newest stay.
    let many: Vec<_> = (0..hanse_store::EXECUTIONS_KEPT + 70).map(|i| (globex.id.clone(), record(5_000 + i))).collect();
    store.record_executions(&many).await.unwrap();
    let ring = store.installs(&globex.id).executions(&id, 5_000).await.unwrap();
    assert_eq!(ring.len() as i64, hanse_store::EXECUTIONS_KEPT);
    assert_eq!((ring[0].fuel, ring[ring.len() - 1].fuel), (6_000 + hanse_store::EXECUTIONS_KEPT + 69, 6_070));

    // Lists say whether an input was kept; one record at a time carries it.
    let kept = all.iter().find(|r| r.fuel == 1_007).unwrap();
    assert!(kept.input_captured && kept.captured.is_none(), "{kept:?}");
    assert!(all.iter().filter(|r| r.input_captured).count() == 1);
    let one = store.installs(&acme.id).execution(&id, &kept.id).await.unwrap().unwrap();
    assert_eq!(one.captured, Some(Captured { input: r#"{"lines":[]}"#.into(), config: "{}".into() }));
    let plain = all.iter().find(|r| r.fuel == 1_008).unwrap();
    let plain = store.installs(&acme.id).execution(&id, &plain.id).await.unwrap().unwrap();
    assert!(!plain.input_captured && plain.captured.is_none());
    // Another tenant cannot read it.
    let beta = tenant(&store, "beta").await;
    assert_eq!(store.installs(&beta.id).execution(&id, &kept.id).await.unwrap(), None);
}
