use serde::{Deserialize, Serialize};

/// One page of a list, newest first unless the endpoint says otherwise.
///
/// Lists are paginated by keyset, not by offset, so that the thousandth page costs what the
/// first one does. Pass `next_cursor` back as the `cursor` query parameter to get the next
/// page; when it is absent there are no more items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items on this page, at most the `limit` asked for.
    pub items: Vec<T>,
    /// The opaque cursor of the next page, absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page with nothing on it and nothing after it.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
        }
    }
}

/// The paging parameters every list endpoint takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// How many items to return, from 1 to [`crate::limits::PAGE_SIZE_MAX`];
    /// [`crate::limits::PAGE_SIZE_DEFAULT`] when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}
