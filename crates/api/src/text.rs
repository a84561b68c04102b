use serde::{Deserialize, Serialize};

/// A name or label given in both of the platform's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    /// Simplified Chinese, the platform's default language.
    pub zh: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    /// Builds a text from its Chinese and English forms.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `language`, which is a BCP 47 tag; anything that is not English gets Chinese.
    pub fn get(&self, language: &str) -> &str {
        if language.starts_with("en") {
            &self.en
        } else {
            &self.zh
        }
    }
}

/// The language a piece of published content is written in, so that pages can mark it
/// (`lang` attribute) and screen readers pronounce it correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContentLanguage {
    /// Simplified Chinese.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl ContentLanguage {
    /// The BCP 47 tag, as used in HTML `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// Whether this is the default language (Chinese).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The language whose tag is `tag`, if it is one of these.
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}
