//! Enums stored and sent by name (`"active"`, `"pricing"`): one macro writes the name table,
//! parsing with an error that lists the names, and `Display`.

/// Declares a fieldless enum whose variants each have a stored and wire name, with `ALL`,
/// `as_str`, `parse` and `Display`. Derives `Debug, Clone, Copy, PartialEq, Eq, Hash`; more
/// derives may be given as attributes.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the stored and wire name.
            pub fn parse(text: &str) -> Result<Self, $crate::ValueError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    $crate::ValueError::new(format!("must be one of {}; got {text:?}", [$($text),+].join(", ")))
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    named_enum! {
        /// A test enum.
        pub enum Light {
            /// Go.
            Green = "green",
            /// Stop.
            Red = "red",
        }
    }

    #[test]
    fn names_round_trip_and_errors_list_them() {
        for light in Light::ALL {
            assert_eq!(Light::parse(light.as_str()), Ok(*light));
            assert_eq!(light.to_string(), light.as_str());
        }
        assert_eq!(Light::parse("blue").unwrap_err().0, r#"must be one of green, red; got "blue""#);
    }
}
