//! Customer segments: a rule over a company's facts (where it is, its group, its standing, its
//! order history), evaluated whenever the company, its orders or the segment change. Segments are price-list targets and
//! reach pricing plugins in their input.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::ValueError;

/// Most conditions in one rule.
pub const MAX_CONDITIONS: usize = 50;

crate::named_enum! {
    /// A company fact a condition tests.
    pub enum Field {
        /// Display name.
        Name = "name",
        /// Company e-mail address.
        Email = "email",
        /// ISO country code of the legal address.
        Country = "country",
        /// Region of the legal address.
        Region = "region",
        /// City of the legal address.
        City = "city",
        /// Postal code of the legal address.
        Postcode = "postcode",
        /// Customer group id.
        CustomerGroup = "customer_group_id",
        /// Company status.
        Status = "status",
        /// The merchant's sales representative.
        SalesRep = "sales_rep",
        /// Orders placed and not canceled (a whole number).
        OrderCount = "order_count",
        /// The sum of their grand totals, in the tenant's currency (a decimal).
        OrderTotal = "order_total",
    }
}

crate::named_enum! {
    /// How a condition compares (text, ignoring case and surrounding spaces).
    pub enum Op {
        /// Equal.
        Eq = "eq",
        /// Not equal.
        Ne = "ne",
        /// One of a list.
        In = "in",
        /// None of a list.
        NotIn = "not_in",
        /// Contains.
        Contains = "contains",
        /// Starts with (postcode areas).
        StartsWith = "starts_with",
        /// Ends with (e-mail domains).
        EndsWith = "ends_with",
        /// Greater than, as numbers (order history).
        Gt = "gt",
        /// Greater than or equal, as numbers.
        Gte = "gte",
        /// Less than, as numbers.
        Lt = "lt",
        /// Less than or equal, as numbers.
        Lte = "lte",
    }
}

/// One test on one fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The fact.
    pub field: Field,
    /// The comparison.
    pub op: Op,
    /// The values compared with, lower-cased (one, except for `in` and `not_in`).
    pub values: Vec<String>,
}

/// A segment's rule: all or any of its conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// True: every condition must hold; false: at least one.
    pub all: bool,
    /// The conditions; an empty rule matches every company.
    pub conditions: Vec<Condition>,
}

/// A company's facts, as the rule sees them.
pub trait Facts {
    /// The fact's text (empty when unknown); numbers in decimal (`"12"`, `"1234.5000"`).
    fn fact(&self, field: Field) -> Cow<'_, str>;
}

impl Op {
    /// Whether the operator compares numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, Op::Gt | Op::Gte | Op::Lt | Op::Lte)
    }
}

fn norm(text: &str) -> String {
    text.trim().to_lowercase()
}

impl Condition {
    /// Whether the condition holds for `facts`.
    pub fn holds(&self, facts: &impl Facts) -> bool {
        let fact = norm(&facts.fact(self.field));
        let first = self.values.first().map(String::as_str).unwrap_or("");
        if self.op.is_numeric() {
            let (Ok(fact), Ok(value)) = (fact.parse::<Decimal>(), first.parse::<Decimal>()) else { return false };
            return match self.op {
                Op::Gt => fact > value,
                Op::Gte => fact >= value,
                Op::Lt => fact < value,
                _ => fact <= value,
            };
        }
        match self.op {
            Op::Eq => fact == first,
            Op::Ne => fact != first,
            Op::In => self.values.contains(&fact),
            Op::NotIn => !self.values.contains(&fact),
            Op::Contains => fact.contains(first),
            Op::StartsWith => fact.starts_with(first),
            Op::EndsWith => fact.ends_with(first),
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => false,
        }
    }
}

impl Rule {
    /// Parses `{"match": "all"|"any", "conditions": [{"field", "op", "value"}]}`; `value` is
    /// a string, or a list of strings for `in` and `not_in`. Errors name the path at fault.
    pub fn parse(value: &Value) -> Result<Rule, (String, ValueError)> {
        let at = |path: &str, message: String| (path.to_owned(), ValueError::new(message));
        let object = value.as_object().ok_or_else(|| at("rule", "must be an object with `match` and `conditions`".into()))?;
        if let Some(unknown) = object.keys().find(|k| !["match", "conditions"].contains(&k.as_str())) {
            return Err(at(&format!("rule.{unknown}"), "unknown field".into()));
        }
        let all = match object.get("match").and_then(Value::as_str).unwrap_or("all") {
            "all" => true,
            "any" => false,
            other => return Err(at("rule.match", format!("must be `all` or `any`, got {other:?}"))),
        };
        let list = match object.get("conditions") {
            None => &Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(at("rule.conditions", "must be a list".into())),
        };
        if list.len() > MAX_CONDITIONS {
            return Err(at("rule.conditions", format!("at most {MAX_CONDITIONS} conditions")));
        }
        let mut conditions = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let path = format!("rule.conditions[{i}]");
            let text = |name: &str| item.get(name).and_then(Value::as_str).ok_or_else(|| at(&format!("{path}.{name}"), "required text".into()));
            let field = Field::parse(text("field")?).map_err(|e| (format!("{path}.field"), e))?;
            let op = Op::parse(text("op")?).map_err(|e| (format!("{path}.op"), e))?;
            let values = match (op, item.get("value")) {
                (Op::In | Op::NotIn, Some(Value::Array(values))) if !values.is_empty() => values
                    .iter()
                    .map(|v| v.as_str().map(norm).ok_or_else(|| at(&format!("{path}.value"), "must be a list of strings".into())))
                    .collect::<Result<Vec<_>, _>>()?,
                (Op::In | Op::NotIn, _) => return Err(at(&format!("{path}.value"), "must be a non-empty list of strings".into())),
                (op, Some(Value::String(value))) if op.is_numeric() => match value.trim().parse::<Decimal>() {
                    Ok(_) => vec![norm(value)],
                    Err(_) => return Err(at(&format!("{path}.value"), format!("must be a number as text for `{op}`, got {value:?}"))),
                },
                (_, Some(Value::String(value))) => vec![norm(value)],
                _ => return Err(at(&format!("{path}.value"), "must be a string".into())),
            };
            conditions.push(Condition { field, op, values });
        }
        Ok(Rule { all, conditions })
    }

    /// The rule as JSON, in the shape [`Rule::parse`] reads.
    pub fn to_json(&self) -> Value {
        let conditions: Vec<Value> = self
            .conditions
            .iter()
            .map(|c| {
                let value = match c.op {
                    Op::In | Op::NotIn => Value::from(c.values.clone()),
                    _ => Value::from(c.values.first().cloned().unwrap_or_default()),
                };
                serde_json::json!({ "field": c.field.as_str(), "op": c.op.as_str(), "value": value })
            })
            .collect();
        serde_json::json!({ "match": if self.all { "all" } else { "any" }, "conditions": conditions })
    }

    /// Whether a company with these facts belongs to the segment.
    pub fn matches(&self, facts: &impl Facts) -> bool {
        if self.all {
            self.conditions.iter().all(|c| c.holds(facts))
        } else {
            self.conditions.is_empty() || self.conditions.iter().any(|c| c.holds(facts))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    struct Company(&'static [(Field, &'static str)]);

    impl Facts for Company {
        fn fact(&self, field: Field) -> Cow<'_, str> {
            Cow::Borrowed(self.0.iter().find(|(f, _)| *f == field).map_or("", |(_, v)| v))
        }
    }

    const BERLIN: Company = Company(&[
        (Field::Country, "DE"),
        (Field::City, "Berlin"),
        (Field::Postcode, "10115"),
        (Field::Email, "buy@steel.example"),
        (Field::OrderCount, "12"),
        (Field::OrderTotal, "15000.5000"),
    ]);
    const LYON: Company = Company(&[(Field::Country, "FR"), (Field::City, "Lyon"), (Field::Postcode, "69001"), (Field::OrderCount, "0"), (Field::OrderTotal, "0.0000")]);

    fn rule(value: serde_json::Value) -> Rule {
        Rule::parse(&value).unwrap()
    }

    #[test]
    fn conditions_combine_with_all_or_any() {
        let table = [
            (json!({"conditions": [{"field": "country", "op": "eq", "value": "de"}]}), true, false),
            (json!({"conditions": [{"field": "country", "op": "in", "value": ["DE", "AT"]}]}), true, false),
            (json!({"conditions": [{"field": "country", "op": "not_in", "value": ["DE"]}]}), false, true),
            (json!({"conditions": [{"field": "postcode", "op": "starts_with", "value": "10"}]}), true, false),
            (json!({"conditions": [{"field": "email", "op": "ends_with", "value": "@steel.example"}]}), true, false),
            (json!({"conditions": [{"field": "city", "op": "contains", "value": "YO"}]}), false, true),
            (json!({"match": "all", "conditions": [{"field": "country", "op": "eq", "value": "DE"}, {"field": "city", "op": "eq", "value": "Munich"}]}), false, false),
            (json!({"match": "any", "conditions": [{"field": "country", "op": "eq", "value": "DE"}, {"field": "city", "op": "eq", "value": "Lyon"}]}), true, true),
            (json!({"match": "any", "conditions": []}), true, true),
            (json!({"conditions": [{"field": "region", "op": "ne", "value": ""}]}), false, false),
            (json!({"conditions": [{"field": "order_count", "op": "gte", "value": "10"}]}), true, false),
            (json!({"conditions": [{"field": "order_total", "op": "gt", "value": "15000.5"}]}), false, false),
            (json!({"conditions": [{"field": "order_total", "op": "lte", "value": "15000.50"}]}), true, true),
            (json!({"conditions": [{"field": "order_count", "op": "lt", "value": "1"}]}), false, true),
            // A number compared with text that is not one never holds.
            (json!({"conditions": [{"field": "city", "op": "gt", "value": "1"}]}), false, false),
        ];
        for (value, berlin, lyon) in table {
            let r = rule(value.clone());
            assert_eq!((r.matches(&BERLIN), r.matches(&LYON)), (berlin, lyon), "{value}");
            assert_eq!(rule(r.to_json()), r, "round trip {value}");
        }
    }

    #[test]
    fn errors_name_the_path() {
        let path = |value: serde_json::Value| Rule::parse(&value).unwrap_err().0;
        assert_eq!(path(json!([])), "rule");
        assert_eq!(path(json!({"match": "most"})), "rule.match");
        assert_eq!(path(json!({"conditions": [{"field": "shoe_size", "op": "eq", "value": "9"}]})), "rule.conditions[0].field");
        assert_eq!(path(json!({"conditions": [{"field": "city", "op": "near", "value": "x"}]})), "rule.conditions[0].op");
        assert_eq!(path(json!({"conditions": [{"field": "city", "op": "in", "value": "x"}]})), "rule.conditions[0].value");
        assert_eq!(path(json!({"conditions": [{"field": "city", "op": "eq", "value": 3}]})), "rule.conditions[0].value");
        assert_eq!(path(json!({"extra": 1})), "rule.extra");
        assert_eq!(path(json!({"conditions": [{"field": "order_total", "op": "gte", "value": "lots"}]})), "rule.conditions[0].value");
    }
}
