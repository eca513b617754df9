//! Plugins: merchant logic as WebAssembly components, one kind per WIT world.

use std::fmt;

use crate::ValueError;

crate::named_enum! {
    /// The kind of a plugin: the WIT world it implements (the name is the world's name).
    #[derive(PartialOrd, Ord)]
    pub enum PluginKind {
        /// Prices cart lines (`pricing` world).
        Pricing = "pricing",
        /// Decides on purchase orders (`approval` world).
        Approval = "approval",
        /// Quotes shipping rates (`shipping` world).
        Shipping = "shipping",
        /// Offers and authorizes payment methods (`payment` world).
        Payment = "payment",
    }
}

crate::named_enum! {
    /// Which calls of an installed plugin keep their input, so a developer can replay them
    /// locally with `hanse plugin run`.
    #[derive(Default)]
    pub enum Capture {
        /// No inputs are kept (the default: inputs carry customer data).
        #[default]
        Off = "off",
        /// Inputs of failed calls only.
        Failures = "failures",
        /// Inputs of every call.
        All = "all",
    }
}

impl Capture {
    /// Whether a call that succeeded (`ok`) or failed keeps its input.
    pub fn keeps(self, ok: bool) -> bool {
        match self {
            Capture::Off => false,
            Capture::Failures => !ok,
            Capture::All => true,
        }
    }
}

/// The WIT package version this host implements. A plugin built against another minor version
/// of 0.x, or another major version, is refused.
pub const WIT_PACKAGE: &str = "hanse:plugin@0.1.0";

/// A plugin's id: 2-64 lower-case letters, digits and hyphens, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PluginId(String);

impl PluginId {
    /// Parses an id.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let ok = (2..=64).contains(&text.len())
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && !text.ends_with('-')
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(PluginId(text.to_owned()))
        } else {
            Err(ValueError::new(format!(
                "must be 2-64 lower-case letters, digits and hyphens, starting with a letter, got {text:?}"
            )))
        }
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A semantic version `MAJOR.MINOR.PATCH` with an optional `-pre.release` part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Option<String>,
}

impl Version {
    /// Parses a version such as `1.4.0` or `2.0.0-beta.1`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let bad = || ValueError::new(format!("must be a semantic version such as \"1.2.0\", got {text:?}"));
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let numbers: Vec<u64> = core
            .split('.')
            .map(|part| {
                let leading_zero = part.len() > 1 && part.starts_with('0');
                if part.is_empty() || leading_zero || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                part.parse().map_err(|_| bad())
            })
            .collect::<Result<_, _>>()?;
        let [major, minor, patch] = numbers[..] else { return Err(bad()) };
        if let Some(pre) = pre {
            let ok = !pre.is_empty()
                && pre.len() <= 64
                && pre.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            if !ok {
                return Err(bad());
            }
        }
        Ok(Version { major, minor, patch, pre: pre.map(str::to_owned) })
    }
}

impl Version {
    /// True for a pre-release such as `2.0.0-beta.1`.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        Ok(())
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    /// Semantic-version precedence: numbers first; a pre-release sorts before its release;
    /// pre-release identifiers compare numerically when both are numbers, else as text.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch)).then_with(|| {
            match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => {
                    let mut left = a.split('.');
                    let mut right = b.split('.');
                    loop {
                        match (left.next(), right.next()) {
                            (None, None) => return Ordering::Equal,
                            (None, Some(_)) => return Ordering::Less,
                            (Some(_), None) => return Ordering::Greater,
                            (Some(x), Some(y)) => {
                                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                                    (Ok(m), Ok(n)) => m.cmp(&n),
                                    (Ok(_), Err(_)) => Ordering::Less,
                                    (Err(_), Ok(_)) => Ordering::Greater,
                                    (Err(_), Err(_)) => x.cmp(y),
                                };
                                if order != Ordering::Equal {
                                    return order;
                                }
                            }
                        }
                    }
                }
            }
        })
    }
}

/// Checks the WIT package a plugin was built against: `hanse:plugin@0.1.x` works with this host.
pub fn check_wit(text: &str) -> Result<(), ValueError> {
    let refuse = || ValueError::new(format!("this host implements {WIT_PACKAGE}; a plugin for {text:?} cannot run here"));
    let version = text.strip_prefix("hanse:plugin@").ok_or_else(refuse)?;
    let version = Version::parse(version).map_err(|_| refuse())?;
    if version.major == 0 && version.minor == 1 { Ok(()) } else { Err(refuse()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_modes() {
        for &mode in Capture::ALL {
            assert_eq!(Capture::parse(mode.as_str()).unwrap(), mode);
        }
        assert!(Capture::parse("sometimes").is_err());
        assert!(!Capture::Off.keeps(false));
        assert!(Capture::Failures.keeps(false) && !Capture::Failures.keeps(true));
        assert!(Capture::All.keeps(true) && Capture::All.keeps(false));
    }

    #[test]
    fn ids() {
        assert!(PluginId::parse("tier-pricing").is_ok());
        for bad in ["T", "x", "-a", "a-", "a_b", "1abc", &"a".repeat(65)] {
            assert!(PluginId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn versions_parse_and_order() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(v("1.2.3").to_string(), "1.2.3");
        assert_eq!(v("2.0.0-beta.1").to_string(), "2.0.0-beta.1");
        assert!(v("2.0.0-beta.1").is_prerelease() && !v("2.0.0").is_prerelease());
        for bad in ["1.2", "1.2.3.4", "01.2.3", "a.b.c", "1.2.3-", "1.2.3-a..b", ""] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
        let mut list = vec![v("1.10.0"), v("1.2.0"), v("1.2.0-rc.1"), v("1.2.0-alpha"), v("1.2.0-rc.10"), v("0.9.9")];
        list.sort();
        let shown: Vec<String> = list.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["0.9.9", "1.2.0-alpha", "1.2.0-rc.1", "1.2.0-rc.10", "1.2.0", "1.10.0"]);
    }

    #[test]
    fn wit_compatibility() {
        assert!(check_wit("hanse:plugin@0.1.0").is_ok());
        assert!(check_wit("hanse:plugin@0.1.7").is_ok());
        for bad in ["hanse:plugin@0.2.0", "hanse:plugin@1.0.0", "other:plugin@0.1.0", "hanse:plugin"] {
            assert!(check_wit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for &kind in PluginKind::ALL {
            assert_eq!(PluginKind::parse(kind.as_str()).unwrap(), kind);
        }
        assert!(PluginKind::parse("tax").is_err());
    }
}
