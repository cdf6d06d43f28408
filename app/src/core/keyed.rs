//! Enums stored and sent as stable text keys, each with a label for people.

/// Declares a fieldless enum with `ALL`, `key()`, `from_key()` and `label()`: the key is
/// what the database, URLs, forms and serde hold; the label, a catalog key
/// (`labels.mode.client`), is what people read. On the server it also reads from a
/// text column by its key.
#[macro_export]
macro_rules! keyed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$variant_meta:meta])* $variant:ident = ($key:literal, $($label:ident).+) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $( $(#[$variant_meta])* #[serde(rename = $key)] $variant ),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            pub fn key(self) -> &'static str {
                match self { $( $name::$variant => $key ),+ }
            }

            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.key() == key)
            }

            /// What people read, in the language of what is being worded now.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $crate::tr!($($label).+) ),+ }
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                $crate::core::stored::key_type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                $crate::core::stored::key_compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                $crate::core::stored::decode_key(value, stringify!($name), Self::from_key)
            }
        }
    };
}
