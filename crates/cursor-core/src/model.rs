//! Building blocks for lossless response models: the map of unknown fields, and string enums
//! that keep values they do not know.

/// Fields a model does not know, kept so that re-serializing gives back what the server sent.
/// Every response model flattens one of these.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Declares a string enum that decodes values it does not know into `Unknown(String)` and
/// serializes every value back as it came.
///
/// ```
/// cursor_core::string_enum! {
///     /// A member's role.
///     pub enum Role {
///         /// A member.
///         Member = "member",
///         /// The owner.
///         Owner = "owner",
///     }
/// }
/// let role: Role = serde_json::from_str("\"free-owner\"").unwrap();
/// assert_eq!(role, Role::Unknown("free-owner".into()));
/// assert_eq!(serde_json::to_string(&role).unwrap(), "\"free-owner\"");
/// assert_eq!(Role::Owner.as_str(), "owner");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(other) => other.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    string_enum! {
        /// Test enum.
        pub enum Source {
            /// Tab.
            Tab = "TAB",
            /// Composer.
            Composer = "COMPOSER",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        for text in ["\"TAB\"", "\"COMPOSER\"", "\"BACKGROUND_AGENT\""] {
            let value: Source = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), text);
        }
        assert_eq!("TAB".parse::<Source>().unwrap(), Source::Tab);
        assert_eq!(Source::from("NEW"), Source::Unknown("NEW".into()));
        assert_eq!(Source::Composer.to_string(), "COMPOSER");
    }
}
