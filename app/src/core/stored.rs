//! How the shared types are read from the database: ids as integers and keyed enums
//! as their keys, so rows map straight into records (`sqlx::FromRow`) and a key the
//! code does not know is an error, never a silent default.

use sqlx::any::AnyValueRef;
use sqlx::error::BoxDynError;
use sqlx::{Any, Decode, Type};

/// Reads an id type (a newtype of `i64`) from an integer column.
macro_rules! stored_as_integer {
    ($($id:ty),+) => {$(
        impl sqlx::Type<sqlx::Any> for $id {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $id {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Self(<i64 as sqlx::Decode<sqlx::Any>>::decode(value)?))
            }
        }
    )+};
}

stored_as_integer!(super::NodeId, super::UserId, super::ImpersonationId);

/// The type a keyed enum is stored as: its key, in a text column.
pub fn key_type_info() -> sqlx::any::AnyTypeInfo {
    <String as Type<Any>>::type_info()
}

pub fn key_compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
    <String as Type<Any>>::compatible(ty)
}

/// Reads the key of a keyed enum and finds its value with `from_key`.
pub fn decode_key<T>(
    value: AnyValueRef<'_>,
    name: &str,
    from_key: impl Fn(&str) -> Option<T>,
) -> Result<T, BoxDynError> {
    let key = <String as Decode<Any>>::decode(value)?;
    from_key(&key).ok_or_else(|| format!("unknown {name} {key:?}").into())
}

impl Type<Any> for super::NodeKind {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        key_type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        key_compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for super::NodeKind {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        decode_key(value, "node kind", Self::from_key)
    }
}

impl Type<Any> for super::roles::RoleSet {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        key_type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        key_compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for super::roles::RoleSet {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self::from_stored(&<String as Decode<Any>>::decode(value)?))
    }
}
