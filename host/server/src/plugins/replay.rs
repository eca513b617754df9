//! Plugin inputs as JSON files: the shape `hanse plugin run --input` reads. It is also what the
//! server keeps when an install captures its calls, so a real call can be replayed locally with
//! the same component, configuration and input. Money is decimal text, as everywhere in the API.

use std::collections::BTreeMap;

use hanse_domain::money::Fixed4;
use hanse_runtime::types::{Attribute, Checkout, Context, Customer, PriceLine, PriceRequest, RateRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// What every input may carry besides its lines.
#[derive(Deserialize)]
struct Common {
    #[serde(default = "usd")]
    currency: String,
    #[serde(default = "local")]
    tenant: String,
    #[serde(default)]
    now: i64,
    #[serde(default)]
    customer: CustomerJson,
}

fn usd() -> String {
    "USD".into()
}

fn local() -> String {
    "local".into()
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerJson {
    #[serde(default)]
    company_id: Option<String>,
    #[serde(default)]
    customer_group: Option<String>,
    #[serde(default)]
    segments: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceLineJson {
    sku: String,
    quantity: i64,
    list_price: String,
    #[serde(default)]
    unit_price: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

/// Decimal text to 1/10,000 units.
pub fn money_in(value: &str, what: &str) -> Result<i64, String> {
    Fixed4::parse(value).map(Fixed4::units).map_err(|e| format!("{what}: {e}"))
}

/// 1/10,000 units to decimal text with 4 decimals.
pub fn money_out(units: i64) -> String {
    Decimal::new(units, 4).to_string()
}

/// A named field of `input`, absent meaning JSON `null`.
pub fn field<T: serde::de::DeserializeOwned>(input: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(input.get(name).cloned().unwrap_or(Value::Null)).map_err(|e| format!("input.{name}: {e}"))
}

/// The call context of an input: `currency` (default USD), `tenant` (default `local`), `now`
/// (milliseconds, default 0) and `customer`, with the plugin's configuration.
pub fn context_from_json(input: &Value, config: String) -> Result<Context, String> {
    let common: Common = serde_json::from_value(input.clone()).map_err(|e| format!("input: {e}"))?;
    Ok(Context {
        tenant: common.tenant,
        currency: common.currency,
        now: common.now,
        config,
        customer: Customer {
            company_id: common.customer.company_id,
            customer_group: common.customer.customer_group,
            segments: common.customer.segments,
        },
    })
}

fn context_to_json(context: &Context) -> Value {
    let customer = CustomerJson {
        company_id: context.customer.company_id.clone(),
        customer_group: context.customer.customer_group.clone(),
        segments: context.customer.segments.clone(),
    };
    json!({"tenant": context.tenant, "currency": context.currency, "now": context.now, "customer": customer})
}

/// The `lines` of a pricing input (`{"lines":[{"sku","quantity","list_price","unit_price"?,
/// "attributes"?}]}`), numbered in order; a line without `unit_price` starts at its
/// list price.
pub fn price_lines_from_json(input: &Value) -> Result<Vec<PriceLine>, String> {
    let lines: Vec<PriceLineJson> = field(input, "lines")?;
    let mut wire = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        let list_price = money_in(&line.list_price, &format!("lines[{i}].list_price"))?;
        let unit_price = match line.unit_price.as_deref() {
            Some(unit) => money_in(unit, &format!("lines[{i}].unit_price"))?,
            None => list_price,
        };
        wire.push(PriceLine {
            line_id: u32::try_from(i).map_err(|_| "too many lines".to_owned())?,
            sku: line.sku,
            quantity: line.quantity,
            list_price,
            unit_price,
            attributes: line.attributes.into_iter().map(|(name, value)| Attribute { name, value }).collect(),
        });
    }
    Ok(wire)
}

/// The input file that reproduces `request` (its configuration goes in a file of its own).
pub fn price_request_to_json(request: &PriceRequest) -> Value {
    let mut input = context_to_json(&request.context);
    input["lines"] = request
        .lines
        .iter()
        .map(|line| {
            let attributes: BTreeMap<&str, &str> = line.attributes.iter().map(|a| (a.name.as_str(), a.value.as_str())).collect();
            json!({
                "sku": line.sku,
                "quantity": line.quantity,
                "list_price": money_out(line.list_price),
                "unit_price": money_out(line.unit_price),
                "attributes": attributes,
            })
        })
        .collect();
    input
}

/// The input file that reproduces a shipping `request` (the shape `hanse plugin run --kind
/// shipping` reads).
pub fn rate_request_to_json(request: &RateRequest) -> Value {
    let mut input = context_to_json(&request.context);
    input["lines"] = request
        .lines
        .iter()
        .map(|l| json!({"sku": l.sku, "quantity": l.quantity, "unit_price": money_out(l.unit_price), "unit_weight": l.unit_weight.map(money_out)}))
        .collect();
    let d = &request.destination;
    input["destination"] = json!({"country": d.country, "region": d.region, "postcode": d.postcode, "city": d.city});
    input["subtotal"] = json!(money_out(request.subtotal));
    input
}

/// The input file that reproduces a payment `checkout` (the shape `hanse plugin run --kind
/// payment` reads).
pub fn checkout_to_json(checkout: &Checkout) -> Value {
    let mut input = context_to_json(&checkout.context);
    input["grand_total"] = json!(money_out(checkout.grand_total));
    input["available_credit"] = json!(checkout.available_credit.map(money_out));
    input["po_number"] = json!(checkout.po_number);
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price_request_from_json(input: &Value, config: String) -> Result<PriceRequest, String> {
        Ok(PriceRequest { context: context_from_json(input, config)?, lines: price_lines_from_json(input)? })
    }

    #[test]
    fn a_pricing_input_survives_the_round_trip() {
        let request = PriceRequest {
            context: Context {
                tenant: "acme".into(),
                currency: "EUR".into(),
                now: 1_700_000_000_000,
                config: r#"{"tiers":[]}"#.into(),
                customer: Customer { company_id: Some("c1".into()), customer_group: Some("wholesale".into()), segments: vec!["vip".into()] },
            },
            lines: vec![
                PriceLine {
                    line_id: 0,
                    sku: "A".into(),
                    quantity: 3,
                    list_price: 100_000,
                    unit_price: 90_000,
                    attributes: vec![Attribute { name: "color".into(), value: "red".into() }],
                },
                PriceLine { line_id: 1, sku: "B".into(), quantity: 1, list_price: 1, unit_price: 1, attributes: vec![] },
            ],
        };
        let json = price_request_to_json(&request);
        assert_eq!(json["lines"][0]["unit_price"], "9.0000");
        assert_eq!(price_request_from_json(&json, request.context.config.clone()).unwrap(), request);
    }

    #[test]
    fn short_inputs_take_defaults_and_bad_ones_say_where() {
        let request = price_request_from_json(&json!({"lines": [{"sku": "A", "quantity": 2, "list_price": "10"}]}), "{}".into()).unwrap();
        assert_eq!((request.context.currency.as_str(), request.context.tenant.as_str()), ("USD", "local"));
        assert_eq!(request.lines[0].unit_price, 100_000);
        let bad = price_request_from_json(&json!({"lines": [{"sku": "A", "quantity": 2, "list_price": "ten"}]}), "{}".into());
        assert!(bad.unwrap_err().starts_with("lines[0].list_price"));
        assert!(price_request_from_json(&json!({}), "{}".into()).unwrap_err().starts_with("input.lines"));
    }
}
